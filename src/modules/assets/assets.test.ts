import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';

/** Community assets: adding, reading, changing (with conflicts), "checked today" and closing, by who may. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let hollins: Client;
let manager: Client;

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const NEW = '/community/assets/new';
const assetPath = (id: string) => `/community/assets/${id}`;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  await t.db
    .insertInto('postcodes')
    .values([
      { postcode: 'BF1 3WG', latitude: 53.408, longitude: -2.1655, source: 'test', imported_at: t.clock.now() },
      { postcode: 'BF2 4SA', latitude: 53.403, longitude: -2.1668, source: 'test', imported_at: t.clock.now() },
    ])
    .execute();
  marsh = await signedInClient(t.app, MARSH);
  hollins = await signedInClient(t.app, HOLLINS);
  manager = await signedInClient(t.app, MANAGER);
});
after(async () => {
  await t.close();
});

type Form = Record<string, string>;

/** A whole, valid asset form; each test changes what it is about. */
function assetForm(overrides: Form = {}): Form {
  return {
    category: 'association',
    name: 'Knit and natter',
    description: 'Knitting, crochet and a natter. Wool provided.',
    areaId: ids.marshEnd,
    addressLine1: 'Marsh End park pavilion',
    addressTown: 'Brookfield',
    postcode: 'bf13wg',
    latitude: '',
    longitude: '',
    scheduleRows: '2',
    'schedules.0.repeat': 'weekly',
    'schedules.0.byday': 'WE',
    'schedules.0.opens': '2pm',
    'schedules.0.closes': '4:00pm',
    'schedules.0.description': '',
    'schedules.1.repeat': '1',
    'schedules.1.byday': 'SA',
    'schedules.1.opens': '10',
    'schedules.1.closes': '',
    'schedules.1.description': 'Summer only',
    whoItWelcomes: 'Anyone',
    accessibility: 'Step-free',
    free: 'yes',
    cost: '',
    contactName: 'Bev',
    contactPhone: '01632 960 118',
    contactEmail: 'bev@example.org',
    website: 'www.knit.example.org',
    tags: ' Knitting, CRAFT,knitting , older people',
    organisationId: '',
    public: 'no',
    ...overrides,
  };
}

/** Opens the new-asset form and sends it; returns the response, the form's token and the new asset's id. */
async function create(client: Client, overrides: Form = {}) {
  const page = await client.get(NEW);
  assert.equal(page.statusCode, 200);
  const formToken = hiddenField(page.body, 'formToken') ?? '';
  const response = await client.post(NEW, { formToken, ...assetForm(overrides) });
  const id = /\/community\/assets\/([0-9a-f-]{36})/.exec(response.headers.location ?? '')?.[1] ?? '';
  return { response, formToken, id };
}

const rowOf = (id: string) => t.db.selectFrom('community_assets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const schedulesOf = (id: string) =>
  t.db.selectFrom('asset_schedules').select(['freq', 'byday', 'week_of_month', 'opens_at', 'closes_at', 'description']).where('asset_id', '=', id).orderBy('byday').execute();
const countAssets = async () => Number((await t.db.selectFrom('community_assets').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('adding a community asset', () => {
  test('a coordinator adds one in their neighbourhood: every field kept, tags cleaned, placed by its postcode, audited', async () => {
    const mark = await auditMark(t.db);
    const { response, id } = await create(marsh);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `${assetPath(id)}?created=1`);
    const row = await rowOf(id);
    assert.equal(row.programme_id, ids.brookfield);
    assert.equal(row.area_id, ids.marshEnd);
    assert.equal(row.postcode, 'BF1 3WG');
    assert.deepEqual([Number(row.latitude), Number(row.longitude)], [53.408, -2.1655]);
    assert.deepEqual(row.tags, ['knitting', 'craft', 'older people']);
    assert.equal(row.website, 'https://www.knit.example.org');
    assert.equal(row.free, true);
    assert.equal(row.public, false);
    assert.equal(row.person_agreed_on, null);
    assert.equal(row.version, 1);
    assert.equal(row.created_by, await ids.user(MARSH));
    assert.deepEqual(await schedulesOf(id), [
      { freq: 'monthly', byday: 'SA', week_of_month: 1, opens_at: '10:00:00', closes_at: null, description: 'Summer only' },
      { freq: 'weekly', byday: 'WE', week_of_month: null, opens_at: '14:00:00', closes_at: '16:00:00', description: null },
    ]);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_type, r.record_id]),
      [['asset.create', 'allowed', 'asset', id]],
    );

    const page = await manager.get(`${assetPath(id)}?created=1`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Community asset added/);
    assert.match(page.body, /Every Wednesday, 2pm to 4pm/);
    assert.match(page.body, /First Saturday of the month, from 10am/);
    assert.match(page.body, /knitting, craft, older people/);
    // Just recorded, it is not yet due a check; once the programme's months have passed, it is.
    assert.doesNotMatch(page.body, /Check it is still as described/);
    await t.db.updateTable('community_assets').set({ created_at: new Date('2025-09-01T09:00:00Z') }).where('id', '=', id).execute();
    assert.match((await manager.get(assetPath(id))).body, /Never checked since it was recorded\. Check it is still as described/);
  });

  test('a form sent twice, one after the other or both at once, adds one asset', async () => {
    const { formToken, id } = await create(marsh, { name: 'Twice sent group' });
    const again = await marsh.post(NEW, { formToken, ...assetForm({ name: 'Twice sent group' }) });
    assert.equal(again.headers.location, `${assetPath(id)}?created=1`);

    const page = await marsh.get(NEW);
    const token = hiddenField(page.body, 'formToken') ?? '';
    const both = await Promise.all([1, 2].map(() => marsh.post(NEW, { formToken: token, ...assetForm({ name: 'Raced group' }) })));
    assert.deepEqual(both.map((r) => r.statusCode), [303, 303]);
    assert.equal(both[0]?.headers.location, both[1]?.headers.location);
    const rows = await t.db.selectFrom('community_assets').select('id').where('name', 'in', ['Twice sent group', 'Raced group']).execute();
    assert.equal(rows.length, 2);
  });

  test('a person with gifts to share needs the day they agreed; other kinds ignore it', async () => {
    const before = await countAssets();
    const missing = await create(marsh, { category: 'gifts', name: 'Sam with a van' });
    assert.equal(missing.response.statusCode, 400);
    assert.match(missing.response.body, /<a href="#personAgreedOn-day">Enter the date they agreed to be listed<\/a>/);
    const future = await create(marsh, { category: 'gifts', 'personAgreedOn-day': '1', 'personAgreedOn-month': '1', 'personAgreedOn-year': '2030' });
    assert.match(future.response.body, /The date they agreed must be today or in the past/);
    assert.equal(await countAssets(), before);

    const agreed = await create(marsh, { category: 'gifts', name: 'Sam with a van', 'personAgreedOn-day': '30', 'personAgreedOn-month': '10', 'personAgreedOn-year': '2026' });
    assert.equal(agreed.response.statusCode, 303);
    assert.equal((await rowOf(agreed.id)).person_agreed_on, '2026-10-30');
    const other = await create(marsh, { name: 'Not a person', 'personAgreedOn-day': '30', 'personAgreedOn-month': '10', 'personAgreedOn-year': '2026' });
    assert.equal((await rowOf(other.id)).person_agreed_on, null);
    assert.match((await marsh.get(assetPath(agreed.id))).body, /They agreed to be listed on\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*30 October 2026/);
  });

  test('bad input is explained field by field, the input kept, nothing written, and the attempt audited by field name', async () => {
    const before = await countAssets();
    const mark = await auditMark(t.db);
    const { response } = await create(marsh, {
      category: 'shop',
      name: '<b>Kept</b> as typed',
      description: ' ',
      postcode: 'not a postcode',
      latitude: '53.4',
      'schedules.0.byday': '',
      'schedules.0.closes': '1pm',
      'schedules.1.repeat': '',
      'schedules.1.byday': 'XX',
      'schedules.1.opens': 'teatime',
      contactEmail: 'bev at example',
      website: 'javascript:alert(1)',
      tags: `${'long'.repeat(11)}, fine`,
      public: '',
    });
    assert.equal(response.statusCode, 400);
    const expected = [
      ['category', 'Select what kind of community asset it is'],
      ['description', 'Describe it in a sentence or two'],
      ['postcode', 'Enter a full UK postcode, like AB1 2CD'],
      ['longitude', 'Enter the longitude as well, or leave both blank'],
      ['schedules.0.byday', 'Select the day it meets'],
      ['schedules.0.closes', 'The time it finishes must be after the time it starts'],
      ['schedules.1.repeat', 'Select how often it meets'],
      ['schedules.1.opens', 'Enter the time it starts, like 10:00 or 2:30pm'],
      ['contactEmail', 'Enter an email address in the correct format, like name@example.com'],
      ['website', 'Enter a web address, like https://www.example.org'],
      ['tags', 'Each tag must be 40 characters or fewer'],
      ['public', 'Select whether it may appear in the public directory'],
    ];
    for (const [field, message] of expected) assert.match(response.body, new RegExp(`<a href="#${field}">${message}</a>`), field);
    // In the order of the page.
    const order = expected.map(([field]) => response.body.indexOf(`<a href="#${field}">`));
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.match(response.body, /value="&lt;b&gt;Kept&lt;\/b&gt; as typed"/);
    assert.match(response.body, /value="teatime"/);
    assert.equal(await countAssets(), before);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome]),
      [['asset.create', 'failed']],
    );
    assert.ok(!JSON.stringify(audit).includes('Kept'), 'field names, never what was typed');
  });

  test('a coordinator may not put an asset in another neighbourhood, nor name an organisation that is not one', async () => {
    const elsewhere = await create(marsh, { areaId: ids.hollinsPark });
    assert.equal(elsewhere.response.statusCode, 400);
    assert.match(elsewhere.response.body, /<a href="#areaId">Select a neighbourhood from the list<\/a>/);
    const group = await create(marsh, { name: 'Not an organisation' });
    const notOrganisation = await create(marsh, { organisationId: group.id });
    assert.match(notOrganisation.response.body, /<a href="#organisationId">Select an organisation from the list<\/a>/);

    const organisation = await create(marsh, { category: 'organisation', name: 'Brookfield Knitters Guild' });
    const runBy = await create(marsh, { name: 'Guild drop-in', organisationId: organisation.id });
    assert.equal(runBy.response.statusCode, 303);
    const page = await marsh.get(assetPath(runBy.id));
    assert.match(page.body, new RegExp(`href="/community/assets/${organisation.id}">Brookfield Knitters Guild</a>`));
    // The form offers the programme's organisations to choose from.
    assert.match((await marsh.get(NEW)).body, new RegExp(`<option value="${organisation.id}">Brookfield Knitters Guild</option>`));
  });

  test('what was typed is escaped wherever it is shown', async () => {
    const { id } = await create(marsh, { name: '<script>alert("x")</script>', description: '<img src=x onerror=alert(1)>' });
    const page = await manager.get(assetPath(id));
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.doesNotMatch(page.body, /<img src=x/);
    assert.match(page.body, /&lt;script&gt;alert/);
  });
});

describe('who may see and change an asset', () => {
  test('coordinators read every asset of the programme but change only their own neighbourhood’s; other programmes see nothing', async () => {
    const { id } = await create(marsh, { name: 'Marsh only change' });
    assert.equal((await hollins.get(assetPath(id))).statusCode, 200);
    const mark = await auditMark(t.db);
    assert.equal((await hollins.get(`${assetPath(id)}/change`)).statusCode, 403);
    assert.equal((await hollins.post(`${assetPath(id)}/change`, { version: '1', ...assetForm({ areaId: ids.hollinsPark }) })).statusCode, 403);
    assert.equal((await hollins.post(`${assetPath(id)}/verify`, { version: '1' })).statusCode, 403);
    assert.equal((await hollins.post(`${assetPath(id)}/close`, { version: '1', 'closedOn-day': '1', 'closedOn-month': '11', 'closedOn-year': '2026' })).statusCode, 403);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_id]),
      [
        ['asset.read', 'denied', id],
        ['asset.update', 'denied', id],
        ['asset.verify', 'denied', id],
        ['asset.close', 'denied', id],
      ],
    );
    const row = await rowOf(id);
    assert.equal(row.version, 1);
    assert.equal(row.closed_on, null);
    // Its page offers a coordinator from elsewhere no way to change it.
    assert.doesNotMatch((await hollins.get(assetPath(id))).body, /Checked today/);

    const other = await signedInClient(t.app, 'manager@eastmoor.example');
    assert.equal((await other.get(assetPath(id))).statusCode, 404);
    assert.equal((await other.post(`${assetPath(id)}/verify`, { version: '1' })).statusCode, 404);
    assert.equal((await manager.get(assetPath(randomUUID()))).statusCode, 404);
    assert.equal((await manager.get('/community/assets/not-an-id')).statusCode, 404);
    for (const email of ['leadership@brookfield.example', 'evaluator@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      assert.equal((await client.get(assetPath(id))).statusCode, 403, email);
      assert.equal((await client.get('/community')).statusCode, 403, email);
    }
  });
});

describe('changing an asset', () => {
  test('a manager changes it: a new version, schedules replaced, audited', async () => {
    const { id } = await create(marsh, { name: 'Change me' });
    const form = await manager.get(`${assetPath(id)}/change`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="version" value="1"/);
    // The form shows the asset as saved, with one blank row for another time.
    assert.match(form.body, /name="scheduleRows" value="3"/);
    assert.match(form.body, /value="knitting, craft, older people"/);
    const mark = await auditMark(t.db);
    const saved = await manager.post(`${assetPath(id)}/change`, {
      version: '1',
      ...assetForm({ name: 'Changed', scheduleRows: '1', 'schedules.0.byday': 'FR', public: 'yes', areaId: ids.hollinsPark }),
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `${assetPath(id)}?saved=1`);
    const row = await rowOf(id);
    assert.deepEqual([row.name, row.version, row.public, row.area_id], ['Changed', 2, true, ids.hollinsPark]);
    assert.deepEqual(
      (await schedulesOf(id)).map((s) => s.byday),
      ['FR'],
    );
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.detail]),
      [['asset.update', 'allowed', { version: 2 }]],
    );
  });

  test('"Add another time" shows the form again with one more row, saving nothing', async () => {
    const { id } = await create(marsh, { name: 'One more row' });
    const shown = await marsh.post(`${assetPath(id)}/change`, { version: '1', ...assetForm({ name: 'Not saved yet', scheduleRows: '2' }), addSchedule: '1' });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /name="scheduleRows" value="3"/);
    assert.match(shown.body, /id="schedules.2.repeat"/);
    assert.match(shown.body, /value="Not saved yet"/);
    assert.equal((await rowOf(id)).name, 'One more row');
  });

  test('a save over someone else’s is refused with both versions shown and nothing lost; the same save twice is fine', async () => {
    const { id } = await create(marsh, { name: 'Shared group' });
    const first = await marsh.post(`${assetPath(id)}/change`, { version: '1', ...assetForm({ name: 'Shared group', cost: '£1 a week', free: '' }) });
    assert.equal(first.statusCode, 303);
    // The same form sent again (a double click): it already says this, so it is not a conflict.
    const again = await marsh.post(`${assetPath(id)}/change`, { version: '1', ...assetForm({ name: 'Shared group', cost: '£1 a week', free: '' }) });
    assert.equal(again.statusCode, 303);

    const stale = await manager.post(`${assetPath(id)}/change`, { version: '1', ...assetForm({ name: 'Shared group', accessibility: 'Ramp at the back' }) });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /Amara Okafor saved a change/);
    // Both versions of what differs, side by side; the form keeps what the manager typed, against the new version.
    assert.match(stale.body, /£1 a week/);
    assert.match(stale.body, /Ramp at the back/);
    assert.match(stale.body, /name="version" value="2"/);
    assert.match(stale.body, /<th scope="row" class="govuk-table__header">Accessibility<\/th>/);
    assert.doesNotMatch(stale.body, /<th scope="row" class="govuk-table__header">Description<\/th>/, 'only what differs');
    const row = await rowOf(id);
    assert.deepEqual([row.version, row.accessibility, row.cost], [2, 'Step-free', '£1 a week']);

    const merged = await manager.post(`${assetPath(id)}/change`, { version: '2', ...assetForm({ name: 'Shared group', accessibility: 'Ramp at the back', cost: '£1 a week', free: '' }) });
    assert.equal(merged.statusCode, 303);
    assert.equal((await rowOf(id)).version, 3);
  });

  test('coordinates typed are kept; carried-over ones follow a new postcode; an unknown postcode leaves it off the map', async () => {
    const typed = await create(marsh, { name: 'In the park', latitude: '53.41234', longitude: '-2.16' });
    let row = await rowOf(typed.id);
    assert.deepEqual([Number(row.latitude), Number(row.longitude)], [53.41234, -2.16]);
    // The form shows them back; sent with a new postcode and the same coordinates, it moves with the postcode.
    const moved = await marsh.post(`${assetPath(typed.id)}/change`, { version: '1', ...assetForm({ name: 'In the park', postcode: 'BF2 4SA', latitude: '53.41234', longitude: '-2.160000' }) });
    assert.equal(moved.statusCode, 303);
    row = await rowOf(typed.id);
    assert.deepEqual([Number(row.latitude), Number(row.longitude)], [53.403, -2.1668]);

    const unknown = await create(marsh, { name: 'Somewhere new', postcode: 'BF9 9ZZ' });
    row = await rowOf(unknown.id);
    assert.deepEqual([row.postcode, row.latitude, row.longitude], ['BF9 9ZZ', null, null]);
    assert.match((await marsh.get(assetPath(unknown.id))).body, /No: it has no location/);
  });
});

describe('checked today, and no longer running', () => {
  test('"Checked today" records the day and who, keeps the version, and is audited', async () => {
    const { id } = await create(marsh, { name: 'Check me' });
    const mark = await auditMark(t.db);
    const checked = await marsh.post(`${assetPath(id)}/verify`, { version: '1', from: 'asset' });
    assert.equal(checked.statusCode, 303);
    assert.equal(checked.headers.location, `${assetPath(id)}?verified=1`);
    const row = await rowOf(id);
    assert.deepEqual([row.last_verified_on, row.last_verified_by, row.version], ['2026-11-02', await ids.user(MARSH), 1]);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id]),
      [['asset.verify', 'allowed', id]],
    );
    const page = await manager.get(assetPath(id));
    assert.match(page.body, /2 November 2026 by Amara Okafor/);

    // From the list of assets to check, back to that list.
    const fromList = await marsh.post(`${assetPath(id)}/verify`, { version: '1', from: 'stale' });
    assert.equal(fromList.headers.location, `/community/stale?verified=1#asset-${id}`);
  });

  test('"Checked today" on a page that is out of date is refused: check it again as it is now', async () => {
    const { id } = await create(marsh, { name: 'Changed before checked' });
    await manager.post(`${assetPath(id)}/change`, { version: '1', ...assetForm({ name: 'Changed before checked', cost: '£3' }) });
    const late = await marsh.post(`${assetPath(id)}/verify`, { version: '1' });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /Not recorded as checked/);
    assert.match(late.body, /name="version" value="2"/);
    assert.equal((await rowOf(id)).last_verified_on, null);
    const expired = await marsh.post(`${assetPath(id)}/verify`, {});
    assert.equal(expired.statusCode, 400);
    assert.match(expired.body, /<a href="#verify">This form has expired/);
  });

  test('an asset no longer running is closed, not deleted: kept, out of searches unless asked for, and audited', async () => {
    const { id } = await create(marsh, { name: 'Closing group' });
    const form = await marsh.get(`${assetPath(id)}/close`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="closedOn-day" type="text" value="2"/);
    const future = await marsh.post(`${assetPath(id)}/close`, { version: '1', 'closedOn-day': '1', 'closedOn-month': '1', 'closedOn-year': '2027' });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /The date it stopped must be today or in the past/);
    const mark = await auditMark(t.db);
    const closed = await marsh.post(`${assetPath(id)}/close`, { version: '1', 'closedOn-day': '31', 'closedOn-month': '10', 'closedOn-year': '2026' });
    assert.equal(closed.statusCode, 303);
    assert.equal(closed.headers.location, `${assetPath(id)}?closed=1`);
    const row = await rowOf(id);
    assert.deepEqual([row.closed_on, row.version], ['2026-10-31', 2]);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [['asset.close', 'allowed', { closedOn: '2026-10-31', version: 2 }]],
    );
    // Sent again: already done.
    assert.equal((await marsh.post(`${assetPath(id)}/close`, { version: '1', 'closedOn-day': '31', 'closedOn-month': '10', 'closedOn-year': '2026' })).statusCode, 303);
    assert.match((await marsh.get(assetPath(id))).body, /No longer running since 31 October 2026/);
    const link = new RegExp(`href="/community/assets/${id}"`);
    assert.doesNotMatch((await marsh.post('/community/search', { q: 'Closing group' })).body, link);
    assert.match((await marsh.post('/community/search', { q: 'Closing group', closed: 'yes' })).body, link);
  });

  test('a closed asset is reopened from its page: back in searches, audited with the day it had stopped', async () => {
    const { id } = await create(marsh, { name: 'Back again group' });
    await marsh.post(`${assetPath(id)}/close`, { version: '1', 'closedOn-day': '1', 'closedOn-month': '11', 'closedOn-year': '2026' });
    const closedPage = await marsh.get(assetPath(id));
    assert.match(closedPage.body, /<form method="post" action="\/community\/assets\/[^"]+\/reopen"/);
    assert.match(closedPage.body, />\s*Reopen\s*</);
    // A coordinator from another neighbourhood sees it closed, without the button, and may not reopen it.
    assert.doesNotMatch((await hollins.get(assetPath(id))).body, /\/reopen"/);
    assert.equal((await hollins.post(`${assetPath(id)}/reopen`, { version: '2' })).statusCode, 403);
    // From a page older than the asset: refused, the newer version shown.
    const stale = await marsh.post(`${assetPath(id)}/reopen`, { version: '1' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not reopened/);
    assert.equal((await rowOf(id)).closed_on, '2026-11-01');

    const mark = await auditMark(t.db);
    const reopened = await marsh.post(`${assetPath(id)}/reopen`, { version: '2' });
    assert.equal(reopened.statusCode, 303);
    assert.equal(reopened.headers.location, `${assetPath(id)}?reopened=1`);
    const row = await rowOf(id);
    assert.deepEqual([row.closed_on, row.version], [null, 3]);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [['asset.reopen', 'allowed', id, { wasClosedOn: '2026-11-01', version: 3 }]],
    );
    // Sent again: already done, nothing more changed.
    assert.equal((await marsh.post(`${assetPath(id)}/reopen`, { version: '2' })).statusCode, 303);
    assert.equal((await rowOf(id)).version, 3);
    const page = await marsh.get(`${assetPath(id)}?reopened=1`);
    assert.match(page.body, /Running again/);
    assert.match(page.body, /It is no longer running/);
    assert.match((await marsh.post('/community/search', { q: 'Back again' })).body, new RegExp(`href="/community/assets/${id}"`));
  });
});
