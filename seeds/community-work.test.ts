import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, signedInClient, type TestApp } from '../test/app.ts';
import { idsOf } from '../test/fixtures.ts';
import { seedDemoCommunity } from './community.ts';
import { DEMO_BARRIERS, DEMO_INITIATIVES, DEMO_ITEMS, DEMO_MATCHES, seedDemoCommunityWork } from './community-work.ts';
import { seedDemoPeople } from './stories.ts';

/** The demo's offers and asks, schemes, initiatives and barriers, written after its people and assets, as at start-up. */
let t: TestApp;

before(async () => {
  t = await buildTestApp();
  const ids = await idsOf(t.db);
  const emails = ['coordinator.marsh@brookfield.example', 'coordinator.hollins@brookfield.example', 'manager@brookfield.example'];
  const userIds = Object.fromEntries(await Promise.all(emails.map(async (e) => [e, await ids.user(e)] as const)));
  const programme = { programmeId: ids.brookfield, areaIds: { marsh: ids.marshEnd, hollins: ids.hollinsPark }, userIds };
  await seedDemoPeople(t.db, programme, t.clock.now());
  await seedDemoCommunity(t.db, programme, t.clock.now());
  await seedDemoCommunityWork(t.db, programme, t.clock.now());
});
after(async () => {
  await t.close();
});

describe("the demo programme's community work", () => {
  test('every offer, ask, match, initiative and barrier is written and reads back through the pages', async () => {
    const count = async (table: 'offers_and_asks' | 'offer_matches' | 'capacity_initiatives' | 'system_barriers') =>
      (await t.db.selectFrom(table).select('id').execute()).length;
    assert.deepEqual(
      [await count('offers_and_asks'), await count('offer_matches'), await count('capacity_initiatives'), await count('system_barriers')],
      [DEMO_ITEMS.length, DEMO_MATCHES.length, DEMO_INITIATIVES.length, DEMO_BARRIERS.length],
    );
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const offers = await manager.get('/community/offers?status=all');
    assert.equal(offers.statusCode, 200);
    assert.match(offers.body, new RegExp(`${DEMO_ITEMS.filter((i) => i.kind === 'offer').length} offers`));
    assert.match(offers.body, /Dean Walsh \(community asset\)/);

    // The open ask for a lift finds no lift offered; the gardening ask finds the allotment society's plot.
    const marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
    const ruth = await t.db.selectFrom('people').select('id').where('name', '=', 'Ruth Ellery').executeTakeFirstOrThrow();
    const ask = await t.db.selectFrom('offers_and_asks').select('id').where('person_id', '=', ruth.id).executeTakeFirstOrThrow();
    const match = await marsh.get(`/people/${ruth.id}/offers/match?ask=${ask.id}`);
    assert.equal(match.statusCode, 200);
    assert.match(match.body, /Hollins Park Allotment Society \(community asset\)/);
    assert.match(match.body, / km \(\d+\.\d miles\) away/);

    const ledger = await marsh.get('/community/capacity');
    assert.match(ledger.body, /Big Up My Street/);
    assert.match(ledger.body, /£1,825\.50/, "Marsh End's funding, the ended warm room's included");

    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    const log = await leadership.get('/barriers');
    assert.equal(log.statusCode, 200);
    assert.match(log.body, /fewer than 8/);
    assert.doesNotMatch(log.body, /Gareth|Leanne/);
  });
});
