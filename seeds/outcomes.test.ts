import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, signedInClient, type TestApp } from '../test/app.ts';
import { idsOf } from '../test/fixtures.ts';
import { programmeOutcomeChange, programmeServiceUse } from '../src/modules/outcomes/service.ts';
import { DEMO_OUTCOMES, seedDemoOutcomes } from './outcomes.ts';
import { seedDemoPeople } from './stories.ts';

/** The demo's check-ins and service use, written after its people, as at start-up. */
let t: TestApp;
let programmeId: string;

before(async () => {
  t = await buildTestApp();
  const ids = await idsOf(t.db);
  programmeId = ids.brookfield;
  const emails = ['coordinator.marsh@brookfield.example', 'coordinator.hollins@brookfield.example', 'manager@brookfield.example'];
  const userIds = Object.fromEntries(await Promise.all(emails.map(async (e) => [e, await ids.user(e)] as const)));
  await seedDemoPeople(t.db, { programmeId, areaIds: { marsh: ids.marshEnd, hollins: ids.hollinsPark }, userIds }, t.clock.now());
});
after(async () => {
  await t.close();
});

describe("the demo programme's outcomes", () => {
  test('most people have a starting point and a later check-in; the stories show in the figures; a second run adds nothing', async () => {
    assert.equal(await seedDemoOutcomes(t.db, { programmeId }, t.clock.now()), DEMO_OUTCOMES.length);
    assert.equal(await seedDemoOutcomes(t.db, { programmeId }, t.clock.now()), 0, 'only on a fresh demo');
    const checkIns = await t.db.selectFrom('outcome_check_ins').select('id').where('programme_id', '=', programmeId).execute();
    assert.equal(checkIns.length, DEMO_OUTCOMES.reduce((n, d) => n + d.checkIns.length, 0));

    const figures = await programmeOutcomeChange({ db: t.db }, programmeId);
    const measure = (key: string) => {
      const found = figures.find((f) => f.measure === key);
      assert.ok(found !== undefined, key);
      return found;
    };
    assert.deepEqual([measure('lonely').people, measure('lonely').better], [8, 8], 'everyone with a later check-in feels lonely less often than at the start');
    const anxiety = measure('anxiety');
    assert.deepEqual([anxiety.people, anxiety.same], [7, 2], 'Nadia preferred not to say at first; Leanne and Kofi are as anxious as they were');
    const use = await programmeServiceUse({ db: t.db }, programmeId);
    assert.equal(use.people, 6);
    const ae = use.kinds.find((k) => k.kind === 'ae');
    assert.ok(ae !== undefined && ae.after < ae.before, 'fewer A&E visits since');

    // Colin, who spoke to nobody, is rarely lonely now; his page says so.
    const colin = await t.db.selectFrom('people').select('id').where('name', '=', 'Colin Mabry').executeTakeFirstOrThrow();
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const page = await manager.get(`/people/${colin.id}/outcomes`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Often or always<\/td>\s*<td class="govuk-table__cell">Hardly ever<\/td>\s*<td class="govuk-table__cell"><strong>3 steps less often: better/);
    assert.match(page.body, /GP appointments<\/th>\s*<td class="govuk-table__cell">11 \(known, from a record or the agency\)/);
  });
});
