import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, signedInClient, type TestApp } from '../test/app.ts';
import { idsOf } from '../test/fixtures.ts';
import { programmeOutcomeChange, programmeServiceUse } from '../src/modules/outcomes/service.ts';
import { DEMO_NEIGHBOUR_ASSETS, seedDemoNeighbourAssets } from './community.ts';
import { seedNeighbourOutcomes } from './evidence.ts';
import { seedDemoNeighbours } from './generate.ts';

/** The demo's wider caseload and its outcomes: enough people for the Leadership Group's figures to show. */
describe("the demo's wider caseload", () => {
  let t: TestApp;
  let programmeId: string;
  let written: string[];

  before(async () => {
    t = await buildTestApp();
    const ids = await idsOf(t.db);
    programmeId = ids.brookfield;
    const users = await t.db.selectFrom('users').select(['id', 'email']).execute();
    const programme = { programmeId, userIds: Object.fromEntries(users.map((u) => [u.email, u.id])) };
    written = await seedDemoNeighbours(t.db, programme, 'not a password hash: these accounts are not signed in to here', t.clock.now(), { perArea: 40, seed: 11 });
    await seedNeighbourOutcomes(t.db, programmeId, written, t.clock.now(), 12);
  });

  after(async () => {
    await t.close();
  });

  test('two more neighbourhoods, each with its own coordinator, and people introduced over eighteen months', async () => {
    assert.equal(written.length, 80);
    const people = await t.db
      .selectFrom('people as p')
      .innerJoin('areas as a', 'a.id', 'p.area_id')
      .select(['a.name as area', 'p.coordinator_id'])
      .where('p.id', 'in', written)
      .execute();
    assert.deepEqual([...new Set(people.map((p) => p.area))].sort(), ['Ashby Fields', 'Kiln Lane']);
    const coordinators = await t.db.selectFrom('coordinator_areas as ca').innerJoin('users as u', 'u.id', 'ca.user_id').select('u.email').where('ca.programme_id', '=', programmeId).execute();
    assert.ok(coordinators.some((c) => c.email === 'coordinator.ashby@brookfield.example') && coordinators.some((c) => c.email === 'coordinator.kiln@brookfield.example'));
    assert.ok(people.filter((p) => p.coordinator_id !== null).length >= 70);
    const earliest = await t.db.selectFrom('introductions').select((eb) => eb.fn.min('introduced_on').as('first')).where('person_id', 'in', written).executeTakeFirstOrThrow();
    assert.ok(earliest.first >= '2025-05-01', `introduced within 540 days of the test clock, not ${earliest.first}`);
  });

  test('each wider neighbourhood has community assets, recorded by its own coordinator and on the map', async () => {
    assert.equal(await seedDemoNeighbourAssets(t.db, programmeId, t.clock.now()), DEMO_NEIGHBOUR_ASSETS.length);
    const assets = await t.db
      .selectFrom('community_assets as c')
      .innerJoin('areas as a', 'a.id', 'c.area_id')
      .innerJoin('users as u', 'u.id', 'c.created_by')
      .select(['a.name as area', 'u.email', 'c.latitude'])
      .where('a.name', 'in', ['Ashby Fields', 'Kiln Lane'])
      .execute();
    assert.equal(assets.length, DEMO_NEIGHBOUR_ASSETS.length);
    for (const a of assets) {
      assert.equal(a.email, a.area === 'Ashby Fields' ? 'coordinator.ashby@brookfield.example' : 'coordinator.kiln@brookfield.example');
      assert.notEqual(a.latitude, null, 'every one has a postcode the demo postcode list knows');
    }
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const kilnLane = await t.db.selectFrom('areas').select('id').where('name', '=', 'Kiln Lane').executeTakeFirstOrThrow();
    const map = await manager.get(`/community/map?area=${kilnLane.id}`);
    assert.match(map.body, /<desc id="asset-map-desc">4 community assets placed where they are in Kiln Lane/);
  });

  test('check-ins at getting to know and later, and service use before and since, enough to count', async () => {
    const change = await programmeOutcomeChange(t, programmeId);
    const life = change.find((m) => m.measure === 'lifeSatisfaction');
    assert.ok(life !== undefined && life.people >= 8, `enough people with a later check-in: ${life?.people}`);
    assert.ok(life.better > life.worse, 'most lives got somewhat better');
    const use = await programmeServiceUse(t, programmeId);
    assert.ok(use.people >= 8, `enough people with service use both sides: ${use.people}`);
  });

  test('the Leadership Group sees outcome figures, not held back', async () => {
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    const page = await leadership.get('/overview');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Life satisfaction<\/th>\s*<td[^>]*>\s*[1-9]\d*[05]\s*<\/td>/);
  });
});
