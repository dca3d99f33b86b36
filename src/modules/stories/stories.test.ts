import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addAsset } from '../../../test/community-work-fixtures.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { writeJourney, type Journey } from '../../../seeds/journeys.ts';
import { seedDemoStories } from '../../../seeds/stories-shared.ts';
import { seedDemoPeople } from '../../../seeds/stories.ts';
import { ageBand, anonymise, identifyingIn, identifyingWords, initialOf } from './anonymise.ts';
import { storiesForReport } from './service.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const OTHER_MANAGER = 'manager@eastmoor.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, MANAGER);
});
after(async () => {
  await t.close();
});

/** Everything in this person's record that must never reach a story. */
const IDENTIFYING = ['Winifred', 'Oyelaran', 'Winnie', '7 Cobbler Yard', 'Cobbler Yard', 'BF2 9ZZ', '1958-04-17', '17 April 1958', 'Bartholomew', 'Quinlan', 'Perpetua', 'Esterhazy', 'Ottoline'];

/**
 * A person walked alongside in Marsh End whose record names people everywhere: in her vision, what matters and
 * steps, her circle and household, and someone else she was connected with.
 */
async function addNamedPerson(name = 'Winifred Oyelaran'): Promise<string> {
  const coordinator = await ids.user(MARSH);
  const journey: Journey = {
    areaId: ids.marshEnd,
    coordinatorId: coordinator,
    name,
    preferredName: 'Winnie',
    postcode: 'BF2 9ZZ',
    addressLine1: '7 Cobbler Yard',
    introduction: { daysAgo: 200, by: 'neighbour', words: 'Winnie is on her own since Bartholomew died.' },
    events: [
      { daysAgo: 190, kind: 'status', to: 'walking_alongside' },
      { daysAgo: 190, kind: 'circle-join', name: 'Bartholomew Quinlan', relationship: 'late husband', closeness: 1, supportKind: 'family' },
      { daysAgo: 190, kind: 'circle-join', name: 'Perpetua Oyelaran', relationship: 'daughter', closeness: 1, supportKind: 'family' },
      { daysAgo: 180, kind: 'vision', words: 'Winnie wants Perpetua to visit 7 Cobbler Yard again, and to go dancing like she did with Bartholomew. Born 17 April 1958.' },
      { daysAgo: 180, kind: 'what-matters', whatMatters: 'My daughter Perpetua. Cobbler Yard, where I have lived 40 years.', gifts: 'Sews beautifully' },
      { daysAgo: 180, kind: 'themes', themes: ['loneliness_and_isolation', 'bereavement'] },
      { daysAgo: 170, kind: 'step', question: 'community', what: 'Perpetua to ring every Sunday', owner: 'Perpetua' },
      { daysAgo: 170, kind: 'step', question: 'gifts', what: 'Winifred teaches sewing at the BF2 9ZZ community room', owner: 'Winnie' },
      { daysAgo: 100, kind: 'step-status', what: 'Perpetua to ring every Sunday', status: 'done' },
      { daysAgo: 90, kind: 'step-status', what: 'Winifred teaches sewing at the BF2 9ZZ community room', status: 'done' },
    ],
  };
  const personId = await writeJourney(t.db, ids.brookfield, journey, t.clock.now(), coordinator);
  await t.db.updateTable('people').set({ date_of_birth: '1958-04-17', age_when_recorded: null, age_recorded_on: null }).where('id', '=', personId).execute();
  await t.db
    .insertInto('household_members')
    .values({
      programme_id: ids.brookfield,
      person_id: personId,
      name: 'Esterhazy Oyelaran',
      relationship: 'grandson',
      form_token: randomUUID(),
      created_by: coordinator,
      updated_by: coordinator,
      created_at: t.clock.now(),
      updated_at: t.clock.now(),
    })
    .execute();
  const assetId = await addAsset(t.db, { programmeId: ids.brookfield, areaId: ids.marshEnd, by: coordinator, name: `Marsh End sewing circle ${randomUUID().slice(0, 4)}` });
  await t.db
    .insertInto('person_assets')
    .values({
      programme_id: ids.brookfield,
      person_id: personId,
      asset_id: assetId,
      what: 'Goes on Thursdays; Ottoline walks there with her',
      started_on: '2026-08-01',
      form_token: randomUUID(),
      recorded_by: coordinator,
      recorded_at: t.clock.now(),
    })
    .execute();
  const other = await writeJourney(
    t.db,
    ids.brookfield,
    { areaId: ids.marshEnd, coordinatorId: coordinator, name: 'Ottoline Crane', postcode: 'BF2 1AA', introduction: { daysAgo: 100, by: 'self', words: 'Lonely' }, events: [] },
    t.clock.now(),
    coordinator,
  );
  const [first = '', second = ''] = [personId, other].sort();
  await t.db
    .insertInto('person_connections')
    .values({ programme_id: ids.brookfield, first_person_id: first, second_person_id: second, why: 'Both sew', agreed_on: '2026-09-01', form_token: randomUUID(), recorded_at: t.clock.now(), recorded_by: coordinator })
    .execute();
  return personId;
}

/** A person in Marsh End with little in their record. */
async function addPlainPerson(name: string): Promise<string> {
  const coordinator = await ids.user(MARSH);
  return writeJourney(
    t.db,
    ids.brookfield,
    { areaId: ids.marshEnd, coordinatorId: coordinator, name, age: 45, postcode: 'BF1 2AB', introduction: { daysAgo: 60, by: 'self', words: 'To feel at home' }, events: [] },
    t.clock.now(),
    coordinator,
  );
}

function consentForm(page: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    formToken: hiddenField(page, 'formToken') ?? '',
    basedOn: hiddenField(page, 'basedOn') ?? '',
    decision: 'given',
    'decidedOn-day': '1',
    'decidedOn-month': '11',
    'decidedOn-year': '2026',
    how: 'in_person',
    note: '',
    ...overrides,
  };
}

async function recordDecision(client: Client, personId: string, decision: 'given' | 'not_given' | 'withdrawn', day = '1') {
  const page = await client.get(`/people/${personId}/story-consent`);
  assert.equal(page.statusCode, 200, page.body);
  const response = await client.post(`/people/${personId}/story-consent`, consentForm(page.body, { decision, 'decidedOn-day': day }));
  assert.equal(response.statusCode, 303, response.body);
}

const decode = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What the story form holds, as a person would see it in its boxes. */
function storyFormValues(html: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ['whatMattered', 'whatHappened', 'costsText']) {
    const match = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
    values[name] = decode(match?.[1] ?? '').trim();
  }
  for (const name of ['initial', 'age', 'costsAvoided', 'formToken', 'person', 'version']) {
    const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html) ?? new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
    if (match) values[name] = decode(match[1] ?? '');
  }
  return values;
}

async function createStory(personId: string, overrides: Record<string, string> = {}): Promise<string> {
  const page = await manager.get(`/stories/new?person=${personId}`);
  assert.equal(page.statusCode, 200, page.body);
  const values = storyFormValues(page.body);
  const response = await manager.post('/stories', { ...values, status: 'draft', ...overrides });
  assert.equal(response.statusCode, 303, response.body);
  const row = await t.db.selectFrom('stories').select('id').where('form_token', '=', values.formToken ?? '').executeTakeFirstOrThrow();
  return row.id;
}

async function storyRow(storyId: string) {
  return t.db.selectFrom('stories').selectAll().where('id', '=', storyId).executeTakeFirstOrThrow();
}

const NO_FACTS = { name: '', preferredName: null, dateOfBirth: null, addressLine1: null, addressLine2: null, postcode: null, phone: null, email: null, namedPeople: [], connectedPeople: [] };

describe('keeping a story anonymous', () => {
  test('names, with titles, streets, postcodes and dates of birth are replaced by who someone is to them', () => {
    const words = identifyingWords(
      {
        name: 'Gareth Pryce',
        preferredName: 'Gaz',
        dateOfBirth: '1981-03-02',
        addressLine1: '12 Tannery Row',
        addressLine2: null,
        postcode: 'BF1 4QT',
        phone: null,
        email: null,
        namedPeople: [
          { name: 'Mrs Farida Ahmed', relationship: 'neighbour', kind: 'neighbour' },
          { name: 'Brookfield Homes', relationship: 'landlord', kind: 'paid' },
        ],
        connectedPeople: [],
      },
      'G',
    );
    const text = 'Gaz and mrs Ahmed met on tannery row (bf14qt); Brookfield Homes helped. Brookfield Rovers. Born 2 March 1981.';
    assert.equal(anonymise(text, words), 'G. and their neighbour met on their street (their neighbourhood); their landlord helped. Brookfield Rovers. Born [date of birth].');
    assert.deepEqual(identifyingIn('A Garethson, a pryce and a Pryce', words).map((w) => w.text), ['Pryce']);
    // A name that is also a word is refused only as a name.
    const will = identifyingWords({ ...NO_FACTS, name: 'Will Hope' }, 'W');
    assert.deepEqual(identifyingIn('She will hope for the best', will), []);
    assert.deepEqual(identifyingIn('Then Will rang', will).map((w) => w.text), ['Will']);
    assert.equal(ageBand(45), 'in their 40s');
    assert.equal(ageBand(19), 'in their late teens');
    assert.equal(initialOf('émile zola'), 'E');
  });
});

describe('consent to share a story', () => {
  test('given once however often the form is sent, then withdrawn, kept as history with audit rows', async () => {
    const personId = await addPlainPerson('Consent Person');
    const page = await marsh.get(`/people/${personId}/story-consent`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /not been asked yet/);
    const form = consentForm(page.body, { note: 'Not about her health' });
    const mark = await auditMark(t.db);
    const first = await marsh.post(`/people/${personId}/story-consent`, form);
    const second = await marsh.post(`/people/${personId}/story-consent`, form);
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    const rows = await t.db.selectFrom('story_consents').select(['decision', 'decided_on', 'how', 'note']).where('person_id', '=', personId).execute();
    assert.deepEqual(rows, [{ decision: 'given', decided_on: '2026-11-01', how: 'in_person', note: 'Not about her health' }]);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((a) => [a.action, a.outcome, a.record_type, a.record_id]),
      [
        ['story-consent.record', 'allowed', 'person', personId],
        ['story-consent.record', 'allowed', 'person', personId],
      ],
    );
    assert.equal(audit[0]?.detail.decision, 'given');

    // Given: the only choice now is to withdraw; it cannot be dated before the consent.
    const withdrawPage = await marsh.get(`/people/${personId}/story-consent`);
    assert.match(withdrawPage.body, /value="withdrawn"/);
    assert.doesNotMatch(withdrawPage.body, /value="not_given"/);
    const early = await marsh.post(`/people/${personId}/story-consent`, consentForm(withdrawPage.body, { decision: 'withdrawn', 'decidedOn-day': '30', 'decidedOn-month': '10' }));
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /on or after the date of their last decision/);
    const wrongChoice = await marsh.post(`/people/${personId}/story-consent`, consentForm(withdrawPage.body, { decision: 'given' }));
    assert.equal(wrongChoice.statusCode, 400);

    const withdrawMark = await auditMark(t.db);
    const withdrawn = await marsh.post(`/people/${personId}/story-consent`, consentForm(withdrawPage.body, { decision: 'withdrawn', 'decidedOn-day': '2', how: 'by_phone' }));
    assert.equal(withdrawn.statusCode, 303);
    const history = await t.db.selectFrom('story_consents').select(['decision', 'decided_on']).where('person_id', '=', personId).orderBy('seq').execute();
    assert.deepEqual(history, [
      { decision: 'given', decided_on: '2026-11-01' },
      { decision: 'withdrawn', decided_on: '2026-11-02' },
    ]);
    const [row] = await auditSince(t.db, withdrawMark);
    assert.deepEqual([row?.action, row?.outcome, row?.detail.decision, row?.detail.storiesWithdrawn], ['story-consent.record', 'allowed', 'withdrawn', 0]);
    const shown = await marsh.get(`/people/${personId}/story-consent`);
    assert.match(shown.body, /Consent withdrawn/);
  });

  test('a form opened before someone else recorded a decision is refused with 409, and bad input changes nothing', async () => {
    const personId = await addPlainPerson('Stale Consent Person');
    const stale = await marsh.get(`/people/${personId}/story-consent`);
    await recordDecision(manager, personId, 'not_given');
    const mark = await auditMark(t.db);
    const refused = await marsh.post(`/people/${personId}/story-consent`, consentForm(stale.body));
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /someone else recorded a decision first/);
    const bad = await marsh.post(`/people/${personId}/story-consent`, consentForm(stale.body, { how: 'by pigeon', 'decidedOn-day': '40' }));
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Select how they told you/);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((a) => [a.action, a.outcome]),
      [
        ['story-consent.record', 'failed'],
        ['story-consent.record', 'failed'],
      ],
    );
    const rows = await t.db.selectFrom('story_consents').select('decision').where('person_id', '=', personId).execute();
    assert.deepEqual(rows, [{ decision: 'not_given' }]);
  });

  test("the person's overview shows the decision in force, when and by whom, within its one audited read", async () => {
    const personId = await addPlainPerson('Overview Consent Person');
    /** The "Sharing their story" row of the overview, as text with the tags taken out. */
    const sharingRow = async (client: Client) => {
      const page = await client.get(`/people/${personId}`);
      assert.equal(page.statusCode, 200);
      const row = /Sharing their story\s*<\/dt>([\s\S]*?)<\/div>\s*(?:<div class="govuk-summary-list__row|<\/dl>)/.exec(page.body);
      assert.ok(row?.[1] !== undefined, 'the overview has a "Sharing their story" row');
      return decode(row[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    };
    assert.equal(await sharingRow(marsh), 'Not asked yet Record their decision about sharing their story');

    await recordDecision(marsh, personId, 'given', '1');
    const marshName = (await t.db.selectFrom('users').select('name').where('email', '=', MARSH).executeTakeFirstOrThrow()).name;
    assert.equal(await sharingRow(manager), `Consent given Decided on 1 November 2026, recorded by ${marshName} Change their decision about sharing their story Build a story from their record`);

    await recordDecision(manager, personId, 'withdrawn', '2');
    const managerName = (await t.db.selectFrom('users').select('name').where('email', '=', MANAGER).executeTakeFirstOrThrow()).name;
    const mark = await auditMark(t.db);
    assert.equal(await sharingRow(manager), `Consent withdrawn Decided on 2 November 2026, recorded by ${managerName} Change their decision about sharing their story`, 'no story to build once consent is withdrawn');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((a) => [a.action, a.outcome, a.record_id]),
      [['person.read', 'allowed', personId]],
      'the decision is read within the overview’s own audited read',
    );
  });
});

describe('building a story', () => {
  test('needs consent in force: without it the manager is told why and how, and nothing is saved', async () => {
    const personId = await addPlainPerson('No Consent Person');
    const mark = await auditMark(t.db);
    const page = await manager.get(`/stories/new?person=${personId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /A story needs their consent/);
    assert.match(page.body, new RegExp(`/people/${personId}/story-consent`));
    const [row] = await auditSince(t.db, mark);
    assert.deepEqual([row?.action, row?.outcome, row?.record_id], ['story.prefill', 'failed', personId]);
    const posted = await manager.post('/stories', {
      formToken: randomUUID(),
      person: personId,
      initial: 'N',
      age: 'in their 40s',
      whatMattered: 'Home',
      whatHappened: 'Settled',
      status: 'ready',
    });
    assert.equal(posted.statusCode, 400);
    assert.match(posted.body, /A story needs their consent/);
    assert.equal((await t.db.selectFrom('stories').select('id').where('person_id', '=', personId).execute()).length, 0);
    const chooser = await manager.get('/stories/new');
    assert.doesNotMatch(chooser.body, /No Consent Person/);
  });

  test('the prefill holds no name, address, postcode, date of birth or name from their circle, and saves as it is', async () => {
    const personId = await addNamedPerson();
    await recordDecision(marsh, personId, 'given');
    const chooser = await manager.get('/stories/new');
    assert.match(chooser.body, new RegExp(`/stories/new\\?person=${personId}`));
    const page = await manager.get(`/stories/new?person=${personId}`);
    assert.equal(page.statusCode, 200);
    const values = storyFormValues(page.body);
    const prefill = [values.initial, values.age, values.whatMattered, values.whatHappened, values.costsText, values.costsAvoided].join('\n');
    for (const word of IDENTIFYING) assert.ok(!prefill.toLowerCase().includes(word.toLowerCase()), `the prefill says ${word}: ${prefill}`);
    assert.equal(values.initial, 'W');
    assert.equal(values.age, 'in their 60s');
    assert.match(values.whatMattered ?? '', /their daughter to visit their street again/);
    assert.match(values.whatMattered ?? '', /loneliness and isolation, bereavement/);
    assert.match(values.whatHappened ?? '', /W\. teaches sewing at the their neighbourhood community room/);
    assert.match(values.whatHappened ?? '', /their daughter to ring every Sunday/);
    assert.match(values.whatHappened ?? '', /Marsh End sewing circle/);
    assert.match(values.whatHappened ?? '', /Connected with another person we walk alongside/);

    const storyId = await createStory(personId);
    const row = await storyRow(storyId);
    assert.deepEqual([row.status, row.initial, row.version], ['draft', 'W', 1]);
  });

  test('a story that names someone from the record is refused, with the word and what to write instead', async () => {
    const personId = await addNamedPerson('Winifred Oyelaran');
    await recordDecision(marsh, personId, 'given');
    const page = await manager.get(`/stories/new?person=${personId}`);
    const values = storyFormValues(page.body);
    const mark = await auditMark(t.db);
    const response = await manager.post('/stories', { ...values, whatHappened: 'Her daughter Perpetua rings on Sundays.', status: 'ready' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /What happened says “Perpetua”, from their record/);
    assert.match(response.body, /their daughter/);
    assert.match(response.body, /Her daughter Perpetua rings on Sundays\./, 'what was typed is kept');
    const [row] = await auditSince(t.db, mark);
    assert.deepEqual([row?.action, row?.outcome, row?.detail.reason], ['story.create', 'failed', 'story identifies someone']);
    assert.equal((await t.db.selectFrom('stories').select('id').where('form_token', '=', values.formToken ?? '').execute()).length, 0);
  });

  test('edited as versions: a stale save is refused with 409 and both versions shown', async () => {
    const personId = await addPlainPerson('Version Person');
    await recordDecision(marsh, personId, 'given');
    const storyId = await createStory(personId, { whatMattered: 'Feeling at home', whatHappened: 'Joined the lunch club', costsAvoided: '£1,864', costsText: 'A hospital episode' });
    assert.deepEqual([(await storyRow(storyId)).costs_avoided, (await storyRow(storyId)).costs_text], ['1864.00', 'A hospital episode']);
    const form = await manager.get(`/stories/${storyId}/change`);
    const values = storyFormValues(form.body);
    assert.equal(values.version, '1');
    const saved = await manager.post(`/stories/${storyId}/change`, { ...values, whatHappened: 'Joined the lunch club, then ran it', status: 'ready' });
    assert.equal(saved.statusCode, 303);
    const mark = await auditMark(t.db);
    const stale = await manager.post(`/stories/${storyId}/change`, { ...values, whatHappened: 'Something else', status: 'draft' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /Joined the lunch club, then ran it/);
    assert.match(stale.body, /Something else/);
    assert.match(stale.body, /name="version" value="2"/);
    const row = await storyRow(storyId);
    assert.deepEqual([row.version, row.status, row.what_happened], [2, 'ready', 'Joined the lunch club, then ran it']);
    const [audit] = await auditSince(t.db, mark);
    assert.deepEqual([audit?.action, audit?.outcome, audit?.record_id, audit?.detail.storyId], ['story.update', 'failed', personId, storyId]);
  });
});

describe('the report', () => {
  test('prints ready stories with consent in force, nothing identifying; a withdrawal takes a story out at once', async () => {
    const personId = await addPlainPerson('Report Person');
    await recordDecision(marsh, personId, 'given');
    const fields = { initial: 'r', age: 'in their 40s', whatMattered: 'A warm home', whatHappened: 'The heating was mended', costsAvoided: '7770.5', costsText: 'A complex eviction', status: 'ready' };
    const storyId = await createStory(personId, fields);
    const draftId = await createStory(personId, { ...fields, whatHappened: 'Still a draft', status: 'draft' });
    const expected = { initial: 'R', age: 'in their 40s', whatMattered: 'A warm home', whatHappened: 'The heating was mended', indicativeCostsAvoided: '7770.50', costsText: 'A complex eviction' };
    const before = await storiesForReport(t, ids.brookfield);
    assert.deepEqual(
      before.filter((s) => s.whatHappened === 'The heating was mended' || s.whatHappened === 'Still a draft'),
      [expected],
    );
    assert.deepEqual(Object.keys(before[0] ?? {}).sort(), ['age', 'costsText', 'indicativeCostsAvoided', 'initial', 'whatHappened', 'whatMattered']);
    assert.deepEqual(await storiesForReport(t, ids.eastmoor), []);

    await recordDecision(marsh, personId, 'withdrawn', '2');
    assert.deepEqual([(await storyRow(storyId)).status, (await storyRow(draftId)).status], ['withdrawn', 'withdrawn']);
    const afterwards = await storiesForReport(t, ids.brookfield);
    assert.equal(afterwards.some((s) => s.whatHappened === 'The heating was mended'), false);

    const page = await manager.get(`/stories/${storyId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Not in the report: consent withdrawn/);
    assert.doesNotMatch(page.body, /Change the story/);
    const list = await manager.get('/stories');
    assert.match(list.body, /Withdrawn \(2\)/);
    const refused = await manager.post(`/stories/${storyId}/change`, { ...fields, version: String((await storyRow(storyId)).version) });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /withdrew their consent/);

    // Given again: back in the report only once a manager marks it ready again.
    await recordDecision(marsh, personId, 'given', '2');
    assert.equal((await storiesForReport(t, ids.brookfield)).some((s) => s.whatHappened === 'The heating was mended'), false);
    const again = await manager.post(`/stories/${storyId}/change`, { ...fields, version: String((await storyRow(storyId)).version) });
    assert.equal(again.statusCode, 303);
    assert.equal((await storiesForReport(t, ids.brookfield)).some((s) => s.whatHappened === 'The heating was mended'), true);
  });
});

describe('who may do what', () => {
  test('only managers reach the stories; coordinators record consent for their own neighbourhoods only', async () => {
    const personId = await addPlainPerson('Access Person');
    await recordDecision(marsh, personId, 'given');
    const storyId = await createStory(personId, { whatMattered: 'Home', whatHappened: 'Settled' });
    const overview = await marsh.get(`/people/${personId}`);
    assert.match(overview.body, new RegExp(`href="/people/${personId}/story-consent"`));
    assert.doesNotMatch(overview.body, /href="\/stories\/new/, 'a coordinator does not build stories');
    assert.match((await manager.get(`/people/${personId}`)).body, new RegExp(`href="/stories/new\\?person=${personId}"`));
    assert.match((await manager.get('/stories')).body, /href="\/stories" aria-current="true"/, 'the manager menu has Stories');
    const hollins = await signedInClient(t.app, HOLLINS);
    for (const email of [MARSH, 'leadership@brookfield.example', 'evaluator@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      for (const path of ['/stories', '/stories/new', `/stories/new?person=${personId}`, `/stories/${storyId}`, `/stories/${storyId}/change`]) {
        assert.equal((await client.get(path)).statusCode, 403, `${email} ${path}`);
      }
    }
    const mark = await auditMark(t.db);
    assert.equal((await hollins.get(`/people/${personId}/story-consent`)).statusCode, 404);
    const [denied] = await auditSince(t.db, mark);
    assert.deepEqual([denied?.action, denied?.outcome, denied?.record_id], ['story-consent.read', 'denied', personId]);
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.get(`/people/${personId}/story-consent`)).statusCode, 403);

    const other = await signedInClient(t.app, OTHER_MANAGER);
    const otherMark = await auditMark(t.db);
    assert.equal((await other.get(`/stories/${storyId}`)).statusCode, 404);
    assert.equal((await other.get(`/stories/new?person=${personId}`)).statusCode, 404);
    assert.doesNotMatch((await other.get('/stories')).body, /Access Person/);
    assert.deepEqual(
      (await auditSince(t.db, otherMark)).map((a) => [a.action, a.outcome]),
      [
        ['story.read', 'denied'],
        ['story.prefill', 'denied'],
        ['stories.list', 'allowed'],
      ],
    );
  });
});

describe('the demo', () => {
  test('three people agreed; two stories are ready for the report and one is a draft, each passing the anonymity check', async () => {
    const emails = [MARSH, HOLLINS, MANAGER];
    const userIds = Object.fromEntries(await Promise.all(emails.map(async (e) => [e, await ids.user(e)] as const)));
    const programme = { programmeId: ids.brookfield, areaIds: { marsh: ids.marshEnd, hollins: ids.hollinsPark }, userIds };
    await seedDemoPeople(t.db, programme, t.clock.now());
    const before = (await storiesForReport(t, ids.brookfield)).length;
    assert.equal(await seedDemoStories(t.db, programme, t.clock.now()), 3);
    const report = await storiesForReport(t, ids.brookfield);
    assert.equal(report.length - before, 2);
    // Written from journeys of weeks ago, so the report prints them before this file's other stories.
    const demo = report.slice(0, 2);
    assert.deepEqual(demo.map((s) => [s.initial, s.age, s.indicativeCostsAvoided]), [
      ['G', 'in their 40s', '7770.00'],
      ['M', 'in their 70s', '2030.00'],
    ]);
    const names = ['Gareth', 'Pryce', 'Gaz', 'Carol', 'Dean', 'Farida', 'Ahmed', 'Maureen', 'Tilsley', 'Janet', 'Siobhan', 'Alex', 'Nadia', 'Tannery Row', 'Quarry Lane', 'BF1 4QT', 'BF3 2HL'];
    const text = JSON.stringify(demo);
    for (const name of names) assert.ok(!text.includes(name), `a demo story says ${name}`);

    // Each demo story saves unchanged through the form: the same check a manager's edit gets finds nothing in it.
    const seeded = await t.db
      .selectFrom('stories as s')
      .innerJoin('people as p', 'p.id', 's.person_id')
      .select(['s.id', 's.status'])
      .where('p.name', 'in', ['Gareth Pryce', 'Maureen Tilsley', 'Siobhan Carew'])
      .execute();
    assert.deepEqual(seeded.map((s) => s.status).sort(), ['draft', 'ready', 'ready']);
    for (const story of seeded) {
      const values = storyFormValues((await manager.get(`/stories/${story.id}/change`)).body);
      const saved = await manager.post(`/stories/${story.id}/change`, { ...values, status: story.status });
      assert.equal(saved.statusCode, 303, saved.body);
    }
  });
});
