import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
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

async function members(personId: string) {
  return t.db.selectFrom('household_members').selectAll().where('person_id', '=', personId).orderBy('created_at').execute();
}


/** Opens the "add someone" form and fills it in; `overrides` change or remove fields. */
async function addForm(client: Client, personId: string, overrides: Record<string, string | undefined> = {}) {
  const page = await client.get(`/people/${personId}/household/new`);
  assert.equal(page.statusCode, 200);
  const form: Record<string, string> = {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    name: 'Kit Ashdown',
    relationship: 'grandson',
    age: '9',
    notes: 'Stays at weekends.\nLoves the allotment.',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) Reflect.deleteProperty(form, key);
    else form[key] = value;
  }
  return form;
}

/** Opens the change form of a household member, filled in as it stands. */
async function changeForm(client: Client, personId: string, memberId: string, overrides: Record<string, string> = {}) {
  const page = await client.get(`/people/${personId}/household/change?member=${memberId}`);
  assert.equal(page.statusCode, 200);
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page.body)?.[1] ?? '';
  return {
    member: hiddenField(page.body, 'member') ?? '',
    version: hiddenField(page.body, 'version') ?? '',
    name: value('name'),
    relationship: value('relationship'),
    age: value('age'),
    notes: '',
    ...overrides,
  };
}

describe('household and family', () => {
  test('the overview invites adding the household, and lists who is added, with their details', async () => {
    const id = await newPerson('Household Person');
    const empty = await marsh.get(`/people/${id}`);
    assert.match(empty.body, /<h2 class="govuk-heading-m" id="household">Household and family<\/h2>/);
    assert.match(empty.body, /No one is recorded yet/);
    assert.match(empty.body, new RegExp(`href="/people/${id}/household/new"`));

    const response = await marsh.post(`/people/${id}/household`, await addForm(marsh, id));
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/people/${id}#household`);
    const [member] = await members(id);
    assert.ok(member !== undefined);
    assert.deepEqual(
      [member.name, member.relationship, member.age_when_recorded, member.age_recorded_on, member.date_of_birth, member.version],
      ['Kit Ashdown', 'grandson', 9, '2026-11-02', null, 1],
    );

    const page = await marsh.get(`/people/${id}`);
    assert.doesNotMatch(page.body, /No one is recorded yet/);
    assert.match(page.body, /<h3 class="govuk-summary-card__title">\s*Kit Ashdown\s*<\/h3>/);
    assert.match(page.body, /<p class="govuk-body">grandson<\/p>/);
    assert.match(page.body, /<p class="govuk-body">9 \(recorded as 9 on 2 November 2026\)<\/p>/);
    assert.match(page.body, /<p class="govuk-body">Stays at weekends.<br>Loves the allotment.<\/p>/);
    assert.match(
      page.body,
      new RegExp(`href="/people/${id}/household/change\\?member=${member.id}">\\s*Change or remove<span class="govuk-visually-hidden"> \\(Kit Ashdown\\)`),
    );
  });

  test('age and date of birth are optional; a date of birth is kept as a date', async () => {
    const id = await newPerson('Optional Ages');
    const unknown = await marsh.post(`/people/${id}/household`, await addForm(marsh, id, { name: 'No Age', age: undefined, notes: '' }));
    assert.equal(unknown.statusCode, 303);
    const dated = await marsh.post(
      `/people/${id}/household`,
      await addForm(marsh, id, { name: 'Dated', 'dateOfBirth-day': '1', 'dateOfBirth-month': '9', 'dateOfBirth-year': '2015', age: '' }),
    );
    assert.equal(dated.statusCode, 303);
    const rows = await members(id);
    assert.deepEqual(
      rows.map((r) => [r.name, r.date_of_birth, r.age_when_recorded, r.notes]),
      [
        ['No Age', null, null, null],
        ['Dated', '2015-09-01', null, 'Stays at weekends.\nLoves the allotment.'],
      ],
    );
    assert.match((await marsh.get(`/people/${id}`)).body, /11, born 1 September 2015/);
  });

  test('an invalid form comes back with the messages in page order and everything typed kept; nothing is added', async () => {
    const id = await newPerson('Invalid Household');
    const response = await marsh.post(
      `/people/${id}/household`,
      await addForm(marsh, id, { name: '', relationship: '', age: '-3', notes: '<b>bold</b>' }),
    );
    assert.equal(response.statusCode, 400);
    const links = [...response.body.matchAll(/<a href="#([\w-]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links, ['name', 'relationship', 'age']);
    assert.match(response.body, /Enter who they are to the person/);
    assert.match(response.body, /name="age"[^>]*value="-3"/);
    assert.match(response.body, /&lt;b&gt;bold&lt;\/b&gt;<\/textarea>/);
    assert.deepEqual(await members(id), []);
  });

  test('the same form sent twice, one after the other or at once, adds one person to the household', async () => {
    const id = await newPerson('Double Household');
    const form = await addForm(marsh, id, { name: 'Once Only' });
    const first = await marsh.post(`/people/${id}/household`, form);
    const second = await marsh.post(`/people/${id}/household`, form);
    assert.deepEqual([first.statusCode, second.statusCode], [303, 303]);
    const raced = await addForm(marsh, id, { name: 'Raced Once' });
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(`/people/${id}/household`, raced)));
    assert.deepEqual(responses.map((r) => r.statusCode), [303, 303, 303]);
    assert.deepEqual((await members(id)).map((m) => m.name), ['Once Only', 'Raced Once']);
  });

  test('a household member is changed with the version check, and two editors at once see both versions', async () => {
    const id = await newPerson('Changing Household');
    await marsh.post(`/people/${id}/household`, await addForm(marsh, id, { name: 'Sam Change', relationship: 'son' }));
    const [member] = await members(id);
    assert.ok(member !== undefined);

    const page = await marsh.get(`/people/${id}/household/change?member=${member.id}`);
    assert.match(page.body, /name="relationship"[^>]*value="son"/);
    assert.match(page.body, /name="age"[^>]*value="9"/);
    assert.match(page.body, /Remove Sam Change from the household/);

    const mine = await changeForm(marsh, id, member.id, { relationship: 'stepson', notes: 'Mine' });
    const theirs = await changeForm(manager, id, member.id, { relationship: 'son (lives away)' });
    assert.equal((await manager.post(`/people/${id}/household/change`, theirs)).statusCode, 303);
    const conflict = await marsh.post(`/people/${id}/household/change`, mine);
    assert.equal(conflict.statusCode, 409);
    assert.match(conflict.body, /Priya Shah saved a change/);
    assert.match(
      conflict.body,
      /<th scope="row" class="govuk-table__header">Who they are<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">son \(lives away\)<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">stepson<\/p><\/td>/,
    );
    assert.match(conflict.body, /name="relationship"[^>]*value="stepson"/, 'the form keeps what this person typed');
    assert.equal(hiddenField(conflict.body, 'version'), '2');
    let [row] = await members(id);
    assert.equal(row?.relationship, 'son (lives away)');

    assert.equal((await marsh.post(`/people/${id}/household/change`, { ...mine, version: '2' })).statusCode, 303);
    [row] = await members(id);
    assert.deepEqual([row?.relationship, row?.notes, row?.version], ['stepson', 'Mine', 3]);

    const invalid = await marsh.post(`/people/${id}/household/change`, { ...mine, version: '3', name: '' });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /href="#name">Enter their name/);
  });

  test('removing someone deletes them; a second click is harmless', async () => {
    const id = await newPerson('Removing Household');
    await marsh.post(`/people/${id}/household`, await addForm(marsh, id, { name: 'Leaving Soon' }));
    await marsh.post(`/people/${id}/household`, await addForm(marsh, id, { name: 'Staying Put' }));
    const leaving = (await members(id)).find((m) => m.name === 'Leaving Soon');
    assert.ok(leaving !== undefined);
    await marsh.get(`/people/${id}/household/change?member=${leaving.id}`);
    const first = await marsh.post(`/people/${id}/household/remove`, { member: leaving.id });
    const second = await marsh.post(`/people/${id}/household/remove`, { member: leaving.id });
    assert.deepEqual([first.statusCode, second.statusCode], [303, 303]);
    assert.deepEqual((await members(id)).map((m) => m.name), ['Staying Put']);
    assert.doesNotMatch((await marsh.get(`/people/${id}`)).body, /Leaving Soon/);
    assert.equal((await marsh.get(`/people/${id}/household/change?member=${leaving.id}`)).statusCode, 404);
    const stale = await marsh.post(`/people/${id}/household/change`, { member: leaving.id, version: '1', name: 'Back', relationship: 'x' });
    assert.equal(stale.statusCode, 404);
    assert.match(stale.body, /Someone may have removed them/);
  });

  test("one person's household member cannot be reached, changed or removed through another person's record", async () => {
    const a = await newPerson('Person A');
    const b = await newPerson('Person B');
    await marsh.post(`/people/${a}/household`, await addForm(marsh, a, { name: 'Belongs To A' }));
    const [member] = await members(a);
    assert.ok(member !== undefined);
    assert.equal((await marsh.get(`/people/${b}/household/change?member=${member.id}`)).statusCode, 404);
    const change = await marsh.post(`/people/${b}/household/change`, { member: member.id, version: '1', name: 'Taken', relationship: 'x' });
    assert.equal(change.statusCode, 404);
    assert.equal((await marsh.post(`/people/${b}/household/remove`, { member: member.id })).statusCode, 303);
    assert.deepEqual((await members(a)).map((m) => [m.name, m.version]), [['Belongs To A', 1]]);
    assert.equal((await marsh.get(`/people/${a}/household/change?member=not-a-uuid`)).statusCode, 404);
    assert.equal((await marsh.get(`/people/${a}/household/change`)).statusCode, 404);
  });

  test('other coordinators and programmes get not found, audited, and change nothing; leadership is refused', async () => {
    const id = await newPerson('Private Household');
    await marsh.post(`/people/${id}/household`, await addForm(marsh, id, { name: 'Private Relative' }));
    const [member] = await members(id);
    assert.ok(member !== undefined);
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    for (const [client, personId] of [
      [hollins, id],
      [eastmoor, id],
      [marsh, randomUUID()],
    ] as const) {
      const before = await auditMark(t.db);
      const responses: LightMyRequestResponse[] = [
        await client.get(`/people/${personId}/household/new`),
        await client.post(`/people/${personId}/household`, { formToken: randomUUID(), name: 'Intruder', relationship: 'x' }),
        await client.get(`/people/${personId}/household/change?member=${member.id}`),
        await client.post(`/people/${personId}/household/change`, { member: member.id, version: '1', name: 'Intruder', relationship: 'x' }),
        await client.post(`/people/${personId}/household/remove`, { member: member.id }),
      ];
      assert.deepEqual(responses.map((r) => r.statusCode), [404, 404, 404, 404, 404]);
      for (const r of responses) assert.doesNotMatch(r.body, /Private Relative/);
      assert.deepEqual(
        (await auditSince(t.db, before)).map((r) => [r.action, r.outcome, r.record_id]),
        ['household.read', 'household.add', 'household.read', 'household.update', 'household.remove'].map((a) => [a, 'denied', personId]),
      );
    }
    assert.deepEqual((await members(id)).map((m) => [m.name, m.version]), [['Private Relative', 1]]);
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.get(`/people/${id}/household/new`)).statusCode, 403);
  });

  test('each read, add, change and removal leaves exactly one audit row', async () => {
    const id = await newPerson('Audited Household');
    let before = await auditMark(t.db);
    const form = await addForm(marsh, id);
    await marsh.post(`/people/${id}/household`, form);
    const [member] = await members(id);
    assert.ok(member !== undefined);
    const change = await changeForm(marsh, id, member.id);
    await marsh.post(`/people/${id}/household/change`, change);
    await marsh.post(`/people/${id}/household/remove`, { member: member.id });
    assert.deepEqual(
      (await auditSince(t.db, before)).map((r) => [r.action, r.outcome, r.record_id]),
      ['household.read', 'household.add', 'household.read', 'household.update', 'household.remove'].map((a) => [a, 'allowed', id]),
    );
    // A replayed form is one audit row too, and adds nobody new.
    const again = await addForm(marsh, id, { name: 'Replayed' });
    await marsh.post(`/people/${id}/household`, again);
    before = await auditMark(t.db);
    await marsh.post(`/people/${id}/household`, again);
    assert.deepEqual((await auditSince(t.db, before)).map((r) => r.action), ['household.add']);
    assert.deepEqual((await members(id)).map((m) => m.name), ['Replayed']);
  });
});
