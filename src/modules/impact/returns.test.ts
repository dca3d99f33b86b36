import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { costAvoided, financialYearOf, socialReturn } from './returns-service.ts';

/**
 * Investment, scenarios and the returns, through the database: the worked SROI in IMPACT.md from avoided outcomes
 * recorded, verified and priced as a programme would, to £335,483.70 and 2.2366.
 */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let coordinator: Client;
let hollinsCoordinator: Client;
let manager: Client;
let admin: Client;
let gaz: string;
let maureen: string;
let eviction: string;
let depression: string;

async function addLocalCost(description: string, fiscalValue: string, agencyL1: string, agencyL2: string): Promise<string> {
  const page = await manager.get('/impact/unit-costs/new');
  const response = await manager.post('/impact/unit-costs', {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    description,
    unit: 'Per person',
    fiscalValue,
    priceYear: '2015/16',
    agencyL1,
    agencyL2,
    source: 'IMPACT.md, the worked SROI',
    code: '',
    comment: '',
  });
  assert.equal(response.statusCode, 303);
  return /\/impact\/unit-costs\/([0-9a-f-]{36})/.exec(String(response.headers.location))?.[1] ?? '';
}

async function recordAndVerify(personId: string, unitCost: string, quantity: string, likelyOn: string, verify: 'verify' | 'return' | null = 'verify'): Promise<string> {
  // Each person's own neighbourhood coordinator records it.
  const recorder = personId === gaz ? coordinator : hollinsCoordinator;
  const page = await recorder.get(`/people/${personId}/avoided/new`);
  const [year = '', month = '', day = ''] = likelyOn.split('-');
  const response = await recorder.post(`/people/${personId}/avoided`, {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    unitCost,
    quantity,
    duration: '',
    likelihood: '100',
    evidence: 'agency_confirmed',
    'likelyOn-day': day,
    'likelyOn-month': month,
    'likelyOn-year': year,
  });
  assert.equal(response.statusCode, 303);
  const id = /#outcome-([0-9a-f-]{36})/.exec(String(response.headers.location))?.[1] ?? '';
  if (verify !== null) {
    const decided = await manager.post(`/people/${personId}/avoided/verify`, { outcome: id, version: '1', decision: verify, reason: 'Please check the quantity' });
    assert.equal(decided.statusCode, 303);
  }
  return id;
}

async function walkedAlongside(personId: string, at: string) {
  await t.db
    .insertInto('person_status_changes')
    .values({ programme_id: ids.brookfield, person_id: personId, from_status: 'introduced', to_status: 'getting_to_know', changed_by: await ids.user('coordinator.marsh@brookfield.example'), changed_at: new Date(at), form_token: randomUUID() })
    .execute();
}

async function addFunding(form: Record<string, string>) {
  const page = await manager.get('/impact/investment');
  return manager.post('/impact/investment', { formToken: hiddenField(page.body, 'formToken') ?? '', partnerName: '', note: '', ...form });
}

async function setScenario(kind: string, rates: Record<string, string>) {
  const page = await admin.get(`/admin/scenarios/${kind}`);
  assert.equal(page.statusCode, 200);
  return admin.post(`/admin/scenarios/${kind}`, { version: hiddenField(page.body, 'version') ?? '', basis: 'IMPACT.md, the worked SROI', discountRate: '3.5', discountFirstYear: 'yes', useLikelihood: 'yes', ...rates });
}

const core = async (deps = { db: t.db }) => (await socialReturn(deps, ids.brookfield)).scenarios.find((s) => s.kind === 'core');

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  const amara = await ids.user('coordinator.marsh@brookfield.example');
  gaz = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Returns Person One', amara);
  maureen = await addPerson(t.db, ids.brookfield, ids.hollinsPark, 'Returns Person Two', amara);
  coordinator = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  hollinsCoordinator = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  admin = await signedInClient(t.app, 'admin@brookfield.example');
  eviction = await addLocalCost('Complex eviction', '7,276', 'Local authority', 'Housing');
  depression = await addLocalCost('Support for depression and anxiety', '977', 'NHS', '');
});
after(async () => {
  await t.close();
});

describe('investment', () => {
  test('a manager records funding by partner and year; corrections are versions, deletion is audited; problems are explained', async () => {
    const bad = await addFunding({ partner: 'police', financialYear: '2026/28', amount: '-5' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    for (const message of ['A financial year runs into the next year, like 2026/27', 'Enter the amount in pounds above £0']) assert.ok(bad.body.includes(message), message);
    assert.match(bad.body, /value="2026\/28"/);
    const unnamed = await addFunding({ partner: 'other', financialYear: '2026/27', amount: '0' });
    assert.match(unnamed.body, /Enter the amount in pounds above £0/);
    assert.match((await addFunding({ partner: 'other', financialYear: '2026/27', amount: '10' })).body, /Enter the name of the partner/);

    const mark = await auditMark(t.db);
    assert.equal((await addFunding({ partner: 'adult_social_care', financialYear: '2026/27', amount: '90,000' })).statusCode, 303);
    assert.equal((await addFunding({ partner: 'other', partnerName: 'Brookfield Community Foundation', financialYear: '2026/27', amount: '50,000' })).statusCode, 303);
    assert.equal((await addFunding({ partner: 'police', financialYear: '2026/27', amount: '1,000' })).statusCode, 303);
    const lines = await t.db.selectFrom('investments').select(['id', 'partner', 'amount']).where('programme_id', '=', ids.brookfield).execute();
    const asc = lines.find((l) => l.partner === 'adult_social_care')?.id ?? '';
    const police = lines.find((l) => l.partner === 'police')?.id ?? '';

    // Corrected: a new version, the old one kept.
    const corrected = await manager.post('/impact/investment/change', { line: asc, version: '1', partner: 'adult_social_care', partnerName: '', financialYear: '2026/27', amount: '100,000', note: 'Corrected from the signed agreement' });
    assert.equal(corrected.statusCode, 303);
    const stale = await manager.post('/impact/investment/change', { line: asc, version: '1', partner: 'adult_social_care', partnerName: '', financialYear: '2026/27', amount: '1', note: '' });
    assert.equal(stale.statusCode, 409);
    const unconfirmed = await manager.post('/impact/investment/delete', { line: police, version: '1' });
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(unconfirmed.body, /Select yes to delete this funding line/);
    assert.equal((await manager.post('/impact/investment/delete', { line: police, version: '1', confirm: 'yes' })).statusCode, 303);

    const versions = await t.db.selectFrom('investment_versions').select(['version', 'amount', 'deleted']).where('investment_id', 'in', [asc, police]).orderBy('investment_id').orderBy('version').execute();
    assert.equal(versions.length, 4);
    const page = await manager.get('/impact/investment');
    assert.match(page.body, /£150,000.00/);
    assert.ok(!page.body.includes('£1,000.00'));
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.filter((a) => a.action.startsWith('investment.')).map((a) => [a.action, a.outcome]),
      [
        ['investment.create', 'allowed'],
        ['investment.create', 'allowed'],
        ['investment.create', 'allowed'],
        ['investment.update', 'allowed'],
        ['investment.update', 'failed'],
        ['investment.delete', 'failed'],
        ['investment.delete', 'allowed'],
      ],
    );
    assert.equal((await coordinator.get('/impact/investment')).statusCode, 403);
  });
});

describe('scenarios', () => {
  test('each starts from stated defaults; only an admin sets them, as versions, with problems explained', async () => {
    const page = await admin.get('/admin/scenarios');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /not taken from any one evaluation/);
    assert.match(page.body, /Green Book/);
    assert.equal((await manager.get('/admin/scenarios')).statusCode, 403);
    const bad = await setScenario('optimistic', { deadweight: '120', displacement: '', attribution: '15', dropOff: '20', years: '0' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter deadweight as a percentage from 0 to 100/);
    assert.match(bad.body, /Enter how many years the benefit lasts, from 1 to 30/);
    assert.match(bad.body, /value="120"/);
    const mark = await auditMark(t.db);
    assert.equal((await setScenario('optimistic', { deadweight: '5', displacement: '0', attribution: '10', dropOff: '20', years: '3' })).statusCode, 303);
    const stale = await admin.post('/admin/scenarios/optimistic', { version: '1', deadweight: '6', displacement: '0', attribution: '10', dropOff: '20', years: '3', discountRate: '3.5', discountFirstYear: 'yes', useLikelihood: 'yes', basis: 'x' });
    assert.equal(stale.statusCode, 409);
    const row = await t.db.selectFrom('impact_scenarios').selectAll().where('programme_id', '=', ids.brookfield).where('kind', '=', 'optimistic').executeTakeFirstOrThrow();
    assert.equal(row.deadweight, '0.05');
    assert.deepEqual((await auditSince(t.db, mark)).map((a) => [a.action, a.outcome]), [['scenario.update', 'allowed'], ['scenario.update', 'failed']]);
  });
});

describe('the returns', () => {
  test('the worked SROI in IMPACT.md, from verified avoided outcomes: PV £335,483.70, SROI 2.2366, NPV £185,483.70; s = 0: £347,225.63, 2.3148', async () => {
    await recordAndVerify(gaz, eviction, '51', '2026-05-01');
    await recordAndVerify(maureen, depression, '83', '2026-06-01');
    // Neither one awaiting verification nor one returned counts.
    await recordAndVerify(gaz, eviction, '10', '2026-07-01', null);
    await recordAndVerify(maureen, depression, '10', '2026-07-01', 'return');

    assert.equal((await setScenario('core', { deadweight: '10', displacement: '0', attribution: '20', dropOff: '30', years: '3' })).statusCode, 303);
    // The eviction is a one-off: its own rates in this scenario.
    const costRates = await admin.post('/admin/scenarios/core/costs', { unitCost: eviction, deadweight: '20', displacement: '0', attribution: '25', dropOff: '0', years: '1' });
    assert.equal(costRates.statusCode, 303);

    const discounted = await core();
    assert.ok(discounted);
    assert.deepEqual(discounted.benefitsByYear, ['281031.12', '40869.86', '28608.90']);
    assert.equal(discounted.presentValue, '335483.70');
    assert.equal(discounted.investment, '150000.00');
    assert.equal(discounted.ratio, '2.2366');
    assert.equal(discounted.netPresentValue, '185483.70');
    assert.equal(discounted.benefitCostRatio, '2.2366');
    assert.equal(discounted.switchingValue, '0.5529');
    assert.equal(discounted.assumptions.costRates[0]?.deadweight, '0.2');

    const page = await manager.get('/impact/returns');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /£335,483.70/);
    assert.match(page.body, /£2.2366 for every £1/);
    assert.match(page.body, /These figures are forecasts/);
    assert.match(page.body, /IMPACT.md, the worked SROI/);
    const outOfRange = await manager.get('/impact/returns?priceYear=2040/41');
    assert.equal(outOfRange.statusCode, 400);
    assert.match(outOfRange.body, /There is a problem/);
    assert.match(outOfRange.body, /Choose a price year the deflator series covers: 1989\/90 to 2023\/24/);

    assert.equal((await setScenario('core', { deadweight: '10', displacement: '0', attribution: '20', dropOff: '30', years: '3', discountFirstYear: 'no' })).statusCode, 303);
    const undiscounted = await core();
    assert.ok(undiscounted);
    assert.equal(undiscounted.presentValue, '347225.63');
    assert.equal(undiscounted.ratio, '2.3148');
  });

  test('cost avoided: fiscal only, verified only, by agency, year and area, with people counted and cost per person supported', async () => {
    await walkedAlongside(gaz, '2026-04-10T10:00:00Z');
    await walkedAlongside(maureen, '2026-04-20T10:00:00Z');
    const all = await costAvoided({ db: t.db }, ids.brookfield);
    assert.equal(all.priceYear, '2015/16');
    // Thurrock's figures: 51 × £7,276 = £371,076; 83 × £977 = £81,091.
    assert.equal(all.total, '452167.00');
    assert.deepEqual(all.byAgency, [
      { agency: 'Local authority: Housing', amount: '371076.00' },
      { agency: 'NHS', amount: '81091.00' },
    ]);
    assert.deepEqual(all.byFinancialYear, [{ year: '2026/27', amount: '452167.00' }]);
    assert.deepEqual(all.byArea, [
      { area: 'Hollins Park', amount: '81091.00' },
      { area: 'Marsh End', amount: '371076.00' },
    ]);
    assert.equal(all.peopleCounted, 2);
    assert.equal(all.averagePerPerson, '226083.50');
    assert.equal(all.peopleSupported, 2);
    assert.equal(all.investment, '150000.00');
    assert.equal(all.costPerPersonSupported, '75000.00');

    const earlier = await costAvoided({ db: t.db }, ids.brookfield, { from: '2025-04-01', to: '2026-03-31' });
    assert.equal(earlier.total, '0.00');
    assert.equal(earlier.investment, '0.00');
    assert.equal(earlier.peopleSupported, 0);
    assert.equal(earlier.costPerPersonSupported, null);

    // Uprated with the library's deflators: £7,276 in 2015/16 prices is less in 2014/15's.
    const older = await costAvoided({ db: t.db }, ids.brookfield, { priceYear: '2014/15' });
    assert.ok(Number(older.total) < 452167);
    // A year the series does not cover is refused in words, never guessed.
    const beyond = await costAvoided({ db: t.db }, ids.brookfield, { priceYear: '2030/31' });
    assert.equal(beyond.total, '0.00');
    assert.equal(beyond.notCounted.length, 2);
    assert.match(beyond.notCounted[0]?.reason ?? '', /has no index for 2030\/31/);
  });

  test('a change to the library never changes past figures: each record keeps the values it was priced with', async () => {
    await t.db.updateTable('unit_costs').set({ fiscal_value: '9999' }).where('id', '=', eviction).execute();
    assert.equal((await costAvoided({ db: t.db }, ids.brookfield)).total, '452167.00');
  });

  test('the admin chooses the price year of every figure; recent years are uprated with HM Treasury’s deflators', async () => {
    const page = await admin.get('/admin/scenarios');
    assert.match(page.body, /Now 2015\/16/);
    assert.match(page.body, /<option value="2023\/24"/, 'recent financial years are offered');
    assert.equal((await manager.post('/admin/prices', { priceYear: '2023/24' })).statusCode, 403);
    const mark = await auditMark(t.db);
    const outside = await admin.post('/admin/prices', { priceYear: '2030/31' });
    assert.equal(outside.statusCode, 400);
    assert.match(outside.body, /There is a problem/);
    assert.match(outside.body, /Choose a price year the deflator series covers: 1989\/90 to 2023\/24/);
    const blank = await admin.post('/admin/prices', {});
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /Choose the price year to show the programme’s figures in/);
    const saved = await admin.post('/admin/prices', { priceYear: '2023/24' });
    assert.equal(saved.statusCode, 303);
    assert.match((await admin.get(saved.headers.location as string)).body, /Figures are now shown in 2023\/24 prices/);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((a) => [a.action, a.outcome, a.outcome === 'allowed' ? a.detail : null]),
      [
        ['impact.price-year', 'failed', null],
        ['impact.price-year', 'failed', null],
        ['impact.price-year', 'allowed', { from: '2015/16', to: '2023/24' }],
      ],
    );
    // Both costs are priced in 2015/16: each grows by HM Treasury's 2023/24 ÷ 2015/16, as financial years,
    // (¾·96.2507 + ¼·100) ÷ (¾·75.1536 + ¼·76.4554) = 97.188025 ÷ 75.47905.
    const now = await costAvoided({ db: t.db }, ids.brookfield);
    assert.equal(now.priceYear, '2023/24');
    assert.equal(now.total, '582217.42');
    assert.deepEqual(now.byAgency, [
      { agency: 'Local authority: Housing', amount: '477803.36' },
      { agency: 'NHS', amount: '104414.06' },
    ]);
    assert.equal((await socialReturn({ db: t.db }, ids.brookfield)).priceYear, '2023/24');
    assert.match((await manager.get('/impact/returns')).body, /Figures are in 2023\/24 prices/);
    // Asked for, another year still shows; the programme's own is unchanged by that.
    assert.equal((await costAvoided({ db: t.db }, ids.brookfield, { priceYear: '2015/16' })).total, '452167.00');
    assert.equal((await admin.post('/admin/prices', { priceYear: '2015/16' })).statusCode, 303);
    assert.equal((await costAvoided({ db: t.db }, ids.brookfield)).total, '452167.00');
  });

  test("to the end of a month: outcomes likely by then, against the funding as the ledger stood at the month's end", async () => {
    // The funding was recorded on 2 November (the test clock); as if first recorded in April, then corrected (£90,000
    // to £100,000) and one line deleted (£1,000) in November.
    await t.db.updateTable('investment_versions').set({ recorded_at: new Date('2026-04-01T09:00:00Z') }).where('programme_id', '=', ids.brookfield).where('version', '=', 1).execute();
    const october = { to: '2026-10-31', ledgerAsAt: '2026-10-31' };
    const november = { to: '2026-11-30', ledgerAsAt: '2026-11-30' };
    const coreIn = async (options: typeof october) => {
      const found = (await socialReturn({ db: t.db }, ids.brookfield, options)).scenarios.find((s) => s.kind === 'core');
      assert.ok(found !== undefined);
      return found;
    };
    const [octoberCost, octoberCore] = [await costAvoided({ db: t.db }, ids.brookfield, october), await coreIn(october)];
    assert.equal(octoberCost.investment, '141000.00', 'the ledger at the end of October: before the correction and the deletion');
    assert.equal(octoberCore.investment, '141000.00', 'the social return is measured against the same investment');
    assert.equal(octoberCost.total, '452167.00');
    assert.equal(octoberCore.presentValue, '347225.63');
    assert.equal((await costAvoided({ db: t.db }, ids.brookfield, { to: '2026-03-31', ledgerAsAt: '2026-10-31' })).investment, '0.00', 'only the years up to the one the period ends in');

    // An outcome likely on 1 November, verified: not October's, but November's.
    await recordAndVerify(gaz, depression, '10', '2026-11-01');
    const [novemberCost, novemberCore] = [await costAvoided({ db: t.db }, ids.brookfield, november), await coreIn(november)];
    assert.deepEqual(await costAvoided({ db: t.db }, ids.brookfield, october), octoberCost, "October's cost avoided is as it was");
    assert.deepEqual(await coreIn(october), octoberCore, "October's social return is as it was");
    assert.equal(novemberCost.total, '461937.00', '£9,770 more: 10 × £977');
    assert.equal(novemberCost.investment, '150000.00', 'the ledger as corrected');
    assert.equal(novemberCore.investment, '150000.00');
    assert.ok(Number(novemberCore.presentValue) > Number(octoberCore.presentValue));
    assert.deepEqual(novemberCore, await core(), 'November, with nothing after it, reads as everything does now');
  });

  test('financial years run April to March', () => {
    assert.equal(financialYearOf('2026-03-31'), '2025/26');
    assert.equal(financialYearOf('2026-04-01'), '2026/27');
    assert.equal(financialYearOf('1999-12-01'), '1999/00');
  });
});
