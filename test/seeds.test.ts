import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../src/core/auth/password.ts';
import { generateScale } from '../seeds/generate.ts';
import { DEMO_ASSETS, seedDemoCommunity } from '../seeds/community.ts';
import { demoStories, seedDemoPeople } from '../seeds/stories.ts';
import { buildTestApp, signedInClient, type TestApp } from './app.ts';
import { TEST_PASSWORD } from './database.ts';
import { idsOf } from './fixtures.ts';

/** The demo's people and the scale generator, written into a real database and read back through the app. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
});
after(async () => {
  await t.close();
});

describe('the demo programme\'s people', () => {
  test('every story is written, with the living mix of statuses, and every part of each record opens', async () => {
    const emails = ['coordinator.marsh@brookfield.example', 'coordinator.hollins@brookfield.example', 'manager@brookfield.example'];
    const userIds = Object.fromEntries(await Promise.all(emails.map(async (e) => [e, await ids.user(e)] as const)));
    const programme = { programmeId: ids.brookfield, areaIds: { marsh: ids.marshEnd, hollins: ids.hollinsPark }, userIds };
    const written = await seedDemoPeople(t.db, programme, t.clock.now());
    // The community after the people, as at start-up: some of them have its assets in their lives.
    assert.equal(await seedDemoCommunity(t.db, programme, t.clock.now()), DEMO_ASSETS.length);
    const names = demoStories({ marshEnd: 'm', hollinsPark: 'h', marshCoordinator: 'a', hollinsCoordinator: 't' }).map((j) => j.name);
    assert.equal(written, names.length);

    const people = await t.db
      .selectFrom('people')
      .select(['id', 'name', 'status', 'coordinator_id', 'area_id'])
      .where('programme_id', '=', ids.brookfield)
      .where('name', 'in', names)
      .execute();
    assert.equal(people.length, names.length);
    const statuses = new Set(people.map((p) => p.status));
    for (const status of ['introduced', 'getting_to_know', 'walking_alongside', 'resting', 'moved_on'] as const) {
      assert.ok(statuses.has(status), `someone is ${status}`);
    }
    assert.ok(people.some((p) => p.coordinator_id === null), 'someone is waiting for a coordinator');
    const reIntroduced = await t.db.selectFrom('person_status_changes').select('person_id').where('re_introduced', '=', true).execute();
    assert.ok(reIntroduced.some((r) => people.some((p) => p.id === r.person_id)), 'someone has been re-introduced');

    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    for (const person of people) {
      for (const part of ['', '/about', '/circle', '/agreement', '/status', '/timeline', '/concerns', '/connections', '/assets']) {
        const page = await manager.get(`/people/${person.id}${part}`);
        assert.equal(page.statusCode, 200, `${person.name}${part}`);
      }
    }
    const gareth = people.find((p) => p.name === 'Gareth Pryce');
    assert.ok(gareth !== undefined);
    const agreement = await manager.get(`/people/${gareth.id}/agreement`);
    assert.match(agreement.body, /Learn to cook three meals/);
    const circle = await manager.get(`/people/${gareth.id}/circle`);
    assert.match(circle.body, /Mrs Farida Ahmed/);
    const overview = await manager.get(`/people/${gareth.id}`);
    assert.match(overview.body, /Last contact/);
    assert.match(overview.body, /12 days ago/);

    const byName = (name: string) => people.find((p) => p.name === name)?.id ?? '';
    // An open concern shows on the overview; a closed one does not.
    assert.match((await manager.get(`/people/${byName('Leanne Adeyemi')}`)).body, /1 open safeguarding concern/);
    assert.doesNotMatch((await manager.get(`/people/${byName('Maureen Tilsley')}`)).body, /open safeguarding concern/);
    // The two mums are connected, on both their timelines.
    for (const [one, other] of [['Siobhan Carew', 'Nadia Brennan'], ['Nadia Brennan', 'Siobhan Carew']] as const) {
      assert.match((await manager.get(`/people/${byName(one)}/connections`)).body, new RegExp(other));
    }
    // Siobhan's walking group is in her life: on her community page, her circle and her timeline.
    for (const part of ['/assets', '/circle', '/timeline']) {
      assert.match((await manager.get(`/people/${byName('Siobhan Carew')}${part}`)).body, /Tuesday walking group/, part);
    }
    const kofi = await manager.get(`/people/${byName('Kofi Mensah')}`);
    assert.match(kofi.body, /Re-introduced on/);
    assert.match((await manager.get(`/people/${byName('Kofi Mensah')}/timeline`)).body, /Re-introduced by family or a friend/);
  });
});

describe('the scale generator', () => {
  test('makes the programmes, areas, coordinators and people asked for, the same for the same seed', async () => {
    const hash = await hashPassword(TEST_PASSWORD);
    const options = { programmes: 2, areasPerProgramme: 2, coordinatorsPerArea: 1, peoplePerArea: 15, eventsPerPerson: 4, seed: 7 };
    const summary = await generateScale(t.db, options, hash, t.clock.now());
    assert.equal(summary.programmes.length, 2);
    assert.equal(summary.people, 60);
    const [first, second] = summary.programmes;
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(first.coordinatorEmails.length, 2);
    for (const p of summary.programmes) {
      const { n } = await t.db.selectFrom('people').select((eb) => eb.fn.countAll<string>().as('n')).where('programme_id', '=', p.id).executeTakeFirstOrThrow();
      assert.equal(Number(n), 30);
      const entries = await t.db.selectFrom('journal_entries').select((eb) => eb.fn.countAll<string>().as('n')).where('programme_id', '=', p.id).executeTakeFirstOrThrow();
      assert.ok(Number(entries.n) > 0, 'conversations are in the journal');
    }

    // The same seed again gives the same people (in a programme of its own).
    const again = await generateScale(t.db, { ...options, programmes: 1 }, hash, t.clock.now());
    const namesOf = async (programmeId: string) =>
      (await t.db.selectFrom('people').select('name').where('programme_id', '=', programmeId).orderBy('created_at').orderBy('name').execute()).map((r) => r.name);
    assert.deepEqual(await namesOf(again.programmes[0]?.id ?? ''), await namesOf(first.id));

    // A generated coordinator signs in and sees the people of their own neighbourhood only.
    const email = first.coordinatorEmails[0] ?? '';
    const coordinator = await signedInClient(t.app, email);
    const caseload = await coordinator.get('/people');
    assert.equal(caseload.statusCode, 200);
    assert.match(caseload.body, /15 people/);
    assert.doesNotMatch(caseload.body, /Area 2/);
  });
});
