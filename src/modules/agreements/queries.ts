import { sql } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { StepQuestion, StepStatus } from './tables.ts';

// ---------------------------------------------------------------------------------------------------------------
// The shared agreement

const agreementColumns = [
  'a.id',
  'a.version_number',
  'a.working_on',
  'a.who_does_what',
  'a.keeping_in_touch',
  'a.review_on',
  'a.agreed_on',
  'a.created_at',
  'u.name as recorded_by_name',
] as const;

/** Every version of a person's shared agreement, the newest first. */
export async function selectAgreementVersions(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('shared_agreements as a')
    .innerJoin('users as u', 'u.id', 'a.recorded_by')
    .select(agreementColumns)
    .where('a.programme_id', '=', programmeId)
    .where('a.person_id', '=', personId)
    .orderBy('a.version_number', 'desc')
    .execute();
}

export async function selectLatestAgreementVersionNumber(tx: Tx, programmeId: string, personId: string): Promise<number> {
  const row = await tx
    .selectFrom('shared_agreements')
    .select((eb) => eb.fn.max('version_number').as('latest'))
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.latest ?? 0;
}

export async function selectAgreementVersionByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string) {
  const row = await tx
    .selectFrom('shared_agreements')
    .select('version_number')
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .where('form_token', '=', formToken)
    .executeTakeFirst();
  return row?.version_number;
}

export interface NewAgreementRow {
  programmeId: string;
  personId: string;
  versionNumber: number;
  workingOn: string;
  whoDoesWhat: string;
  keepingInTouch: string;
  reviewOn: string | null;
  agreedOn: string;
  recordedBy: string;
  formToken: string;
  at: Date;
}

export async function insertAgreementVersion(tx: Tx, row: NewAgreementRow): Promise<void> {
  await tx
    .insertInto('shared_agreements')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      version_number: row.versionNumber,
      working_on: row.workingOn,
      who_does_what: row.whoDoesWhat,
      keeping_in_touch: row.keepingInTouch,
      review_on: row.reviewOn,
      agreed_on: row.agreedOn,
      recorded_by: row.recordedBy,
      form_token: row.formToken,
      created_at: row.at,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

const stepColumns = [
  's.id',
  's.question',
  's.what',
  's.owner',
  's.status',
  's.aiming_for',
  's.version',
  's.created_at',
  's.updated_at',
  'u.name as updated_by_name',
] as const;

/** A person's steps in the order they were added; the service groups them under the three questions. */
export async function selectSteps(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('steps as s')
    .innerJoin('users as u', 'u.id', 's.updated_by')
    .select(stepColumns)
    .where('s.programme_id', '=', programmeId)
    .where('s.person_id', '=', personId)
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
}

/** One step, only if it is this person's. */
export async function selectStep(tx: Tx, programmeId: string, personId: string, stepId: string) {
  return tx
    .selectFrom('steps as s')
    .innerJoin('users as u', 'u.id', 's.updated_by')
    .select(stepColumns)
    .where('s.programme_id', '=', programmeId)
    .where('s.person_id', '=', personId)
    .where('s.id', '=', stepId)
    .executeTakeFirst();
}

export function selectStepIdByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'steps', { programmeId, personId, formToken });
}

export interface StepDetails {
  question: StepQuestion;
  what: string;
  owner: string;
  status: StepStatus;
  aimingFor: string | null;
}

export async function insertStep(
  tx: Tx,
  row: StepDetails & { programmeId: string; personId: string; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('steps')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      question: row.question,
      what: row.what,
      owner: row.owner,
      status: row.status,
      aiming_for: row.aimingFor,
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Changes a step only if nobody has saved it since `version` was read; false means someone did (or it is gone). */
export async function updateStep(
  tx: Tx,
  key: { programmeId: string; personId: string; stepId: string; version: number },
  details: StepDetails & { by: string; at: Date },
): Promise<boolean> {
  const result = await tx
    .updateTable('steps')
    .set((eb) => ({
      question: details.question,
      what: details.what,
      owner: details.owner,
      status: details.status,
      aiming_for: details.aimingFor,
      version: eb('version', '+', 1),
      updated_by: details.by,
      updated_at: details.at,
    }))
    .where('programme_id', '=', key.programmeId)
    .where('person_id', '=', key.personId)
    .where('id', '=', key.stepId)
    .where('version', '=', key.version)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * For each person, how many steps (not counting those no longer needed) are with the person and their community
 * (the first two questions) and how many with services and funding. People with no steps have no row.
 */
/** The review date of each person's latest shared agreement, for those who have one. */
export async function selectNextReviews(tx: Tx, programmeId: string, personIds: readonly string[]) {
  return tx
    .selectFrom('shared_agreements')
    .distinctOn('person_id')
    .select(['person_id', 'review_on'])
    .where('programme_id', '=', programmeId)
    .where(sql<boolean>`person_id = any(${[...personIds]}::uuid[])`)
    .orderBy('person_id')
    .orderBy('version_number', 'desc')
    .execute();
}

export async function countStepsByOwnerKind(tx: Tx, programmeId: string, personIds: readonly string[]) {
  return tx
    .selectFrom('steps')
    .select((eb) => [
      'person_id',
      eb.fn.countAll<string>().filterWhere('question', 'in', ['gifts', 'community']).as('natural'),
      eb.fn.countAll<string>().filterWhere('question', '=', 'services').as('services'),
      eb.fn.countAll<string>().filterWhere('status', 'in', ['planned', 'under_way']).as('open'),
    ])
    .where('programme_id', '=', programmeId)
    // One array parameter however long the caseload: a manager's programme can hold thousands of people.
    .where(sql<boolean>`person_id = any(${[...personIds]}::uuid[])`)
    .where('status', '<>', 'no_longer_needed')
    .groupBy('person_id')
    .execute();
}
