import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, idsOf } from '../../../test/fixtures.ts';
import { auditMark, auditSince } from '../../../test/fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  manager = await signedInClient(t.app, 'manager@brookfield.example');
});
after(async () => {
  await t.close();
});

async function newPerson(name: string): Promise<string> {
  return addPerson(t.db, ids.brookfield, ids.marshEnd, name, await ids.user('coordinator.marsh@brookfield.example'));
}


/** Opens the details form as a person would and fills it in; `overrides` change or remove fields. */
async function detailsForm(client: Client, personId: string, overrides: Record<string, string | undefined> = {}) {
  const page = await client.get(`/people/${personId}/details`);
  assert.equal(page.statusCode, 200);
  const form: Record<string, string> = {
    version: hiddenField(page.body, 'version') ?? '',
    name: 'Winifred Ashdown',
    preferredName: 'Win',
    pronouns: 'she/her',
    'dateOfBirth-day': '14',
    'dateOfBirth-month': '2',
    'dateOfBirth-year': '1955',
    age: '',
    phone: '01632 960 001',
    email: 'win@example.com',
    addressLine1: '4 Canal Row',
    addressLine2: '',
    town: 'Brookfield',
    postcode: ' bf1  2xy ',
    preferredLanguage: 'welsh',
    preferredLanguageOther: '',
    interpreterNeeded: 'no',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) Reflect.deleteProperty(form, key);
    else form[key] = value;
  }
  return form;
}

async function stored(personId: string) {
  return t.db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
}

describe("the person's details", () => {
  test('a coordinator fills in the details; the overview shows them, the postcode in its proper shape', async () => {
    const id = await newPerson('Winifred A');
    const response = await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id));
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/people/${id}`);
    const row = await stored(id);
    assert.equal(row.name, 'Winifred Ashdown');
    assert.equal(row.postcode, 'BF1 2XY');
    assert.equal(row.date_of_birth, '1955-02-14');
    assert.equal(row.age_when_recorded, null);
    assert.equal(row.preferred_language, 'welsh');
    assert.equal(row.preferred_language_other, null);
    assert.equal(row.interpreter_needed, false);
    assert.equal(row.version, 2, 'the save bumped the version');
    assert.equal(row.updated_by, await ids.user('coordinator.marsh@brookfield.example'));

    const page = await marsh.get(`/people/${id}`);
    assert.match(page.body, /<h1 class="govuk-heading-l">Winifred Ashdown<\/h1>/);
    for (const text of ['Win', 'she/her', '71, born 14 February 1955', '01632 960 001', 'win@example.com', 'Welsh \\(Cymraeg\\)', 'Not needed']) {
      assert.match(page.body, new RegExp(`<p class="govuk-body">${text}</p>`), text);
    }
    assert.match(page.body, /<p class="govuk-body">4 Canal Row<br>Brookfield<br>BF1 2XY<\/p>/);
    for (const [field, label] of [
      ['name', 'name'],
      ['preferredName', 'preferred name'],
      ['dateOfBirth-day', 'age'],
      ['addressLine1', 'address'],
      ['preferredLanguage', 'preferred language'],
      ['interpreterNeeded', 'interpreter'],
    ]) {
      assert.match(
        page.body,
        new RegExp(`href="/people/${id}/details#${field}">\\s*Change<span class="govuk-visually-hidden"> ${label}</span>`),
        'each detail has a change link to its own field',
      );
    }
  });

  test('the form opens with what is stored, and the version to edit from', async () => {
    const id = await newPerson('Prefilled Person');
    await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { name: 'Prefilled Person' }));
    const page = await marsh.get(`/people/${id}/details`);
    assert.match(page.body, /name="version" value="2"/);
    assert.match(page.body, /name="postcode"[^>]*value="BF1 2XY"/);
    assert.match(page.body, /name="dateOfBirth-year"[^>]*value="1955"/);
    const ageInput = /<input[^>]*name="age"[^>]*>/.exec(page.body)?.[0] ?? '';
    assert.match(ageInput, /id="age"/);
    assert.doesNotMatch(ageInput, /value="[^"]/, 'a date of birth is known, so no age is shown');
    assert.match(page.body, /value="welsh" checked/);
    assert.match(page.body, /value="no" checked/);
  });

  test('when only an age is known, it is kept with the day it was recorded, and grows with time', async () => {
    const id = await newPerson('Age Only');
    const both = await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { age: '45' }));
    assert.equal(both.statusCode, 400, 'a date of birth and an age: which is right is for the coordinator to say');
    assert.match(both.body, /href="#age">Enter their date of birth or their age, not both/);
    const form = await detailsForm(marsh, id, { name: 'Age Only', age: '45', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' });
    assert.equal((await marsh.post(`/people/${id}/details`, form)).statusCode, 303);
    let row = await stored(id);
    assert.deepEqual([row.date_of_birth, row.age_when_recorded, row.age_recorded_on], [null, 45, '2026-11-02']);
    assert.match((await marsh.get(`/people/${id}`)).body, /45 \(recorded as 45 on 2 November 2026\)/);

    // A year and a month on (the sessions' clock stays put: the recorded day moves back instead).
    await t.db.updateTable('people').set({ age_recorded_on: '2025-10-01' }).where('id', '=', id).execute();
    assert.match((await marsh.get(`/people/${id}`)).body, /About 46 \(recorded as 45 on 1 October 2025\)/);
    // Saving the form again, with the age it now shows, keeps the day the age was first recorded.
    const page = await marsh.get(`/people/${id}/details`);
    assert.match(page.body, /name="age"[^>]*value="46"/);
    const again = await detailsForm(marsh, id, { name: 'Age Only, Renamed', age: '46', pronouns: 'he/him', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' });
    assert.equal((await marsh.post(`/people/${id}/details`, again)).statusCode, 303);
    row = await stored(id);
    assert.deepEqual([row.age_when_recorded, row.age_recorded_on], [45, '2025-10-01']);
    assert.deepEqual([row.name, row.pronouns], ['Age Only, Renamed', 'he/him'], 'the other details are saved as typed');
    // A different age is a new fact, recorded today.
    assert.equal((await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { age: '50', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' }))).statusCode, 303);
    row = await stored(id);
    assert.deepEqual([row.age_when_recorded, row.age_recorded_on], [50, '2026-11-02']);
    // And "not known" forgets both.
    assert.equal((await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { age: '', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' }))).statusCode, 303);
    row = await stored(id);
    assert.deepEqual([row.date_of_birth, row.age_when_recorded, row.age_recorded_on], [null, null, null]);
  });

  test('another language opens a text box, which is then needed', async () => {
    const id = await newPerson('Language Person');
    const missing = await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { preferredLanguage: 'other', interpreterNeeded: 'yes' }));
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /href="#preferredLanguageOther">Enter their preferred language/);
    const saved = await marsh.post(
      `/people/${id}/details`,
      await detailsForm(marsh, id, { preferredLanguage: 'other', preferredLanguageOther: 'Polish', interpreterNeeded: 'yes' }),
    );
    assert.equal(saved.statusCode, 303);
    const row = await stored(id);
    assert.deepEqual([row.preferred_language, row.preferred_language_other, row.interpreter_needed], ['other', 'Polish', true]);
    // Text left in the box of an option no longer chosen is not kept.
    await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { preferredLanguage: 'english', preferredLanguageOther: 'Polish' }));
    const after = await stored(id);
    assert.deepEqual([after.preferred_language, after.preferred_language_other], ['english', null]);
  });

  test('an invalid form comes back with every message in page order, everything typed kept, and nothing saved', async () => {
    const id = await newPerson('Invalid Details');
    const before = await stored(id);
    const response = await marsh.post(
      `/people/${id}/details`,
      await detailsForm(marsh, id, {
        name: ' ',
        'dateOfBirth-day': '30',
        'dateOfBirth-month': '2',
        phone: 'call me <maybe>',
        email: 'not-an-email',
        postcode: 'SW1A 1A',
        preferredLanguage: 'klingon',
        interpreterNeeded: 'perhaps',
      }),
    );
    assert.equal(response.statusCode, 400);
    const expected = [
      ['name', 'Enter the person&#39;s name'],
      ['dateOfBirth-day', 'Their date of birth must be a real date'],
      ['phone', 'Enter a phone number'],
      ['email', 'Enter an email address in the correct format'],
      ['postcode', 'Enter a full UK postcode'],
      ['preferredLanguage', 'Select their preferred language'],
      ['interpreterNeeded', 'Select yes if they need an interpreter'],
    ];
    const links = [...response.body.matchAll(/<a href="#([\w-]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    assert.equal(links.length, expected.length, JSON.stringify(links));
    for (const [i, [field, message]] of expected.entries()) {
      assert.equal(links[i]?.[0], field);
      assert.ok(links[i]?.[1]?.startsWith(message ?? ''), `${field}: ${links[i]?.[1] ?? ''}`);
    }
    assert.match(response.body, /value="call me &lt;maybe&gt;"/);
    assert.match(response.body, /value="SW1A 1A"/);
    assert.match(response.body, /name="dateOfBirth-day"[^>]*value="30"/);
    assert.deepEqual(await stored(id), before);
  });

  test('a date of birth cannot be in the future, nor an age beyond belief', async () => {
    const id = await newPerson('Future Birth');
    const future = await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { 'dateOfBirth-year': '2027' }));
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /Their date of birth must be in the past/);
    const old = await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { age: '131', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' }));
    assert.equal(old.statusCode, 400);
    assert.match(old.body, /Their age must be 130 or less/);
    const words = await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { age: 'forty', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' }));
    assert.match(words.body, /href="#age">Enter their age as a whole number/);
  });

  test('postcodes of every UK shape are stored upper-case with one space; other shapes are refused', async () => {
    const id = await newPerson('Postcode Shapes');
    for (const [typed, kept] of [
      ['m11aa', 'M1 1AA'],
      ['B33 8TH', 'B33 8TH'],
      ['cr2 6xh', 'CR2 6XH'],
      ['dn55 1pt', 'DN55 1PT'],
      ['w1a 1hq', 'W1A 1HQ'],
      ['ec1a1bb', 'EC1A 1BB'],
    ] as const) {
      assert.equal((await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { postcode: typed }))).statusCode, 303, typed);
      assert.equal((await stored(id)).postcode, kept);
    }
    for (const typed of ['12345', 'BF1', 'BF1 2XYZ', "BF1' OR '1'='1", 'ÅB1 2CD']) {
      const response = await marsh.post(`/people/${id}/details`, await detailsForm(marsh, id, { postcode: typed }));
      assert.equal(response.statusCode, 400, typed);
    }
  });

  test('two people editing at once: the second save is refused with both versions shown, and nothing is lost', async () => {
    const id = await newPerson('Edited Twice');
    const coordinatorForm = await detailsForm(marsh, id, { name: 'Edited Twice', phone: '07700 900 111' });
    const managerForm = await detailsForm(manager, id, { name: 'Edited Twice', phone: '07700 900 222', pronouns: 'they/them' });
    assert.equal(coordinatorForm.version, managerForm.version);

    assert.equal((await manager.post(`/people/${id}/details`, managerForm)).statusCode, 303);
    const conflict = await marsh.post(`/people/${id}/details`, coordinatorForm);
    assert.equal(conflict.statusCode, 409);
    assert.match(conflict.body, /Not saved: someone else changed this first/);
    assert.match(conflict.body, /Priya Shah saved a change/);
    // Both versions, side by side, only where they differ.
    assert.match(conflict.body, /<th scope="row" class="govuk-table__header">Phone<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">07700 900 222<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">07700 900 111<\/p><\/td>/);
    assert.match(conflict.body, /<th scope="row" class="govuk-table__header">Pronouns<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">they\/them<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">she\/her<\/p><\/td>/);
    assert.doesNotMatch(conflict.body, /scope="row" class="govuk-table__header">Email</, 'rows that agree are not listed');
    // The form holds this person's input, with the new version to save from.
    assert.match(conflict.body, /name="phone"[^>]*value="07700 900 111"/);
    assert.equal(hiddenField(conflict.body, 'version'), '2');
    const row = await stored(id);
    assert.deepEqual([row.phone, row.pronouns, row.version], ['07700 900 222', 'they/them', 2], "the manager's save stands");

    // Saving again from the re-shown form works.
    const resave = await marsh.post(`/people/${id}/details`, { ...coordinatorForm, version: '2' });
    assert.equal(resave.statusCode, 303);
    assert.deepEqual([(await stored(id)).phone, (await stored(id)).version], ['07700 900 111', 3]);
  });

  test('two saves racing from one version: exactly one wins', async () => {
    const id = await newPerson('Raced Details');
    const form = await detailsForm(marsh, id, { name: 'Raced Details' });
    const responses = await Promise.all(['07700 900 001', '07700 900 002', '07700 900 003'].map((phone) => marsh.post(`/people/${id}/details`, { ...form, phone })));
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [303, 409, 409]);
    assert.equal((await stored(id)).version, 2);
  });

  test('each read and each save leaves exactly one audit row', async () => {
    const auditRows = async (mark: string) =>
      (await auditSince(t.db, mark)).map(({ action, outcome, record_id, actor_user_id }) => ({ action, outcome, record_id, actor_user_id }));
    const id = await newPerson('Audited Details');
    const marshId = await ids.user('coordinator.marsh@brookfield.example');
    let before = await auditMark(t.db);
    const form = await detailsForm(marsh, id, { name: 'Audited Details' });
    assert.deepEqual(await auditRows(before), [{ action: 'details.read', outcome: 'allowed', record_id: id, actor_user_id: marshId }]);
    before = await auditMark(t.db);
    await marsh.post(`/people/${id}/details`, form);
    assert.deepEqual(await auditRows(before), [{ action: 'details.update', outcome: 'allowed', record_id: id, actor_user_id: marshId }]);
    before = await auditMark(t.db);
    await marsh.post(`/people/${id}/details`, { ...form, name: '' });
    // A form with problems is an access too, recorded as not done, with the fields at fault but not what was typed.
    assert.deepEqual(await auditRows(before), [{ action: 'details.update', outcome: 'failed', record_id: id, actor_user_id: marshId }]);
    assert.deepEqual((await auditSince(t.db, before)).map((r) => r.detail), [{ reason: 'form had problems', fields: ['name'] }]);
    before = await auditMark(t.db);
    await marsh.post(`/people/${id}/details`, { ...form, name: 'Saved From A Stale Form' });
    assert.deepEqual(await auditRows(before), [{ action: 'details.update', outcome: 'failed', record_id: id, actor_user_id: marshId }]);
    assert.deepEqual((await auditSince(t.db, before)).map((r) => r.detail), [{ reason: 'changed by someone else first' }]);
  });

  test('another coordinator, another programme and a random id get not found, audited; leadership is refused', async () => {
    const id = await newPerson('Private Details');
    const form = await detailsForm(marsh, id, { name: 'Changed By Someone Else' });
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    for (const [client, personId] of [
      [hollins, id],
      [eastmoor, id],
      [marsh, randomUUID()],
    ] as const) {
      const before = await auditMark(t.db);
      const page = await client.get(`/people/${personId}/details`);
      assert.equal(page.statusCode, 404);
      assert.doesNotMatch(page.body, /Private Details/);
      const save = await client.post(`/people/${personId}/details`, form);
      assert.equal(save.statusCode, 404);
      const rows = await auditSince(t.db, before);
      assert.deepEqual(
        rows.map((r) => [r.action, r.outcome, r.record_id]),
        [
          ['details.read', 'denied', personId],
          ['details.update', 'denied', personId],
        ],
      );
    }
    assert.equal((await stored(id)).name, 'Private Details');
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.get(`/people/${id}/details`)).statusCode, 403);
    assert.equal((await marsh.get('/people/not-a-uuid/details')).statusCode, 404);
  });
});
