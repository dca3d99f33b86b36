import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, Client, hiddenField, signedInClient, type TestApp } from '../../../test/app.ts';
import { TEST_PASSWORD } from '../../../test/database.ts';
import { addPerson, countRows, idsOf } from '../../../test/fixtures.ts';

const ADMIN = 'admin@brookfield.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let admin: Client;
let adminId: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  admin = await signedInClient(t.app, ADMIN);
  adminId = await ids.user(ADMIN);
});
after(async () => {
  await t.close();
});

/** Audit rows for one action (and record), oldest first. */
async function auditOf(action: string, recordId?: string) {
  let query = t.db
    .selectFrom('audit_events')
    .select(['action', 'record_type', 'record_id', 'outcome', 'actor_user_id', 'programme_id', 'detail'])
    .where('action', '=', action)
    .orderBy('id');
  if (recordId !== undefined) query = query.where('record_id', '=', recordId);
  return query.execute();
}

async function lastAudit() {
  return t.db
    .selectFrom('audit_events')
    .select(['action', 'record_type', 'record_id', 'outcome', 'actor_user_id', 'programme_id', 'detail'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

/** Posts as the admin and checks that exactly one audit row was written, whatever the answer. */
async function postAudited(url: string, form: Record<string, string | string[]>, client = admin) {
  const before = await countRows(t.db, 'audit_events');
  const response = await client.post(url, form);
  assert.equal(await countRows(t.db, 'audit_events'), before + 1, `one audit row for POST ${url}`);
  return { response, audit: await lastAudit() };
}

async function areaRow(id: string) {
  return t.db.selectFrom('areas').select(['name', 'population', 'postcode_districts', 'programme_id']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function userRow(email: string) {
  return t.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

async function roleIn(programmeId: string, userId: string) {
  const row = await t.db
    .selectFrom('memberships')
    .select('role')
    .where('programme_id', '=', programmeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

async function coordinatorAreaIds(userId: string) {
  const rows = await t.db.selectFrom('coordinator_areas').select('area_id').where('user_id', '=', userId).orderBy('area_id').execute();
  return rows.map((r) => r.area_id);
}

async function sessionsOf(userId: string) {
  const rows = await t.db.selectFrom('sessions').select('sid').where('user_id', '=', userId).execute();
  return rows.length;
}

describe('the admin home', () => {
  test('shows the programme with its counts of neighbourhoods and users, and links to both', async () => {
    const page = await admin.get('/admin');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Running Brookfield Local Area Coordination<\/h1>/);
    assert.match(page.body, /2 neighbourhoods/);
    assert.match(page.body, /6 users/);
    assert.match(page.body, /href="\/admin\/areas"/);
    assert.match(page.body, /href="\/admin\/users"/);
  });

  test("with a record id from a manager, an admin reaches who has seen that person's record, and nothing else", async () => {
    const recorder = await ids.user('coordinator.marsh@brookfield.example');
    const personId = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Looked Up Person', recorder);
    const found = await admin.get(`/admin/record-audit?personId=${encodeURIComponent(` ${personId} `)}`);
    assert.equal(found.statusCode, 303);
    assert.equal(found.headers.location, `/people/${personId}/audit`);
    const trail = await admin.get(found.headers.location ?? '');
    assert.equal(trail.statusCode, 200);
    assert.doesNotMatch(trail.body, /Looked Up Person/);

    const empty = await admin.get('/admin/record-audit?personId=');
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /href="#personId">Enter the person&#39;s record id/);
    const wrong = await admin.get('/admin/record-audit?personId=not-an-id');
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Enter the record id exactly as it was given to you/);
    assert.match(wrong.body, /value="not-an-id"/);
  });
});

describe('neighbourhoods', () => {
  test('the list shows each neighbourhood with its population, postcode districts and coordinators', async () => {
    const page = await admin.get('/admin/areas');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`href="/admin/areas/${ids.marshEnd}">Marsh End`));
    assert.match(page.body, /10,200/);
    assert.match(page.body, /BF1, BF2/);
    assert.match(page.body, /Amara Okafor/);
    assert.match(page.body, /Tom Hughes/);
    assert.match(page.body, /<caption[^>]*>2 neighbourhoods<\/caption>/);
  });

  test('adds a neighbourhood: districts upper-cased and stored as a list, population as a number, audited', async () => {
    const { response, audit } = await postAudited('/admin/areas', {
      name: '  Canal Side ',
      population: '8,400',
      postcodeDistricts: 'bf5, BF6 bf5',
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/admin/areas?added=1');
    const row = await t.db.selectFrom('areas').selectAll().where('name', '=', 'Canal Side').executeTakeFirstOrThrow();
    assert.equal(row.programme_id, ids.brookfield);
    assert.equal(row.population, 8400);
    assert.deepEqual(row.postcode_districts, ['BF5', 'BF6']);
    assert.deepEqual(
      { action: audit.action, type: audit.record_type, id: audit.record_id, outcome: audit.outcome, actor: audit.actor_user_id, programme: audit.programme_id },
      { action: 'area.create', type: 'area', id: row.id, outcome: 'allowed', actor: adminId, programme: ids.brookfield },
    );
    const list = await admin.get('/admin/areas?added=1');
    assert.match(list.body, /Neighbourhood added/);
    assert.match(list.body, /Canal Side/);
    assert.match(list.body, /BF5, BF6/);
  });

  test('a neighbourhood with no population or districts is fine', async () => {
    const { response } = await postAudited('/admin/areas', { name: 'Upper Brook', population: '', postcodeDistricts: '' });
    assert.equal(response.statusCode, 303);
    const row = await t.db.selectFrom('areas').selectAll().where('name', '=', 'Upper Brook').executeTakeFirstOrThrow();
    assert.equal(row.population, null);
    assert.deepEqual(row.postcode_districts, []);
  });

  test('an invalid form is shown again with the error summary and what was typed, and nothing is added', async () => {
    const areasBefore = (await t.db.selectFrom('areas').select('id').execute()).length;
    const { response, audit } = await postAudited('/admin/areas', { name: '', population: '-3', postcodeDistricts: 'BF1, 12AB' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#name">Enter the name of the neighbourhood/);
    assert.match(response.body, /href="#population">The population must be 0 or more/);
    assert.match(response.body, /href="#postcodeDistricts">&quot;12AB&quot; is not a postcode district/);
    assert.match(response.body, /name="population"[^>]*value="-3"/);
    assert.match(response.body, /name="postcodeDistricts"[^>]*value="BF1, 12AB"/);
    assert.equal((await t.db.selectFrom('areas').select('id').execute()).length, areasBefore);
    assert.equal(audit.action, 'area.create');
    assert.equal(audit.outcome, 'failed');
    assert.deepEqual(audit.detail, { fields: ['name', 'population', 'postcodeDistricts'] });

    const more = await admin.post('/admin/areas', { name: 'x'.repeat(121), population: 'lots' });
    assert.equal(more.statusCode, 400);
    assert.match(more.body, /The name of the neighbourhood must be 120 characters or fewer/);
    assert.match(more.body, /Enter the population as a whole number, like 10200/);
    assert.match(more.body, /value="lots"/);
    const huge = await admin.post('/admin/areas', { name: 'Too Big', population: '99999999999' });
    assert.equal(huge.statusCode, 400);
    assert.match(huge.body, /The population must be 10,000,000 or fewer/);
  });

  test('a name already used in the programme is refused with a clear message, however it is capitalised', async () => {
    const { response, audit } = await postAudited('/admin/areas', { name: 'marsh END', population: '5' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#name">There is already a neighbourhood with this name in the programme/);
    assert.match(response.body, /value="marsh END"/);
    assert.equal(audit.outcome, 'failed');
    const named = await t.db.selectFrom('areas').select('id').where('programme_id', '=', ids.brookfield).where('name', 'ilike', 'marsh end').execute();
    assert.equal(named.length, 1);
  });

  test('names are unique only within a programme: another programme may use the same name', async () => {
    const eastmoorAdmin = await signedInClient(t.app, 'admin@eastmoor.example');
    const response = await eastmoorAdmin.post('/admin/areas', { name: 'Canal Side' });
    assert.equal(response.statusCode, 303);
    const rows = await t.db.selectFrom('areas').select('programme_id').where('name', '=', 'Canal Side').orderBy('programme_id').execute();
    assert.deepEqual(rows.map((r) => r.programme_id).sort(), [ids.brookfield, ids.eastmoor].sort());
  });

  test('edits a neighbourhood: the form is filled in, keeping its own name is fine, and the change is audited', async () => {
    const page = await admin.get(`/admin/areas/${ids.hollinsPark}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Change Hollins Park<\/h1>/);
    assert.match(page.body, /name="name" type="text" value="Hollins Park"/);
    assert.match(page.body, /name="population"[^>]*value="9800"/);
    assert.match(page.body, /name="postcodeDistricts"[^>]*value="BF3, BF4"/);

    const { response, audit } = await postAudited(`/admin/areas/${ids.hollinsPark}`, {
      name: 'Hollins Park',
      population: '9900',
      postcodeDistricts: 'BF3, BF4, bf9',
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/admin/areas?saved=1');
    const row = await areaRow(ids.hollinsPark);
    assert.equal(row.population, 9900);
    assert.deepEqual(row.postcode_districts, ['BF3', 'BF4', 'BF9']);
    assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['area.update', ids.hollinsPark, 'allowed']);
  });

  test('an edit that is invalid or takes another neighbourhood\'s name changes nothing', async () => {
    const before = await areaRow(ids.hollinsPark);
    const invalid = await postAudited(`/admin/areas/${ids.hollinsPark}`, { name: 'Hollins Park', population: '12.5', postcodeDistricts: 'BF3' });
    assert.equal(invalid.response.statusCode, 400);
    assert.match(invalid.response.body, /href="#population">Enter the population as a whole number/);
    assert.match(invalid.response.body, /value="12.5"/);
    assert.deepEqual([invalid.audit.action, invalid.audit.record_id, invalid.audit.outcome], ['area.update', ids.hollinsPark, 'failed']);

    const taken = await postAudited(`/admin/areas/${ids.hollinsPark}`, { name: 'Marsh End', population: '1' });
    assert.equal(taken.response.statusCode, 400);
    assert.match(taken.response.body, /There is already a neighbourhood with this name/);
    assert.match(taken.response.body, /<h1 class="govuk-heading-l">Change Hollins Park<\/h1>/);
    assert.deepEqual(await areaRow(ids.hollinsPark), before);
  });

  test('another programme\'s neighbourhood, a random id and a non-id are not found, audited, and nothing changes', async () => {
    const before = await areaRow(ids.eastmoorMarshEnd);
    for (const id of [ids.eastmoorMarshEnd, randomUUID()]) {
      const page = await admin.get(`/admin/areas/${id}`);
      assert.equal(page.statusCode, 404);
      assert.doesNotMatch(page.body, /BF1, BF2/);
      const read = await lastAudit();
      assert.deepEqual([read.action, read.record_id, read.outcome], ['area.read', id, 'denied']);
      const { response, audit } = await postAudited(`/admin/areas/${id}`, { name: 'Taken Over', population: '1' });
      assert.equal(response.statusCode, 404);
      assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['area.update', id, 'denied']);
    }
    assert.equal((await admin.get('/admin/areas/not-an-id')).statusCode, 404);
    const { response, audit } = await postAudited('/admin/areas/not-an-id', { name: 'Taken Over' });
    assert.equal(response.statusCode, 404);
    assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['area.update', null, 'denied']);
    assert.deepEqual(await areaRow(ids.eastmoorMarshEnd), before);
    assert.equal((await t.db.selectFrom('areas').select('id').where('name', '=', 'Taken Over').execute()).length, 0);
  });
});

describe('users', () => {
  test('the list shows this programme\'s users with role, neighbourhoods and account, and no one else\'s', async () => {
    const page = await admin.get('/admin/users');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Amara Okafor/);
    assert.match(page.body, /coordinator\.marsh@brookfield\.example/);
    assert.match(page.body, /Leadership Group member/);
    assert.match(page.body, /Marsh End/);
    assert.match(page.body, /Jo Bennett<\/a> \(you\)/);
    assert.match(page.body, /<caption[^>]*>6 users<\/caption>/);
    assert.doesNotMatch(page.body, /eastmoor\.example/);
  });

  test('adds a coordinator, who can then sign in with the password chosen and works in their neighbourhood', async () => {
    const { response, audit } = await postAudited('/admin/users', {
      name: 'Nadia Karim',
      email: ' Nadia.Karim@Brookfield.example ',
      role: 'coordinator',
      areaIds: [ids.hollinsPark],
      password: 'a long walk by the canal',
    });
    assert.equal(response.statusCode, 303);
    const row = await userRow('nadia.karim@brookfield.example');
    assert.ok(row, 'the account is stored with its email in small letters');
    assert.equal(response.headers.location, `/admin/users/${row.id}?added=1`);
    assert.match(row.password_hash, /^\$argon2id\$/);
    assert.equal(row.disabled_at, null);
    assert.equal(await roleIn(ids.brookfield, row.id), 'coordinator');
    assert.deepEqual(await coordinatorAreaIds(row.id), [ids.hollinsPark]);
    assert.deepEqual([audit.action, audit.record_type, audit.record_id, audit.outcome], ['user.add', 'user', row.id, 'allowed']);
    assert.doesNotMatch(JSON.stringify(audit.detail), /Nadia|Karim|@/, 'no personal data in the audit detail');

    const confirmation = await admin.get(`/admin/users/${row.id}?added=1`);
    assert.match(confirmation.body, /User added/);
    assert.match(confirmation.body, /<h1 class="govuk-heading-l">Nadia Karim<\/h1>/);

    const nadia = new Client(t.app);
    assert.equal((await nadia.signIn('nadia.karim@brookfield.example', 'a long walk by the canal')).statusCode, 303);
    const people = await nadia.get('/people');
    assert.equal(people.statusCode, 200);
    assert.match(people.body, /People I walk alongside/);
  });

  test('short and common passwords are refused, and the password typed is never sent back', async () => {
    const form = { name: 'Owen Pryce', email: 'owen.pryce@brookfield.example', role: 'manager' };
    const short = await postAudited('/admin/users', { ...form, password: 'brook7' });
    assert.equal(short.response.statusCode, 400);
    assert.match(short.response.body, /href="#password">Password must be 8 characters or more/);
    assert.doesNotMatch(short.response.body, /brook7/);
    assert.match(short.response.body, /value="Owen Pryce"/);
    assert.match(short.response.body, /value="owen.pryce@brookfield.example"/);
    assert.match(short.response.body, /value="manager" checked/);
    assert.equal(short.audit.outcome, 'failed');

    const common = await admin.post('/admin/users', { ...form, password: 'Football' });
    assert.equal(common.statusCode, 400);
    assert.match(common.body, /Choose a password that is harder to guess/);
    assert.doesNotMatch(common.body, /Football/);

    const none = await postAudited('/admin/users', { ...form, password: '' });
    assert.equal(none.response.statusCode, 400);
    assert.match(none.response.body, /href="#password">Enter a password for their new account/);
    assert.equal(await userRow('owen.pryce@brookfield.example'), undefined);
  });

  test('an empty or wrong form lists every problem', async () => {
    const empty = await postAudited('/admin/users', {});
    assert.equal(empty.response.statusCode, 400);
    assert.match(empty.response.body, /href="#name">Enter their full name/);
    assert.match(empty.response.body, /href="#email">Enter their email address/);
    assert.match(empty.response.body, /href="#role">Select their role/);
    assert.deepEqual(empty.audit.detail, { fields: ['name', 'email', 'role'] });
    const wrong = await admin.post('/admin/users', { name: 'Someone', email: 'not an email', role: 'chief' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Enter an email address in the correct format/);
    assert.match(wrong.body, /value="not an email"/);
  });

  test('an email that already belongs to a user of this programme is refused on the email field', async () => {
    const { response, audit } = await postAudited('/admin/users', {
      name: 'Priya Again',
      email: 'MANAGER@brookfield.example',
      role: 'evaluator',
      password: 'another long password',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#email">This email address already belongs to a user of this programme/);
    const manager = await ids.user('manager@brookfield.example');
    assert.equal(await roleIn(ids.brookfield, manager), 'manager');
    assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['user.add', manager, 'failed']);
  });

  test('an email from another programme joins this programme, keeping its own name and password', async () => {
    const email = 'manager@eastmoor.example';
    const before = await userRow(email);
    assert.ok(before);
    const { response, audit } = await postAudited('/admin/users', {
      name: 'A Different Name',
      email,
      role: 'evaluator',
      password: 'a password that is not used',
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/admin/users/${before.id}?joined=1`);
    assert.deepEqual(await userRow(email), before, 'the account itself is unchanged');
    assert.equal((await t.db.selectFrom('users').select('id').where('email', '=', email).execute()).length, 1);
    assert.equal(await roleIn(ids.brookfield, before.id), 'evaluator');
    assert.equal(await roleIn(ids.eastmoor, before.id), 'manager');
    assert.deepEqual(audit.detail, { role: 'evaluator', areaIds: [], account: 'existing' });

    const confirmation = await admin.get(`/admin/users/${before.id}?joined=1`);
    assert.match(confirmation.body, /already had an Alongside account/);
    assert.match(confirmation.body, /the password you entered was not used/);
    assert.match(confirmation.body, new RegExp(`<h1 class="govuk-heading-l">${before.name}</h1>`));

    const them = new Client(t.app);
    assert.equal((await them.signIn(email, 'a password that is not used')).statusCode, 401);
    const signedIn = await them.signIn(email, TEST_PASSWORD);
    assert.equal(signedIn.headers.location, '/programmes', 'two programmes now: they choose one');
  });

  test('neighbourhoods are only kept for coordinators, and must be this programme\'s', async () => {
    const manager = await postAudited('/admin/users', {
      name: 'Rhys Morgan',
      email: 'rhys.morgan@brookfield.example',
      role: 'manager',
      areaIds: [ids.marshEnd, ids.hollinsPark],
      password: 'a long walk by the river',
    });
    assert.equal(manager.response.statusCode, 303);
    const rhys = await ids.user('rhys.morgan@brookfield.example');
    assert.deepEqual(await coordinatorAreaIds(rhys), []);

    const foreign = await postAudited('/admin/users', {
      name: 'Lena Fox',
      email: 'lena.fox@brookfield.example',
      role: 'coordinator',
      areaIds: [ids.eastmoorMarshEnd],
      password: 'a long walk by the sea',
    });
    assert.equal(foreign.response.statusCode, 400);
    assert.match(foreign.response.body, /href="#areaIds">Select neighbourhoods from the list/);
    assert.equal(foreign.audit.outcome, 'failed');
    assert.equal(await userRow('lena.fox@brookfield.example'), undefined);
  });
});

describe('changing a role and neighbourhoods', () => {
  test('a coordinator given another neighbourhood sees its people at once and can record introductions there', async () => {
    const tom = await ids.user('coordinator.hollins@brookfield.example');
    const amara = await ids.user('coordinator.marsh@brookfield.example');
    const personId = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Gwen Tallis', amara);
    const tomClient = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    assert.equal((await tomClient.get(`/people/${personId}`)).statusCode, 404);

    const page = await admin.get(`/admin/users/${tom}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="coordinator" checked/);
    assert.match(page.body, new RegExp(`value="${ids.hollinsPark}" checked`));
    assert.doesNotMatch(page.body, new RegExp(`value="${ids.marshEnd}" checked`));

    const { response, audit } = await postAudited(`/admin/users/${tom}`, { role: 'coordinator', areaIds: [ids.hollinsPark, ids.marshEnd] });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/admin/users/${tom}?saved=1`);
    assert.deepEqual(await coordinatorAreaIds(tom), [ids.hollinsPark, ids.marshEnd].sort());
    assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['user.update', tom, 'allowed']);

    const people = await tomClient.get('/people');
    assert.match(people.body, /Gwen Tallis/);
    assert.equal((await tomClient.get(`/people/${personId}`)).statusCode, 200);
    const form = await tomClient.get('/introductions/new');
    const introduction = await tomClient.post('/introductions', {
      formToken: hiddenField(form.body, 'formToken') ?? '',
      name: 'Harold Penn',
      areaId: ids.marshEnd,
      introducedBy: 'neighbour',
      'introducedOn-day': '2',
      'introducedOn-month': '11',
      'introducedOn-year': '2026',
      whatTheyWouldLikeToChange: 'Get out to the allotments again',
      personKnows: 'knows_and_agrees',
    });
    assert.equal(introduction.statusCode, 303);
    const harold = await t.db.selectFrom('people').select('area_id').where('name', '=', 'Harold Penn').executeTakeFirstOrThrow();
    assert.equal(harold.area_id, ids.marshEnd);
  });

  test('a coordinator moved to another role loses their neighbourhoods; the areas list follows', async () => {
    const tom = await ids.user('coordinator.hollins@brookfield.example');
    const toManager = await postAudited(`/admin/users/${tom}`, { role: 'manager', areaIds: [ids.hollinsPark] });
    assert.equal(toManager.response.statusCode, 303);
    assert.equal(await roleIn(ids.brookfield, tom), 'manager');
    assert.deepEqual(await coordinatorAreaIds(tom), []);
    assert.doesNotMatch((await admin.get('/admin/areas')).body, /Tom Hughes/);

    const back = await postAudited(`/admin/users/${tom}`, { role: 'coordinator', areaIds: ids.hollinsPark });
    assert.equal(back.response.statusCode, 303);
    assert.deepEqual(await coordinatorAreaIds(tom), [ids.hollinsPark]);
    assert.match((await admin.get('/admin/areas')).body, /Tom Hughes/);
  });

  test('an invalid change is shown again with the error summary and changes nothing', async () => {
    const tom = await ids.user('coordinator.hollins@brookfield.example');
    const { response, audit } = await postAudited(`/admin/users/${tom}`, { role: 'boss', areaIds: [ids.marshEnd] });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#role">Select their role/);
    assert.match(response.body, new RegExp(`value="${ids.marshEnd}" checked`), 'what was ticked is kept');
    assert.equal(audit.outcome, 'failed');
    assert.equal(await roleIn(ids.brookfield, tom), 'coordinator');
    assert.deepEqual(await coordinatorAreaIds(tom), [ids.hollinsPark]);

    const junk = await postAudited(`/admin/users/${tom}`, { role: 'coordinator', areaIds: [ids.hollinsPark, 'junk'] });
    assert.equal(junk.response.statusCode, 400);
    assert.match(junk.response.body, /href="#areaIds">Select neighbourhoods from the list/);
    assert.match(junk.response.body, /id="areaIds-error"/, 'the message shows beside the question too');
    assert.deepEqual(junk.audit.detail, { fields: ['areaIds'] });
    assert.deepEqual(await coordinatorAreaIds(tom), [ids.hollinsPark]);
  });

  test('an admin cannot remove their own admin role', async () => {
    const { response, audit } = await postAudited(`/admin/users/${adminId}`, { role: 'manager' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#role">You cannot remove your own admin role/);
    assert.equal(await roleIn(ids.brookfield, adminId), 'admin');
    assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['user.update', adminId, 'denied']);
    assert.equal((await admin.get('/admin')).statusCode, 200);
  });
});

describe('disabling and enabling an account', () => {
  test('disabling needs a yes, ends the user\'s session at once, and stops them signing in until enabled', async () => {
    const email = 'evaluator@brookfield.example';
    const sam = await ids.user(email);
    const samClient = await signedInClient(t.app, email);
    assert.equal((await samClient.get('/overview')).statusCode, 200);
    assert.ok((await sessionsOf(sam)) > 0);

    const page = await admin.get(`/admin/users/${sam}`);
    assert.match(page.body, new RegExp(`action="/admin/users/${sam}/disable"`));

    const unconfirmed = await postAudited(`/admin/users/${sam}/disable`, {});
    assert.equal(unconfirmed.response.statusCode, 400);
    assert.match(unconfirmed.response.body, /There is a problem/);
    assert.match(unconfirmed.response.body, /href="#confirm">Select yes to confirm you want to disable this account/);
    assert.equal(unconfirmed.audit.outcome, 'failed');
    assert.equal((await userRow(email))?.disabled_at, null);
    assert.equal((await samClient.get('/overview')).statusCode, 200, 'still signed in');

    t.clock.advance(60_000);
    const { response, audit } = await postAudited(`/admin/users/${sam}/disable`, { confirm: 'yes' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/admin/users/${sam}?disabled=1`);
    assert.deepEqual((await userRow(email))?.disabled_at, t.clock.now());
    assert.equal(await sessionsOf(sam), 0, 'every session of the account is gone from the database');
    assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['user.disable', sam, 'allowed']);
    assert.equal((audit.detail as { sessionsEnded: number }).sessionsEnded >= 1, true);

    const next = await samClient.get('/overview');
    assert.equal(next.statusCode, 303);
    assert.equal(next.headers.location, '/sign-in');
    assert.equal((await new Client(t.app).signIn(email)).statusCode, 401);

    const shown = await admin.get(`/admin/users/${sam}?disabled=1`);
    assert.match(shown.body, /Account disabled/);
    assert.match(shown.body, /Disabled on 2 November 2026/);
    assert.match((await admin.get('/admin/users')).body, /Disabled/);

    const noYes = await postAudited(`/admin/users/${sam}/enable`, { confirm: 'no' });
    assert.equal(noYes.response.statusCode, 400);
    assert.match(noYes.response.body, /Select yes to confirm you want to enable this account/);
    assert.notEqual((await userRow(email))?.disabled_at, null);

    const enabled = await postAudited(`/admin/users/${sam}/enable`, { confirm: 'yes' });
    assert.equal(enabled.response.statusCode, 303);
    assert.equal(enabled.response.headers.location, `/admin/users/${sam}?enabled=1`);
    assert.equal((await userRow(email))?.disabled_at, null);
    assert.deepEqual([enabled.audit.action, enabled.audit.record_id, enabled.audit.outcome], ['user.enable', sam, 'allowed']);
    assert.equal((await new Client(t.app).signIn(email)).statusCode, 303);
  });

  test('an admin cannot disable their own account', async () => {
    const page = await admin.get(`/admin/users/${adminId}`);
    assert.doesNotMatch(page.body, /\/disable"/, 'no disable form on your own page');
    const { response, audit } = await postAudited(`/admin/users/${adminId}/disable`, { confirm: 'yes' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#account">You cannot disable your own account/);
    assert.equal((await userRow(ADMIN))?.disabled_at, null);
    assert.deepEqual([audit.action, audit.record_id, audit.outcome], ['user.disable', adminId, 'denied']);
    assert.equal((await admin.get('/admin')).statusCode, 200, 'still signed in');
  });
});

describe('another programme\'s users', () => {
  test('their ids, random ids and non-ids are not found on every user route, audited, and nothing changes', async () => {
    const eastmoorCoordinator = await ids.user('coordinator.marsh@eastmoor.example');
    const before = await userRow('coordinator.marsh@eastmoor.example');
    const areasBefore = await coordinatorAreaIds(eastmoorCoordinator);
    for (const id of [eastmoorCoordinator, randomUUID()]) {
      const page = await admin.get(`/admin/users/${id}`);
      assert.equal(page.statusCode, 404);
      assert.doesNotMatch(page.body, /eastmoor\.example/);
      const read = await lastAudit();
      assert.deepEqual([read.action, read.record_id, read.outcome], ['user.read', id, 'denied']);
      const posts: [string, Record<string, string | string[]>, string][] = [
        [`/admin/users/${id}`, { role: 'admin', areaIds: [ids.marshEnd] }, 'user.update'],
        [`/admin/users/${id}/disable`, { confirm: 'yes' }, 'user.disable'],
        [`/admin/users/${id}/enable`, { confirm: 'yes' }, 'user.enable'],
      ];
      for (const [url, form, action] of posts) {
        const { response, audit } = await postAudited(url, form);
        assert.equal(response.statusCode, 404, url);
        assert.deepEqual([audit.action, audit.record_id, audit.outcome], [action, id, 'denied']);
      }
    }
    assert.equal((await admin.get('/admin/users/not-an-id')).statusCode, 404);
    const { response } = await postAudited('/admin/users/not-an-id/disable', { confirm: 'yes' });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(await userRow('coordinator.marsh@eastmoor.example'), before);
    assert.equal(await roleIn(ids.eastmoor, eastmoorCoordinator), 'coordinator');
    assert.equal(await roleIn(ids.brookfield, eastmoorCoordinator), undefined);
    assert.deepEqual(await coordinatorAreaIds(eastmoorCoordinator), areasBefore);
    assert.equal((await new Client(t.app).signIn('coordinator.marsh@eastmoor.example')).statusCode, 303);
  });
});

describe('only admins', () => {
  test('a manager is refused every admin page, and the refusal is audited', async () => {
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const before = await countRows(t.db, 'audit_events');
    const response = await manager.get('/admin/users');
    assert.equal(response.statusCode, 403);
    assert.equal(await countRows(t.db, 'audit_events'), before + 1);
    const audit = await auditOf('programme.administer');
    assert.equal(audit.at(-1)?.outcome, 'denied');
  });
});
