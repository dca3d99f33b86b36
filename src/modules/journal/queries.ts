import { sql, type Expression } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { JournalHow, JournalKind } from './tables.ts';

// ---------------------------------------------------------------------------------------------------------------
// Last contact

/**
 * For each person asked about, the date of their latest journal entry ('YYYY-MM-DD'), as the entries read now
 * (a corrected date counts as corrected). People with no entry have no key. One query however many people: for
 * caseloads and a manager's lists. The caller has already decided the user may see these people, and audits that.
 */
export async function selectLastContacts(tx: Tx, programmeId: string, personIds: readonly string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('journal_entry_versions as v')
    .innerJoin('journal_entries as e', (join) => join.onRef('e.id', '=', 'v.entry_id').onRef('e.version', '=', 'v.version'))
    .select((eb) => ['v.person_id', eb.fn.max('v.happened_on').as('last')])
    .where('v.programme_id', '=', programmeId)
    // One array parameter however long the list: a manager's programme can hold thousands of people.
    .where(sql<boolean>`v.person_id = any(${[...personIds]}::uuid[])`)
    .groupBy('v.person_id')
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.last]));
}

/** The date of one person's latest journal entry, or undefined when there is none. */
export async function selectLastContact(tx: Tx, programmeId: string, personId: string): Promise<string | undefined> {
  return (await selectLastContacts(tx, programmeId, [personId])).get(personId);
}

// ---------------------------------------------------------------------------------------------------------------
// Journal entries

/** What one version of an entry says. */
export interface EntryContent {
  happenedOn: string;
  how: JournalHow;
  kind: JournalKind;
  durationMinutes: number | null;
  notes: string;
}

/** What one version of an entry is linked to: ids of this person's steps, circle members and household members, and of community assets in their life. */
export interface EntryLinks {
  steps: readonly string[];
  circleMembers: readonly string[];
  householdMembers: readonly string[];
  assets: readonly string[];
}

const versionColumns = [
  'v.entry_id as entryId',
  'v.version',
  'v.happened_on as happenedOn',
  'v.how',
  'v.kind',
  'v.duration_minutes as durationMinutes',
  'v.notes',
  'v.recorded_at as recordedAt',
  'r.name as recordedByName',
] as const;

/** The person's entries as they read now, newest first (by the day it happened, then the day it was written). */
export async function selectCurrentEntries(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('journal_entries as e')
    .innerJoin('journal_entry_versions as v', (join) => join.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.version'))
    .innerJoin('users as r', 'r.id', 'v.recorded_by')
    .innerJoin('users as c', 'c.id', 'e.created_by')
    .select([...versionColumns, 'e.created_at as createdAt', 'c.name as createdByName'])
    .where('e.programme_id', '=', programmeId)
    .where('e.person_id', '=', personId)
    .orderBy('v.happened_on', 'desc')
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** One of this person's entries (nothing for anyone else's), as it reads now, with who wrote it first. */
export async function selectEntry(tx: Tx, programmeId: string, personId: string, entryId: string) {
  return tx
    .selectFrom('journal_entries as e')
    .innerJoin('journal_entry_versions as v', (join) => join.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.version'))
    .innerJoin('users as r', 'r.id', 'v.recorded_by')
    .innerJoin('users as c', 'c.id', 'e.created_by')
    .select([...versionColumns, 'e.created_at as createdAt', 'c.name as createdByName'])
    .where('e.programme_id', '=', programmeId)
    .where('e.person_id', '=', personId)
    .where('e.id', '=', entryId)
    .executeTakeFirst();
}

/** Every version of an entry, newest first. */
export async function selectEntryVersions(tx: Tx, programmeId: string, personId: string, entryId: string) {
  return tx
    .selectFrom('journal_entry_versions as v')
    .innerJoin('users as r', 'r.id', 'v.recorded_by')
    .select(versionColumns)
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .where('v.entry_id', '=', entryId)
    .orderBy('v.version', 'desc')
    .execute();
}

/** The links of every version of the entries named, with the words to show for what they link to. */
export async function selectEntryLinks(tx: Tx, programmeId: string, personId: string, entryIds: readonly string[]) {
  if (entryIds.length === 0) return { steps: [], circleMembers: [], householdMembers: [], assets: [] };
  const ids = sql<boolean>`entry_id = any(${[...entryIds]}::uuid[])`;
  const steps = await tx
    .selectFrom('journal_entry_steps as l')
    .innerJoin('steps as s', 's.id', 'l.step_id')
    .select(['l.entry_id as entryId', 'l.version', 'l.step_id as id', 's.what as text'])
    .where('l.programme_id', '=', programmeId)
    .where('l.person_id', '=', personId)
    .where(ids)
    .orderBy('s.created_at')
    .execute();
  const circleMembers = await tx
    .selectFrom('journal_entry_circle_members as l')
    .select((eb) => [
      'l.entry_id as entryId',
      'l.version',
      'l.member_id as id',
      latestCircleName(eb.ref('l.member_id')).as('text'),
    ])
    .where('l.programme_id', '=', programmeId)
    .where('l.person_id', '=', personId)
    .where(ids)
    .orderBy('text')
    .execute();
  const householdMembers = await tx
    .selectFrom('journal_entry_household_members as l')
    .innerJoin('household_members as h', 'h.id', 'l.member_id')
    .select(['l.entry_id as entryId', 'l.version', 'l.member_id as id', 'h.name as text'])
    .where('l.programme_id', '=', programmeId)
    .where('l.person_id', '=', personId)
    .where(ids)
    .orderBy('h.name')
    .execute();
  const assets = await tx
    .selectFrom('journal_entry_assets as l')
    .innerJoin('community_assets as c', (join) => join.onRef('c.id', '=', 'l.asset_id').onRef('c.programme_id', '=', 'l.programme_id'))
    .select(['l.entry_id as entryId', 'l.version', 'l.asset_id as id', 'c.name as text'])
    .where('l.programme_id', '=', programmeId)
    .where('l.person_id', '=', personId)
    .where(ids)
    .orderBy('c.name')
    .execute();
  return { steps, circleMembers, householdMembers, assets };
}

/** The name a circle member has now (or had when they left): their latest version's. */
function latestCircleName(memberId: Expression<string>) {
  return sql<string>`(SELECT cv.name FROM circle_member_versions cv WHERE cv.member_id = ${memberId} ORDER BY cv.version DESC LIMIT 1)`;
}

export function selectEntryIdByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'journal_entries', { programmeId, personId, formToken });
}

interface Written {
  programmeId: string;
  personId: string;
  by: string;
  at: Date;
}

export async function insertEntry(tx: Tx, row: Written & { formToken: string }): Promise<string> {
  const { id } = await tx
    .insertInto('journal_entries')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      form_token: row.formToken,
      created_at: row.at,
      created_by: row.by,
      updated_at: row.at,
      updated_by: row.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Writes one version of an entry and what it is linked to. */
export async function insertEntryVersion(
  tx: Tx,
  row: Written & { entryId: string; version: number; content: EntryContent; links: EntryLinks },
): Promise<void> {
  const key = { programme_id: row.programmeId, person_id: row.personId, entry_id: row.entryId, version: row.version };
  await tx
    .insertInto('journal_entry_versions')
    .values({
      ...key,
      happened_on: row.content.happenedOn,
      how: row.content.how,
      kind: row.content.kind,
      duration_minutes: row.content.durationMinutes,
      notes: row.content.notes,
      recorded_at: row.at,
      recorded_by: row.by,
    })
    .execute();
  if (row.links.steps.length > 0) {
    await tx
      .insertInto('journal_entry_steps')
      .values(row.links.steps.map((stepId) => ({ ...key, step_id: stepId })))
      .execute();
  }
  if (row.links.circleMembers.length > 0) {
    await tx
      .insertInto('journal_entry_circle_members')
      .values(row.links.circleMembers.map((memberId) => ({ ...key, member_id: memberId })))
      .execute();
  }
  if (row.links.householdMembers.length > 0) {
    await tx
      .insertInto('journal_entry_household_members')
      .values(row.links.householdMembers.map((memberId) => ({ ...key, member_id: memberId })))
      .execute();
  }
  if (row.links.assets.length > 0) {
    await tx
      .insertInto('journal_entry_assets')
      .values(row.links.assets.map((assetId) => ({ ...key, asset_id: assetId })))
      .execute();
  }
}

/** Moves an entry on to its next version if it is still at `expectedVersion`; the new number, or undefined if not. */
export async function advanceEntryVersion(tx: Tx, row: Written & { entryId: string; expectedVersion: number }): Promise<number | undefined> {
  const updated = await tx
    .updateTable('journal_entries')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: row.at, updated_by: row.by }))
    .where('programme_id', '=', row.programmeId)
    .where('person_id', '=', row.personId)
    .where('id', '=', row.entryId)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return updated?.version;
}

// What an entry may be linked to ------------------------------------------------------------------------------

/** The person's steps, under the three questions, in the order they were added. */
export async function selectStepChoices(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('steps')
    .select(['id', 'question', 'what', 'status'])
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Everyone ever in the person's circle, as they are now (or were when they left). */
export async function selectCircleChoices(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('circle_members as m')
    .select((eb) => ['m.id', 'm.left_on as leftOn', latestCircleName(eb.ref('m.id')).as('name')])
    .where('m.programme_id', '=', programmeId)
    .where('m.person_id', '=', personId)
    .orderBy('name')
    .orderBy('m.id')
    .execute();
}

export async function selectHouseholdChoices(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('household_members')
    .select(['id', 'name', 'relationship'])
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// The timeline: each part of the record, newest first, at most `limit` of each. The newest `limit` of all of them
// together are among these, so the service can merge them and keep the first `limit`.

export async function selectTimelineIntroductions(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('introductions as i')
    .innerJoin('users as u', 'u.id', 'i.recorded_by')
    .select([
      'i.id',
      'i.introduced_on as on',
      'i.created_at as at',
      'i.introduced_by as introducedBy',
      'i.introducer_name as introducerName',
      'i.introducer_organisation as introducerOrganisation',
      'i.what_they_would_like_to_change as words',
      'i.re_introduction as reIntroduction',
      'u.name as byName',
    ])
    .where('i.programme_id', '=', programmeId)
    .where('i.person_id', '=', personId)
    .orderBy('i.introduced_on', 'desc')
    .orderBy('i.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineStatusChanges(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('person_status_changes as s')
    .innerJoin('users as u', 'u.id', 's.changed_by')
    .select([
      's.id',
      's.changed_at as at',
      's.from_status as fromStatus',
      's.to_status as toStatus',
      's.re_introduced as reIntroduced',
      's.reason',
      'u.name as byName',
    ])
    .where('s.programme_id', '=', programmeId)
    .where('s.person_id', '=', personId)
    .orderBy('s.seq', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineAgreements(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('shared_agreements as a')
    .innerJoin('users as u', 'u.id', 'a.recorded_by')
    .select(['a.id', 'a.version_number as versionNumber', 'a.agreed_on as on', 'a.created_at as at', 'u.name as byName'])
    .where('a.programme_id', '=', programmeId)
    .where('a.person_id', '=', personId)
    .orderBy('a.agreed_on', 'desc')
    .orderBy('a.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineStepsAdded(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('steps as s')
    .innerJoin('users as u', 'u.id', 's.created_by')
    .select(['s.id', 's.question', 's.what', 's.created_at as at', 'u.name as byName'])
    .where('s.programme_id', '=', programmeId)
    .where('s.person_id', '=', personId)
    .orderBy('s.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Steps changed since they were added: only their latest change is kept, so that is what the timeline shows. */
export async function selectTimelineStepsChanged(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('steps as s')
    .innerJoin('users as u', 'u.id', 's.updated_by')
    .select(['s.id', 's.what', 's.status', 's.updated_at as at', 'u.name as byName'])
    .where('s.programme_id', '=', programmeId)
    .where('s.person_id', '=', personId)
    .where('s.version', '>', 1)
    .orderBy('s.updated_at', 'desc')
    .limit(limit)
    .execute();
}

/** Each version of each circle member: the first is joining the circle, the others are changes. */
export async function selectTimelineCircleVersions(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('circle_member_versions as v')
    .innerJoin('users as u', 'u.id', 'v.recorded_by')
    .select([
      'v.id',
      'v.member_id as memberId',
      'v.version',
      'v.name',
      'v.relationship',
      'v.closeness',
      'v.valid_from as on',
      'v.recorded_at as at',
      'u.name as byName',
    ])
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .orderBy('v.recorded_at', 'desc')
    .orderBy('v.version', 'desc')
    .limit(limit)
    .execute();
}

/** Members no longer in the circle. Nothing changes them after they leave, so who changed them last recorded it. */
export async function selectTimelineCircleLeavings(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('circle_members as m')
    .innerJoin('users as u', 'u.id', 'm.updated_by')
    .select((eb) => ['m.id', 'm.left_on as on', 'm.updated_at as at', 'u.name as byName', latestCircleName(eb.ref('m.id')).as('name')])
    .where('m.programme_id', '=', programmeId)
    .where('m.person_id', '=', personId)
    .where('m.left_on', 'is not', null)
    .orderBy('m.left_on', 'desc')
    .orderBy('m.updated_at', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineHouseholdAdded(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('household_members as h')
    .innerJoin('users as u', 'u.id', 'h.created_by')
    .select(['h.id', 'h.name', 'h.relationship', 'h.created_at as at', 'u.name as byName'])
    .where('h.programme_id', '=', programmeId)
    .where('h.person_id', '=', personId)
    .orderBy('h.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineHouseholdChanged(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('household_members as h')
    .innerJoin('users as u', 'u.id', 'h.updated_by')
    .select(['h.id', 'h.name', 'h.relationship', 'h.updated_at as at', 'u.name as byName'])
    .where('h.programme_id', '=', programmeId)
    .where('h.person_id', '=', personId)
    .where('h.version', '>', 1)
    .orderBy('h.updated_at', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineConnectionsMade(tx: Tx, programmeId: string, personId: string, limit: number) {
  return connectionsOf(tx, programmeId, personId)
    .orderBy('c.agreed_on', 'desc')
    .orderBy('c.recorded_at', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineConnectionsEnded(tx: Tx, programmeId: string, personId: string, limit: number) {
  return connectionsOf(tx, programmeId, personId)
    .where('c.ended_on', 'is not', null)
    .orderBy('c.ended_on', 'desc')
    .orderBy('c.ended_at', 'desc')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Connections

/** The person's connections, each with the other person and who recorded (and ended) it. */
function connectionsOf(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('person_connections as c')
    .innerJoin('people as o', (join) =>
      join
        .onRef('o.programme_id', '=', 'c.programme_id')
        .on(sql<boolean>`o.id = CASE WHEN c.first_person_id = ${personId}::uuid THEN c.second_person_id ELSE c.first_person_id END`),
    )
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .innerJoin('users as r', 'r.id', 'c.recorded_by')
    .leftJoin('users as x', 'x.id', 'c.ended_by')
    .select([
      'c.id',
      'c.why',
      'c.agreed_on as agreedOn',
      'c.recorded_at as recordedAt',
      'c.ended_on as endedOn',
      'c.ended_at as endedAt',
      'o.id as otherId',
      'o.name as otherName',
      'o.area_id as otherAreaId',
      'a.name as otherAreaName',
      'r.name as recordedByName',
      'x.name as endedByName',
    ])
    .where('c.programme_id', '=', programmeId)
    .where((eb) => eb.or([eb('c.first_person_id', '=', personId), eb('c.second_person_id', '=', personId)]));
}

/** Every connection of the person: open ones first, then ended ones, each newest first. */
export async function selectConnections(tx: Tx, programmeId: string, personId: string) {
  return connectionsOf(tx, programmeId, personId)
    .orderBy(sql`c.ended_on IS NULL`, 'desc')
    .orderBy('c.agreed_on', 'desc')
    .orderBy('c.recorded_at', 'desc')
    .execute();
}

/** One of the person's connections (nothing for a connection between other people). */
export async function selectConnection(tx: Tx, programmeId: string, personId: string, connectionId: string) {
  return connectionsOf(tx, programmeId, personId).where('c.id', '=', connectionId).executeTakeFirst();
}

/** The pair as stored: the lower id first. */
export function pairOf(a: string, b: string): { first: string; second: string } {
  return a < b ? { first: a, second: b } : { first: b, second: a };
}

export async function selectOpenConnectionBetween(tx: Tx, programmeId: string, a: string, b: string) {
  const { first, second } = pairOf(a, b);
  const row = await tx
    .selectFrom('person_connections')
    .select('id')
    .where('programme_id', '=', programmeId)
    .where('first_person_id', '=', first)
    .where('second_person_id', '=', second)
    .where('ended_on', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

/** The connection a form made, if it was already saved (a second submission of the same form). */
export async function selectConnectionByFormToken(tx: Tx, programmeId: string, formToken: string) {
  return tx
    .selectFrom('person_connections')
    .select(['id', 'first_person_id as firstPersonId', 'second_person_id as secondPersonId'])
    .where('programme_id', '=', programmeId)
    .where('form_token', '=', formToken)
    .executeTakeFirst();
}

export async function insertConnection(
  tx: Tx,
  row: { programmeId: string; personId: string; otherPersonId: string; why: string; agreedOn: string; formToken: string; by: string; at: Date },
): Promise<string> {
  const { first, second } = pairOf(row.personId, row.otherPersonId);
  const { id } = await tx
    .insertInto('person_connections')
    .values({
      programme_id: row.programmeId,
      first_person_id: first,
      second_person_id: second,
      why: row.why,
      agreed_on: row.agreedOn,
      form_token: row.formToken,
      recorded_at: row.at,
      recorded_by: row.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Ends an open connection; false if it had already ended. */
export async function endConnection(
  tx: Tx,
  row: { programmeId: string; connectionId: string; endedOn: string; by: string; at: Date },
): Promise<boolean> {
  const result = await tx
    .updateTable('person_connections')
    .set({ ended_on: row.endedOn, ended_at: row.at, ended_by: row.by })
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.connectionId)
    .where('ended_on', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
