import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, countRows, idsOf } from '../../../test/fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
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
    name: 'Dennis Carver',
    areaId: ids.marshEnd,
    introducedBy: 'housing',
    introducerName: 'Kay from Brookfield Homes',
    introducerOrganisation: 'Brookfield Homes',
    'introducedOn-day': '30',
    'introducedOn-month': '10',
    'introducedOn-year': '2026',
    whatTheyWouldLikeToChange: 'Keep my flat.\nLearn to cook proper meals since Mum died.',
    personKnows: 'knows_and_agrees',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) Reflect.deleteProperty(form, key);
    else form[key] = value;
  }
  return form;
}

describe('the introduction slice', () => {
  test('the people list is empty at first, with a way to record an introduction', async () => {
    const page = await marsh.get('/people');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /There is nobody here yet/);
    assert.match(page.body, /href="\/introductions\/new"/);
  });

  test('the form offers only the coordinator\'s own neighbourhood and today as the date', async () => {
    const page = await marsh.get('/introductions/new');
    assert.match(page.body, new RegExp(`value="${ids.marshEnd}" checked`), 'their one neighbourhood is already chosen');
    assert.doesNotMatch(page.body, /Hollins Park/);
    assert.match(page.body, /name="introducedOn-day"[^>]*value="2"/);
    assert.match(page.body, /name="introducedOn-month"[^>]*value="11"/);
    assert.match(page.body, /name="introducedOn-year"[^>]*value="2026"/);
  });

  test('a coordinator records an introduction and lands on the person\'s page, which shows their own words', async () => {
    const response = await marsh.post('/introductions', await introductionForm(marsh));
    assert.equal(response.statusCode, 303);
    const location = String(response.headers.location);
    assert.match(location, /^\/people\/[0-9a-f-]{36}$/);
    const person = await marsh.get(location);
    assert.equal(person.statusCode, 200);
    assert.match(person.body, /<h1 class="govuk-heading-l">Dennis Carver<\/h1>/);
    assert.match(person.body, /<p class="govuk-body">Keep my flat.<br>Learn to cook proper meals since Mum died.<\/p>/);
    assert.match(person.body, /Housing or a housing association/);
    assert.match(person.body, /Kay from Brookfield Homes, Brookfield Homes/);
    assert.match(person.body, /30 October 2026/);
    assert.match(person.body, /Amara Okafor/, 'the coordinator who recorded it walks alongside them');
    const list = await marsh.get('/people');
    assert.match(list.body, new RegExp(`<a class="govuk-link" href="${location}">Dennis Carver</a>`));
  });

  test('an invalid form is shown again with every message and everything typed kept, and nothing is written', async () => {
    const peopleBefore = await countRows(t.db, 'people');
    const form = await introductionForm(marsh, {
      name: '   ',
      areaId: undefined,
      introducedBy: '',
      'introducedOn-day': '31',
      'introducedOn-month': '2',
      whatTheyWouldLikeToChange: '',
      introducerName: 'Somebody <b>kind</b>',
    });
    const response = await marsh.post('/introductions', form);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    for (const [field, message] of [
      ['name', "Enter the person&#39;s name"],
      ['areaId', 'Select the neighbourhood the person lives in'],
      ['introducedBy', 'Select who introduced the person'],
      // A date's summary link goes to its first input, the day.
      ['introducedOn-day', 'The date of the introduction must be a real date'],
      ['whatTheyWouldLikeToChange', 'Enter what the person would like to change, in their own words'],
    ] as const) {
      assert.match(response.body, new RegExp(`href="#${field}">${message}`), field);
    }
    assert.match(response.body, /value="Somebody &lt;b&gt;kind&lt;\/b&gt;"/);
    assert.match(response.body, /name="introducedOn-day"[^>]*value="31"/);
    assert.equal(await countRows(t.db, 'people'), peopleBefore);
  });

  test('an introduction cannot be dated in the future', async () => {
    const response = await marsh.post('/introductions', await introductionForm(marsh, { 'introducedOn-year': '2027' }));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /must be today or in the past/);
  });

  test('a coordinator cannot record someone into another neighbourhood, even by editing the form', async () => {
    const peopleBefore = await countRows(t.db, 'people');
    const response = await marsh.post('/introductions', await introductionForm(marsh, { areaId: ids.hollinsPark }));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Select one of the neighbourhoods you work in/);
    assert.equal(await countRows(t.db, 'people'), peopleBefore);
  });

  test('the same form sent twice, one after the other or at once, records one person', async () => {
    const form = await introductionForm(marsh, { name: 'Double Click' });
    const first = await marsh.post('/introductions', form);
    const second = await marsh.post('/introductions', form);
    assert.equal(first.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);

    const raced = await introductionForm(marsh, { name: 'Raced Submission' });
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post('/introductions', raced)));
    assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([303]));
    assert.equal(new Set(responses.map((r) => r.headers.location)).size, 1);
    const rows = await t.db.selectFrom('people').select('id').where('name', 'in', ['Double Click', 'Raced Submission']).execute();
    assert.equal(rows.length, 2);
  });

  test('another coordinator, another programme and a random id all get not found, and each refusal is audited', async () => {
    const recorder = await ids.user('coordinator.marsh@brookfield.example');
    const personId = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Private Person', recorder);
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    for (const [client, id] of [
      [hollins, personId],
      [eastmoor, personId],
      [marsh, randomUUID()],
    ] as const) {
      const before = await auditMark(t.db);
      const response = await client.get(`/people/${id}`);
      assert.equal(response.statusCode, 404);
      assert.doesNotMatch(response.body, /Private Person/);
      const denied = (await auditSince(t.db, before)).map(({ action, outcome, record_id }) => ({ action, outcome, record_id }));
      assert.deepEqual(denied, [{ action: 'person.read', outcome: 'denied', record_id: id }]);
    }
    assert.equal((await marsh.get('/people/not-a-uuid')).statusCode, 404);
  });

  test('a manager sees everyone in the programme, and can read who has seen a record', async () => {
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const recorder = await ids.user('coordinator.hollins@brookfield.example');
    const hollinsPerson = await addPerson(t.db, ids.brookfield, ids.hollinsPark, 'Hollins Resident', recorder);
    const list = await manager.get('/people');
    assert.match(list.body, /Dennis Carver/);
    assert.match(list.body, /Hollins Resident/);
    assert.equal((await manager.get(`/people/${hollinsPerson}`)).statusCode, 200);
    const trail = await manager.get(`/people/${hollinsPerson}/audit`);
    assert.equal(trail.statusCode, 200);
    assert.match(trail.body, /Priya Shah/);
    assert.match(trail.body, /Looked at the person&#39;s record/);

    const admin = await signedInClient(t.app, 'admin@brookfield.example');
    const adminTrail = await admin.get(`/people/${hollinsPerson}/audit`);
    assert.equal(adminTrail.statusCode, 200);
    assert.doesNotMatch(adminTrail.body, /Hollins Resident/, 'the audit trail shows who and when, not the record');
    assert.equal((await admin.get(`/people/${hollinsPerson}`)).statusCode, 403);
  });

  test('every read and write of a person leaves an audit row in the same transaction', async () => {
    const before = await auditMark(t.db);
    const created = await marsh.post('/introductions', await introductionForm(marsh, { name: 'Audited Person' }));
    await marsh.get(String(created.headers.location));
    const rows = (await auditSince(t.db, before)).map(({ action, outcome, record_type, actor_user_id, programme_id }) => ({
      action,
      outcome,
      record_type,
      actor_user_id,
      programme_id,
    }));
    const marshId = await ids.user('coordinator.marsh@brookfield.example');
    assert.deepEqual(
      rows.filter((r) => r.record_type === 'person'),
      [
        { action: 'person.create', outcome: 'allowed', record_type: 'person', actor_user_id: marshId, programme_id: ids.brookfield },
        { action: 'person.read', outcome: 'allowed', record_type: 'person', actor_user_id: marshId, programme_id: ids.brookfield },
      ],
    );
  });
});

describe('what is typed is what is kept', () => {
  test('any name and any words either read back exactly (trimmed) or are refused with a message', async () => {
    const text = (maxLength: number) =>
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength }),
        fc.string({ unit: 'binary-ascii', maxLength }),
        fc.constantFrom('  ', '\u0000', '<script>alert(1)</script>', "O'Brien", 'Zoë Ó Súilleabháin', '李小龍', '🙂'.repeat(3)),
      );
    await fc.assert(
      fc.asyncProperty(text(260), text(300), async (name, words) => {
        const form = await introductionForm(marsh, { name, whatTheyWouldLikeToChange: words });
        const response = await marsh.post('/introductions', form);
        if (response.statusCode === 303) {
          const id = String(response.headers.location).split('/').pop() ?? '';
          const person = await t.db.selectFrom('people').select('name').where('id', '=', id).executeTakeFirstOrThrow();
          const intro = await t.db.selectFrom('introductions').select('what_they_would_like_to_change').where('person_id', '=', id).executeTakeFirstOrThrow();
          assert.equal(person.name, name.trim());
          assert.equal(intro.what_they_would_like_to_change, words.trim());
          return;
        }
        assert.equal(response.statusCode, 400, `unexpected ${response.statusCode} for ${JSON.stringify([name, words])}`);
        assert.match(response.body, /There is a problem|could not be read/);
      }),
      { numRuns: 40 },
    );
  });
});
