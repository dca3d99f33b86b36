import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, countRows, idsOf } from '../../../test/fixtures.ts';
import type { PersonStatus } from '../../core/db/schema.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const OTHER_MANAGER = 'manager@eastmoor.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let marshId: string;
let hollinsId: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, MANAGER);
  marshId = await ids.user(MARSH);
  hollinsId = await ids.user(HOLLINS);
});
after(async () => {
  await t.close();
});

/** Opens the introduction form as a person would and fills it in; `overrides` change or remove fields. */
async function introductionForm(client: Client, overrides: Record<string, string | undefined> = {}) {
  const page = await client.get('/introductions/new');
  assert.equal(page.statusCode, 200);
  const form: Record<string, string> = {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    name: 'Someone New',
    areaId: ids.marshEnd,
    introducedBy: 'police',
    introducerName: 'PCSO Lee',
    introducerOrganisation: 'Brookfield Police',
    'introducedOn-day': '1',
    'introducedOn-month': '11',
    'introducedOn-year': '2026',
    whatTheyWouldLikeToChange: 'A warm home, and people to talk to.',
    personKnows: 'knows_and_agrees',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) Reflect.deleteProperty(form, key);
    else form[key] = value;
  }
  return form;
}

/** Someone already known, put straight into the database as a seed would, with what the duplicate check reads. */
async function knownPerson(
  name: string,
  facts: { area?: string; dateOfBirth?: string; postcode?: string; preferredName?: string; status?: PersonStatus; coordinatorId?: string | null } = {},
) {
  const id = await addPerson(t.db, ids.brookfield, facts.area ?? ids.marshEnd, name, marshId);
  await t.db
    .updateTable('people')
    .set({
      date_of_birth: facts.dateOfBirth ?? null,
      postcode: facts.postcode ?? null,
      preferred_name: facts.preferredName ?? null,
      status: facts.status ?? 'introduced',
      coordinator_id: facts.coordinatorId === undefined ? marshId : facts.coordinatorId,
    })
    .where('id', '=', id)
    .execute();
  return id;
}

const dob = (iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { 'dateOfBirth-day': day, 'dateOfBirth-month': month, 'dateOfBirth-year': year };
};

async function introductionsOf(personId: string) {
  return t.db
    .selectFrom('introductions')
    .select(['person_knows', 're_introduction', 'introduced_by', 'form_token'])
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .execute();
}

describe('the introduction form', () => {
  test('asks whether the person knows and agrees, and optionally their date of birth or age and postcode', async () => {
    const page = await marsh.get('/introductions/new');
    assert.match(page.body, /Does the person know about and agree to this introduction\?/);
    for (const text of ['Yes, they know and agree', 'They know, but have not agreed yet', 'They do not know yet']) {
      assert.match(page.body, new RegExp(text));
    }
    assert.match(page.body, /name="dateOfBirth-day"/);
    assert.match(page.body, /name="age"/);
    assert.match(page.body, /Postcode \(optional\)/);
  });

  test('the answer is needed, and bad dates, ages and postcodes are refused with the input kept: nothing is written', async () => {
    const peopleBefore = await countRows(t.db, 'people');
    const form = await introductionForm(marsh, {
      personKnows: undefined,
      postcode: 'not a postcode',
      ...dob('2030-01-01'),
      age: '45',
    });
    const response = await marsh.post('/introductions', form);
    assert.equal(response.statusCode, 400);
    for (const [href, message] of [
      ['dateOfBirth-day', 'Their date of birth must be in the past'],
      ['postcode', 'Enter a full UK postcode, like AB1 2CD'],
      ['personKnows', 'Select whether they know about and agree to this introduction'],
    ]) {
      assert.match(response.body, new RegExp(`href="#${href}">${message}`), href);
    }
    assert.match(response.body, /name="postcode" type="text" value="not a postcode"/);
    assert.equal(await countRows(t.db, 'people'), peopleBefore);
  });

  test('what is known is kept: the answer on the introduction, the date of birth and postcode on the person', async () => {
    const form = await introductionForm(marsh, { name: 'Maureen Fisk', personKnows: 'knows_not_agreed', postcode: 'bf1 2aa', ...dob('1955-06-14') });
    const response = await marsh.post('/introductions', form);
    assert.equal(response.statusCode, 303);
    const personId = String(response.headers.location).split('/').pop() ?? '';
    const person = await t.db.selectFrom('people').select(['date_of_birth', 'postcode', 'age_when_recorded']).where('id', '=', personId).executeTakeFirstOrThrow();
    assert.deepEqual(person, { date_of_birth: '1955-06-14', postcode: 'BF1 2AA', age_when_recorded: null });
    assert.deepEqual(
      (await introductionsOf(personId)).map((i) => [i.person_knows, i.re_introduction]),
      [['knows_not_agreed', false]],
    );
    const page = await marsh.get(`/people/${personId}`);
    assert.match(page.body, /Do they know and agree\?/);
    assert.match(page.body, /They know, but have not agreed yet/);
    assert.match(page.body, /Introduced on 1 November 2026/);
  });

  test('an age, when that is all that is known, is kept with the day it was recorded', async () => {
    const response = await marsh.post('/introductions', await introductionForm(marsh, { name: 'Age Only', age: '71', personKnows: 'does_not_know' }));
    assert.equal(response.statusCode, 303);
    const row = await t.db.selectFrom('people').select(['age_when_recorded', 'age_recorded_on', 'date_of_birth']).where('name', '=', 'Age Only').executeTakeFirstOrThrow();
    assert.deepEqual(row, { age_when_recorded: 71, age_recorded_on: '2026-11-02', date_of_birth: null });
  });
});

describe('someone already known', () => {
  test('the same name (case and spaces aside) and date of birth: asked first, nothing recorded, the check audited once', async () => {
    const known = await knownPerson('Dennis Carver', { dateOfBirth: '1981-03-27', status: 'resting' });
    const peopleBefore = await countRows(t.db, 'people');
    const introsBefore = await countRows(t.db, 'introductions');
    const mark = await auditMark(t.db);
    const form = await introductionForm(marsh, { name: '  dennis   CARVER ', ...dob('1981-03-27') });
    const response = await marsh.post('/introductions', form);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<h1 class="govuk-heading-l">Is this someone already known\?<\/h1>/);
    assert.match(response.body, /Dennis Carver/);
    assert.match(response.body, /Marsh End/);
    assert.match(response.body, /Resting \(door open\)/);
    assert.match(response.body, new RegExp(`value="${known}"`));
    assert.match(response.body, /Yes, this is them: record a re-introduction/);
    assert.match(response.body, /No, this is someone new/);
    // Everything typed travels with the answer, with the same one-time token.
    assert.equal(hiddenField(response.body, 'formToken'), form.formToken);
    assert.equal(hiddenField(response.body, 'whatTheyWouldLikeToChange'), 'A warm home, and people to talk to.');
    assert.equal(hiddenField(response.body, 'dateOfBirth-year'), '1981');
    assert.equal(hiddenField(response.body, 'asked'), 'yes');
    assert.equal(await countRows(t.db, 'people'), peopleBefore);
    assert.equal(await countRows(t.db, 'introductions'), introsBefore);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map(({ action, outcome, record_type, record_id, detail }) => ({ action, outcome, record_type, record_id, detail })),
      [{ action: 'introduction.match', outcome: 'allowed', record_type: null, record_id: null, detail: { matches: 1 } }],
    );
  });

  test('a preferred name and the same postcode match too; a different date of birth and postcode, or neither given, do not', async () => {
    const known = await knownPerson('Margaret Oduya', { preferredName: 'Peggy', postcode: 'BF2 7QT', dateOfBirth: '1950-01-01' });
    const byPreferred = await marsh.post('/introductions', await introductionForm(marsh, { name: 'peggy', postcode: 'bf27qt' }));
    assert.equal(byPreferred.statusCode, 200);
    assert.match(byPreferred.body, new RegExp(`value="${known}"`));

    for (const overrides of [{ ...dob('1950-01-02'), postcode: 'BF2 7QU' }, {}]) {
      const response = await marsh.post('/introductions', await introductionForm(marsh, { name: 'Margaret Oduya', ...overrides }));
      assert.equal(response.statusCode, 303, JSON.stringify(overrides));
    }
  });

  test('"No, this is someone new" records a new person, once however often it is sent', async () => {
    await knownPerson('Sam Okoro', { postcode: 'BF1 4XY' });
    const form = await introductionForm(marsh, { name: 'Sam Okoro', postcode: 'BF1 4XY' });
    const asked = await marsh.post('/introductions', form);
    assert.equal(asked.statusCode, 200);
    const mark = await auditMark(t.db);
    const answer = { ...form, asked: 'yes', decision: 'new' };
    const first = await marsh.post('/introductions', answer);
    assert.equal(first.statusCode, 303);
    const again = await Promise.all([1, 2].map(() => marsh.post('/introductions', answer)));
    assert.deepEqual(again.map((r) => r.headers.location), [first.headers.location, first.headers.location]);
    const rows = await t.db.selectFrom('people').select('id').where('name', '=', 'Sam Okoro').execute();
    assert.equal(rows.length, 2, 'the one already known, and the new one');
    const created = (await auditSince(t.db, mark)).filter((r) => r.action === 'person.create');
    assert.equal(created.length, 1);
  });

  test('"Yes, this is them" re-introduces someone resting: a new introduction on their record, the door open again', async () => {
    const known = await knownPerson('Rita Hollis', { dateOfBirth: '1960-02-29', status: 'resting', coordinatorId: null });
    const form = await introductionForm(marsh, { name: 'Rita Hollis', ...dob('1960-02-29'), postcode: 'BF1 1AB', personKnows: 'knows_and_agrees' });
    assert.equal((await marsh.post('/introductions', form)).statusCode, 200);
    const peopleBefore = await countRows(t.db, 'people');
    const mark = await auditMark(t.db);
    const answer = { ...form, asked: 'yes', decision: known };
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post('/introductions', answer)));
    assert.deepEqual(new Set(responses.map((r) => `${r.statusCode} ${String(r.headers.location)}`)), new Set([`303 /people/${known}`]));
    assert.equal(await countRows(t.db, 'people'), peopleBefore, 'no second person');
    assert.deepEqual(
      (await introductionsOf(known)).map((i) => [i.re_introduction, i.person_knows]),
      [
        [false, null],
        [true, 'knows_and_agrees'],
      ],
    );
    const person = await t.db.selectFrom('people').select(['status', 'postcode', 'date_of_birth', 'coordinator_id']).where('id', '=', known).executeTakeFirstOrThrow();
    assert.deepEqual(person, { status: 'getting_to_know', postcode: 'BF1 1AB', date_of_birth: '1960-02-29', coordinator_id: marshId });
    const changes = await t.db.selectFrom('person_status_changes').select(['from_status', 'to_status', 're_introduced']).where('person_id', '=', known).execute();
    assert.deepEqual(changes, [{ from_status: 'resting', to_status: 'getting_to_know', re_introduced: true }]);
    // Each request is audited on the person; one of them recorded the introduction.
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(new Set(audit.map(({ action, outcome, record_id }) => `${action} ${outcome} ${String(record_id)}`)), new Set([`introduction.reintroduce allowed ${known}`]));
    assert.equal(audit.filter((r) => r.detail.introductionId !== undefined && r.detail.reopened === true).length, 1);
    const page = await marsh.get(`/people/${known}`);
    assert.match(page.body, /Re-introduced on 1 November 2026/);
    assert.match(page.body, /Getting to know/);
  });

  test('someone moved on is re-introduced too; someone still walked alongside keeps their status and details', async () => {
    const movedOn = await knownPerson('Owen Price', { postcode: 'BF2 3CD', status: 'moved_on' });
    const walking = await knownPerson('Ayo Bello', { postcode: 'BF2 3CE', dateOfBirth: '1970-05-05', status: 'walking_alongside' });
    for (const [id, name, postcode] of [
      [movedOn, 'Owen Price', 'BF2 3CD'],
      [walking, 'Ayo Bello', 'BF2 3CE'],
    ] as const) {
      const form = await introductionForm(marsh, { name, postcode, ...dob('1999-09-09') });
      const response = await marsh.post('/introductions', { ...form, asked: 'yes', decision: id });
      assert.equal(response.statusCode, 303);
    }
    const rows = await t.db.selectFrom('people').select(['id', 'status', 'date_of_birth']).where('id', 'in', [movedOn, walking]).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get(movedOn)?.status, 'getting_to_know');
    assert.equal(byId.get(movedOn)?.date_of_birth, '1999-09-09', 'a gap in the record is filled');
    assert.equal(byId.get(walking)?.status, 'walking_alongside');
    assert.equal(byId.get(walking)?.date_of_birth, '1970-05-05', 'what is recorded is never overwritten');
  });

  test('someone known outside the coordinator\'s neighbourhoods: only where, and whom to talk to, never their record', async () => {
    const hollinsPerson = await knownPerson('Grace Mensah', { area: ids.hollinsPark, postcode: 'BF3 9ZZ', status: 'walking_alongside', coordinatorId: hollinsId });
    const form = await introductionForm(marsh, { name: 'Grace Mensah', postcode: 'BF3 9ZZ' });
    const response = await marsh.post('/introductions', form);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Someone with these details is known in Hollins Park/);
    assert.match(response.body, /Talk to Priya Shah, the programme’s manager,/);
    assert.doesNotMatch(response.body, new RegExp(hollinsPerson));
    assert.doesNotMatch(response.body, /Walking alongside/);
    assert.doesNotMatch(response.body, /Yes, this is/);
    assert.match(response.body, /No, this is someone new/);

    // Naming them anyway, by editing the form, is refused as not found, audited, and changes nothing.
    const mark = await auditMark(t.db);
    const tampered = await marsh.post('/introductions', { ...form, asked: 'yes', decision: hollinsPerson });
    assert.equal(tampered.statusCode, 404);
    assert.doesNotMatch(tampered.body, /Grace Mensah/);
    assert.equal((await introductionsOf(hollinsPerson)).length, 1);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map(({ action, outcome, record_id }) => ({ action, outcome, record_id })),
      [{ action: 'introduction.reintroduce', outcome: 'denied', record_id: hollinsPerson }],
    );

    // A manager sees every match in the programme.
    const managerForm = await introductionForm(manager, { name: 'Grace Mensah', postcode: 'BF3 9ZZ', areaId: ids.hollinsPark });
    const managerPage = await manager.post('/introductions', managerForm);
    assert.equal(managerPage.statusCode, 200);
    assert.match(managerPage.body, new RegExp(`value="${hollinsPerson}"`));
    assert.match(managerPage.body, /Walking alongside/);
  });

  test('left unanswered, the question is asked again with a message; "Change the details" goes back to the form as typed', async () => {
    await knownPerson('Lena Ruiz', { postcode: 'BF1 8PP' });
    const form = await introductionForm(marsh, { name: 'Lena Ruiz', postcode: 'BF1 8PP' });
    const peopleBefore = await countRows(t.db, 'people');
    const unanswered = await marsh.post('/introductions', { ...form, asked: 'yes' });
    assert.equal(unanswered.statusCode, 400);
    assert.match(unanswered.body, /There is a problem/);
    assert.match(unanswered.body, /href="#decision">Select whether this is someone already known or someone new/);
    assert.equal(hiddenField(unanswered.body, 'formToken'), form.formToken);

    const back = await marsh.post('/introductions', { ...form, asked: 'yes', change: 'yes' });
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /<h1 class="govuk-heading-l">Record an introduction<\/h1>/);
    assert.match(back.body, /name="postcode" type="text" value="BF1 8PP"/);
    assert.equal(hiddenField(back.body, 'formToken'), form.formToken);
    assert.equal(await countRows(t.db, 'people'), peopleBefore);
  });
});

describe('introductions waiting for a coordinator', () => {
  test('a manager sees who is waiting by neighbourhood: when, by whom, and how long (time since)', async () => {
    const waiting = await knownPerson('Waiting Person', { area: ids.hollinsPark, coordinatorId: null });
    const restingWithout = await knownPerson('Resting Without', { coordinatorId: null, status: 'resting' });
    const withCoordinator = await knownPerson('Has Coordinator');
    const mark = await auditMark(t.db);
    const page = await manager.get('/introductions/waiting');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 class="govuk-heading-m">Hollins Park<\/h2>/);
    const row = page.body.slice(page.body.indexOf(`/people/${waiting}"`));
    assert.match(row, /Waiting Person/);
    assert.match(row, /1 October 2026/);
    assert.match(row, /A neighbour/);
    assert.match(row, /4 weeks ago/);
    assert.match(row, new RegExp(`href="/people/${waiting}/coordinator"`));
    assert.doesNotMatch(page.body, new RegExp(restingWithout));
    assert.doesNotMatch(page.body, new RegExp(withCoordinator));
    const audit = await auditSince(t.db, mark);
    const [read] = audit;
    assert.equal(audit.length, 1);
    assert.ok(read !== undefined);
    assert.equal(read.action, 'introductions.waiting');
    assert.equal(typeof read.detail.people, 'number');
    assert.match(page.body, /href="\/introductions\/waiting" aria-current="true"/, "the menu shows where the manager is");

    const coordinator = await marsh.get('/introductions/waiting');
    assert.equal(coordinator.statusCode, 403);
    const eastmoor = await signedInClient(t.app, OTHER_MANAGER);
    const other = await eastmoor.get('/introductions/waiting');
    assert.equal(other.statusCode, 200);
    assert.doesNotMatch(other.body, /Waiting Person/);
  });

  test('a manager chooses among the coordinators of the person\'s neighbourhood; they then stop waiting', async () => {
    const personId = await knownPerson('Needs Someone', { coordinatorId: null });
    const form = await manager.get(`/people/${personId}/coordinator`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Amara Okafor/);
    assert.doesNotMatch(form.body, /Tom Hughes/, 'only the coordinators of Marsh End');
    const version = hiddenField(form.body, 'version') ?? '';

    // Someone from another neighbourhood is refused, and nothing changes.
    const wrong = await manager.post(`/people/${personId}/coordinator`, { version, coordinatorId: hollinsId });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Select one of the coordinators of Marsh End/);

    const mark = await auditMark(t.db);
    const saved = await manager.post(`/people/${personId}/coordinator`, { version, coordinatorId: marshId });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/people/${personId}`);
    const row = await t.db.selectFrom('people').select('coordinator_id').where('id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(row.coordinator_id, marshId);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, record_id, detail }) => ({ action, outcome, record_id, detail })),
      [{ action: 'coordinator.assign', outcome: 'allowed', record_id: personId, detail: { coordinatorId: marshId } }],
    );
    assert.doesNotMatch((await manager.get('/introductions/waiting')).body, /Needs Someone/);
    assert.match((await manager.get(`/people/${personId}`)).body, /Amara Okafor/);
  });

  test('a choice made from an older version of the record is refused with both shown; nothing changes', async () => {
    const personId = await knownPerson('Two Managers', { coordinatorId: null });
    const version = hiddenField((await manager.get(`/people/${personId}/coordinator`)).body, 'version') ?? '';
    await t.db.updateTable('people').set((eb) => ({ version: eb('version', '+', 1), coordinator_id: marshId, updated_by: marshId })).where('id', '=', personId).execute();
    await t.db.updateTable('people').set({ coordinator_id: null }).where('id', '=', personId).execute();
    const stale = await manager.post(`/people/${personId}/coordinator`, { version, coordinatorId: marshId });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /Amara Okafor/);
    assert.notEqual(hiddenField(stale.body, 'version'), version, 'the form now carries the version just shown');
    const row = await t.db.selectFrom('people').select('coordinator_id').where('id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(row.coordinator_id, null);
  });

  test('only a manager of the programme chooses: coordinators are refused, other programmes and bad ids find nobody', async () => {
    const personId = await knownPerson('Not Yours', { coordinatorId: null });
    assert.equal((await marsh.get(`/people/${personId}/coordinator`)).statusCode, 403);
    assert.equal((await marsh.post(`/people/${personId}/coordinator`, { version: '1', coordinatorId: marshId })).statusCode, 403);
    const eastmoor = await signedInClient(t.app, OTHER_MANAGER);
    const mark = await auditMark(t.db);
    assert.equal((await eastmoor.get(`/people/${personId}/coordinator`)).statusCode, 404);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome }) => ({ action, outcome })),
      [{ action: 'coordinator.read', outcome: 'denied' }],
    );
    assert.equal((await manager.get(`/people/${randomUUID()}/coordinator`)).statusCode, 404);
    assert.equal((await manager.post(`/people/${personId}/coordinator`, { version: 'x', coordinatorId: 'nobody' })).statusCode, 400);
    const row = await t.db.selectFrom('people').select('coordinator_id').where('id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(row.coordinator_id, null);
  });
});
