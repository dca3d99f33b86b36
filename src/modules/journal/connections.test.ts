import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const OTHER_MANAGER = 'manager@eastmoor.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let recorder: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, MANAGER);
  recorder = await ids.user(MARSH);
});
after(async () => {
  await t.close();
});

/** Names unique to each test, so a search finds only that test's people. */
const marshPerson = (name: string) => addPerson(t.db, ids.brookfield, ids.marshEnd, name, recorder);
const hollinsPerson = (name: string) => addPerson(t.db, ids.brookfield, ids.hollinsPark, name, recorder);
const connectionsOf = (personId: string) => `/people/${personId}/connections`;

const agreement = (overrides: Record<string, string | string[]> = {}) => ({
  why: 'Both bringing up a child who is transitioning; they would like someone to talk to.',
  agreed: ['person', 'other'],
  'agreedOn-day': '30',
  'agreedOn-month': '10',
  'agreedOn-year': '2026',
  ...overrides,
});

/** Searches as a coordinator would, from the connections page; returns the page of people found. */
async function search(client: Client, personId: string, q: string) {
  const start = await client.get(`${connectionsOf(personId)}/new`);
  assert.equal(start.statusCode, 200, start.body);
  return client.post(`${connectionsOf(personId)}/find`, { q });
}

/** Searches, chooses `otherId` and records the connection; returns the response and the form's token. */
async function connect(client: Client, personId: string, q: string, otherId: string, overrides: Record<string, string | string[]> = {}) {
  const found = await search(client, personId, q);
  assert.equal(found.statusCode, 200, found.body);
  const formToken = hiddenField(found.body, 'formToken') ?? '';
  const response = await client.post(connectionsOf(personId), { formToken, q, otherPersonId: otherId, ...agreement(overrides) });
  return { response, formToken };
}

async function connectionsBetween(a: string, b: string) {
  return t.db
    .selectFrom('person_connections')
    .select(['id', 'first_person_id', 'second_person_id', 'why', 'agreed_on', 'ended_on', 'ended_by'])
    .where((eb) =>
      eb.or([
        eb.and([eb('first_person_id', '=', a), eb('second_person_id', '=', b)]),
        eb.and([eb('first_person_id', '=', b), eb('second_person_id', '=', a)]),
      ]),
    )
    .execute();
}

describe('connections between people we walk alongside', () => {
  test('a search by name finds only people the user may see, never the person themselves, and is audited without the words', async () => {
    const rose = await marshPerson('Rose Whitfield');
    const ruth = await marshPerson('Ruth Whitfield');
    const rita = await hollinsPerson('Rita Whitfield');
    const mark = await auditMark(t.db);
    const found = await search(marsh, rose, 'whitfield');
    assert.equal(found.statusCode, 200);
    assert.match(found.body, new RegExp(`name="otherPersonId" type="radio" value="${ruth}"`));
    assert.doesNotMatch(found.body, new RegExp(`value="${rita}"`), 'Hollins Park is not the Marsh End coordinator’s');
    assert.doesNotMatch(found.body, new RegExp(`value="${rose}"`), 'not the person themselves');
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [
        ['connections.read', 'allowed', rose, {}],
        ['connection.find', 'allowed', rose, { found: 1 }],
      ],
    );
    const byManager = await search(manager, rose, 'Whitfield');
    assert.match(byManager.body, new RegExp(`value="${ruth}"`));
    assert.match(byManager.body, new RegExp(`value="${rita}"`), 'a manager sees the whole programme');

    const blank = await marsh.post(`${connectionsOf(rose)}/find`, { q: '  ' });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /href="#q">Enter a name to search for/);
    const nobody = await marsh.post(`${connectionsOf(rose)}/find`, { q: 'Nobody By This Name' });
    assert.match(nobody.body, /Nobody found/);
  });

  test('a connection is recorded with both agreements, audited on both records, and shown on both timelines', async () => {
    const ann = await marshPerson('Ann Oakley');
    const bea = await marshPerson('Bea Oakley');
    const mark = await auditMark(t.db);
    const { response } = await connect(marsh, ann, 'Oakley', bea);
    assert.equal(response.statusCode, 303, response.body);
    assert.equal(response.headers.location, `${connectionsOf(ann)}?connected=1`);
    const [row, ...more] = await connectionsBetween(ann, bea);
    assert.deepEqual(more, []);
    assert.ok(row !== undefined);
    assert.ok(row.first_person_id < row.second_person_id, 'the pair is stored in one order');
    assert.equal(row.agreed_on, '2026-10-30');
    const audit = (await auditSince(t.db, mark)).filter((r) => r.action === 'connection.create');
    // The other person's row is written with the change; the access row of the record it came from, after the work.
    assert.deepEqual(
      audit.map((r) => [r.outcome, r.record_id, r.detail]),
      [
        ['allowed', bea, { connectionId: row.id, otherPersonId: ann }],
        ['allowed', ann, { connectionId: row.id, otherPersonId: bea }],
      ],
    );

    const page = await marsh.get(`${connectionsOf(ann)}?connected=1`);
    assert.match(page.body, /Connection recorded/);
    assert.match(page.body, new RegExp(`<a class="govuk-link" href="/people/${bea}">Bea Oakley</a>`));
    assert.match(page.body, /Both bringing up a child who is transitioning/);
    assert.match(page.body, new RegExp(`href="${connectionsOf(ann)}/end\\?connection=${row.id}"`));
    for (const [personId, other] of [
      [ann, 'Bea Oakley'],
      [bea, 'Ann Oakley'],
    ] as const) {
      const timeline = await marsh.get(`/people/${personId}/timeline?kind=connection`);
      assert.match(timeline.body, new RegExp(`<h3 class="govuk-heading-s govuk-!-margin-bottom-1">Connected with ${other}</h3>`));
      assert.match(timeline.body, /Both agreed to be connected/);
    }
    // Already connected: not offered again.
    const again = await search(marsh, ann, 'Oakley');
    assert.doesNotMatch(again.body, new RegExp(`value="${bea}"`));
  });

  test('without both agreements, a reason and a date, nothing is recorded and the form says why', async () => {
    const cat = await marshPerson('Cat Pemberton');
    const dan = await marshPerson('Dan Pemberton');
    const mark = await auditMark(t.db);
    const { response } = await connect(marsh, cat, 'Pemberton', dan, {
      agreed: 'person',
      why: '',
      'agreedOn-day': '3',
      'agreedOn-month': '11',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#why">Enter why they are being connected, in a few words/);
    assert.match(response.body, /href="#agreed">Confirm that both people agreed to be connected/);
    assert.match(response.body, /href="#agreedOn-day">The date they agreed must be today or in the past/);
    assert.match(response.body, new RegExp(`value="${dan}" checked`), 'the choice is kept');
    assert.match(response.body, /value="person" checked/);
    assert.deepEqual(await connectionsBetween(cat, dan), []);
    const audit = (await auditSince(t.db, mark)).filter((r) => r.action === 'connection.create');
    assert.deepEqual(
      audit.map((r) => [r.outcome, r.record_id, r.detail]),
      [['failed', cat, { reason: 'form had problems', fields: ['why', 'agreed', 'agreedOn'] }]],
    );
  });

  test('the same form sent twice, or at once, records one connection; a second connection of the pair is refused', async () => {
    const eve = await marshPerson('Eve Quartermain');
    const fay = await marshPerson('Fay Quartermain');
    const { response, formToken } = await connect(marsh, eve, 'Quartermain', fay);
    assert.equal(response.statusCode, 303);
    const fields = { formToken, q: 'Quartermain', otherPersonId: fay, ...agreement() };
    const raced = await Promise.all([1, 2].map(() => marsh.post(connectionsOf(eve), fields)));
    assert.deepEqual(raced.map((r) => r.statusCode), [303, 303]);
    assert.equal((await connectionsBetween(eve, fay)).length, 1);
    // A new form for the same pair, started from the other person.
    const found = await manager.post(`${connectionsOf(fay)}/find`, { q: 'Quartermain' });
    assert.doesNotMatch(found.body, new RegExp(`value="${eve}"`));
    const forced = await manager.post(connectionsOf(fay), { formToken: randomUUID(), q: 'Quartermain', otherPersonId: eve, ...agreement() });
    assert.equal(forced.statusCode, 400);
    assert.match(forced.body, /Fay Quartermain and Eve Quartermain are already connected/);
    assert.equal((await connectionsBetween(eve, fay)).length, 1);
  });

  test('two people connecting the same pair from either side at once: one connection, no deadlock', async () => {
    const gil = await marshPerson('Gil Ravenscroft');
    const hal = await marshPerson('Hal Ravenscroft');
    const fromGil = await search(marsh, gil, 'Ravenscroft');
    const fromHal = await search(manager, hal, 'Ravenscroft');
    const [a, b] = await Promise.all([
      marsh.post(connectionsOf(gil), { formToken: hiddenField(fromGil.body, 'formToken') ?? '', q: 'Ravenscroft', otherPersonId: hal, ...agreement() }),
      manager.post(connectionsOf(hal), { formToken: hiddenField(fromHal.body, 'formToken') ?? '', q: 'Ravenscroft', otherPersonId: gil, ...agreement() }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [303, 400]);
    assert.equal((await connectionsBetween(gil, hal)).length, 1);
  });

  test('someone the user may not see cannot be connected: not found, refused in the audit, nothing recorded', async () => {
    const ivy = await marshPerson('Ivy Sutherland');
    const jon = await hollinsPerson('Jon Sutherland');
    const elsewhere = await addPerson(t.db, ids.eastmoor, ids.eastmoorMarshEnd, 'Kit Sutherland', recorder);
    for (const other of [jon, elsewhere, ivy, randomUUID()]) {
      const mark = await auditMark(t.db);
      const response = await marsh.post(connectionsOf(ivy), { formToken: randomUUID(), q: 'Sutherland', otherPersonId: other, ...agreement() });
      assert.equal(response.statusCode, 404, other);
      assert.doesNotMatch(response.body, /Sutherland/);
      const audit = await auditSince(t.db, mark);
      assert.deepEqual(
        audit.map((r) => [r.action, r.outcome, r.record_id, r.detail]),
        [['connection.create', 'denied', ivy, { reason: 'not someone this user may connect them with', otherPersonId: other }]],
      );
    }
    const rows = await t.db.selectFrom('person_connections').select('id').where('first_person_id', 'in', [ivy, jon, elsewhere]).execute();
    assert.deepEqual(rows, []);
  });

  test('a connection ends with a date, stays as history on both records, and ending it twice changes nothing', async () => {
    const lou = await marshPerson('Lou Tennant');
    const max = await hollinsPerson('Max Tennant');
    assert.equal((await connect(manager, lou, 'Tennant', max)).response.statusCode, 303);
    const [row] = await connectionsBetween(lou, max);
    assert.ok(row !== undefined);

    // The Marsh End coordinator may end it from Lou's record, though Max lives in Hollins Park.
    const endPage = await marsh.get(`${connectionsOf(lou)}/end?connection=${row.id}`);
    assert.equal(endPage.statusCode, 200, endPage.body);
    assert.match(endPage.body, /End the connection with Max Tennant/);
    const tooEarly = await marsh.post(`${connectionsOf(lou)}/end`, { connectionId: row.id, 'endedOn-day': '29', 'endedOn-month': '10', 'endedOn-year': '2026' });
    assert.equal(tooEarly.statusCode, 400);
    assert.match(tooEarly.body, /href="#endedOn-day">The date the connection ended must be on or after the date they agreed to it/);

    const mark = await auditMark(t.db);
    const ended = await marsh.post(`${connectionsOf(lou)}/end`, { connectionId: row.id, 'endedOn-day': '1', 'endedOn-month': '11', 'endedOn-year': '2026' });
    assert.equal(ended.statusCode, 303);
    assert.equal(ended.headers.location, `${connectionsOf(lou)}?ended=1`);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [
        ['connection.end', 'allowed', max, { connectionId: row.id, otherPersonId: lou }],
        ['connection.end', 'allowed', lou, { connectionId: row.id, otherPersonId: max }],
      ],
    );
    const [after] = await connectionsBetween(lou, max);
    assert.deepEqual([after?.ended_on, after?.ended_by], ['2026-11-01', recorder]);

    const twice = await auditMark(t.db);
    const again = await marsh.post(`${connectionsOf(lou)}/end`, { connectionId: row.id, 'endedOn-day': '2', 'endedOn-month': '11', 'endedOn-year': '2026' });
    assert.equal(again.statusCode, 303);
    assert.deepEqual((await auditSince(t.db, twice)).map((r) => [r.action, r.record_id]), [['connection.end', lou]]);
    assert.equal((await connectionsBetween(lou, max))[0]?.ended_on, '2026-11-01');

    const page = await marsh.get(connectionsOf(lou));
    assert.match(page.body, /Connections that have ended/);
    assert.match(page.body, /Max Tennant/);
    assert.doesNotMatch(page.body, new RegExp(`href="/people/${max}"`), 'no link to a record this coordinator may not open');
    for (const personId of [lou, max]) {
      const timeline = await manager.get(`/people/${personId}/timeline?kind=connection`);
      assert.match(timeline.body, /Connection with (Max|Lou) Tennant ended/);
      assert.match(timeline.body, /Connected with (Max|Lou) Tennant/);
    }
    // They can be connected again later, as a new connection.
    assert.equal((await connect(manager, max, 'Tennant', lou)).response.statusCode, 303);
    assert.equal((await connectionsBetween(lou, max)).length, 2);
  });

  test('a connection that is not the person’s, or none at all, is not found or chosen again', async () => {
    const ned = await marshPerson('Ned Upton');
    const ola = await marshPerson('Ola Upton');
    const pip = await marshPerson('Pip Upton');
    assert.equal((await connect(marsh, ola, 'Upton', pip)).response.statusCode, 303);
    const [theirs] = await connectionsBetween(ola, pip);
    assert.ok(theirs !== undefined);
    for (const connection of [theirs.id, randomUUID(), '<script>']) {
      const mark = await auditMark(t.db);
      const page = await marsh.get(`${connectionsOf(ned)}/end?connection=${encodeURIComponent(connection)}`);
      assert.equal(page.statusCode, 404);
      assert.deepEqual((await auditSince(t.db, mark)).map((r) => [r.action, r.outcome]), [['connections.read', 'denied']]);
      const post = await marsh.post(`${connectionsOf(ned)}/end`, { connectionId: connection, 'endedOn-day': '1', 'endedOn-month': '11', 'endedOn-year': '2026' });
      assert.equal(post.statusCode, connection === '<script>' ? 400 : 404);
    }
    assert.equal((await connectionsBetween(ola, pip))[0]?.ended_on, null);
    const chooser = await marsh.post(`${connectionsOf(ned)}/end`, {});
    assert.equal(chooser.statusCode, 400);
    assert.match(chooser.body, /href="#connections-open">Select the connection to end/);
  });

  test('other neighbourhoods’ coordinators and other programmes’ managers are refused', async () => {
    const quin = await marshPerson('Quin Vance');
    const hollins = await signedInClient(t.app, HOLLINS);
    const otherManager = await signedInClient(t.app, OTHER_MANAGER);
    for (const client of [hollins, otherManager]) {
      for (const path of [connectionsOf(quin), `${connectionsOf(quin)}/new`]) {
        const response = await client.get(path);
        assert.equal(response.statusCode, 404, path);
        assert.doesNotMatch(response.body, /Quin Vance/);
      }
      const find = await client.post(`${connectionsOf(quin)}/find`, { q: 'Vance' });
      assert.equal(find.statusCode, 404);
    }
  });

  test('names are escaped wherever they are shown', async () => {
    const ray = await marshPerson('Ray <b>Wild</b>');
    const sal = await marshPerson('Sal <i>Wild</i>');
    assert.equal((await connect(marsh, ray, 'Wild', sal, { why: 'Both <script>x</script> gardeners' })).response.statusCode, 303);
    const page = await marsh.get(connectionsOf(ray));
    assert.match(page.body, /Sal &lt;i&gt;Wild&lt;\/i&gt;<\/a>/);
    assert.match(page.body, /Both &lt;script&gt;x&lt;\/script&gt; gardeners/);
    assert.doesNotMatch(page.body, /<i>Wild|<script>x/);
    const timeline = await marsh.get(`/people/${sal}/timeline`);
    assert.match(timeline.body, /Connected with Ray &lt;b&gt;Wild&lt;\/b&gt;/);
  });
});
