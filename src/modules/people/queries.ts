import { sql, type Expression } from 'kysely';
import type { PersonStatus } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { PersonKnows } from './schemas.ts';
import type { PreferredLanguage } from './tables.ts';

/** `%text%` for LIKE, with the pattern characters in the text taken literally (backslash is LIKE's escape). */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface CaseloadQuery {
  programmeId: string;
  /** A coordinator's neighbourhoods, or null for the whole programme (a manager). */
  areaIds: readonly string[] | null;
  status?: PersonStatus | undefined;
  areaId?: string | undefined;
  /** Words to find in a name or preferred name, or in a postcode (spaces ignored), case-insensitively. */
  search?: string | undefined;
}

/** People the user may see in the caseload, narrowed by the filters and the search. */
export async function selectCaseload(tx: Tx, q: CaseloadQuery) {
  let query = tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.status',
      'p.postcode',
      'p.created_at',
      'a.name as area_name',
      eb
        .selectFrom('introductions as i')
        .select((eb2) => eb2.fn.max('i.introduced_on').as('d'))
        .whereRef('i.person_id', '=', 'p.id')
        .as('last_introduced_on'),
    ])
    .where('p.programme_id', '=', q.programmeId)
    .orderBy('p.name')
    .orderBy('p.id');
  if (q.areaIds !== null) {
    if (q.areaIds.length === 0) return [];
    query = query.where('p.area_id', 'in', q.areaIds);
  }
  if (q.status !== undefined) query = query.where('p.status', '=', q.status);
  if (q.areaId !== undefined) query = query.where('p.area_id', '=', q.areaId);
  const search = q.search;
  if (search !== undefined) {
    const compactPostcode = search.replace(/\s+/g, '');
    query = query.where((eb) =>
      eb.or([
        eb('p.name', 'ilike', containing(search)),
        eb('p.preferred_name', 'ilike', containing(search)),
        ...(compactPostcode === '' ? [] : [eb(sql<string>`replace(p.postcode, ' ', '')`, 'ilike', containing(compactPostcode))]),
      ]),
    );
  }
  return query.limit(1000).execute();
}

export async function selectPerson(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .leftJoin('users as c', 'c.id', 'p.coordinator_id')
    .select([
      'p.id',
      'p.programme_id',
      'p.area_id',
      'p.name',
      'p.status',
      'p.version',
      'p.created_at',
      'p.updated_at',
      'a.name as area_name',
      'c.name as coordinator_name',
    ])
    .where('p.programme_id', '=', programmeId)
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

export async function selectIntroductions(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('introductions as i')
    .innerJoin('users as u', 'u.id', 'i.recorded_by')
    .select([
      'i.id',
      'i.introduced_by',
      'i.introducer_name',
      'i.introducer_organisation',
      'i.introduced_on',
      'i.what_they_would_like_to_change',
      'i.person_knows',
      'i.re_introduction',
      'i.created_at',
      'u.name as recorded_by_name',
    ])
    .where('i.programme_id', '=', programmeId)
    .where('i.person_id', '=', personId)
    .orderBy('i.introduced_on', 'desc')
    .orderBy('i.created_at', 'desc')
    .execute();
}

export async function selectPersonIdByFormToken(tx: Tx, programmeId: string, formToken: string) {
  const row = await tx
    .selectFrom('introductions')
    .select('person_id')
    .where('programme_id', '=', programmeId)
    .where('form_token', '=', formToken)
    .executeTakeFirst();
  return row?.person_id;
}

/** What an introduction knows of the person besides their name: kept on the person, each part optional. */
export interface IntroducedFacts {
  dateOfBirth: string | null;
  ageWhenRecorded: number | null;
  ageRecordedOn: string | null;
  postcode: string | null;
}

export interface NewPersonRow extends IntroducedFacts {
  programmeId: string;
  areaId: string;
  name: string;
  coordinatorId: string | null;
  at: Date;
}

export async function insertPerson(tx: Tx, row: NewPersonRow): Promise<string> {
  const { id } = await tx
    .insertInto('people')
    .values({
      programme_id: row.programmeId,
      area_id: row.areaId,
      name: row.name,
      date_of_birth: row.dateOfBirth,
      age_when_recorded: row.ageWhenRecorded,
      age_recorded_on: row.ageRecordedOn,
      postcode: row.postcode,
      coordinator_id: row.coordinatorId,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface NewIntroductionRow {
  programmeId: string;
  personId: string;
  introducedBy: string;
  introducerName: string | null;
  introducerOrganisation: string | null;
  introducedOn: string;
  whatTheyWouldLikeToChange: string;
  personKnows: PersonKnows;
  /** The person was already known: this introduction brought them back. */
  reIntroduction: boolean;
  recordedBy: string;
  formToken: string;
  at: Date;
}

export async function insertIntroduction(tx: Tx, row: NewIntroductionRow): Promise<string> {
  const { id } = await tx
    .insertInto('introductions')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      introduced_by: row.introducedBy,
      introducer_name: row.introducerName,
      introducer_organisation: row.introducerOrganisation,
      introduced_on: row.introducedOn,
      what_they_would_like_to_change: row.whatTheyWouldLikeToChange,
      person_knows: row.personKnows,
      re_introduction: row.reIntroduction,
      recorded_by: row.recordedBy,
      form_token: row.formToken,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A name as the duplicate check compares it: case and every space ignored. The migration indexes the same. */
const nameKey = (name: Expression<string | null>) => sql<string>`lower(regexp_replace(${name}, '\\s', '', 'g'))`;

/**
 * People already known in the programme who may be the person being introduced: the name (or their preferred
 * name) is the same, case and spaces aside, and so is the date of birth or the postcode. Whole programme: the
 * service decides what the user may be told about each.
 */
export async function selectPossibleMatches(
  tx: Tx,
  programmeId: string,
  facts: { name: string; dateOfBirth: string | null; postcode: string | null },
) {
  const { dateOfBirth, postcode } = facts;
  if (dateOfBirth === null && postcode === null) return [];
  return tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .select(['p.id', 'p.name', 'p.preferred_name', 'p.status', 'p.area_id', 'a.name as area_name'])
    .where('p.programme_id', '=', programmeId)
    .where((eb) => {
      const key = nameKey(sql.val(facts.name));
      return eb.and([
        eb.or([eb(nameKey(sql.ref('p.name')), '=', key), eb(nameKey(sql.ref('p.preferred_name')), '=', key)]),
        eb.or([
          ...(dateOfBirth === null ? [] : [eb('p.date_of_birth', '=', dateOfBirth)]),
          ...(postcode === null ? [] : [eb('p.postcode', '=', postcode)]),
        ]),
      ]);
    })
    .orderBy('a.name')
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(20)
    .execute();
}

/**
 * Saves what an introduction told about someone already known (the service fills only gaps in the record). A
 * change to the person: their version moves on. The caller holds the person's lock (see withPerson).
 */
export async function updateIntroducedFacts(tx: Tx, change: Omit<Change, 'expectedVersion'>, facts: IntroducedFacts): Promise<void> {
  await tx
    .updateTable('people')
    .set((eb) => ({
      date_of_birth: facts.dateOfBirth,
      age_when_recorded: facts.ageWhenRecorded,
      age_recorded_on: facts.ageRecordedOn,
      postcode: facts.postcode,
      version: eb('version', '+', 1),
      updated_by: change.by,
      updated_at: change.at,
    }))
    .where('programme_id', '=', change.programmeId)
    .where('id', '=', change.personId)
    .execute();
}

/** The programme's managers who can be asked about someone: the people to talk to about a record one cannot see. */
export async function selectManagerNames(tx: Tx, programmeId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.name')
    .where('m.programme_id', '=', programmeId)
    .where('m.role', '=', 'manager')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.name')
    .execute();
  return rows.map((r) => r.name);
}

/**
 * People with no coordinator yet who have not rested or moved on, with their latest introduction: who made it
 * and on what day. Longest waiting first within each neighbourhood.
 */
export async function selectWaitingForCoordinator(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('introductions as i')
          .select(['i.introduced_on', 'i.introduced_by', 'i.introducer_name', 'i.introducer_organisation', 'i.re_introduction'])
          .whereRef('i.person_id', '=', 'p.id')
          .where('i.programme_id', '=', programmeId)
          .orderBy('i.introduced_on', 'desc')
          .orderBy('i.created_at', 'desc')
          .limit(1)
          .as('i'),
      (join) => join.onTrue(),
    )
    .select([
      'p.id',
      'p.name',
      'p.status',
      'p.area_id',
      'p.created_at',
      'a.name as area_name',
      'i.introduced_on',
      'i.introduced_by',
      'i.introducer_name',
      'i.introducer_organisation',
      'i.re_introduction',
    ])
    .where('p.programme_id', '=', programmeId)
    .where('p.coordinator_id', 'is', null)
    .where('p.status', 'not in', ['resting', 'moved_on'])
    .orderBy('a.name')
    .orderBy('i.introduced_on')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .limit(1000)
    .execute();
}

/** The coordinators who work in a neighbourhood and can be asked to walk alongside someone there. */
export async function selectAreaCoordinators(tx: Tx, programmeId: string, areaId: string) {
  return tx
    .selectFrom('coordinator_areas as ca')
    .innerJoin('memberships as m', (join) => join.onRef('m.user_id', '=', 'ca.user_id').onRef('m.programme_id', '=', 'ca.programme_id'))
    .innerJoin('users as u', 'u.id', 'ca.user_id')
    .select(['u.id', 'u.name'])
    .where('ca.programme_id', '=', programmeId)
    .where('ca.area_id', '=', areaId)
    .where('m.role', '=', 'coordinator')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
}

/** Who coordinates for the person now, with the version a change is made from and who changed the record last. */
export async function selectCoordinatorOf(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('people as p')
    .leftJoin('users as c', 'c.id', 'p.coordinator_id')
    .leftJoin('users as u', 'u.id', 'p.updated_by')
    .select(['p.coordinator_id as coordinatorId', 'c.name as coordinatorName', 'p.version', 'p.updated_at as updatedAt', 'u.name as updatedByName'])
    .where('p.programme_id', '=', programmeId)
    .where('p.id', '=', personId)
    .executeTakeFirstOrThrow();
}

/** Gives the person a coordinator if nobody saved since `expectedVersion`; false when someone did. */
export async function updatePersonCoordinator(tx: Tx, change: Change, coordinatorId: string): Promise<boolean> {
  const result = await tx
    .updateTable('people')
    .set((eb) => ({ coordinator_id: coordinatorId, version: eb('version', '+', 1), updated_by: change.by, updated_at: change.at }))
    .where('programme_id', '=', change.programmeId)
    .where('id', '=', change.personId)
    .where('version', '=', change.expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The person's own details, as the record shows them and the details form edits them. */
export interface PersonDetailsRow {
  name: string;
  preferredName: string | null;
  pronouns: string | null;
  dateOfBirth: string | null;
  ageWhenRecorded: number | null;
  ageRecordedOn: string | null;
  phone: string | null;
  email: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
  preferredLanguage: PreferredLanguage | null;
  preferredLanguageOther: string | null;
  interpreterNeeded: boolean | null;
}

export async function selectPersonDetails(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('people as p')
    .leftJoin('users as u', 'u.id', 'p.updated_by')
    .select([
      'p.name',
      'p.preferred_name as preferredName',
      'p.pronouns',
      'p.date_of_birth as dateOfBirth',
      'p.age_when_recorded as ageWhenRecorded',
      'p.age_recorded_on as ageRecordedOn',
      'p.phone',
      'p.email',
      'p.address_line_1 as addressLine1',
      'p.address_line_2 as addressLine2',
      'p.address_town as town',
      'p.postcode',
      'p.preferred_language as preferredLanguage',
      'p.preferred_language_other as preferredLanguageOther',
      'p.interpreter_needed as interpreterNeeded',
      'p.status',
      'p.version',
      'p.updated_at as updatedAt',
      'u.name as updatedByName',
    ])
    .where('p.programme_id', '=', programmeId)
    .where('p.id', '=', personId)
    .executeTakeFirstOrThrow();
}

export interface Change {
  programmeId: string;
  personId: string;
  /** The version the change was made from: the row changes only if it is still the one in the database. */
  expectedVersion: number;
  by: string;
  at: Date;
}

/** Saves the details if nobody saved since `expectedVersion`; false when someone did. */
export async function updatePersonDetails(tx: Tx, change: Change, d: PersonDetailsRow): Promise<boolean> {
  const result = await tx
    .updateTable('people')
    .set((eb) => ({
      name: d.name,
      preferred_name: d.preferredName,
      pronouns: d.pronouns,
      date_of_birth: d.dateOfBirth,
      age_when_recorded: d.ageWhenRecorded,
      age_recorded_on: d.ageRecordedOn,
      phone: d.phone,
      email: d.email,
      address_line_1: d.addressLine1,
      address_line_2: d.addressLine2,
      address_town: d.town,
      postcode: d.postcode,
      preferred_language: d.preferredLanguage,
      preferred_language_other: d.preferredLanguageOther,
      interpreter_needed: d.interpreterNeeded,
      version: eb('version', '+', 1),
      updated_by: change.by,
      updated_at: change.at,
    }))
    .where('programme_id', '=', change.programmeId)
    .where('id', '=', change.personId)
    .where('version', '=', change.expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Moves the person to a new status if nobody saved since `expectedVersion`; false when someone did. */
export async function updatePersonStatus(tx: Tx, change: Change, status: PersonStatus): Promise<boolean> {
  const result = await tx
    .updateTable('people')
    .set((eb) => ({ status, version: eb('version', '+', 1), updated_by: change.by, updated_at: change.at }))
    .where('programme_id', '=', change.programmeId)
    .where('id', '=', change.personId)
    .where('version', '=', change.expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface NewStatusChangeRow {
  programmeId: string;
  personId: string;
  fromStatus: PersonStatus;
  toStatus: Exclude<PersonStatus, 'introduced'>;
  reIntroduced: boolean;
  reason: string | null;
  changedBy: string;
  changedAt: Date;
  formToken: string;
}

export async function insertStatusChange(tx: Tx, row: NewStatusChangeRow): Promise<void> {
  await tx
    .insertInto('person_status_changes')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      from_status: row.fromStatus,
      to_status: row.toStatus,
      re_introduced: row.reIntroduced,
      reason: row.reason,
      changed_by: row.changedBy,
      changed_at: row.changedAt,
      form_token: row.formToken,
    })
    .execute();
}

/** The person's status history, newest first. */
export async function selectStatusChanges(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('person_status_changes as s')
    .innerJoin('users as u', 'u.id', 's.changed_by')
    .select([
      's.id',
      's.from_status as fromStatus',
      's.to_status as toStatus',
      's.re_introduced as reIntroduced',
      's.reason',
      's.changed_at as changedAt',
      'u.name as changedByName',
    ])
    .where('s.programme_id', '=', programmeId)
    .where('s.person_id', '=', personId)
    .orderBy('s.seq', 'desc')
    .execute();
}

const householdColumns = [
  'h.id',
  'h.name',
  'h.relationship',
  'h.date_of_birth as dateOfBirth',
  'h.age_when_recorded as ageWhenRecorded',
  'h.age_recorded_on as ageRecordedOn',
  'h.notes',
  'h.version',
  'h.updated_at as updatedAt',
  'u.name as updatedByName',
] as const;

export async function selectHouseholdMembers(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('household_members as h')
    .innerJoin('users as u', 'u.id', 'h.updated_by')
    .select(householdColumns)
    .where('h.programme_id', '=', programmeId)
    .where('h.person_id', '=', personId)
    .orderBy('h.created_at')
    .orderBy('h.id')
    .execute();
}

export async function selectHouseholdMember(tx: Tx, programmeId: string, personId: string, memberId: string) {
  return tx
    .selectFrom('household_members as h')
    .innerJoin('users as u', 'u.id', 'h.updated_by')
    .select(householdColumns)
    .where('h.programme_id', '=', programmeId)
    .where('h.person_id', '=', personId)
    .where('h.id', '=', memberId)
    .executeTakeFirst();
}

/** Has this one-time form token already been used for this person (a double submission)? */
export async function formTokenUsed(
  tx: Tx,
  table: 'person_status_changes' | 'household_members',
  programmeId: string,
  personId: string,
  formToken: string,
): Promise<boolean> {
  const row = await tx
    .selectFrom(table)
    .select('id')
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .where('form_token', '=', formToken)
    .executeTakeFirst();
  return row !== undefined;
}

export interface HouseholdMemberRow {
  name: string;
  relationship: string;
  dateOfBirth: string | null;
  ageWhenRecorded: number | null;
  ageRecordedOn: string | null;
  notes: string | null;
}

export async function insertHouseholdMember(
  tx: Tx,
  row: HouseholdMemberRow & { programmeId: string; personId: string; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('household_members')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      name: row.name,
      relationship: row.relationship,
      date_of_birth: row.dateOfBirth,
      age_when_recorded: row.ageWhenRecorded,
      age_recorded_on: row.ageRecordedOn,
      notes: row.notes,
      form_token: row.formToken,
      created_by: row.by,
      updated_by: row.by,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Saves a household member's details if nobody saved since `expectedVersion`; false when someone did. */
export async function updateHouseholdMember(tx: Tx, change: Change, memberId: string, row: HouseholdMemberRow): Promise<boolean> {
  const result = await tx
    .updateTable('household_members')
    .set((eb) => ({
      name: row.name,
      relationship: row.relationship,
      date_of_birth: row.dateOfBirth,
      age_when_recorded: row.ageWhenRecorded,
      age_recorded_on: row.ageRecordedOn,
      notes: row.notes,
      version: eb('version', '+', 1),
      updated_by: change.by,
      updated_at: change.at,
    }))
    .where('programme_id', '=', change.programmeId)
    .where('person_id', '=', change.personId)
    .where('id', '=', memberId)
    .where('version', '=', change.expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function deleteHouseholdMember(tx: Tx, programmeId: string, personId: string, memberId: string): Promise<void> {
  await tx
    .deleteFrom('household_members')
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .where('id', '=', memberId)
    .execute();
}

/** Holds the person's row until the transaction ends, so two changes to one person's record never interleave. */
export async function lockPerson(tx: Tx, programmeId: string, personId: string): Promise<void> {
  await tx.selectFrom('people').select('id').where('programme_id', '=', programmeId).where('id', '=', personId).forUpdate().execute();
}
