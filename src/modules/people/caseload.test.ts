import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, idsOf } from '../../../test/fixtures.ts';
import { writeJourney } from '../../../seeds/journeys.ts';
import type { PersonStatus } from '../../core/db/schema.ts';
import { ukToday } from '../../core/http/forms.ts';
import { formatDate } from '../../core/http/views.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;

interface Someone {
  name: string;
  area: 'marsh' | 'hollins' | 'eastmoor';
  status: PersonStatus;
  postcode: string | null;
  preferredName?: string;
}

/** Everyone in this file's database, across two neighbourhoods and two programmes. */
const PEOPLE: Someone[] = [
  { name: 'Dennis Carver', area: 'marsh', status: 'walking_alongside', postcode: 'BF1 2AB', preferredName: 'Den' },
  { name: 'Margaret Okonjo', area: 'marsh', status: 'resting', postcode: 'BF2 9ZZ' },
  { name: 'Olu Adebayo', area: 'marsh', status: 'introduced', postcode: null, preferredName: 'Tunde' },
  { name: '100% Sure_Thing', area: 'marsh', status: 'getting_to_know', postcode: 'BF1 7QT' },
  { name: "Aoife O'Brien", area: 'hollins', status: 'walking_alongside', postcode: 'BF3 4CD' },
  { name: 'Dennis Hollins', area: 'hollins', status: 'moved_on', postcode: 'BF4 1AB' },
  { name: 'Dennis Eastmoor', area: 'eastmoor', status: 'walking_alongside', postcode: 'BF1 2AB' },
];

const personIds = new Map<string, string>();

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  const recorder = await ids.user('coordinator.marsh@brookfield.example');
  for (const p of PEOPLE) {
    const [programme, area] =
      p.area === 'marsh' ? [ids.brookfield, ids.marshEnd] : p.area === 'hollins' ? [ids.brookfield, ids.hollinsPark] : [ids.eastmoor, ids.eastmoorMarshEnd];
    const id = await addPerson(t.db, programme, area, p.name, recorder);
    await t.db
      .updateTable('people')
      .set({ status: p.status, postcode: p.postcode, preferred_name: p.preferredName ?? null })
      .where('id', '=', id)
      .execute();
    personIds.set(p.name, id);
  }
  marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  manager = await signedInClient(t.app, 'manager@brookfield.example');
});
after(async () => {
  await t.close();
});

/** The names linked from the caseload table, sorted; every link must go to that person and nowhere else. */
function listed(response: LightMyRequestResponse): string[] {
  const table = /<table[\s\S]*<\/table>/.exec(response.body)?.[0] ?? '';
  const links = [...table.matchAll(/<a class="govuk-link" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => {
    const name = (m[2] ?? '').replace(/&#39;/g, "'");
    assert.equal(m[1], `/people/${personIds.get(name) ?? 'unknown'}`, `the link for ${name}`);
    return name;
  });
  return links.sort();
}

const names = (filter: (p: Someone) => boolean) =>
  PEOPLE.filter(filter)
    .map((p) => p.name)
    .sort();

async function lastAudit() {
  return t.db.selectFrom('audit_events').select(['action', 'detail', 'outcome']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}

async function search(client: Client, q: string, filters: Record<string, string> = {}) {
  await client.get('/people');
  return client.post('/people/search', { q, ...filters });
}

describe('people I walk alongside: filters', () => {
  test("a coordinator sees their neighbourhood's people with each one's status; a manager sees the whole programme", async () => {
    const mine = await marsh.get('/people');
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(listed(mine), names((p) => p.area === 'marsh'));
    assert.match(mine.body, /<td class="govuk-table__cell">Resting \(door open\)<\/td>/);
    assert.match(mine.body, /Margaret Okonjo<\/a><br><span class="govuk-body-s">BF2 9ZZ<\/span><\/td>/);
    assert.doesNotMatch(mine.body, /id="area"/, 'one neighbourhood: nothing to choose');
    assert.doesNotMatch(mine.body, />Neighbourhood<\/th>/, 'nor a column repeating it');
    const all = await manager.get('/people');
    assert.match(all.body, />Neighbourhood<\/th>/);
    assert.deepEqual(listed(all), names((p) => p.area !== 'eastmoor'));
    assert.match(all.body, /<select class="govuk-select" id="area" name="area">/);
  });

  test('filtering by status, by neighbourhood, or both; the filters stay chosen', async () => {
    const walking = await marsh.get('/people?status=walking_alongside');
    assert.equal(walking.statusCode, 200);
    assert.deepEqual(listed(walking), ['Dennis Carver']);
    assert.match(walking.body, /<option value="walking_alongside" selected>/);
    assert.match(walking.body, /<a class="govuk-link" href="\/people">Show everyone<\/a>/);

    const hollins = await manager.get(`/people?area=${ids.hollinsPark}`);
    assert.deepEqual(listed(hollins), ["Aoife O'Brien", 'Dennis Hollins']);
    assert.match(hollins.body, new RegExp(`<option value="${ids.hollinsPark}" selected>`));
    const both = await manager.get(`/people?area=${ids.hollinsPark}&status=moved_on`);
    assert.deepEqual(listed(both), ['Dennis Hollins']);

    const nobody = await marsh.get('/people?status=moved_on');
    assert.equal(nobody.statusCode, 200);
    assert.match(nobody.body, /Nobody matches/);
    assert.doesNotMatch(nobody.body, /<table/);
    const any = await marsh.get('/people?status=&area=');
    assert.deepEqual(listed(any), names((p) => p.area === 'marsh'), 'empty filters mean everyone');
    assert.equal((await marsh.get('/people?name=%3Cscript%3E&q=%7B%7B7*7%7D%7D')).statusCode, 200, 'anything else in the query is ignored');
  });

  test('bad filter values are refused with a message, never a server error, and nothing is read', async () => {
    for (const [client, query, field, message] of [
      [marsh, 'status=closed', 'status', 'Choose a status from the list'],
      [marsh, 'status=walking_alongside&status=resting', 'status', 'Choose a status from the list'],
      [marsh, "status='%20OR%201=1--", 'status', 'Choose a status from the list'],
      [marsh, 'area=not-a-uuid', 'area', 'Choose a neighbourhood from the list'],
      [marsh, `area=${ids.hollinsPark}`, 'area', 'Choose a neighbourhood from the list'],
      [manager, `area=${ids.eastmoorMarshEnd}`, 'area', 'Choose a neighbourhood from the list'],
      [manager, 'area=%00', 'area', 'Choose a neighbourhood from the list'],
    ] as const) {
      const before = await lastAudit();
      const response = await client.get(`/people?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.match(response.body, new RegExp(`href="#${field}">${message}`), query);
      assert.doesNotMatch(response.body, /<table/, `${query}: no list`);
      assert.deepEqual(await lastAudit(), before, `${query}: nothing read, so nothing audited`);
    }
  });

  test('the list is audited as one read, with its filters and count but no names', async () => {
    await manager.get(`/people?status=walking_alongside&area=${ids.marshEnd}`);
    assert.deepEqual(await lastAudit(), {
      action: 'caseload.read',
      outcome: 'allowed',
      detail: { people: 1, status: 'walking_alongside', areaId: ids.marshEnd },
    });
  });
});

describe('people I walk alongside: search by name or postcode', () => {
  test('names are found case-insensitively, by any part, and by preferred name', async () => {
    assert.deepEqual(listed(await search(marsh, 'dennis')), ['Dennis Carver']);
    assert.deepEqual(listed(await search(marsh, 'OKON')), ['Margaret Okonjo']);
    assert.deepEqual(listed(await search(marsh, '  den ')), ['Dennis Carver']);
    assert.deepEqual(listed(await search(marsh, 'TUNDE')), ['Olu Adebayo'], 'the name they like to be called');
    const response = await search(marsh, 'Olu');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /1 person matches your search/);
    assert.match(response.body, /name="q" type="search"[^>]*value="Olu"/, 'the search stays in its box');
  });

  test('postcodes are found with or without the space, in any case, whole or in part', async () => {
    for (const q of ['BF1 2AB', 'bf12ab', 'bf1  2ab', 'BF1 2']) assert.deepEqual(listed(await search(marsh, q)), ['Dennis Carver'], q);
    assert.deepEqual(listed(await search(marsh, 'bf1')), ['100% Sure_Thing', 'Dennis Carver']);
  });

  test('a search stays within what the user may see: a coordinator their neighbourhood, a manager their programme', async () => {
    assert.deepEqual(listed(await search(marsh, 'Dennis')), ['Dennis Carver']);
    assert.deepEqual(listed(await search(manager, 'Dennis')), ['Dennis Carver', 'Dennis Hollins']);
    assert.deepEqual(listed(await search(manager, 'BF1 2AB')), ['Dennis Carver'], 'not the Eastmoor person with the same postcode');
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    assert.deepEqual(listed(await search(hollins, 'dennis')), ['Dennis Hollins']);
  });

  test('a search works within the chosen filters, which it carries along', async () => {
    const filtered = await manager.get(`/people?area=${ids.hollinsPark}`);
    assert.match(filtered.body, new RegExp(`<input type="hidden" name="area" value="${ids.hollinsPark}">`));
    const response = await manager.post('/people/search', { q: 'dennis', area: ids.hollinsPark });
    assert.deepEqual(listed(response), ['Dennis Hollins']);
    assert.deepEqual(listed(await manager.post('/people/search', { q: 'dennis', status: 'walking_alongside' })), ['Dennis Carver']);
    const bad = await manager.post('/people/search', { q: 'dennis', status: 'nonsense' });
    assert.equal(bad.statusCode, 400);
  });

  test('pattern characters are taken literally', async () => {
    assert.deepEqual(listed(await search(marsh, '%')), ['100% Sure_Thing']);
    assert.deepEqual(listed(await search(marsh, '_')), ['100% Sure_Thing']);
    assert.deepEqual(listed(await search(marsh, '0%_')), []);
    assert.deepEqual(listed(await search(marsh, '% s')), ['100% Sure_Thing']);
    assert.deepEqual(listed(await search(marsh, '\\')), []);
  });

  test('SQL injection and naughty strings in the search box: never a server error, never an extra row', async () => {
    const visible = PEOPLE.filter((p) => p.area === 'marsh');
    const strings = [
      "' OR '1'='1",
      "' OR 1=1 --",
      "'; DROP TABLE people; --",
      '" OR ""="',
      "Robert'); DROP TABLE students;--",
      "' UNION SELECT id, name, status, postcode, created_at, name FROM people --",
      '1; SELECT pg_sleep(2)',
      "den' || '",
      'den%',
      '%den%',
      '\\%',
      '%%',
      '*',
      '.*',
      '[a-z]',
      '$1',
      '?',
      '<script>alert(1)</script>',
      '{{7*7}}',
      '${7*7}',
      '../../etc/passwd',
      'null',
      'undefined',
      'NaN',
      '\u202eDennis',
      'ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ',
      'Ω≈ç√∫˜µ≤≥÷',
      '🙂',
      'Den\tnis',
      'Den\nnis',
      'x'.repeat(100),
    ];
    for (const q of strings) {
      const response = await search(marsh, q);
      assert.equal(response.statusCode, 200, `${JSON.stringify(q)}: ${response.statusCode}`);
      const trimmed = q.trim().toLowerCase();
      const compact = q.replace(/\s+/g, '').toUpperCase();
      const expected = visible
        .filter(
          (p) =>
            p.name.toLowerCase().includes(trimmed) ||
            (p.preferredName ?? '').toLowerCase().includes(trimmed) ||
            (p.postcode ?? '').replace(/ /g, '').includes(compact),
        )
        .map((p) => p.name)
        .sort();
      assert.deepEqual(listed(response), expected, JSON.stringify(q));
    }
    for (const q of ['', '   ', 'x'.repeat(101)]) {
      const response = await search(marsh, q);
      assert.equal(response.statusCode, 400, JSON.stringify(q));
      assert.match(response.body, /href="#q">(Enter a name or postcode to search for|Search for 100 characters or fewer)/);
    }
    // A NUL cannot be stored or searched for: the form is refused before it is read.
    assert.equal((await search(marsh, 'a\u0000b')).statusCode, 400);
    assert.equal(Number((await t.db.selectFrom('people').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), PEOPLE.length);
  });

  test('a search is audited without the words searched for; aggregate-only roles are refused', async () => {
    await search(marsh, 'Okonjo');
    const row = await lastAudit();
    assert.deepEqual(row, { action: 'caseload.search', outcome: 'allowed', detail: { people: 1 } });
    assert.doesNotMatch(JSON.stringify(row), /Okonjo/);
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.post('/people/search', { q: 'Dennis' })).statusCode, 403);
  });
});

describe('people I walk alongside: where each one is up to', () => {
  // Runs last: it adds someone to Marsh End, whom the lists above do not expect.
  test('last contact, next review, open steps and thinking natural, from the journal and the agreement', async () => {
    const marshId = await ids.user('coordinator.marsh@brookfield.example');
    const today = Date.parse(`${ukToday(t.clock.now())}T12:00:00Z`);
    const day = (offset: number) => formatDate(new Date(today + offset * 24 * 60 * 60 * 1000).toISOString().slice(0, 10));
    await writeJourney(
      t.db,
      ids.brookfield,
      {
        name: 'Zara Upto',
        postcode: 'BF1 9UP',
        areaId: ids.marshEnd,
        coordinatorId: marshId,
        introduction: { daysAgo: 60, by: 'self', words: 'To get out more' },
        events: [
          { daysAgo: 50, kind: 'agreement', workingOn: 'x', whoDoesWhat: 'y', keepingInTouch: 'z', reviewInDays: 60 },
          { daysAgo: 50, kind: 'step', question: 'gifts', what: 'Bake', owner: 'Zara' },
          { daysAgo: 50, kind: 'step', question: 'community', what: 'Choir', owner: 'Zara' },
          { daysAgo: 50, kind: 'step', question: 'community', what: 'Allotment', owner: 'Zara' },
          { daysAgo: 50, kind: 'step', question: 'services', what: 'Benefits check', owner: 'Advice centre' },
          { daysAgo: 20, kind: 'step-status', what: 'Choir', status: 'done' },
          { daysAgo: 9, kind: 'journal', how: 'phone', entry: 'conversation', notes: 'Caught up' },
          { daysAgo: 3, kind: 'journal', how: 'in_person', entry: 'practical_action', notes: 'Went to the choir together' },
        ],
      },
      t.clock.now(),
      marshId,
    );
    const page = await marsh.get('/people');
    const row = /Zara Upto<\/a>[\s\S]*?<\/tr>/.exec(page.body)?.[0] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    // Status, last contact (the latest entry, 3 days ago), next review, open steps (3 of 4), thinking natural (3 of 4).
    assert.deepEqual(cells, ['Introduced', `${day(-3)} 3 days ago`, day(10), '3', '75% natural']);
  });
});
