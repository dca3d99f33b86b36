import { sql, type Selectable } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import {
  QUESTION_KEYS,
  SCALE_QUESTIONS,
  SERVICE_KINDS,
  UCLA_ITEMS,
  columnOf,
  type CheckInAnswers,
  type Occasion,
  type QuestionKey,
  type ServiceCounts,
  type Side,
} from './measures.ts';
import type { OutcomeCheckInsTable, ServiceUsePeriodsTable } from './tables.ts';

/** What is recorded at a check-in: the same in the check-in as it stands and in each of its versions. */
export interface CheckInDetails {
  occasion: Occasion;
  checkedOn: string;
  recordedByName: string;
  answers: CheckInAnswers;
}

/** What is recorded about a period of service use. */
export interface PeriodDetails {
  side: Side;
  fromOn: string;
  toOn: string;
  description: string | null;
  counts: ServiceCounts;
}

interface Written {
  programmeId: string;
  personId: string;
  by: string;
  at: Date;
}

type CheckInRow = Selectable<OutcomeCheckInsTable>;
type PeriodRow = Selectable<ServiceUsePeriodsTable>;

const isQuestion = (key: string): key is QuestionKey => (QUESTION_KEYS as readonly string[]).includes(key);

function answerColumns(answers: CheckInAnswers) {
  const columns: Record<string, unknown> = { lonely: answers.lonely, declined: answers.declined };
  for (const key of [...SCALE_QUESTIONS.map((q) => q.key), ...UCLA_ITEMS.map((i) => i.key)]) columns[columnOf(key)] = answers[key];
  return columns as Pick<CheckInRow, 'lonely' | 'declined' | 'life_satisfaction'>;
}

export function checkInDetailsOf(row: CheckInRow): CheckInDetails {
  const answers = { lonely: row.lonely, declined: row.declined.filter(isQuestion) } as CheckInAnswers;
  const byColumn = row as unknown as Record<string, number | null>;
  for (const key of [...SCALE_QUESTIONS.map((q) => q.key), ...UCLA_ITEMS.map((i) => i.key)]) answers[key] = byColumn[columnOf(key)] ?? null;
  return { occasion: row.occasion, checkedOn: row.checked_on, recordedByName: row.recorded_by_name, answers };
}

function checkInColumns(details: CheckInDetails) {
  return { occasion: details.occasion, checked_on: details.checkedOn, recorded_by_name: details.recordedByName, ...answerColumns(details.answers) };
}

function countColumns(counts: ServiceCounts) {
  const columns: Record<string, unknown> = {};
  for (const kind of SERVICE_KINDS) {
    columns[columnOf(kind.key)] = counts[kind.key].count;
    columns[`${columnOf(kind.key)}_source`] = counts[kind.key].source;
  }
  return columns as Pick<PeriodRow, 'gp' | 'gp_source'>;
}

export function periodDetailsOf(row: PeriodRow): PeriodDetails {
  const byColumn = row as unknown as Record<string, unknown>;
  const counts = Object.fromEntries(
    SERVICE_KINDS.map((k) => [k.key, { count: byColumn[columnOf(k.key)] ?? null, source: byColumn[`${columnOf(k.key)}_source`] ?? null }]),
  ) as ServiceCounts;
  return { side: row.side, fromOn: row.from_on, toOn: row.to_on, description: row.description, counts };
}

function periodColumns(details: PeriodDetails) {
  return { side: details.side, from_on: details.fromOn, to_on: details.toOn, description: details.description, ...countColumns(details.counts) };
}

// Check-ins -----------------------------------------------------------------------------------------------------

/** A person's check-ins, the earliest first, with who saved each last. */
export async function selectCheckIns(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('outcome_check_ins as c')
    .innerJoin('users as u', 'u.id', 'c.updated_by')
    .selectAll('c')
    .select('u.name as updated_by_name')
    .where('c.programme_id', '=', programmeId)
    .where('c.person_id', '=', personId)
    .orderBy('c.checked_on')
    .orderBy('c.created_at')
    .execute();
}

export function selectCheckInIdByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'outcome_check_ins', { programmeId, personId, formToken });
}

async function insertCheckInVersion(tx: Tx, row: Written & { checkInId: string; version: number; details: CheckInDetails }) {
  await tx
    .insertInto('outcome_check_in_versions')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      check_in_id: row.checkInId,
      version: row.version,
      saved: JSON.stringify(row.details),
      saved_by: row.by,
      saved_at: row.at,
    })
    .execute();
}

/** A new check-in (version 1), with that first version kept in its history. */
export async function insertCheckIn(tx: Tx, row: Written & { formToken: string; details: CheckInDetails }): Promise<string> {
  const { id } = await tx
    .insertInto('outcome_check_ins')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      ...checkInColumns(row.details),
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertCheckInVersion(tx, { ...row, checkInId: id, version: 1 });
  return id;
}

/** Saves a correction if nobody saved since `expectedVersion`, keeping it in the history; false when someone did. */
export async function updateCheckIn(tx: Tx, row: Written & { checkInId: string; expectedVersion: number; details: CheckInDetails }): Promise<boolean> {
  const updated = await tx
    .updateTable('outcome_check_ins')
    .set((eb) => ({ ...checkInColumns(row.details), version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('person_id', '=', row.personId)
    .where('id', '=', row.checkInId)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  if (updated === undefined) return false;
  await insertCheckInVersion(tx, { ...row, version: updated.version });
  return true;
}

/** Every version of a person's check-ins and periods: when, and by whom (what was saved stays in the table). */
export async function selectVersionStamps(tx: Tx, programmeId: string, personId: string) {
  const checkIns = await tx
    .selectFrom('outcome_check_in_versions as v')
    .innerJoin('users as u', 'u.id', 'v.saved_by')
    .select(['v.check_in_id as recordId', 'v.version', 'v.saved_at as savedAt', 'u.name as savedByName'])
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .execute();
  const periods = await tx
    .selectFrom('service_use_period_versions as v')
    .innerJoin('users as u', 'u.id', 'v.saved_by')
    .select(['v.period_id as recordId', 'v.version', 'v.saved_at as savedAt', 'u.name as savedByName'])
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .execute();
  return [...checkIns, ...periods].sort((a, b) => b.version - a.version);
}

// Service-use periods ---------------------------------------------------------------------------------------------

/** A person's periods of service use, the earliest first. */
export async function selectPeriods(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('service_use_periods as p')
    .innerJoin('users as u', 'u.id', 'p.updated_by')
    .selectAll('p')
    .select('u.name as updated_by_name')
    .where('p.programme_id', '=', programmeId)
    .where('p.person_id', '=', personId)
    .orderBy('p.from_on')
    .orderBy('p.created_at')
    .execute();
}

export function selectPeriodIdByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'service_use_periods', { programmeId, personId, formToken });
}

async function insertPeriodVersion(tx: Tx, row: Written & { periodId: string; version: number; details: PeriodDetails }) {
  await tx
    .insertInto('service_use_period_versions')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      period_id: row.periodId,
      version: row.version,
      saved: JSON.stringify(row.details),
      saved_by: row.by,
      saved_at: row.at,
    })
    .execute();
}

export async function insertPeriod(tx: Tx, row: Written & { formToken: string; details: PeriodDetails }): Promise<string> {
  const { id } = await tx
    .insertInto('service_use_periods')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      ...periodColumns(row.details),
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertPeriodVersion(tx, { ...row, periodId: id, version: 1 });
  return id;
}

export async function updatePeriod(tx: Tx, row: Written & { periodId: string; expectedVersion: number; details: PeriodDetails }): Promise<boolean> {
  const updated = await tx
    .updateTable('service_use_periods')
    .set((eb) => ({ ...periodColumns(row.details), version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('person_id', '=', row.personId)
    .where('id', '=', row.periodId)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  if (updated === undefined) return false;
  await insertPeriodVersion(tx, { ...row, version: updated.version });
  return true;
}

// Across a programme ----------------------------------------------------------------------------------------------

/**
 * Every version of a record as saved, for the programme's figures. `knownBy` says whether it was saved by the end of
 * the day `to` (always, with no `to`), so the service can take each record as it stood then.
 */
export interface SavedVersion<D> {
  personId: string;
  recordId: string;
  version: number;
  knownBy: boolean;
  createdAt: Date;
  details: D;
}

const knownBy = (to: string | undefined) => sql<boolean>`(${to ?? null}::date IS NULL OR v.saved_at < ${to ?? null}::date + 1)`;

/** Every version of every check-in in a programme (or one neighbourhood of it, where people live now). */
export async function selectProgrammeCheckInVersions(tx: Tx, programmeId: string, options: { areaId?: string; to?: string }): Promise<SavedVersion<CheckInDetails>[]> {
  let query = tx
    .selectFrom('outcome_check_in_versions as v')
    .innerJoin('outcome_check_ins as c', (join) => join.onRef('c.id', '=', 'v.check_in_id').onRef('c.programme_id', '=', 'v.programme_id'))
    .innerJoin('people as p', (join) => join.onRef('p.id', '=', 'c.person_id').onRef('p.programme_id', '=', 'c.programme_id'))
    .select(['v.person_id as personId', 'v.check_in_id as recordId', 'v.version', 'v.saved', 'c.created_at as createdAt', knownBy(options.to).as('knownBy')])
    .where('v.programme_id', '=', programmeId);
  if (options.areaId !== undefined) query = query.where('p.area_id', '=', options.areaId);
  // What was saved is exactly the service's CheckInDetails (insertCheckInVersion writes nothing else).
  return (await query.execute()).map(({ saved, ...row }) => ({ ...row, details: saved as unknown as CheckInDetails }));
}

/** Every version of every period of service use in a programme. */
export async function selectProgrammePeriodVersions(tx: Tx, programmeId: string, options: { to?: string }): Promise<SavedVersion<PeriodDetails>[]> {
  const rows = await tx
    .selectFrom('service_use_period_versions as v')
    .innerJoin('service_use_periods as s', (join) => join.onRef('s.id', '=', 'v.period_id').onRef('s.programme_id', '=', 'v.programme_id'))
    .select(['v.person_id as personId', 'v.period_id as recordId', 'v.version', 'v.saved', 's.created_at as createdAt', knownBy(options.to).as('knownBy')])
    .where('v.programme_id', '=', programmeId)
    .execute();
  return rows.map(({ saved, ...row }) => ({ ...row, details: saved as unknown as PeriodDetails }));
}
