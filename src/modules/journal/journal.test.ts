import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { sql } from 'kysely';
import { inTransaction } from '../../core/db/transaction.ts';
import { selectLastContact, selectLastContacts } from './queries.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const LEADERSHIP = 'leadership@brookfield.example';
const OTHER_MANAGER = 'manager@eastmoor.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let recorder: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, MANAGER);
  recorder = await ids.user(MARSH);
});
after(async () => {
  await t.close();
});

const AT = new Date('2026-10-20T10:00:00Z');
const newPerson = (name: string) => addPerson(t.db, ids.brookfield, ids.marshEnd, name, recorder);
const journalOf = (personId: string) => `/people/${personId}/journal`;
const timelineOf = (personId: string) => `/people/${personId}/timeline`;

// Parts of a person's record from the other modules, put straight into the database as a seed would. ------------

async function addStep(personId: string, what: string, overrides: { version?: number; status?: 'planned' | 'under_way' | 'done'; at?: Date } = {}) {
  const at = overrides.at ?? AT;
  const row = await t.db
    .insertInto('steps')
    .values({
      programme_id: ids.brookfield,
      person_id: personId,
      question: 'community',
      what,
      owner: 'His brother-in-law',
      status: overrides.status ?? 'planned',
      version: overrides.version ?? 1,
      form_token: randomUUID(),
      created_by: recorder,
      created_at: at,
      updated_by: recorder,
      updated_at: overrides.version === undefined ? at : new Date(at.getTime() + 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function addCircleMember(personId: string, name: string) {
  const member = await t.db
    .insertInto('circle_members')
    .values({
      programme_id: ids.brookfield,
      person_id: personId,
      joined_on: '2026-10-20',
      form_token: randomUUID(),
      created_at: AT,
      created_by: recorder,
      updated_at: AT,
      updated_by: recorder,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('circle_member_versions')
    .values({
      programme_id: ids.brookfield,
      person_id: personId,
      member_id: member.id,
      version: 1,
      name,
      relationship: 'neighbour',
      how_they_help: null,
      closeness: 2,
      kind: 'neighbour',
      valid_from: '2026-10-20',
      recorded_at: AT,
      recorded_by: recorder,
    })
    .execute();
  return member.id;
}

async function addHouseholdMember(personId: string, name: string, at = AT) {
  const row = await t.db
    .insertInto('household_members')
    .values({
      programme_id: ids.brookfield,
      person_id: personId,
      name,
      relationship: 'son',
      form_token: randomUUID(),
      created_by: recorder,
      updated_by: recorder,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A complete, valid entry form; fields can be replaced. */
function entryFields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    'happenedOn-day': '30',
    'happenedOn-month': '10',
    'happenedOn-year': '2026',
    how: 'community_venue',
    kind: 'conversation',
    duration: '45',
    notes: 'Met at the café on Mill Lane.\nTalked about his mum, and the cooker.',
    ...overrides,
  };
}

/** Opens the new-entry form as a person would and sends it; returns the response and the form's token. */
async function sendEntry(client: Client, personId: string, overrides: Record<string, string | string[]> = {}) {
  const form = await client.get(`${journalOf(personId)}/new`);
  assert.equal(form.statusCode, 200, form.body);
  const formToken = hiddenField(form.body, 'formToken') ?? '';
  const response = await client.post(journalOf(personId), { formToken, ...entryFields(overrides) });
  return { response, formToken };
}

async function addEntry(client: Client, personId: string, overrides: Record<string, string | string[]> = {}): Promise<string> {
  const { response, formToken } = await sendEntry(client, personId, overrides);
  assert.equal(response.statusCode, 303, response.body);
  const row = await t.db.selectFrom('journal_entries').select('id').where('form_token', '=', formToken).executeTakeFirstOrThrow();
  assert.equal(response.headers.location, `${timelineOf(personId)}?added=1#journal-${row.id}`);
  return row.id;
}

async function versionsOf(entryId: string) {
  return t.db
    .selectFrom('journal_entry_versions')
    .select(['version', 'happened_on', 'how', 'kind', 'duration_minutes', 'notes'])
    .where('entry_id', '=', entryId)
    .orderBy('version')
    .execute();
}

async function linksOf(entryId: string, version: number) {
  const steps = await t.db.selectFrom('journal_entry_steps').select('step_id').where('entry_id', '=', entryId).where('version', '=', version).execute();
  const circle = await t.db.selectFrom('journal_entry_circle_members').select('member_id').where('entry_id', '=', entryId).where('version', '=', version).execute();
  const household = await t.db
    .selectFrom('journal_entry_household_members')
    .select('member_id')
    .where('entry_id', '=', entryId)
    .where('version', '=', version)
    .execute();
  return { steps: steps.map((r) => r.step_id), circle: circle.map((r) => r.member_id), household: household.map((r) => r.member_id) };
}

async function entriesOf(personId: string): Promise<number> {
  const rows = await t.db.selectFrom('journal_entries').select('id').where('person_id', '=', personId).execute();
  return rows.length;
}

/** Opens an entry's correction form; returns the version it was made from. */
async function openCorrection(client: Client, personId: string, entryId: string): Promise<string> {
  const page = await client.get(`${journalOf(personId)}/change?entry=${entryId}`);
  assert.equal(page.statusCode, 200, page.body);
  assert.equal(hiddenField(page.body, 'entryId'), entryId);
  return hiddenField(page.body, 'version') ?? '';
}

describe('the journal', () => {
  test('an entry is added with its links and shown on the timeline, and each request is audited once', async () => {
    const personId = await newPerson('Dennis Carver');
    const stepId = await addStep(personId, 'Ask the lunch club about a second-hand cooker');
    const kayId = await addCircleMember(personId, 'Kay Brown');
    const sonId = await addHouseholdMember(personId, 'Liam Carver');
    const mark = await auditMark(t.db);
    const entryId = await addEntry(marsh, personId, { steps: stepId, circleMembers: kayId, householdMembers: sonId });
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_id]),
      [
        ['journal.read', 'allowed', personId],
        ['journal.create', 'allowed', personId],
      ],
    );
    assert.deepEqual(audit[1]?.detail, { entryId });
    assert.deepEqual(await versionsOf(entryId), [
      {
        version: 1,
        happened_on: '2026-10-30',
        how: 'community_venue',
        kind: 'conversation',
        duration_minutes: 45,
        notes: 'Met at the café on Mill Lane.\nTalked about his mum, and the cooker.',
      },
    ]);
    assert.deepEqual(await linksOf(entryId, 1), { steps: [stepId], circle: [kayId], household: [sonId] });

    const page = await marsh.get(`${timelineOf(personId)}?added=1`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Added to the journal/);
    assert.match(page.body, new RegExp(`id="journal-${entryId}"`));
    assert.match(page.body, /A conversation: at a community venue/);
    assert.match(page.body, /<p class="govuk-body">Met at the café on Mill Lane.<br>Talked about his mum, and the cooker.<\/p>/);
    assert.match(page.body, /45 minutes/);
    assert.match(page.body, /Recorded by Amara Okafor/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/agreement#step-${stepId}">Ask the lunch club about a second-hand cooker`));
    assert.match(page.body, /Kay Brown \(circle of support\)/);
    assert.match(page.body, /Liam Carver \(household\)/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/journal/change\\?entry=${entryId}">Correct this entry`));
  });

  test('the form offers the person’s steps, circle and household, and today’s date', async () => {
    const personId = await newPerson('Dennis Carver');
    await addStep(personId, 'Plumb in the washing machine');
    await addCircleMember(personId, 'Pat Jones');
    await addHouseholdMember(personId, 'Jo Carver');
    const form = await marsh.get(`${journalOf(personId)}/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1 class="govuk-heading-l">Add to the journal<\/h1>/);
    assert.match(form.body, /name="happenedOn-day" type="text" value="2"/);
    assert.match(form.body, /name="happenedOn-month" type="text" value="11"/);
    assert.match(form.body, /Plumb in the washing machine/);
    assert.match(form.body, /What family, friends and community will do. Planned/);
    assert.match(form.body, /Pat Jones/);
    assert.match(form.body, /Jo Carver/);
    for (const how of ['In person', 'A home visit', 'On the phone', 'A video call', 'At a community venue', 'By message']) {
      assert.match(form.body, new RegExp(how), how);
    }
  });

  test('an invalid form is shown again with its messages and everything typed kept, and nothing is written', async () => {
    const personId = await newPerson('Dennis Carver');
    const form = await marsh.get(`${journalOf(personId)}/new`);
    const formToken = hiddenField(form.body, 'formToken') ?? '';
    const mark = await auditMark(t.db);
    const response = await marsh.post(journalOf(personId), {
      formToken,
      'happenedOn-day': '3',
      'happenedOn-month': '11',
      'happenedOn-year': '2026',
      how: 'carrier pigeon',
      duration: 'an hour',
      notes: '   ',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    for (const [target, message] of [
      ['happenedOn-day', 'The date it happened must be today or in the past'],
      ['how', 'Select how you were in touch'],
      ['kind', 'Select whether it was a conversation or a practical action'],
      ['duration', 'Enter how long it took in minutes, like 45'],
      ['notes', 'Enter what happened'],
    ] as const) {
      assert.match(response.body, new RegExp(`href="#${target}">${message}`), target);
    }
    assert.match(response.body, /name="duration" type="text"[^>]*value="an hour"/);
    assert.equal(hiddenField(response.body, 'formToken'), formToken, 'the same form, so a corrected submission is still one');
    assert.equal(await entriesOf(personId), 0);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome]),
      [['journal.create', 'failed']],
    );
    assert.deepEqual(audit[0]?.detail, { reason: 'form had problems', fields: ['happenedOn', 'how', 'kind', 'duration', 'notes'] });

    const tooLong = await marsh.post(journalOf(personId), { formToken, ...entryFields({ notes: 'x'.repeat(10_001), duration: '1441' }) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /What happened must be 10,000 characters or fewer/);
    assert.match(tooLong.body, /How long it took must be between 1 minute and 1440 minutes/);
    const notADate = await marsh.post(journalOf(personId), { formToken, ...entryFields({ 'happenedOn-day': '31', 'happenedOn-month': '2' }) });
    assert.equal(notADate.statusCode, 400);
    assert.match(notADate.body, /The date it happened must be a real date, like 27 3 2026/);
    const notAnId = await marsh.post(journalOf(personId), { formToken, ...entryFields({ steps: 'not-an-id' }) });
    assert.equal(notAnId.statusCode, 400);
    assert.match(notAnId.body, /href="#steps">Select steps from the list/);
    assert.equal(await entriesOf(personId), 0);
  });

  test('the same form sent twice, one after the other or at once, adds one entry', async () => {
    const personId = await newPerson('Dennis Carver');
    const { response, formToken } = await sendEntry(marsh, personId);
    const again = await marsh.post(journalOf(personId), { formToken, ...entryFields() });
    assert.deepEqual([response.statusCode, again.statusCode], [303, 303]);
    assert.equal(again.headers.location, response.headers.location);
    assert.equal(await entriesOf(personId), 1);

    const form = await marsh.get(`${journalOf(personId)}/new`);
    const fields = { formToken: hiddenField(form.body, 'formToken') ?? '', ...entryFields() };
    const raced = await Promise.all([1, 2, 3].map(() => marsh.post(journalOf(personId), fields)));
    assert.deepEqual(new Set(raced.map((r) => r.statusCode)), new Set([303]));
    assert.equal(await entriesOf(personId), 2);
  });

  test('a link to someone else’s step, circle or household is refused as not found, and nothing is written', async () => {
    const personId = await newPerson('Dennis Carver');
    const otherId = await newPerson('Maureen Holt');
    const theirStep = await addStep(otherId, 'Grant forms for the stair rails');
    const theirNeighbour = await addCircleMember(otherId, 'Neighbour Bill');
    const theirDaughter = await addHouseholdMember(otherId, 'Sue Holt');
    for (const link of [{ steps: theirStep }, { circleMembers: theirNeighbour }, { householdMembers: theirDaughter }, { steps: randomUUID() }]) {
      const mark = await auditMark(t.db);
      const { response } = await sendEntry(marsh, personId, link);
      assert.equal(response.statusCode, 404, JSON.stringify(link));
      assert.match(response.body, /Something the entry was to be linked to is not part of this person’s record/);
      const audit = await auditSince(t.db, mark);
      assert.deepEqual(audit.at(-1)?.outcome, 'denied');
      assert.equal(audit.at(-1)?.action, 'journal.create');
    }
    assert.equal(await entriesOf(personId), 0);
  });

  test('a correction is a new version; the earlier one is kept and shown, and the timeline says so', async () => {
    const personId = await newPerson('Dennis Carver');
    const stepId = await addStep(personId, 'Learn to cook three meals');
    const entryId = await addEntry(marsh, personId);
    const version = await openCorrection(manager, personId, entryId);
    assert.equal(version, '1');
    const mark = await auditMark(t.db);
    const saved = await manager.post(`${journalOf(personId)}/change`, {
      entryId,
      version,
      ...entryFields({ how: 'home_visit', kind: 'practical_action', duration: '', notes: 'Fetched the cooker from the lunch club.', steps: stepId }),
    });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, `${timelineOf(personId)}?corrected=1#journal-${entryId}`);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.detail]),
      [['journal.update', 'allowed', { entryId, version: 2 }]],
    );
    const [first, second, ...rest] = await versionsOf(entryId);
    assert.deepEqual(rest, []);
    assert.equal(first?.notes, 'Met at the café on Mill Lane.\nTalked about his mum, and the cooker.');
    assert.deepEqual([second?.how, second?.kind, second?.duration_minutes, second?.notes], ['home_visit', 'practical_action', null, 'Fetched the cooker from the lunch club.']);
    assert.deepEqual(await linksOf(entryId, 1), { steps: [], circle: [], household: [] });
    assert.deepEqual(await linksOf(entryId, 2), { steps: [stepId], circle: [], household: [] });

    const timeline = await marsh.get(timelineOf(personId));
    assert.match(timeline.body, /A practical action: a home visit/);
    assert.match(timeline.body, /Corrected by Priya Shah on 2 November 2026/);
    assert.doesNotMatch(timeline.body, /Met at the café/);
    const form = await marsh.get(`${journalOf(personId)}/change?entry=${entryId}`);
    assert.match(form.body, /Earlier versions/);
    assert.match(form.body, /Version 1, written by Amara Okafor/);
    assert.match(form.body, /Met at the café on Mill Lane/);
    assert.match(form.body, new RegExp(`name="steps" type="checkbox" value="${stepId}" checked`));
  });

  test('two people correct one entry: the second is refused with both versions shown, and their input kept', async () => {
    const personId = await newPerson('Dennis Carver');
    const entryId = await addEntry(marsh, personId);
    const marshVersion = await openCorrection(marsh, personId, entryId);
    const managerVersion = await openCorrection(manager, personId, entryId);
    const first = await manager.post(`${journalOf(personId)}/change`, { entryId, version: managerVersion, ...entryFields({ notes: 'Met at the café. Talked about the cooker.' }) });
    assert.equal(first.statusCode, 303);
    const mark = await auditMark(t.db);
    const mine = entryFields({ notes: 'Met at the café; he <b>laughed</b> a lot.', duration: '60' });
    const second = await marsh.post(`${journalOf(personId)}/change`, { entryId, version: marshVersion, ...mine });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /Not saved: someone else changed this first/);
    assert.match(second.body, /Priya Shah saved a change/);
    assert.match(second.body, /<td class="govuk-table__cell"><p class="govuk-body">Met at the café. Talked about the cooker.<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">Met at the café; he &lt;b&gt;laughed&lt;\/b&gt; a lot.<\/p><\/td>/);
    assert.match(second.body, /<td class="govuk-table__cell"><p class="govuk-body">45 minutes<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">1 hour<\/p><\/td>/);
    assert.match(second.body, /he &lt;b&gt;laughed&lt;\/b&gt; a lot.<\/textarea>/);
    assert.equal(hiddenField(second.body, 'version'), '2', 'the form now carries the version the other person saved');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [['journal.update', 'failed', { reason: 'changed by someone else first' }]],
    );
    assert.equal((await versionsOf(entryId)).length, 2);
    // Saving again from the version now shown goes through; sending that same correction again changes nothing.
    const merged = { entryId, version: '2', ...mine };
    assert.equal((await marsh.post(`${journalOf(personId)}/change`, merged)).statusCode, 303);
    assert.equal((await marsh.post(`${journalOf(personId)}/change`, merged)).statusCode, 303);
    assert.equal((await versionsOf(entryId)).length, 3);
  });

  test('an invalid correction is shown again with what was typed, and nothing is saved', async () => {
    const personId = await newPerson('Dennis Carver');
    const entryId = await addEntry(marsh, personId);
    const version = await openCorrection(marsh, personId, entryId);
    const response = await marsh.post(`${journalOf(personId)}/change`, { entryId, version, ...entryFields({ notes: '', duration: '0' }) });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#notes">Enter what happened/);
    assert.match(response.body, /href="#duration">How long it took must be between 1 minute and 1440 minutes/);
    assert.equal(hiddenField(response.body, 'version'), version);
    assert.equal((await versionsOf(entryId)).length, 1);
  });

  test('with no entry named, the latest entries are offered to choose from', async () => {
    const personId = await newPerson('Dennis Carver');
    const empty = await marsh.get(`${journalOf(personId)}/change`);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /There is nothing in Dennis Carver’s journal yet/);
    const entryId = await addEntry(marsh, personId);
    const chooser = await marsh.get(`${journalOf(personId)}/change`);
    assert.match(chooser.body, new RegExp(`name="entry" type="radio" value="${entryId}"`));
    assert.match(chooser.body, /30 October 2026: A conversation, at a community venue/);
    const mark = await auditMark(t.db);
    const unnamed = await marsh.post(`${journalOf(personId)}/change`, entryFields());
    assert.equal(unnamed.statusCode, 400);
    assert.match(unnamed.body, /href="#entry">Select the entry to correct/);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [['journal.update', 'failed', { reason: 'form had problems', fields: ['entryId'] }]],
    );
  });

  test('an entry of someone else’s, or no entry at all, is not found, and the refusal is audited', async () => {
    const personId = await newPerson('Dennis Carver');
    const otherId = await newPerson('Maureen Holt');
    const theirEntry = await addEntry(marsh, otherId);
    for (const entry of [theirEntry, randomUUID(), 'not-an-id']) {
      const mark = await auditMark(t.db);
      const response = await marsh.get(`${journalOf(personId)}/change?entry=${entry}`);
      assert.equal(response.statusCode, 404);
      assert.match(response.body, /There is no such entry in this person’s journal/);
      assert.deepEqual(
        (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id]),
        [['journal.read', 'denied', personId]],
      );
    }
    const ownEntry = await addEntry(marsh, personId);
    const theirStep = await addStep(otherId, 'Their step');
    const linked = await marsh.post(`${journalOf(personId)}/change`, { entryId: ownEntry, version: '1', ...entryFields({ steps: theirStep }) });
    assert.equal(linked.statusCode, 404);
    assert.deepEqual(await linksOf(ownEntry, 1), { steps: [], circle: [], household: [] });
    assert.equal((await versionsOf(ownEntry)).length, 1);
    const mark = await auditMark(t.db);
    const post = await marsh.post(`${journalOf(personId)}/change`, { entryId: theirEntry, version: '1', ...entryFields({ notes: 'Overwritten' }) });
    assert.equal(post.statusCode, 404);
    assert.deepEqual((await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]), [['journal.update', 'denied', { reason: 'not an entry of this person’s', entryId: theirEntry }]]);
    assert.equal((await versionsOf(theirEntry)).length, 1);
  });

  test('coordinators of other neighbourhoods, managers of other programmes and the Leadership Group are refused', async () => {
    const personId = await newPerson('Dennis Carver');
    const entryId = await addEntry(marsh, personId);
    const hollins = await signedInClient(t.app, HOLLINS);
    const otherManager = await signedInClient(t.app, OTHER_MANAGER);
    const leadership = await signedInClient(t.app, LEADERSHIP);
    for (const [client, status] of [
      [hollins, 404],
      [otherManager, 404],
      [leadership, 403],
    ] as const) {
      for (const path of [timelineOf(personId), `${journalOf(personId)}/new`, `${journalOf(personId)}/change?entry=${entryId}`]) {
        const mark = await auditMark(t.db);
        const response = await client.get(path);
        assert.equal(response.statusCode, status, path);
        assert.doesNotMatch(response.body, /Dennis Carver|Mill Lane/);
        const audit = await auditSince(t.db, mark);
        assert.deepEqual(audit.map((r) => r.outcome), ['denied'], path);
      }
      const post = await client.post(journalOf(personId), { formToken: randomUUID(), ...entryFields() });
      assert.equal(post.statusCode, status);
    }
    assert.equal(await entriesOf(personId), 1);
  });

  test('removing a household member linked to an entry removes the link, and the entry stays', async () => {
    const personId = await newPerson('Dennis Carver');
    const sonId = await addHouseholdMember(personId, 'Liam Carver');
    const entryId = await addEntry(marsh, personId, { householdMembers: sonId });
    await marsh.get(`/people/${personId}/household/change?member=${sonId}`);
    const removed = await marsh.post(`/people/${personId}/household/remove`, { member: sonId });
    assert.equal(removed.statusCode, 303);
    assert.deepEqual(await linksOf(entryId, 1), { steps: [], circle: [], household: [] });
    assert.equal((await versionsOf(entryId)).length, 1);
  });
});

describe('the timeline', () => {
  test('brings together every part of the record, newest first, each with who recorded it and a link', async () => {
    const personId = await newPerson('Dennis Carver');
    const day = (d: string, h = 10) => new Date(`2026-10-${d}T${String(h).padStart(2, '0')}:00:00Z`);
    await t.db
      .insertInto('person_status_changes')
      .values({
        programme_id: ids.brookfield,
        person_id: personId,
        from_status: 'introduced',
        to_status: 'getting_to_know',
        changed_by: recorder,
        changed_at: day('05'),
        form_token: randomUUID(),
      })
      .execute();
    await t.db
      .insertInto('shared_agreements')
      .values({
        programme_id: ids.brookfield,
        person_id: personId,
        version_number: 1,
        working_on: 'Keeping his home',
        who_does_what: 'Dennis calls the housing association',
        keeping_in_touch: 'Tuesdays at the café',
        agreed_on: '2026-10-10',
        recorded_by: recorder,
        form_token: randomUUID(),
        created_at: day('10'),
      })
      .execute();
    await addStep(personId, 'Benefits check with the housing association', { at: day('11'), version: 2, status: 'done' });
    await addCircleMember(personId, 'Kay Brown');
    await addHouseholdMember(personId, 'Liam Carver', day('20', 9));
    const entryId = await addEntry(marsh, personId, { 'happenedOn-day': '25' });

    const mark = await auditMark(t.db);
    const page = await marsh.get(timelineOf(personId));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`href="${timelineOf(personId)}" aria-current="page">Journal and timeline`));
    assert.match(page.body, new RegExp(`href="/people/${personId}/journal/new"[^>]*>\\s*Add to the journal`));
    assert.match(page.body, new RegExp(`href="/people/${personId}/connections">Connections with other people`));
    const titles = [...page.body.matchAll(/<h3 class="govuk-heading-s govuk-!-margin-bottom-1">([^<]*)<\/h3>/g)].map((m) => m[1]);
    assert.deepEqual(titles, [
      'A conversation: at a community venue',
      'Kay Brown joined the circle of support',
      'Liam Carver added to the household',
      'Step changed: now done',
      'Step added',
      'Shared agreement agreed',
      'Status: getting to know',
      'Introduced by a neighbour',
    ]);
    for (const href of [
      `/people/${personId}/journal/change?entry=${entryId}`,
      `/people/${personId}/agreement?version=1`,
      `/people/${personId}/status`,
      `/people/${personId}/circle/change?member=`,
      `/people/${personId}/household/change?member=`,
      `/people/${personId}/agreement#step-`,
    ]) {
      assert.ok(page.body.includes(`href="${href}`), href);
    }
    assert.match(page.body, /To feel part of the street again/);
    assert.match(page.body, /That is everything/);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [['timeline.read', 'allowed', personId, { items: 8 }]],
    );
  });

  test('can be narrowed to some kinds, and shows the latest items with a way to see earlier ones', async () => {
    const personId = await newPerson('Dennis Carver');
    for (const d of ['20', '21', '22']) await addEntry(marsh, personId, { 'happenedOn-day': d, notes: `Entry of day ${d}` });
    const journalOnly = await marsh.get(`${timelineOf(personId)}?kind=journal`);
    assert.equal(journalOnly.statusCode, 200);
    assert.doesNotMatch(journalOnly.body, /Introduced by/);
    assert.match(journalOnly.body, /Showing: Journal/);
    assert.equal([...journalOnly.body.matchAll(/<h3 class="govuk-heading-s govuk-!-margin-bottom-1">A conversation: at a community venue<\/h3>/g)].length, 3);

    const two = await marsh.get(`${timelineOf(personId)}?kind=journal&kind=introduction&show=2`);
    assert.equal(two.statusCode, 200);
    assert.match(two.body, /Entry of day 22[\s\S]*Entry of day 21/);
    assert.doesNotMatch(two.body, /Entry of day 20/);
    assert.match(two.body, new RegExp(`href="${timelineOf(personId)}\\?kind=journal&amp;kind=introduction&amp;show=102">Show earlier`));
  });

  test('a kind that is not one, or a number of items that is not a number, is a 400 with the error summary', async () => {
    const personId = await newPerson('Dennis Carver');
    for (const query of ['kind=referrals', 'kind=journal&kind=<script>', 'show=lots', 'show=0']) {
      const mark = await auditMark(t.db);
      const response = await marsh.get(`${timelineOf(personId)}?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, /href="#kind">/);
      assert.doesNotMatch(response.body, /<script>/);
      assert.deepEqual((await auditSince(t.db, mark)).map((r) => [r.action, r.outcome]), [['timeline.read', 'failed']], query);
    }
  });
});

describe('last contact', () => {
  test('is the date of each person’s latest entry as it reads now, for many people in one query', async () => {
    const quiet = await newPerson('Quiet Person');
    const busy = await newPerson('Busy Person');
    const elsewhere = await addPerson(t.db, ids.eastmoor, ids.eastmoorMarshEnd, 'Eastmoor Person', recorder);
    await addEntry(marsh, busy, { 'happenedOn-day': '12' });
    const later = await addEntry(marsh, busy, { 'happenedOn-day': '28' });
    const scope = { programmeId: ids.brookfield, userId: recorder };
    const read = () => inTransaction(t.db, scope, (tx) => selectLastContacts(tx, ids.brookfield, [quiet, busy, elsewhere]));
    assert.deepEqual([...(await read())], [[busy, '2026-10-28']]);
    // A corrected date counts as corrected.
    const version = await openCorrection(marsh, busy, later);
    assert.equal((await marsh.post(`${journalOf(busy)}/change`, { entryId: later, version, ...entryFields({ 'happenedOn-day': '1' }) })).statusCode, 303);
    assert.deepEqual([...(await read())], [[busy, '2026-10-12']]);
    assert.deepEqual(await inTransaction(t.db, scope, (tx) => selectLastContacts(tx, ids.brookfield, [])), new Map());
    assert.equal(await inTransaction(t.db, scope, (tx) => selectLastContact(tx, ids.brookfield, quiet)), undefined);
    assert.equal(await inTransaction(t.db, scope, (tx) => selectLastContact(tx, ids.brookfield, busy)), '2026-10-12');
  });
});

describe('the database as the backstop', () => {
  test('the new tables force row-level security, and the application cannot rewrite or delete their history', async () => {
    const tables = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
      WHERE relname IN ('journal_entries', 'journal_entry_versions', 'journal_entry_steps', 'journal_entry_circle_members',
                        'journal_entry_household_members', 'person_connections')`.execute(t.db);
    assert.equal(tables.rows.length, 6);
    for (const row of tables.rows) assert.deepEqual([row.relrowsecurity, row.relforcerowsecurity], [true, true], row.relname);

    const personId = await newPerson('Dennis Carver');
    await addEntry(marsh, personId);
    const asApp = <T>(programmeId: string, work: Parameters<typeof inTransaction<T>>[2]) => inTransaction(t.db, { programmeId, userId: recorder }, work);
    await assert.rejects(asApp(ids.brookfield, (tx) => tx.updateTable('journal_entry_versions').set({ notes: 'Rewritten' }).execute()), /permission denied/);
    await assert.rejects(asApp(ids.brookfield, (tx) => tx.deleteFrom('journal_entries').execute()), /permission denied/);
    await assert.rejects(asApp(ids.brookfield, (tx) => tx.deleteFrom('journal_entry_versions').execute()), /permission denied/);
    await assert.rejects(asApp(ids.brookfield, (tx) => tx.deleteFrom('person_connections').execute()), /permission denied/);
    await assert.rejects(asApp(ids.brookfield, (tx) => tx.updateTable('person_connections').set({ why: 'Rewritten' }).execute()), /permission denied/);
    const seen = await asApp(ids.eastmoor, (tx) => tx.selectFrom('journal_entry_versions').select('notes').where('person_id', '=', personId).execute());
    assert.deepEqual(seen, [], 'another programme sees none of it');
  });
});
