import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, signedInClient, type TestApp } from '../test/app.ts';
import { idsOf } from '../test/fixtures.ts';
import { costAvoided, socialReturn } from '../src/modules/impact/returns-service.ts';
import { DEMO_AVOIDED, DEMO_FUNDING, seedDemoImpact } from './impact.ts';
import { seedDemoPeople } from './stories.ts';

/** The demo's avoided outcomes, funding and scenarios, written after its people, as at start-up. */
let t: TestApp;
let programmeId: string;

before(async () => {
  t = await buildTestApp();
  const ids = await idsOf(t.db);
  programmeId = ids.brookfield;
  const emails = ['coordinator.marsh@brookfield.example', 'coordinator.hollins@brookfield.example', 'manager@brookfield.example'];
  const userIds = Object.fromEntries(await Promise.all(emails.map(async (e) => [e, await ids.user(e)] as const)));
  const programme = { programmeId, areaIds: { marsh: ids.marshEnd, hollins: ids.hollinsPark }, userIds };
  await seedDemoPeople(t.db, programme, t.clock.now());
  await seedDemoImpact(t.db, programme, t.clock.now());
});
after(async () => {
  await t.close();
});

describe("the demo programme's impact", () => {
  test('mostly verified avoided outcomes, one awaiting verification and one returned; funding for two years from three partners', async () => {
    const statuses = (await t.db.selectFrom('avoided_outcomes').select('status').where('programme_id', '=', programmeId).execute()).map((r) => r.status);
    assert.equal(statuses.length, DEMO_AVOIDED.length);
    assert.equal(statuses.filter((s) => s === 'awaiting_verification').length, 1);
    assert.equal(statuses.filter((s) => s === 'returned').length, 1);
    const lines = await t.db.selectFrom('investments').select(['partner', 'financial_year']).where('programme_id', '=', programmeId).execute();
    assert.equal(lines.length, DEMO_FUNDING.length);
    assert.equal(new Set(lines.map((l) => l.partner)).size, 3);
    assert.equal(new Set(lines.map((l) => l.financial_year)).size, 2);
  });

  test('the returns tell a coherent story: cost avoided by several agencies, a positive return under every scenario', async () => {
    const avoided = await costAvoided({ db: t.db }, programmeId);
    assert.ok(Number(avoided.total) > 0);
    assert.ok(avoided.byAgency.length >= 3);
    assert.equal(avoided.peopleCounted, 4);
    assert.deepEqual(avoided.notCounted, []);
    assert.equal(avoided.investment, '450000.00');
    const social = await socialReturn({ db: t.db }, programmeId);
    assert.deepEqual(social.scenarios.map((s) => s.kind), ['conservative', 'core', 'optimistic']);
    const [low, mid, high] = social.scenarios.map((s) => Number(s.presentValue));
    assert.ok((low ?? 0) > 0 && (low ?? 0) < (mid ?? 0) && (mid ?? 0) < (high ?? 0));

    // The GMCA database's licence (CC BY 4.0) asks for its attribution wherever its figures appear.
    const GMCA = 'Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0';
    assert.deepEqual([avoided.attributions, social.attributions], [[GMCA], [GMCA]]);
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const page = await manager.get('/impact/returns');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Cost avoided by agency/);
    assert.ok(page.body.includes(`Figures from ${GMCA}.`));
    const overview = await manager.get('/overview');
    assert.ok(overview.body.includes(`Unit costs from ${GMCA}.`), 'beside the cost avoided and the social return');
    const verification = await manager.get('/impact/verification');
    assert.match(verification.body, /1 avoided outcome awaiting verification/);
    assert.match(verification.body, /Maureen Tilsley/);
    const leanne = await t.db.selectFrom('people').select('id').where('name', '=', 'Leanne Adeyemi').executeTakeFirstOrThrow();
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const leannes = (await hollins.get(`/people/${leanne.id}/avoided`)).body;
    assert.match(leannes, /Six feels high/);
    assert.ok(leannes.includes(`${GMCA} (import 1)`));
  });
});
