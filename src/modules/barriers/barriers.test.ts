import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { disclosedCount } from '../../core/disclosure.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const LEADERSHIP = 'leadership@brookfield.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let leadership: Client;
let recorder: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, MANAGER);
  leadership = await signedInClient(t.app, LEADERSHIP);
  recorder = await ids.user(MARSH);
});
after(async () => {
  await t.close();
});

/** A complete, valid barrier form; fields can be replaced. */
function barrierFields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    summary: 'Housing applications refused without photo ID',
    whatHappened: 'People without a passport or driving licence were turned away at the housing office.',
    services: ['housing', 'dwp'],
    otherServices: '',
    response: '',
    ...overrides,
  };
}

async function addBarrier(client: Client, overrides: Record<string, string | string[]> = {}): Promise<string> {
  const form = await client.get('/barriers/new');
  const formToken = hiddenField(form.body, 'formToken') ?? '';
  const response = await client.post('/barriers', { formToken, ...barrierFields(overrides) });
  assert.equal(response.statusCode, 303, response.body);
  const row = await t.db.selectFrom('system_barriers').select('id').where('form_token', '=', formToken).executeTakeFirstOrThrow();
  return row.id;
}

async function linked(barrierId: string): Promise<string[]> {
  const rows = await t.db.selectFrom('system_barrier_people').select('person_id').where('barrier_id', '=', barrierId).execute();
  return rows.map((r) => r.person_id).sort();
}

describe('disclosure control', () => {
  test('counts of 1 to 7 are "fewer than 8", others are rounded to the nearest 5, and zero is zero', () => {
    assert.deepEqual(
      [0, 1, 7, 8, 9, 12, 13, 17, 18, 100, 102].map(disclosedCount),
      ['0', 'fewer than 8', 'fewer than 8', '10', '10', '10', '15', '15', '20', '100', '100'],
    );
    assert.throws(() => disclosedCount(-1), RangeError);
    assert.throws(() => disclosedCount(1.5), RangeError);
  });
});

describe('the system-barrier log', () => {
  test('a barrier is recorded once, raised, with its first status kept; bad input changes nothing', async () => {
    const form = await marsh.get('/barriers/new');
    const formToken = hiddenField(form.body, 'formToken') ?? '';
    const mark = await auditMark(t.db);
    const first = await marsh.post('/barriers', { formToken, ...barrierFields() });
    const second = await marsh.post('/barriers', { formToken, ...barrierFields() });
    assert.equal(first.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);
    const rows = await t.db.selectFrom('system_barriers').select(['id', 'status', 'services']).where('form_token', '=', formToken).execute();
    assert.equal(rows.length, 1);
    const barrierId = rows[0]?.id ?? '';
    assert.deepEqual(rows[0], { id: barrierId, status: 'raised', services: ['housing', 'dwp'] });
    assert.equal(first.headers.location, `/barriers/${barrierId}?recorded=1`);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [
        ['barrier.create', 'allowed', { barrierId }],
        ['barrier.create', 'allowed', {}],
      ],
    );
    const history = await t.db.selectFrom('system_barrier_status_changes').select(['from_status', 'to_status']).where('barrier_id', '=', barrierId).execute();
    assert.deepEqual(history, [{ from_status: null, to_status: 'raised' }]);

    const before = (await t.db.selectFrom('system_barriers').select('id').execute()).length;
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ summary: '' }, 'summary', 'Enter the barrier in a line'],
      [{ whatHappened: 'x'.repeat(5001) }, 'whatHappened', 'What happened must be 5000 characters or fewer'],
      [{ services: [] }, 'services', 'Select the services involved, or name them under other services'],
      [{ services: ['housing', 'the moon'] }, 'services', 'Select services from the list'],
      [
        { 'raisedWithLeadershipOn-day': '9', 'raisedWithLeadershipOn-month': '11', 'raisedWithLeadershipOn-year': '2026' },
        'raisedWithLeadershipOn-day',
        'The date it was raised with the Leadership Group must be today or in the past',
      ],
    ];
    for (const [overrides, target, message] of cases) {
      const response = await marsh.post('/barriers', { formToken: randomUUID(), ...barrierFields(overrides) });
      assert.equal(response.statusCode, 400, JSON.stringify(overrides));
      assert.match(response.body, new RegExp(`<a href="#${target}">${message}</a>`), JSON.stringify(overrides));
    }
    const otherOnly = await marsh.post('/barriers', { formToken: randomUUID(), ...barrierFields({ services: [], otherServices: 'The energy supplier' }) });
    assert.equal(otherOnly.statusCode, 303, 'another service named is enough');
    assert.equal((await t.db.selectFrom('system_barriers').select('id').execute()).length, before + 1);
  });

  test('the people affected are linked through their records: found by a search, linked once, removed, each audited on their record', async () => {
    const barrierId = await addBarrier(marsh, { summary: 'Benefit assessments missing needs' });
    const mine = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Lena Linked', recorder);
    const theirs = await addPerson(t.db, ids.brookfield, ids.hollinsPark, 'Harry Hollins', recorder);
    const mark = await auditMark(t.db);
    const found = await marsh.post(`/barriers/${barrierId}/people/find`, { q: 'l' });
    assert.equal(found.statusCode, 200);
    assert.match(found.body, new RegExp(`value="${mine}"`));
    assert.doesNotMatch(found.body, /Harry Hollins/, 'only people the coordinator may see are found');
    const empty = await marsh.post(`/barriers/${barrierId}/people/find`, { q: ' ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<a href="#q">Enter a name or postcode to search for<\/a>/);
    assert.equal((await marsh.post(`/barriers/${barrierId}/people`, { person: mine })).headers.location, `/barriers/${barrierId}?linked=1#people`);
    assert.equal((await marsh.post(`/barriers/${barrierId}/people`, { person: mine })).statusCode, 303);
    assert.equal((await marsh.post(`/barriers/${barrierId}/people`, { person: theirs })).statusCode, 404);
    assert.deepEqual(await linked(barrierId), [mine]);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_type, r.record_id, r.detail]),
      [
        ['barrier.find', 'allowed', null, null, { barrierId, found: 1 }],
        ['barrier.find', 'failed', null, null, { barrierId, reason: 'form had problems', fields: ['q'] }],
        ['barrier.link', 'allowed', 'person', mine, { barrierId }],
        ['barrier.link', 'allowed', 'person', mine, { barrierId }],
        ['barrier.link', 'denied', 'person', theirs, {}],
      ],
    );
    assert.ok((await auditSince(t.db, mark)).every((r) => !JSON.stringify(r.detail).includes('Lena')), 'never the words searched for');
    // The manager links someone from Hollins Park: the Marsh End coordinator sees that someone was affected, not who.
    assert.equal((await manager.post(`/barriers/${barrierId}/people`, { person: theirs })).statusCode, 303);
    const page = await marsh.get(`/barriers/${barrierId}`);
    assert.match(page.body, /Lena Linked/);
    assert.doesNotMatch(page.body, /Harry Hollins/);
    assert.match(page.body, /Someone walked alongside in Hollins Park/);
    assert.match((await manager.get(`/barriers/${barrierId}`)).body, /Harry Hollins/);
    const removeMark = await auditMark(t.db);
    assert.equal((await marsh.post(`/barriers/${barrierId}/people/remove`, { person: mine })).headers.location, `/barriers/${barrierId}?unlinked=1#people`);
    assert.deepEqual(await linked(barrierId), [theirs]);
    assert.deepEqual(
      (await auditSince(t.db, removeMark)).map((r) => [r.action, r.outcome, r.record_id]),
      [['barrier.unlink', 'allowed', mine]],
    );
    // Nobody named, or no such barrier: nothing changes, and the attempt is still audited once.
    assert.equal((await marsh.post(`/barriers/${barrierId}/people`, {})).statusCode, 400);
    assert.equal((await marsh.post(`/barriers/${randomUUID()}/people`, { person: mine })).statusCode, 404);
  });

  test('a change of status is kept in the history with what changed; a stale save is refused with both versions', async () => {
    const barrierId = await addBarrier(marsh, { summary: 'GP registration needs an address' });
    const change = {
      version: '1',
      ...barrierFields({ summary: 'GP registration needs an address', 'raisedWithLeadershipOn-day': '1', 'raisedWithLeadershipOn-month': '11', 'raisedWithLeadershipOn-year': '2026' }),
      status: 'being_worked_on',
      statusNote: 'The practice manager is looking at it',
    };
    assert.equal((await manager.post(`/barriers/${barrierId}/change`, change)).headers.location, `/barriers/${barrierId}?saved=1`);
    const stale = await marsh.post(`/barriers/${barrierId}/change`, { ...change, status: 'closed_without_change', statusNote: '' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /Being worked on/);
    assert.match(stale.body, /Closed without change/);
    // Saving again without changing the status adds nothing to its history.
    assert.equal((await marsh.post(`/barriers/${barrierId}/change`, { ...change, version: '2', response: 'Raised at the October meeting' })).statusCode, 303);
    const changed = { ...change, version: '3', response: 'Raised at the October meeting', status: 'changed', statusNote: '' };
    assert.equal((await marsh.post(`/barriers/${barrierId}/change`, changed)).statusCode, 303);
    const history = await t.db
      .selectFrom('system_barrier_status_changes')
      .select(['from_status', 'to_status', 'note'])
      .where('barrier_id', '=', barrierId)
      .orderBy('seq')
      .execute();
    assert.deepEqual(history, [
      { from_status: null, to_status: 'raised', note: null },
      { from_status: 'raised', to_status: 'being_worked_on', note: 'The practice manager is looking at it' },
      { from_status: 'being_worked_on', to_status: 'changed', note: null },
    ]);
    const page = await marsh.get(`/barriers/${barrierId}`);
    assert.match(page.body, /Being worked on to changed/);
    assert.match(page.body, /Raised at the October meeting/);
    const invalid = await marsh.post(`/barriers/${barrierId}/change`, { ...change, version: '4', status: 'forgotten' });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /<a href="#status">Select where the barrier is up to<\/a>/);
  });

  test('the Leadership Group sees every barrier with a disclosed count of people, never who or a way to them', async () => {
    const few = await addBarrier(marsh, { summary: 'Few affected' });
    const many = await addBarrier(marsh, { summary: 'Many affected' });
    const people: string[] = [];
    for (let i = 0; i < 9; i += 1) people.push(await addPerson(t.db, ids.brookfield, ids.marshEnd, `Affected Person ${i}`, recorder));
    await marsh.post(`/barriers/${few}/people`, { person: people[0] ?? '' });
    for (const personId of people) await marsh.post(`/barriers/${many}/people`, { person: personId });
    const mark = await auditMark(t.db);
    const page = await leadership.get('/barriers');
    assert.equal(page.statusCode, 200);
    const card = (summary: string) => page.body.slice(page.body.indexOf(summary), page.body.indexOf('</dl>', page.body.indexOf(summary)));
    assert.match(card('Few affected'), /People affected\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*fewer than 8\s*</);
    assert.match(card('Many affected'), /People affected\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*10\s*</);
    assert.doesNotMatch(page.body, /Affected Person/);
    assert.doesNotMatch(page.body, /\/people\//);
    assert.doesNotMatch(page.body, /href="\/barriers\/[0-9a-f-]{36}/);
    for (const id of [few, many, ...people]) assert.ok(!page.body.includes(id), 'no id of a barrier or a person');
    assert.match(page.body, /href="\/barriers" aria-current="true"|aria-current="true"[^>]*href="\/barriers"/, 'System barriers is in their menu');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail.view]),
      [['barriers.list', 'allowed', 'counts only']],
    );
    for (const path of [`/barriers/${many}`, `/barriers/${many}/change`, '/barriers/new']) {
      assert.equal((await leadership.get(path)).statusCode, 403, path);
    }
    assert.equal((await leadership.post(`/barriers/${many}/people`, { person: people[1] ?? '' })).statusCode, 403);
    // Those who record barriers see the exact count.
    const log = await marsh.get('/barriers');
    assert.match(log.body, /Many affected<\/a>[\s\S]*?<td class="govuk-table__cell govuk-table__cell--numeric">\s*9\s*<\/td>/);
    const evaluator = await signedInClient(t.app, 'evaluator@brookfield.example');
    assert.equal((await evaluator.get('/barriers')).statusCode, 403);
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    assert.doesNotMatch((await eastmoor.get('/barriers')).body, /Many affected/);
    assert.equal((await eastmoor.get(`/barriers/${many}`)).statusCode, 404);
  });
});
