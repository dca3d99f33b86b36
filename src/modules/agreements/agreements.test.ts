import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, idsOf } from '../../../test/fixtures.ts';
import { inTransaction } from '../../core/db/transaction.ts';
import type { PersonInContext } from '../people/access.ts';
import { callName, countByOwnerKind, thinkingNaturalShare, workingTogetherFor, type StepQuestion, type StepStatus } from './service.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let marshId: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  marshId = await ids.user('coordinator.marsh@brookfield.example');
});
after(async () => {
  await t.close();
});

/** A new person in Marsh End, where the Marsh End coordinator walks alongside people. */
function marshPerson(name: string): Promise<string> {
  return addPerson(t.db, ids.brookfield, ids.marshEnd, name, marshId);
}

/** The id of the newest audit row. Not a count: ids skip the rows of transactions that rolled back (a lost race). */
async function lastAuditId(): Promise<string> {
  const row = await t.db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return row?.id ?? '0';
}

/** The audit rows written after `lastId` (from lastAuditId). */
async function auditSince(lastId: string) {
  return t.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'record_type', 'record_id', 'actor_user_id'])
    .where(sql<boolean>`id > ${lastId}::bigint`)
    .orderBy('id')
    .execute();
}

async function versionsOf(personId: string) {
  return t.db
    .selectFrom('shared_agreements')
    .select(['version_number', 'working_on'])
    .where('person_id', '=', personId)
    .orderBy('version_number')
    .execute();
}

async function stepsOf(personId: string) {
  return t.db
    .selectFrom('steps')
    .select(['id', 'question', 'what', 'owner', 'status', 'aiming_for', 'version'])
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Opens the agreement form as a person would (it starts from the current version) and fills it in. */
async function agreementForm(client: Client, personId: string, overrides: Record<string, string> = {}) {
  const page = await client.get(`/people/${personId}/agreement/new`);
  assert.equal(page.statusCode, 200);
  return {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    basedOn: hiddenField(page.body, 'basedOn') ?? '',
    workingOn: 'Keeping the flat.\nLearning to cook proper meals.',
    whoDoesWhat: 'Dennis phones the housing association. Amara comes along to the first meeting.',
    keepingInTouch: 'A phone call on Monday mornings',
    'reviewOn-day': '1',
    'reviewOn-month': '2',
    'reviewOn-year': '2027',
    'agreedOn-day': '2',
    'agreedOn-month': '11',
    'agreedOn-year': '2026',
    ...overrides,
  };
}

async function stepForm(client: Client, personId: string, question: StepQuestion, overrides: Record<string, string> = {}) {
  const page = await client.get(`/people/${personId}/agreement/steps/new?question=${question}`);
  assert.equal(page.statusCode, 200);
  return {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    question,
    what: 'A step',
    owner: 'Dennis',
    status: 'planned',
    ...overrides,
  };
}

async function addStep(personId: string, question: StepQuestion, what: string, overrides: Record<string, string> = {}): Promise<string> {
  // The test clock stands still unless moved: a second apart, steps have an order of their own.
  t.clock.advance(1000);
  const response = await marsh.post(`/people/${personId}/agreement/steps`, await stepForm(marsh, personId, question, { what, ...overrides }));
  assert.equal(response.statusCode, 303);
  const match = /#step-([0-9a-f-]{36})$/.exec(String(response.headers.location));
  assert.ok(match?.[1] !== undefined, `a step address, not ${String(response.headers.location)}`);
  return match[1];
}

/** The change form of one step, as the agreement page shows it, with its hidden id and version. */
async function changeForm(client: Client, personId: string, stepId: string, overrides: Record<string, string> = {}) {
  const page = await client.get(`/people/${personId}/agreement`);
  assert.equal(page.statusCode, 200);
  const version = new RegExp(`name="stepId" value="${stepId}">\\s*<input type="hidden" name="version" value="(\\d+)"`).exec(page.body)?.[1];
  assert.ok(version !== undefined, 'the step has a change form with its version');
  const step = (await stepsOf(personId)).find((s) => s.id === stepId);
  assert.ok(step !== undefined);
  return { stepId, version, question: step.question, what: step.what, owner: step.owner, status: step.status, ...overrides };
}

const HEADINGS = (name: string) =>
  [`What ${name} will do with their gifts, skills and experience`, 'What family, friends and community will do', 'What services and funding will do'] as const;

/** Every text is on the page, each after the one before. */
function assertInOrder(body: string, texts: readonly string[]): void {
  let from = 0;
  for (const text of texts) {
    const at = body.indexOf(text, from);
    assert.ok(at >= 0, `"${text}" after the text before it`);
    from = at + text.length;
  }
}

describe('the shared agreement', () => {
  test('before anything is agreed: the page is in the record\'s navigation, says so, and shows the three questions in order', async () => {
    const personId = await marshPerson('Dennis Carver');
    const page = await marsh.get(`/people/${personId}/agreement`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Shared agreement and steps<\/h1>/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/agreement" aria-current="page"`));
    assert.match(page.body, /There is no shared agreement yet/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/agreement/new"`));
    assert.match(page.body, /No steps yet\./);
    assertInOrder(page.body, HEADINGS('Dennis Carver').map((h) => `>${h}</h3>`));
  });

  test('each save is a new version: the newest is current, earlier ones are listed and each can be opened', async () => {
    const personId = await marshPerson('Version Person');
    const first = await marsh.post(`/people/${personId}/agreement`, await agreementForm(marsh, personId, { workingOn: 'First we agreed this' }));
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/people/${personId}/agreement`);

    const second = await agreementForm(marsh, personId, { workingOn: 'Then we agreed <b>this</b>', 'agreedOn-day': '1' });
    assert.equal(second.basedOn, '1');
    const formPage = await marsh.get(`/people/${personId}/agreement/new`);
    assert.match(formPage.body, />First we agreed this<\/textarea>/, 'a new version starts from the current one');
    assert.equal((await marsh.post(`/people/${personId}/agreement`, second)).statusCode, 303);

    assert.deepEqual(await versionsOf(personId), [
      { version_number: 1, working_on: 'First we agreed this' },
      { version_number: 2, working_on: 'Then we agreed <b>this</b>' },
    ]);
    const page = await marsh.get(`/people/${personId}/agreement`);
    assert.match(page.body, /Version 2, agreed on 1 November 2026\. Recorded by Amara Okafor\./);
    assert.match(page.body, /<p class="govuk-body">Then we agreed &lt;b&gt;this&lt;\/b&gt;<\/p>/, 'their words, escaped');
    assert.match(page.body, /1 February 2027/);
    assert.doesNotMatch(page.body, /First we agreed this/);
    assert.match(page.body, /Earlier versions/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/agreement\\?version=1">Version 1, agreed on 2 November 2026</a>`));

    const old = await marsh.get(`/people/${personId}/agreement?version=1`);
    assert.equal(old.statusCode, 200);
    assert.match(old.body, /<h1 class="govuk-heading-l">Shared agreement, version 1<\/h1>/);
    assert.match(old.body, /This is an earlier version/);
    assert.match(old.body, /First we agreed this/);
    assert.match(old.body, new RegExp(`href="/people/${personId}/agreement/print\\?version=1"`));
    const current = await marsh.get(`/people/${personId}/agreement?version=2`);
    assert.match(current.body, /This is the current shared agreement/);
    for (const bad of ['3', '0', 'abc', '-1']) {
      assert.equal((await marsh.get(`/people/${personId}/agreement?version=${bad}`)).statusCode, 404, bad);
    }
  });

  test('an invalid form is shown again with every message and what was typed, and nothing is written', async () => {
    const personId = await marshPerson('Invalid Agreement');
    const form = await agreementForm(marsh, personId, {
      workingOn: '   ',
      whoDoesWhat: 'Somebody <i>kind</i>',
      keepingInTouch: '',
      'reviewOn-day': '31',
      'reviewOn-month': '2',
      'agreedOn-day': '',
      'agreedOn-month': '',
      'agreedOn-year': '',
    });
    const response = await marsh.post(`/people/${personId}/agreement`, form);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    for (const [target, message] of [
      ['workingOn', 'Enter what you will work on together'],
      ['keepingInTouch', 'Enter how you will keep in touch'],
      ['reviewOn-day', 'The date you will look at it again must be a real date'],
      ['agreedOn-day', 'Enter the date you agreed it'],
    ] as const) {
      assert.match(response.body, new RegExp(`href="#${target}">${message}`), target);
    }
    assert.match(response.body, />Somebody &lt;i&gt;kind&lt;\/i&gt;<\/textarea>/);
    assert.match(response.body, /name="reviewOn-day"[^>]*value="31"/);
    assert.equal(hiddenField(response.body, 'formToken'), form.formToken, 'the same form, so a resubmission is still one version');
    assert.deepEqual(await versionsOf(personId), []);

    const future = await marsh.post(`/people/${personId}/agreement`, { ...(await agreementForm(marsh, personId)), 'agreedOn-year': '2027' });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /The date you agreed it must be today or in the past/);
    const reviewFirst = await marsh.post(`/people/${personId}/agreement`, { ...(await agreementForm(marsh, personId)), 'reviewOn-year': '2025' });
    assert.equal(reviewFirst.statusCode, 400);
    assert.match(reviewFirst.body, /href="#reviewOn-day">The date you will look at it again must be on or after the date you agreed it/);
    assert.deepEqual(await versionsOf(personId), []);

    const noReview = await agreementForm(marsh, personId, { 'reviewOn-day': '', 'reviewOn-month': '', 'reviewOn-year': '' });
    assert.equal((await marsh.post(`/people/${personId}/agreement`, noReview)).statusCode, 303, 'a date to look again is not required');
    assert.match((await marsh.get(`/people/${personId}/agreement`)).body, /Not agreed yet/);
  });

  test('the same form sent twice, one after the other or at once, makes one version', async () => {
    const personId = await marshPerson('Double Agreement');
    const form = await agreementForm(marsh, personId);
    const first = await marsh.post(`/people/${personId}/agreement`, form);
    const again = await marsh.post(`/people/${personId}/agreement`, form);
    assert.deepEqual([first.statusCode, again.statusCode], [303, 303]);
    assert.equal((await versionsOf(personId)).length, 1);

    const raced = await agreementForm(marsh, personId, { workingOn: 'Raced' });
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(`/people/${personId}/agreement`, raced)));
    assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([303]));
    assert.deepEqual(await versionsOf(personId), [
      { version_number: 1, working_on: form.workingOn },
      { version_number: 2, working_on: 'Raced' },
    ]);
  });

  test('a version agreed from an older one is refused with 409, both versions shown and the input kept', async () => {
    const personId = await marshPerson('Conflict Agreement');
    await marsh.post(`/people/${personId}/agreement`, await agreementForm(marsh, personId, { workingOn: 'The start' }));
    const mine = await agreementForm(marsh, personId, { workingOn: 'Amara’s wording' });
    const theirs = await agreementForm(manager, personId, { workingOn: 'Priya’s wording' });
    assert.equal((await manager.post(`/people/${personId}/agreement`, theirs)).statusCode, 303);

    const refused = await marsh.post(`/people/${personId}/agreement`, mine);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Not saved: someone else changed this first/);
    assert.match(refused.body, /Priya Shah saved a change/);
    assert.match(refused.body, /<td class="govuk-table__cell"><p class="govuk-body">Priya’s wording<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">Amara’s wording<\/p><\/td>/);
    assert.match(refused.body, />Amara’s wording<\/textarea>/, 'the form keeps what was typed');
    assert.equal(hiddenField(refused.body, 'basedOn'), '2', 'now based on the version just shown');
    assert.deepEqual((await versionsOf(personId)).map((v) => v.working_on), ['The start', 'Priya’s wording']);

    const merged = await marsh.post(`/people/${personId}/agreement`, { ...mine, basedOn: '2', workingOn: 'Both wordings' });
    assert.equal(merged.statusCode, 303);
    assert.deepEqual((await versionsOf(personId)).map((v) => v.working_on), ['The start', 'Priya’s wording', 'Both wordings']);
  });

  test('two first agreements at once: one is saved, the other refused with both shown', async () => {
    const personId = await marshPerson('Two Firsts');
    const a = await agreementForm(marsh, personId, { workingOn: 'One' });
    const b = await agreementForm(manager, personId, { workingOn: 'Other' });
    const responses = await Promise.all([marsh.post(`/people/${personId}/agreement`, a), manager.post(`/people/${personId}/agreement`, b)]);
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [303, 409]);
    assert.equal((await versionsOf(personId)).length, 1);
  });
});

describe('the print view', () => {
  test('a clean page with the programme, the person, the agreement and its date, and their steps under the three questions', async () => {
    const personId = await marshPerson('Printed Person');
    const empty = await marsh.get(`/people/${personId}/agreement/print`);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /There is no shared agreement written down yet/);

    await marsh.post(`/people/${personId}/agreement`, await agreementForm(marsh, personId, { workingOn: 'The first agreement' }));
    await marsh.post(`/people/${personId}/agreement`, await agreementForm(marsh, personId, { workingOn: 'Keeping the flat' }));
    await addStep(personId, 'services', 'Benefits check with the housing association', { owner: 'Brookfield Homes' });
    await addStep(personId, 'gifts', 'Cook a meal for his sister', { owner: 'Printed Person', 'aimingFor-day': '1', 'aimingFor-month': '12', 'aimingFor-year': '2026' });
    await addStep(personId, 'community', 'Lend the van', { owner: 'his brother-in-law Pete' });
    await addStep(personId, 'community', 'A step nobody needs now', { status: 'no_longer_needed' });

    const page = await marsh.get(`/people/${personId}/agreement/print`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /class="app-print-page"/);
    assert.match(page.body, /Brookfield Local Area Coordination<\/p>/);
    assert.match(page.body, /<p class="govuk-body-l">Printed Person<\/p>/);
    assert.match(page.body, /Agreed on 2 November 2026\./);
    assert.match(page.body, /Keeping the flat/);
    assert.doesNotMatch(page.body, /The first agreement/);
    assert.doesNotMatch(page.body, /<form method="post" action="\/people/, 'nothing to change on a page to keep');
    assert.doesNotMatch(page.body, /app-person-nav/, 'not the record\'s navigation');
    assert.doesNotMatch(page.body, /A step nobody needs now/);
    const [gifts, community, services] = HEADINGS('Printed Person');
    assertInOrder(page.body, [gifts, 'Cook a meal for his sister', community, 'Lend the van', services, 'Benefits check']);
    assert.match(page.body, /his brother-in-law Pete/);
    assert.match(page.body, /1 December 2026/);

    const earlier = await marsh.get(`/people/${personId}/agreement/print?version=1`);
    assert.equal(earlier.statusCode, 200);
    assert.match(earlier.body, /The first agreement/);
    assert.match(earlier.body, /an earlier version/);
    assert.equal((await marsh.get(`/people/${personId}/agreement/print?version=9`)).statusCode, 404);
  });
});

describe('steps under the three questions', () => {
  test('steps added in any order are shown under their own question, always in the model\'s order', async () => {
    const personId = await marshPerson('Stepping Person');
    const newForm = await marsh.get(`/people/${personId}/agreement/steps/new?question=gifts`);
    assert.match(newForm.body, /name="owner"[^>]*value="Stepping Person"/, 'a step with their gifts is usually their own');
    assert.match(newForm.body, /value="gifts" checked/);
    assert.match(newForm.body, /value="planned" checked/);

    await addStep(personId, 'services', 'Washing machine from the charity', { owner: 'Age UK' });
    await addStep(personId, 'community', 'Pete lends his van', { owner: 'his brother-in-law Pete' });
    await addStep(personId, 'gifts', 'Learn to cook three meals', { owner: 'Dennis', 'aimingFor-day': '24', 'aimingFor-month': '12', 'aimingFor-year': '2026' });
    const page = await marsh.get(`/people/${personId}/agreement`);
    const [gifts, community, services] = HEADINGS('Stepping Person');
    // Headings and step titles only: each step's change form names the three questions too.
    const heading = (text: string) => `>${text}</h3>`;
    const title = (text: string) => `>${text}</h4>`;
    assertInOrder(page.body, [
      heading(gifts),
      title('Learn to cook three meals'),
      heading(community),
      title('Pete lends his van'),
      heading(services),
      title('Washing machine from the charity'),
    ]);
    assert.match(page.body, /Aiming for/);
    assert.match(page.body, /24 December 2026/);
    assert.doesNotMatch(page.body, /deadline|overdue|due by/i, 'no deadlines language');
    assert.deepEqual(
      (await stepsOf(personId)).map((s) => [s.question, s.owner, s.status, s.aiming_for]),
      [
        ['services', 'Age UK', 'planned', null],
        ['community', 'his brother-in-law Pete', 'planned', null],
        ['gifts', 'Dennis', 'planned', '2026-12-24'],
      ],
    );
  });

  test('an invalid step is shown again with every message and the input kept, and nothing is written', async () => {
    const personId = await marshPerson('Invalid Step');
    const response = await marsh.post(`/people/${personId}/agreement/steps`, {
      ...(await stepForm(marsh, personId, 'gifts')),
      question: 'whatever',
      what: ' ',
      owner: 'x'.repeat(201),
      status: '',
      'aimingFor-day': '40',
      'aimingFor-month': '1',
      'aimingFor-year': '2027',
    });
    assert.equal(response.statusCode, 400);
    for (const [target, message] of [
      ['question', 'Select which question this step answers'],
      ['what', 'Enter what the step is'],
      ['owner', 'Who will do it must be 200 characters or fewer'],
      ['status', 'Select where the step is up to'],
      ['aimingFor-day', 'The date you are aiming for must be a real date'],
    ] as const) {
      assert.match(response.body, new RegExp(`href="#${target}">${message}`), target);
    }
    assert.match(response.body, new RegExp(`value="${'x'.repeat(201)}"`));
    assert.match(response.body, /name="aimingFor-day"[^>]*value="40"/);
    assert.deepEqual(await stepsOf(personId), []);
  });

  test('the same step form sent twice, one after the other or at once, adds one step', async () => {
    const personId = await marshPerson('Double Step');
    const form = await stepForm(marsh, personId, 'community', { what: 'Once only' });
    const first = await marsh.post(`/people/${personId}/agreement/steps`, form);
    const second = await marsh.post(`/people/${personId}/agreement/steps`, form);
    assert.equal(second.headers.location, first.headers.location);
    t.clock.advance(1000);
    const raced = await stepForm(marsh, personId, 'community', { what: 'Raced' });
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(`/people/${personId}/agreement/steps`, raced)));
    assert.equal(new Set(responses.map((r) => r.headers.location)).size, 1);
    assert.deepEqual((await stepsOf(personId)).map((s) => s.what), ['Once only', 'Raced']);
  });

  test('a step\'s status and details change through its form on the agreement page', async () => {
    const personId = await marshPerson('Changing Person');
    const stepId = await addStep(personId, 'gifts', 'Learn to cook');
    const response = await marsh.post(
      `/people/${personId}/agreement/steps/change`,
      await changeForm(marsh, personId, stepId, { status: 'under_way', owner: 'Dennis, with his sister', 'aimingFor-day': '5', 'aimingFor-month': '1', 'aimingFor-year': '2027' }),
    );
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/people/${personId}/agreement#step-${stepId}`);
    let [step] = await stepsOf(personId);
    assert.deepEqual(step, { id: stepId, question: 'gifts', what: 'Learn to cook', owner: 'Dennis, with his sister', status: 'under_way', aiming_for: '2027-01-05', version: 2 });

    assert.equal((await marsh.post(`/people/${personId}/agreement/steps/change`, await changeForm(marsh, personId, stepId, { status: 'done', question: 'community' }))).statusCode, 303);
    [step] = await stepsOf(personId);
    assert.deepEqual([step?.status, step?.question, step?.aiming_for, step?.version], ['done', 'community', null, 3], 'a cleared date is cleared');
    const page = await marsh.get(`/people/${personId}/agreement`);
    assert.match(page.body, /govuk-tag--green">\s*Done/);

    const invalid = await marsh.post(`/people/${personId}/agreement/steps/change`, await changeForm(marsh, personId, stepId, { status: 'finished', what: 'Still typed' }));
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /<h1 class="govuk-heading-l">Change a step<\/h1>/);
    assert.match(invalid.body, /href="#status">Select where the step is up to/);
    assert.match(invalid.body, />Still typed<\/textarea>/);
    assert.equal(hiddenField(invalid.body, 'stepId'), stepId);
    assert.equal((await stepsOf(personId))[0]?.version, 3);
  });

  test('a change made from a version someone else has changed is refused with 409, both versions shown, the input kept', async () => {
    const personId = await marshPerson('Step Conflict');
    const stepId = await addStep(personId, 'services', 'Grant form for stair rails', { owner: 'Adult social care' });
    const mine = await changeForm(marsh, personId, stepId, { status: 'done', what: 'Grant form sent' });
    const theirs = await changeForm(manager, personId, stepId, { status: 'no_longer_needed' });
    assert.equal((await manager.post(`/people/${personId}/agreement/steps/change`, theirs)).statusCode, 303);

    const refused = await marsh.post(`/people/${personId}/agreement/steps/change`, mine);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Not saved: someone else changed this first/);
    assert.match(refused.body, /Priya Shah saved a change/);
    assert.match(refused.body, /Where it is up to<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">No longer needed<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">Done<\/p><\/td>/);
    assert.match(refused.body, /What the step is<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">Grant form for stair rails<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">Grant form sent<\/p><\/td>/);
    assert.match(refused.body, />Grant form sent<\/textarea>/);
    assert.match(refused.body, /value="done" checked/);
    assert.equal(hiddenField(refused.body, 'version'), '2');
    assert.equal((await stepsOf(personId))[0]?.status, 'no_longer_needed');

    const again = await marsh.post(`/people/${personId}/agreement/steps/change`, { ...mine, version: '2' });
    assert.equal(again.statusCode, 303);
    assert.deepEqual((await stepsOf(personId)).map((s) => [s.status, s.what, s.version]), [['done', 'Grant form sent', 3]]);
  });

  test('two changes of one version at once: one is saved, the other refused', async () => {
    const personId = await marshPerson('Raced Change');
    const stepId = await addStep(personId, 'gifts', 'Walk to the shop');
    const a = await changeForm(marsh, personId, stepId, { status: 'done' });
    const b = await changeForm(manager, personId, stepId, { status: 'under_way' });
    const responses = await Promise.all([
      marsh.post(`/people/${personId}/agreement/steps/change`, a),
      manager.post(`/people/${personId}/agreement/steps/change`, b),
    ]);
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [303, 409]);
    assert.equal((await stepsOf(personId))[0]?.version, 2);
  });

  test('a step id that is not this person\'s is not found, changes nothing, and the attempt is audited', async () => {
    const personId = await marshPerson('Own Steps');
    const otherPerson = await marshPerson('Other Steps');
    const othersStep = await addStep(otherPerson, 'gifts', 'Not yours to change');
    const form = await changeForm(marsh, otherPerson, othersStep, { status: 'done' });
    for (const stepId of [othersStep, randomUUID()]) {
      const before = await lastAuditId();
      const response = await marsh.post(`/people/${personId}/agreement/steps/change`, { ...form, stepId });
      assert.equal(response.statusCode, 404);
      assert.doesNotMatch(response.body, /Not yours to change/);
      // Refused as not found: the access row says so.
      assert.deepEqual(await auditSince(before), [
        { action: 'step.update', outcome: 'denied', record_type: 'person', record_id: personId, actor_user_id: marshId },
      ]);
    }
    assert.deepEqual((await stepsOf(otherPerson)).map((s) => [s.status, s.version]), [['planned', 1]]);

    const noStep = await marsh.post(`/people/${personId}/agreement/steps/change`, { status: 'done', stepId: 'not-an-id', version: '1' });
    assert.equal(noStep.statusCode, 400);
    assert.match(noStep.body, /href="#steps">Choose the step to change from the list of steps/);
  });
});

describe('thinking natural', () => {
  test('the share is whole percentages that add up to 100; no steps is said as such, never divided by', () => {
    assert.deepEqual(thinkingNaturalShare({ natural: 0, services: 0 }), { kind: 'no-steps' });
    assert.deepEqual(thinkingNaturalShare({ natural: 3, services: 1 }), { kind: 'share', natural: 3, services: 1, total: 4, naturalPercent: 75, servicesPercent: 25 });
    assert.deepEqual(thinkingNaturalShare({ natural: 0, services: 2 }), { kind: 'share', natural: 0, services: 2, total: 2, naturalPercent: 0, servicesPercent: 100 });
    assert.deepEqual(thinkingNaturalShare({ natural: 1, services: 2 }), { kind: 'share', natural: 1, services: 2, total: 3, naturalPercent: 33, servicesPercent: 67 });
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (natural, services) => {
        const share = thinkingNaturalShare({ natural, services });
        if (natural + services === 0) return share.kind === 'no-steps';
        return (
          share.kind === 'share' &&
          share.naturalPercent + share.servicesPercent === 100 &&
          share.naturalPercent >= 0 &&
          share.servicesPercent >= 0 &&
          Number.isInteger(share.naturalPercent) &&
          (natural > 0 || share.naturalPercent === 0) &&
          (services > 0 || share.naturalPercent === 100)
        );
      }),
    );
  });

  test('counts the person\'s and community\'s steps against services, leaving out steps no longer needed', () => {
    const steps: { question: StepQuestion; status: StepStatus }[] = [
      { question: 'gifts', status: 'planned' },
      { question: 'community', status: 'done' },
      { question: 'community', status: 'no_longer_needed' },
      { question: 'services', status: 'under_way' },
      { question: 'services', status: 'no_longer_needed' },
    ];
    assert.deepEqual(countByOwnerKind(steps), { natural: 2, services: 1 });
    assert.deepEqual(countByOwnerKind([]), { natural: 0, services: 0 });
  });

  test('the agreement page says it in words with the numbers, beside a bar', async () => {
    const personId = await marshPerson('Natural Person');
    await addStep(personId, 'gifts', 'One');
    await addStep(personId, 'community', 'Two');
    await addStep(personId, 'community', 'Three');
    await addStep(personId, 'services', 'Four');
    await addStep(personId, 'services', 'Five', { status: 'no_longer_needed' });
    const page = await marsh.get(`/people/${personId}/agreement`);
    assert.match(page.body, /75% of the steps are with Natural Person, family, friends and community: 3 of 4 steps\. 25% are with services and funding: 1 of 4\./);
    assert.match(page.body, /<svg class="app-thinking-natural__bar"[^>]*aria-hidden="true"/);
    assert.match(page.body, /<rect x="0" y="0" width="75"/);
  });

  test('for a list of people in one go: every id answered, another programme\'s steps never counted', async () => {
    const busy = await marshPerson('Busy Person');
    const quiet = await marshPerson('Quiet Person');
    await addStep(busy, 'gifts', 'Mine');
    await addStep(busy, 'services', 'Theirs');
    await addStep(busy, 'services', 'Gone', { status: 'no_longer_needed' });
    const eastmoorRecorder = await ids.user('manager@eastmoor.example');
    const elsewhere = await addPerson(t.db, ids.eastmoor, ids.eastmoorMarshEnd, 'Eastmoor Person', eastmoorRecorder);
    const at = new Date();
    await t.db
      .insertInto('steps')
      .values({ programme_id: ids.eastmoor, person_id: elsewhere, question: 'gifts', what: 'x', owner: 'x', form_token: randomUUID(), created_by: eastmoorRecorder, created_at: at, updated_by: eastmoorRecorder, updated_at: at })
      .execute();

    for (const [day, month] of [['15', '1'], ['20', '2']] as const) {
      const agreed = await marsh.post(`/people/${busy}/agreement`, await agreementForm(marsh, busy, { 'reviewOn-day': day, 'reviewOn-month': month }));
      assert.equal(agreed.statusCode, 303);
    }

    const together = await inTransaction(t.db, { programmeId: ids.brookfield, userId: marshId }, (tx) =>
      workingTogetherFor(tx, ids.brookfield, [busy, quiet, elsewhere]),
    );
    assert.deepEqual(Object.fromEntries(together), {
      [busy]: {
        thinkingNatural: { kind: 'share', natural: 1, services: 1, total: 2, naturalPercent: 50, servicesPercent: 50 },
        openSteps: 2,
        // The latest version's review date, not the earliest.
        nextReview: '2027-02-20',
      },
      [quiet]: { thinkingNatural: { kind: 'no-steps' }, openSteps: 0, nextReview: null },
      [elsewhere]: { thinkingNatural: { kind: 'no-steps' }, openSteps: 0, nextReview: null },
    });
    const none = await inTransaction(t.db, { programmeId: ids.brookfield, userId: marshId }, (tx) => workingTogetherFor(tx, ids.brookfield, []));
    assert.equal(none.size, 0);
  });
});

describe('who may see and change it', () => {
  const routes = (personId: string) => ({
    gets: [`/people/${personId}/agreement`, `/people/${personId}/agreement/print`, `/people/${personId}/agreement/new`, `/people/${personId}/agreement/steps/new`],
    posts: [`/people/${personId}/agreement`, `/people/${personId}/agreement/steps`, `/people/${personId}/agreement/steps/change`],
  });

  test('another coordinator, another programme and a random id all get not found, nothing is written, and each refusal is audited', async () => {
    const personId = await marshPerson('Private Agreement');
    await marsh.post(`/people/${personId}/agreement`, await agreementForm(marsh, personId, { workingOn: 'Private words' }));
    const stepId = await addStep(personId, 'gifts', 'Private step');
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    for (const [client, id] of [
      [hollins, personId],
      [eastmoor, personId],
      [marsh, randomUUID()],
    ] as const) {
      const { gets } = routes(id);
      for (const [path, action] of [
        [gets[0], 'agreement.read'],
        [gets[1], 'agreement.print'],
        [`/people/${id}/agreement?version=abc`, 'agreement.read'],
      ] as const) {
        const before = await lastAuditId();
        const response = await client.get(String(path));
        assert.equal(response.statusCode, 404);
        assert.doesNotMatch(response.body, /Private (words|step|Agreement)/);
        assert.deepEqual((await auditSince(before)).map((r) => [r.action, r.outcome, r.record_id]), [[action, 'denied', id]]);
      }
      const posts: [string, Record<string, string>, string][] = [
        [`/people/${id}/agreement`, { ...(await agreementForm(marsh, personId)), basedOn: '1', workingOn: 'Overwritten' }, 'agreement.create'],
        [`/people/${id}/agreement/steps`, { formToken: randomUUID(), question: 'gifts', what: 'Sneaked in', owner: 'x', status: 'planned' }, 'step.create'],
        [`/people/${id}/agreement/steps/change`, { stepId, version: '1', question: 'gifts', what: 'Changed', owner: 'x', status: 'done' }, 'step.update'],
      ];
      for (const [path, form, action] of posts) {
        const before = await lastAuditId();
        const response = await client.post(path, form);
        assert.equal(response.statusCode, 404, path);
        assert.deepEqual((await auditSince(before)).map((r) => [r.action, r.outcome, r.record_id]), [[action, 'denied', id]]);
      }
    }
    assert.deepEqual((await versionsOf(personId)).map((v) => v.working_on), ['Private words']);
    assert.deepEqual((await stepsOf(personId)).map((s) => [s.what, s.status]), [['Private step', 'planned']]);
    assert.equal((await marsh.get('/people/not-a-uuid/agreement')).statusCode, 404);
  });

  test('a manager may read and change any person\'s agreement in the programme', async () => {
    const hollinsPerson = await addPerson(t.db, ids.brookfield, ids.hollinsPark, 'Hollins Agreement', marshId);
    const response = await manager.post(`/people/${hollinsPerson}/agreement`, await agreementForm(manager, hollinsPerson));
    assert.equal(response.statusCode, 303);
    assert.equal((await manager.get(`/people/${hollinsPerson}/agreement`)).statusCode, 200);
    assert.equal((await marsh.get(`/people/${hollinsPerson}/agreement`)).statusCode, 404, 'not the Marsh End coordinator\'s neighbourhood');
  });

  test('the Leadership Group, evaluators and admins are refused every page and form', async () => {
    const personId = await marshPerson('Not For Leadership');
    for (const email of ['leadership@brookfield.example', 'evaluator@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      const { gets, posts } = routes(personId);
      for (const path of gets) assert.equal((await client.get(path)).statusCode, 403, `${email} GET ${path}`);
      for (const path of posts) assert.equal((await client.post(path, { formToken: randomUUID() })).statusCode, 403, `${email} POST ${path}`);
    }
  });

  test('every page and save leaves exactly one audit row, with its own action, in the person\'s trail', async () => {
    const personId = await marshPerson('Audited Agreement');
    let stepId = '';
    const steps: [string, () => Promise<unknown>][] = [
      ['agreement.read', () => marsh.get(`/people/${personId}/agreement`)],
      ['agreement.read', () => marsh.get(`/people/${personId}/agreement/new`)],
      ['agreement.create', () => marsh.post(`/people/${personId}/agreement`, agreementFormWithoutAudit())],
      ['agreement.read', () => marsh.get(`/people/${personId}/agreement?version=1`)],
      ['agreement.print', () => marsh.get(`/people/${personId}/agreement/print`)],
      ['agreement.read', () => marsh.get(`/people/${personId}/agreement/steps/new`)],
      [
        'step.create',
        async () => {
          const response = await marsh.post(`/people/${personId}/agreement/steps`, { formToken: randomUUID(), question: 'gifts', what: 'Audited', owner: 'x', status: 'planned' });
          stepId = /#step-(.+)$/.exec(String(response.headers.location))?.[1] ?? '';
        },
      ],
      ['step.update', () => marsh.post(`/people/${personId}/agreement/steps/change`, { stepId, version: '1', question: 'gifts', what: 'Audited', owner: 'x', status: 'done' })],
    ];
    // A form with problems is still an access to the record: one row, recorded as not done, nothing else.
    const failing: [string, () => Promise<unknown>][] = [
      ['agreement.create', () => marsh.post(`/people/${personId}/agreement`, {})],
      ['step.update', () => marsh.post(`/people/${personId}/agreement/steps/change`, { stepId, version: '2', status: 'nonsense' })],
    ];
    for (const [outcome, list] of [['allowed', steps], ['failed', failing]] as const) {
      for (const [action, step] of list) {
        const before = await lastAuditId();
        await step();
        assert.deepEqual(await auditSince(before), [{ action, outcome, record_type: 'person', record_id: personId, actor_user_id: marshId }]);
      }
    }
    assert.deepEqual((await stepsOf(personId)).map((s) => s.status), ['done']);
  });
});

/** A complete first agreement without opening the form page (which would itself be an audited read). */
function agreementFormWithoutAudit() {
  return {
    formToken: randomUUID(),
    basedOn: '0',
    workingOn: 'Audited',
    whoDoesWhat: 'Audited',
    keepingInTouch: 'Audited',
    'agreedOn-day': '2',
    'agreedOn-month': '11',
    'agreedOn-year': '2026',
  };
}

describe('the person\'s name in headings', () => {
  test('is their preferred name when the record holds one, and their name otherwise', () => {
    const person: PersonInContext = {
      id: randomUUID(),
      name: 'Dennis Carver',
      status: 'walking_alongside',
      areaId: randomUUID(),
      areaName: 'Marsh End',
      coordinatorName: null,
      createdAt: new Date(),
    };
    assert.equal(callName(person), 'Dennis Carver');
    const withPreferred = { ...person, preferredName: 'Den' };
    assert.equal(callName(withPreferred), 'Den');
    assert.equal(callName({ ...person, preferredName: '  ' } as PersonInContext), 'Dennis Carver');
  });
});

describe('the database as the backstop', () => {
  test('row-level security is forced on both tables, keeps programmes apart, and agreed versions cannot be rewritten', async () => {
    const tables = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
      WHERE relname IN ('shared_agreements', 'steps') AND relkind = 'r' ORDER BY relname`.execute(t.db);
    assert.deepEqual(
      tables.rows.map((r) => [r.relname, r.relrowsecurity, r.relforcerowsecurity]),
      [
        ['shared_agreements', true, true],
        ['steps', true, true],
      ],
    );
    const personId = await marshPerson('Backstop Agreement');
    await marsh.post(`/people/${personId}/agreement`, await agreementForm(marsh, personId));
    await addStep(personId, 'gifts', 'Backstop step');
    const seenFromEastmoor = await inTransaction(t.db, { programmeId: ids.eastmoor, userId: null }, async (tx) => [
      ...(await tx.selectFrom('shared_agreements').select('id').where('person_id', '=', personId).execute()),
      ...(await tx.selectFrom('steps').select('id').where('person_id', '=', personId).execute()),
    ]);
    assert.deepEqual(seenFromEastmoor, []);
    await assert.rejects(
      inTransaction(t.db, { programmeId: ids.brookfield, userId: marshId }, (tx) =>
        tx.updateTable('shared_agreements').set({ working_on: 'Rewritten' }).where('person_id', '=', personId).execute(),
      ),
      /permission denied/,
    );
  });
});
