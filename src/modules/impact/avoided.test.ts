import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addLocalUnitCost, addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';

/** Avoided outcomes: recorded by a coordinator with a cost from the library, verified or returned by a manager. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let coordinator: Client;
let otherCoordinator: Client;
let manager: Client;
let leadership: Client;
let person: string;
let localCost: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  const amara = await ids.user('coordinator.marsh@brookfield.example');
  person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Avoided Person', amara);
  localCost = await addLocalUnitCost(t.db, ids.brookfield, await ids.user('manager@brookfield.example'));
  coordinator = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  otherCoordinator = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  leadership = await signedInClient(t.app, 'leadership@brookfield.example');
});
after(async () => {
  await t.close();
});

const sharedCost = async (code: string) =>
  (await t.db.selectFrom('unit_costs').select('id').where('programme_id', 'is', null).where('code', '=', code).executeTakeFirstOrThrow()).id;

const GOOD = { quantity: '1', duration: '', likelihood: '80', evidence: 'record', agencyOverride: '', note: 'A notice seeking possession had been served', 'likelyOn-day': '1', 'likelyOn-month': '10', 'likelyOn-year': '2026' };

async function record(client: Client, unitCost: string, form: Record<string, string> = {}) {
  const page = await client.get(`/people/${person}/avoided/new?q=eviction`);
  assert.equal(page.statusCode, 200);
  const formToken = hiddenField(page.body, 'formToken') ?? '';
  const response = await client.post(`/people/${person}/avoided`, { formToken, q: 'eviction', unitCost, ...GOOD, ...form });
  return { formToken, response };
}

const outcomeIdFrom = (location: unknown) => /#outcome-([0-9a-f-]{36})/.exec(String(location))?.[1] ?? '';

async function outcomeRow(id: string) {
  return t.db.selectFrom('avoided_outcomes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('recording an avoided outcome', () => {
  test('the picker finds costs by words without JavaScript, and the chosen one is kept', async () => {
    const page = await coordinator.get(`/people/${person}/avoided/new?q=eviction`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /HO1\.0: /);
    assert.match(page.body, /name="unitCost"/);
    // Its figures are the GMCA database's, whose licence asks for this beside them.
    assert.ok(page.body.includes('Figures from Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0.'));
    const none = await coordinator.get(`/people/${person}/avoided/new?q=nothing+like+this+at+all`);
    assert.match(none.body, /No costs match/);
    // The programme's own costs are in the library too.
    assert.match((await coordinator.get(`/people/${person}/avoided/new?q=assessment`)).body, new RegExp(`value="${localCost}"`));
  });

  test('recorded by the coordinator, awaiting verification, with the library version and values copied; audited; a double submission is one record', async () => {
    const ho1 = await sharedCost('HO1.0');
    const mark = await auditMark(t.db);
    const { formToken, response } = await record(coordinator, ho1);
    assert.equal(response.statusCode, 303);
    const id = outcomeIdFrom(response.headers.location);
    const row = await outcomeRow(id);
    assert.equal(row.status, 'awaiting_verification');
    assert.equal(row.unit_cost_id, ho1);
    assert.equal(row.cost_code, 'HO1.0');
    assert.equal(row.library_name, 'Unit Cost Database');
    assert.equal(row.library_version_label, 'v1.4');
    assert.equal(row.fiscal_value, '6680');
    assert.equal(row.fiscal_price_year, '2010/11');
    assert.equal(row.likelihood, '0.8');
    const audit = (await auditSince(t.db, mark)).filter((a) => a.action === 'avoided.create');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.record_id, person);
    assert.equal(audit[0].detail.avoidedOutcomeId, id);
    const again = await coordinator.post(`/people/${person}/avoided`, { formToken, q: 'eviction', unitCost: ho1, ...GOOD });
    assert.equal(outcomeIdFrom(again.headers.location), id);
    const page = await coordinator.get(`/people/${person}/avoided`);
    assert.match(page.body, /Awaiting verification: /);
    assert.match(page.body, /Fiscal £6,680.00 \(2010\/11 prices\)/);
  });

  test('a form with problems shows the GOV.UK error summary, keeps the input, and saves nothing', async () => {
    const before = await t.db.selectFrom('avoided_outcomes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const { response } = await record(coordinator, '', { quantity: '0', likelihood: '150', evidence: '', note: 'Kept note', 'likelyOn-day': '31', 'likelyOn-month': '2' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    for (const message of [
      'Select the unit cost: search for it, then choose it from the list',
      'Enter how many as a number above 0, like 1 or 2.5',
      'Enter how likely it was, as a percentage from 1 to 100',
      'Select what the evidence is',
      'The date must be a real date, like 27 3 2026',
    ]) {
      assert.ok(response.body.includes(message), message);
    }
    assert.match(response.body, /Kept note/);
    assert.match(response.body, /name="likelihood" type="text" value="150"|value="150"/);
    // The search is kept, so the costs to choose from are still there.
    assert.match(response.body, /HO1\.0: /);
    const after = await t.db.selectFrom('avoided_outcomes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  test('a coordinator of another neighbourhood cannot see or record them, and the Leadership Group sees no person’s', async () => {
    assert.equal((await otherCoordinator.get(`/people/${person}/avoided`)).statusCode, 404);
    assert.equal((await otherCoordinator.get(`/people/${person}/avoided/new`)).statusCode, 404);
    const { response } = await record(coordinator, await sharedCost('HO1.0'));
    const id = outcomeIdFrom(response.headers.location);
    assert.equal((await otherCoordinator.get(`/people/${person}/avoided/change?outcome=${id}`)).statusCode, 404);
    for (const path of [`/people/${person}/avoided`, `/people/${person}/avoided/new`, '/impact/verification', '/impact/returns']) {
      assert.equal((await leadership.get(path)).statusCode, 403, path);
    }
    // Only a manager verifies.
    const version = String((await outcomeRow(id)).version);
    assert.equal((await coordinator.post(`/people/${person}/avoided/verify`, { outcome: id, version, decision: 'verify' })).statusCode, 403);
    assert.equal((await coordinator.get('/impact/verification')).statusCode, 403);
    assert.equal((await outcomeRow(id)).status, 'awaiting_verification');
  });
});

describe('verification', () => {
  test('a manager returns one with a reason; the coordinator sees why, changes it and resubmits; the manager verifies it; every version is kept', async () => {
    const { response } = await record(coordinator, localCost, { quantity: '2', likelihood: '60', evidence: 'practitioner_judgement' });
    const id = outcomeIdFrom(response.headers.location);
    const list = await manager.get('/impact/verification');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(`/people/${person}/avoided#outcome-${id}`));

    // Returning needs a reason.
    const noReason = await manager.post(`/people/${person}/avoided/verify`, { outcome: id, version: '1', decision: 'return', reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Enter why you are returning it/);
    const mark = await auditMark(t.db);
    const returned = await manager.post(`/people/${person}/avoided/verify`, { outcome: id, version: '1', decision: 'return', reason: 'Two assessments seems high: was one already booked?' });
    assert.equal(returned.statusCode, 303);
    assert.equal((await outcomeRow(id)).status, 'returned');
    const audit = (await auditSince(t.db, mark)).filter((a) => a.action === 'avoided.verify');
    assert.deepEqual(audit.map((a) => [a.outcome, a.detail.decision]), [['allowed', 'return']]);

    const page = await coordinator.get(`/people/${person}/avoided`);
    assert.match(page.body, /Returned: /);
    assert.match(page.body, /Two assessments seems high/);
    const form = await coordinator.get(`/people/${person}/avoided/change?outcome=${id}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Returned by a manager/);
    const resubmitted = await coordinator.post(`/people/${person}/avoided/change`, { outcome: id, version: '2', ...GOOD, quantity: '1', likelihood: '60', evidence: 'agency_confirmed' });
    assert.equal(resubmitted.statusCode, 303);
    const row = await outcomeRow(id);
    assert.equal(row.status, 'awaiting_verification');
    assert.equal(row.returned_reason, null);
    assert.equal(row.quantity, '1');

    const verified = await manager.post(`/people/${person}/avoided/verify`, { outcome: id, version: '3', decision: 'verify' });
    assert.equal(verified.statusCode, 303);
    assert.equal((await outcomeRow(id)).status, 'verified');
    const versions = await t.db.selectFrom('avoided_outcome_versions').select(['version', 'status', 'quantity']).where('avoided_outcome_id', '=', id).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => [v.version, v.status, v.quantity]), [
      [1, 'awaiting_verification', '2'],
      [2, 'returned', '2'],
      [3, 'awaiting_verification', '1'],
      [4, 'verified', '1'],
    ]);
    assert.ok(!(await manager.get('/impact/verification')).body.includes(`#outcome-${id}`));
  });

  test('a change made from an older version is refused with both shown (409); so is a decision on one changed meanwhile', async () => {
    const { response } = await record(coordinator, localCost);
    const id = outcomeIdFrom(response.headers.location);
    const first = await coordinator.post(`/people/${person}/avoided/change`, { outcome: id, version: '1', ...GOOD, quantity: '3' });
    assert.equal(first.statusCode, 303);
    const stale = await manager.post(`/people/${person}/avoided/change`, { outcome: id, version: '1', ...GOOD, quantity: '5' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /value="5"/);
    assert.equal((await outcomeRow(id)).quantity, '3');
    const staleDecision = await manager.post(`/people/${person}/avoided/verify`, { outcome: id, version: '1', decision: 'verify' });
    assert.equal(staleDecision.statusCode, 409);
    assert.equal((await outcomeRow(id)).status, 'awaiting_verification');
  });

  test('another person’s avoided outcome is not found through this person', async () => {
    const other = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Someone Else', await ids.user('coordinator.marsh@brookfield.example'));
    const { response } = await record(coordinator, localCost);
    const id = outcomeIdFrom(response.headers.location);
    assert.equal((await coordinator.get(`/people/${other}/avoided/change?outcome=${id}`)).statusCode, 404);
    assert.equal((await manager.post(`/people/${other}/avoided/verify`, { outcome: id, version: '1', decision: 'verify' })).statusCode, 404);
  });
});
