import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, Client, signedInClient, type TestApp } from './app.ts';
import { ACTORS, MATRIX, type ActorName } from './authorization-matrix.ts';
import { addCommunityWorkFixtures } from './community-work-fixtures.ts';
import { addLocalUnitCost, addPerson, countRows, idsOf } from './fixtures.ts';

const EMAILS: Record<Exclude<ActorName, 'anonymous'>, string> = {
  coordinator: 'coordinator.marsh@brookfield.example',
  otherCoordinator: 'coordinator.hollins@brookfield.example',
  manager: 'manager@brookfield.example',
  leadership: 'leadership@brookfield.example',
  evaluator: 'evaluator@brookfield.example',
  admin: 'admin@brookfield.example',
  otherManager: 'manager@eastmoor.example',
};

let t: TestApp;
let fixtures: Record<string, string>;

before(async () => {
  t = await buildTestApp();
  const ids = await idsOf(t.db);
  const recorder = await ids.user(EMAILS.coordinator);
  const person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Matrix Person', recorder);
  // A household member of :person: the one route that names a member carries it in its query.
  const member = await t.db
    .insertInto('household_members')
    .values({
      programme_id: ids.brookfield,
      person_id: person,
      name: 'Matrix Relative',
      relationship: 'sister',
      form_token: randomUUID(),
      created_by: recorder,
      updated_by: recorder,
      created_at: new Date('2026-10-01T10:00:00Z'),
      updated_at: new Date('2026-10-01T10:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A community asset in Marsh End: the community routes name it in their path.
  const asset = await t.db
    .insertInto('community_assets')
    .values({
      programme_id: ids.brookfield,
      area_id: ids.marshEnd,
      category: 'association',
      name: 'Matrix walking group',
      description: 'Walks on Tuesdays',
      form_token: randomUUID(),
      created_by: recorder,
      updated_by: recorder,
      created_at: new Date('2026-10-01T10:00:00Z'),
      updated_at: new Date('2026-10-01T10:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  fixtures = {
    person,
    asset: asset.id,
    householdMember: member.id,
    area: ids.marshEnd,
    user: await ids.user(EMAILS.otherCoordinator),
    // An asset's offer, a scheme, an initiative in Marsh End and a barrier: offers, capacity and barrier routes name them.
    ...(await addCommunityWorkFixtures(t.db, { programmeId: ids.brookfield, areaId: ids.marshEnd, assetId: asset.id, by: recorder })),
    // One of Brookfield's own unit costs: the shared library's are read by every programme, a programme's own are not.
    unitCost: await addLocalUnitCost(t.db, ids.brookfield, await ids.user(EMAILS.manager)),
  };
});
after(async () => {
  await t.close();
});

function concrete(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = fixtures[name];
    if (value === undefined) throw new Error(`No fixture for :${name}`);
    return value;
  });
}

/**
 * One client per actor, signed in once: signing in verifies an argon2 hash, and doing that for each of the matrix's
 * rows made this the slowest file. A row that ends or replaces the session (signing in or out, choosing a programme)
 * gets a fresh client afterwards, so it cannot change what the next row sees; any other route that lost the session
 * would show as the next row's unexpected 303.
 */
async function freshClient(actor: ActorName): Promise<Client> {
  if (actor === 'anonymous') {
    const client = new Client(t.app);
    await client.get('/sign-in');
    return client;
  }
  return signedInClient(t.app, EMAILS[actor]);
}

const SESSION_ROUTES = new Set(['POST /sign-in', 'POST /sign-out', 'POST /programmes']);

describe('authorization matrix', () => {
  test('every route the app has is in the matrix, and every matrix row is a real route', () => {
    const registered = new Set(t.app.routeList.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
    const listed = new Set(MATRIX.map((e) => `${e.method} ${e.route}`));
    const missing = [...registered].filter((r) => !listed.has(r));
    const stale = [...listed].filter((r) => !registered.has(r));
    assert.deepEqual(missing, [], `routes with no row in test/authorization-matrix.ts: ${missing.join(', ')}`);
    assert.deepEqual(stale, [], `matrix rows for routes that do not exist: ${stale.join(', ')}`);
  });

  for (const actor of ACTORS) {
    test(`${actor}: every route answers as the matrix says`, async () => {
      const failures: string[] = [];
      let client = await freshClient(actor);
      for (const entry of MATRIX) {
        const path = concrete(entry.path);
        const auditBefore = await countRows(t.db, 'audit_events');
        const response = entry.method === 'GET' ? await client.get(path) : await client.post(path, {});
        const expected = entry.expect[actor];
        if (response.statusCode !== expected) failures.push(`${entry.method} ${path}: expected ${expected}, got ${response.statusCode}`);
        if (entry.personLevel === true && actor !== 'anonymous') {
          const written = (await countRows(t.db, 'audit_events')) - auditBefore;
          if (written !== 1) failures.push(`${entry.method} ${path}: expected exactly one audit row, got ${written}`);
        }
        if (response.statusCode >= 500) failures.push(`${entry.method} ${path}: server error`);
        if (SESSION_ROUTES.has(`${entry.method} ${entry.route}`)) client = await freshClient(actor);
      }
      assert.deepEqual(failures, []);
    });
  }
});
