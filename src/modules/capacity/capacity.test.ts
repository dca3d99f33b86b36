import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { addAsset } from '../../../test/community-work-fixtures.ts';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { parsePounds, poundsText, sumPounds } from '../../core/money.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let hollins: Client;
let manager: Client;
let recorder: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  hollins = await signedInClient(t.app, HOLLINS);
  manager = await signedInClient(t.app, MANAGER);
  recorder = await ids.user(MARSH);
});
after(async () => {
  await t.close();
});

const LEDGER = '/community/capacity';

/** A complete, valid initiative form; fields can be replaced. */
function initiativeFields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Tannery Row neighbours',
    description: 'Neighbours pairing up on their street',
    areaId: ids.marshEnd,
    howHelped: 'started',
    'startedOn-day': '1',
    'startedOn-month': '9',
    'startedOn-year': '2026',
    peopleInvolved: '14',
    ...overrides,
  };
}

async function addInitiative(client: Client, overrides: Record<string, string | string[]> = {}): Promise<string> {
  const form = await client.get(`${LEDGER}/new`);
  assert.equal(form.statusCode, 200);
  const formToken = hiddenField(form.body, 'formToken') ?? '';
  const response = await client.post(LEDGER, { formToken, ...initiativeFields(overrides) });
  assert.equal(response.statusCode, 303, response.body);
  const row = await t.db.selectFrom('capacity_initiatives').select('id').where('form_token', '=', formToken).executeTakeFirstOrThrow();
  assert.equal(response.headers.location, `${LEDGER}/${row.id}?recorded=1`);
  return row.id;
}

function funding(amount: string, overrides: Record<string, string> = {}) {
  return { formToken: randomUUID(), amount, funder: 'Brookfield community chest', 'foundOn-day': '15', 'foundOn-month': '10', 'foundOn-year': '2026', ...overrides };
}

/** The rows of the table with this caption, as cell texts. */
function table(html: string, caption: string): string[][] {
  const start = html.indexOf(caption);
  assert.ok(start >= 0, `a table captioned ${caption}`);
  const body = html.slice(start, html.indexOf('</table>', start));
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((row) => [...(row[1] ?? '').matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => (cell[1] ?? '').replace(/<[^>]+>/g, '').trim()));
}

describe('money, exactly', () => {
  test('amounts are read as people type them, added without floating point and shown with pence', () => {
    assert.equal(parsePounds('£1,250.50'), '1250.50');
    assert.equal(parsePounds(' 250 '), '250.00');
    assert.equal(parsePounds('0.1'), '0.10');
    for (const bad of ['', 'abc', '1,25', '12.345', '-5', '1e3', '£', '1 000']) assert.equal(parsePounds(bad), undefined, bad);
    assert.equal(sumPounds(['0.10', '0.20']).toFixed(2), '0.30');
    assert.equal(sumPounds([]).toFixed(2), '0.00');
    assert.equal(poundsText('1234567.5'), '£1,234,567.50');
    assert.equal(poundsText(sumPounds(['9999999999.99', '0.01'])), '£10,000,000,000.00');
  });
});

describe('the community capacity ledger', () => {
  test('an initiative is recorded in the coordinator’s neighbourhood with its assets, once, and audited', async () => {
    const hall = await addAsset(t.db, { programmeId: ids.brookfield, areaId: ids.marshEnd, by: recorder, name: 'St Luke’s hall' });
    const closed = await addAsset(t.db, { programmeId: ids.brookfield, areaId: ids.marshEnd, by: recorder, name: 'Old library', closedOn: '2026-01-01' });
    const form = await marsh.get(`${LEDGER}/new`);
    assert.match(form.body, /St Luke’s hall/);
    assert.doesNotMatch(form.body, /Old library/);
    const formToken = hiddenField(form.body, 'formToken') ?? '';
    const mark = await auditMark(t.db);
    const first = await marsh.post(LEDGER, { formToken, ...initiativeFields({ assetIds: hall }) });
    const second = await marsh.post(LEDGER, { formToken, ...initiativeFields({ assetIds: hall }) });
    assert.equal(first.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);
    const rows = await t.db.selectFrom('capacity_initiatives').select(['id', 'people_involved', 'how_helped']).where('form_token', '=', formToken).execute();
    assert.equal(rows.length, 1);
    const initiativeId = rows[0]?.id ?? '';
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [
        ['initiative.create', 'allowed', { initiativeId, areaId: ids.marshEnd }],
        ['initiative.create', 'allowed', {}],
      ],
    );
    const page = await marsh.get(`${LEDGER}/${initiativeId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Tannery Row neighbours/);
    assert.match(page.body, /<li>St Luke’s hall<\/li>/);
    assert.match(page.body, /Helped start it/);

    // Not the coordinator's neighbourhood, a closed asset, a bad number: explained, nothing written.
    for (const [overrides, target, message] of [
      [{ areaId: ids.hollinsPark }, 'areaId', 'Select one of the neighbourhoods listed'],
      [{ assetIds: closed }, 'assetIds', 'Select community assets from the list'],
      [{ assetIds: 'nope' }, 'assetIds', 'Select community assets from the list'],
      [{ peopleInvolved: '12.5' }, 'peopleInvolved', 'Enter how many people are involved as a whole number, like 12'],
      [{ peopleInvolved: '' }, 'peopleInvolved', 'Enter how many people are involved, like 12'],
      [{ name: '' }, 'name', 'Enter the name of the group or initiative'],
      [{ howHelped: 'ran it' }, 'howHelped', 'Select how the coordinator helped'],
      [{ 'startedOn-day': '3', 'startedOn-month': '11' }, 'startedOn-day', 'The date it started must be today or in the past'],
      [{ 'endedOn-day': '1', 'endedOn-month': '8', 'endedOn-year': '2026' }, 'endedOn-day', 'The date it ended must be on or after the date it started'],
    ] as const) {
      const response = await marsh.post(LEDGER, { formToken: randomUUID(), ...initiativeFields(overrides) });
      assert.equal(response.statusCode, 400, JSON.stringify(overrides));
      assert.match(response.body, new RegExp(`<a href="#${target}">${message}</a>`), JSON.stringify(overrides));
    }
    assert.equal((await t.db.selectFrom('capacity_initiatives').select('id').execute()).length, 1);
  });

  test('funding found is added in pounds and pence, summed exactly; bad amounts change nothing; a double submission adds once', async () => {
    const initiativeId = await addInitiative(marsh, { name: 'Seed swap' });
    const path = `${LEDGER}/${initiativeId}/funding`;
    const tenPence = funding('0.10');
    assert.equal((await marsh.post(path, tenPence)).headers.location, `${LEDGER}/${initiativeId}?funding=1#funding`);
    assert.equal((await marsh.post(path, tenPence)).statusCode, 303);
    assert.equal((await manager.post(path, funding('0.20', { funder: 'Brookfield Homes' }))).statusCode, 303);
    assert.equal((await marsh.post(path, funding('£1,250.50'))).statusCode, 303);
    for (const [amount, message] of [
      ['', 'Enter the amount in pounds, like 250 or 1,250.50'],
      ['lots', 'Enter the amount in pounds and pence, like 250 or 1,250.50'],
      ['12.345', 'Enter the amount in pounds and pence, like 250 or 1,250.50'],
      ['0', 'The amount must be more than £0'],
      ['10000000000', 'The amount must be less than £10,000,000,000'],
    ] as const) {
      const response = await marsh.post(path, funding(amount));
      assert.equal(response.statusCode, 400, amount);
      assert.match(response.body, new RegExp(`<a href="#amount">${message}</a>`), amount);
      assert.match(response.body, new RegExp(`name="amount" type="text" spellcheck="false" value="${amount}"`), 'the amount typed is kept');
    }
    const missingFunder = await marsh.post(path, funding('5', { funder: ' ' }));
    assert.match(missingFunder.body, /<a href="#funder">Enter who funded it<\/a>/);
    const rows = await t.db.selectFrom('capacity_funding').select(['amount', 'funder']).where('initiative_id', '=', initiativeId).orderBy('amount').execute();
    assert.deepEqual(rows, [
      { amount: '0.10', funder: 'Brookfield community chest' },
      { amount: '0.20', funder: 'Brookfield Homes' },
      { amount: '1250.50', funder: 'Brookfield community chest' },
    ]);
    const page = await marsh.get(`${LEDGER}/${initiativeId}`);
    assert.deepEqual(table(page.body, 'Funding found for Seed swap').at(-1), ['Total', '', '£1,250.80', '']);
  });

  test('a row of funding is corrected from its version, or removed with why: totals follow, the trail keeps what it said', async () => {
    const initiativeId = await addInitiative(marsh, { name: 'Pairs on Tannery Row' });
    const path = `${LEDGER}/${initiativeId}`;
    await marsh.post(`${path}/funding`, funding('100.10'));
    await marsh.post(`${path}/funding`, funding('250', { funder: 'Brookfield Homes' }));
    const rowId = async (amount: string) =>
      (await t.db.selectFrom('capacity_funding').select('id').where('initiative_id', '=', initiativeId).where('amount', '=', amount).executeTakeFirstOrThrow()).id;
    const first = await rowId('100.10');
    const second = await rowId('250.00');
    const page = await marsh.get(path);
    assert.match(page.body, new RegExp(`href="${path}/funding/change\\?row=${first}">Correct<span class="govuk-visually-hidden"> £100.10 from Brookfield community chest</span>`));
    // Hollins Park's coordinator reads the ledger but may not put Marsh End's right.
    assert.doesNotMatch((await hollins.get(path)).body, /funding\/change/);
    assert.equal((await hollins.get(`${path}/funding/change?row=${first}`)).statusCode, 403);

    const form = await marsh.get(`${path}/funding/change?row=${first}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="amount" type="text" spellcheck="false" value="100.10"/);
    const correction = { row: first, version: '1', amount: '1,000.10', funder: 'Brookfield community chest', 'foundOn-day': '15', 'foundOn-month': '10', 'foundOn-year': '2026' };
    const bad = await marsh.post(`${path}/funding/change`, { ...correction, amount: '1.001' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<a href="#amount">Enter the amount in pounds and pence, like 250 or 1,250.50<\/a>/);
    assert.match(bad.body, /name="amount" type="text" spellcheck="false" value="1.001"/);

    const mark = await auditMark(t.db);
    const saved = await marsh.post(`${path}/funding/change`, correction);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `${path}?corrected=1#funding`);
    // The same correction sent again changes nothing; one from the old version that says something else is refused.
    assert.equal((await marsh.post(`${path}/funding/change`, correction)).statusCode, 303);
    const stale = await manager.post(`${path}/funding/change`, { ...correction, amount: '99' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /name="amount" type="text" spellcheck="false" value="99"/);
    assert.match(stale.body, /name="version" value="2"/);
    const row = await t.db.selectFrom('capacity_funding').select(['amount', 'version', 'updated_by']).where('id', '=', first).executeTakeFirstOrThrow();
    assert.deepEqual(row, { amount: '1000.10', version: 2, updated_by: recorder });
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [
        ['initiative.funding.change', 'allowed', { initiativeId, fundingId: first, version: 2, before: { amount: '100.10', foundOn: '2026-10-15' }, after: { amount: '1000.10', foundOn: '2026-10-15' }, funderChanged: false }],
        ['initiative.funding.change', 'allowed', { initiativeId, fundingId: first }],
        ['initiative.funding.change', 'failed', { initiativeId, fundingId: first, reason: 'changed by someone else first' }],
      ],
    );
    assert.deepEqual(table((await marsh.get(path)).body, 'Funding found for Pairs on Tannery Row').at(-1), ['Total', '', '£1,250.10', '']);

    // Removed: out of the totals, kept on the page with why, and removing it twice is once.
    const noReason = await marsh.post(`${path}/funding/remove`, { row: second, version: '1', reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /<a href="#reason">Say why this funding is being removed<\/a>/);
    const removed = await marsh.post(`${path}/funding/remove`, { row: second, version: '1', reason: 'Recorded twice' });
    assert.equal(removed.headers.location, `${path}?removed=1#funding`);
    assert.equal((await marsh.post(`${path}/funding/remove`, { row: second, version: '1', reason: 'Recorded twice' })).headers.location, `${path}#funding`);
    const after = await marsh.get(path);
    assert.deepEqual(table(after.body, 'Funding found for Pairs on Tannery Row').at(-1), ['Total', '', '£1,000.10', '']);
    assert.match(after.body, /£250.00 from Brookfield Homes, found on 15 October 2026: removed by Amara Okafor on 2 November 2026. Recorded twice/);
    assert.ok((await t.db.selectFrom('capacity_funding').select('id').where('id', '=', second).executeTakeFirst()) !== undefined, 'kept, not deleted');
    const ledger = await marsh.get(LEDGER);
    assert.match(ledger.body, /£1,000.10/);
    // A removed row, or none named, cannot be corrected.
    assert.equal((await marsh.get(`${path}/funding/change?row=${second}`)).headers.location, `${path}#funding`);
    assert.equal((await marsh.post(`${path}/funding/change`, { ...correction, row: '' })).statusCode, 400);
  });

  test('what happened is kept as dated updates, newest first, each added once', async () => {
    const initiativeId = await addInitiative(marsh, { name: 'Street party' });
    const path = `${LEDGER}/${initiativeId}/updates`;
    const first = { formToken: randomUUID(), 'happenedOn-day': '10', 'happenedOn-month': '9', 'happenedOn-year': '2026', what: 'Twelve neighbours met' };
    assert.equal((await marsh.post(path, first)).headers.location, `${LEDGER}/${initiativeId}?happened=1#happened`);
    assert.equal((await marsh.post(path, first)).statusCode, 303);
    await marsh.post(path, { ...first, formToken: randomUUID(), 'happenedOn-day': '20', what: 'Three pairs check in weekly <script>' });
    const bad = await marsh.post(path, { ...first, formToken: randomUUID(), what: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<a href="#what">Enter what happened<\/a>/);
    const rows = await t.db.selectFrom('capacity_updates').select(['happened_on', 'what']).where('initiative_id', '=', initiativeId).orderBy('happened_on').execute();
    assert.deepEqual(rows.map((r) => r.happened_on), ['2026-09-10', '2026-09-20']);
    const page = await marsh.get(`${LEDGER}/${initiativeId}`);
    assert.ok(page.body.indexOf('20 September 2026') < page.body.indexOf('10 September 2026'));
    assert.match(page.body, /Three pairs check in weekly &lt;script&gt;/);
  });

  test('a change is saved once; a stale one is refused with both versions; only its own neighbourhood may change it', async () => {
    const initiativeId = await addInitiative(marsh, { name: 'Walking buddies' });
    const change = { version: '1', ...initiativeFields({ name: 'Walking buddies', peopleInvolved: '20' }) };
    assert.equal((await manager.post(`${LEDGER}/${initiativeId}/change`, change)).statusCode, 303);
    const stale = await marsh.post(`${LEDGER}/${initiativeId}/change`, { ...change, peopleInvolved: '25' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.equal(hiddenField(stale.body, 'version'), '2');
    const mark = await auditMark(t.db);
    for (const path of [`${LEDGER}/${initiativeId}/change`, `${LEDGER}/${initiativeId}/funding`, `${LEDGER}/${initiativeId}/updates`]) {
      const refused = await hollins.post(path, { ...change, ...funding('5') });
      assert.equal(refused.statusCode, 403, path);
    }
    assert.equal((await hollins.get(`${LEDGER}/${initiativeId}/change`)).statusCode, 403);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.detail.reason]),
      [
        ['initiative.update', 'denied', 'not in this user’s neighbourhoods'],
        ['initiative.funding', 'denied', 'not in this user’s neighbourhoods'],
        ['initiative.happened', 'denied', 'not in this user’s neighbourhoods'],
      ],
    );
    // Seen by everyone who works in the programme, without the forms for those who may not change it.
    const seen = await hollins.get(`${LEDGER}/${initiativeId}`);
    assert.equal(seen.statusCode, 200);
    assert.doesNotMatch(seen.body, /Add the funding/);
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    assert.equal((await eastmoor.get(`${LEDGER}/${initiativeId}`)).statusCode, 404);
    assert.equal((await eastmoor.post(`${LEDGER}/${initiativeId}/funding`, funding('5'))).statusCode, 404);
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.get(LEDGER)).statusCode, 403);
    assert.equal((await t.db.selectFrom('capacity_initiatives').select('people_involved').where('id', '=', initiativeId).executeTakeFirstOrThrow()).people_involved, 20);
  });

  test('each neighbourhood shows its active initiatives, the people involved in them and all funding found, with totals', async () => {
    const ended = await addInitiative(manager, { name: 'Winter warm room', areaId: ids.hollinsPark, peopleInvolved: '30', 'endedOn-day': '1', 'endedOn-month': '10', 'endedOn-year': '2026' });
    const running = await addInitiative(manager, { name: 'Hollins seed library', areaId: ids.hollinsPark, howHelped: 'sustained', peopleInvolved: '7' });
    assert.equal((await manager.post(`${LEDGER}/${ended}/funding`, funding('100.05'))).statusCode, 303);
    assert.equal((await hollins.post(`${LEDGER}/${running}/funding`, funding('0.95'))).statusCode, 303);
    const mark = await auditMark(t.db);
    const page = await hollins.get(LEDGER);
    assert.equal(page.statusCode, 200);
    const rows = table(page.body, 'By neighbourhood');
    const hollinsRow = rows.find((r) => r[0] === 'Hollins Park');
    assert.deepEqual(hollinsRow, ['Hollins Park', '1', '7', '£101.00']);
    const marshInitiatives = await t.db.selectFrom('capacity_initiatives').select('people_involved').where('area_id', '=', ids.marshEnd).execute();
    const marshPeople = marshInitiatives.reduce((n, i) => n + i.people_involved, 0);
    // Marsh End's funding from the tests above: the seed swap's £1,250.80 and Tannery Row's corrected £1,000.10, not its removed £250.
    assert.deepEqual(rows.find((r) => r[0] === 'Marsh End'), ['Marsh End', String(marshInitiatives.length), String(marshPeople), '£2,250.90']);
    assert.deepEqual(rows.at(-1), ['The whole programme', String(marshInitiatives.length + 1), String(marshPeople + 7), '£2,351.90']);
    assert.match(page.body, /Ended 1 October 2026/);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.detail]),
      [['capacity.list', { initiatives: marshInitiatives.length + 2 }]],
    );
  });
});
