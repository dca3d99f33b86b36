import { sql } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';

/** What is recorded about a concern: the same in the concern as it stands and in each of its versions. */
export interface ConcernDetails {
  raisedOn: string;
  raisedBy: string;
  whatTheConcernIs: string;
  whatWasDone: string | null;
  informedWho: string | null;
  informedOrganisation: string | null;
  closedOn: string | null;
  outcome: string | null;
}

function detailColumns(details: ConcernDetails) {
  return {
    raised_on: details.raisedOn,
    raised_by: details.raisedBy,
    concern: details.whatTheConcernIs,
    what_was_done: details.whatWasDone,
    informed_who: details.informedWho,
    informed_organisation: details.informedOrganisation,
    closed_on: details.closedOn,
    outcome: details.outcome,
  };
}

const concernColumns = [
  'c.id',
  'c.version',
  'c.raised_on as raisedOn',
  'c.raised_by as raisedBy',
  'c.concern as whatTheConcernIs',
  'c.what_was_done as whatWasDone',
  'c.informed_who as informedWho',
  'c.informed_organisation as informedOrganisation',
  'c.closed_on as closedOn',
  'c.outcome',
  'c.created_at as createdAt',
  'c.updated_at as updatedAt',
  'u.name as updatedByName',
] as const;

/** A person's concerns, open ones first, then the most recently raised. */
export async function selectConcerns(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('safeguarding_concerns as c')
    .innerJoin('users as u', 'u.id', 'c.updated_by')
    .select(concernColumns)
    .where('c.programme_id', '=', programmeId)
    .where('c.person_id', '=', personId)
    .orderBy(sql`c.closed_on IS NULL`, 'desc')
    .orderBy('c.raised_on', 'desc')
    .orderBy('c.created_at', 'desc')
    .execute();
}

/** Every version of a person's concerns, newest first within each concern. */
export async function selectConcernVersions(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('safeguarding_concern_versions as v')
    .innerJoin('users as u', 'u.id', 'v.recorded_by')
    .select([
      'v.concern_id as concernId',
      'v.version',
      'v.raised_on as raisedOn',
      'v.raised_by as raisedBy',
      'v.concern as whatTheConcernIs',
      'v.what_was_done as whatWasDone',
      'v.informed_who as informedWho',
      'v.informed_organisation as informedOrganisation',
      'v.closed_on as closedOn',
      'v.outcome',
      'v.recorded_at as recordedAt',
      'u.name as recordedByName',
    ])
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .orderBy('v.concern_id')
    .orderBy('v.version', 'desc')
    .execute();
}

export function selectConcernIdByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'safeguarding_concerns', { programmeId, personId, formToken });
}

interface Written {
  programmeId: string;
  personId: string;
  by: string;
  at: Date;
}

/** A new concern, as raised (version 1), and that first version kept in its history. */
export async function insertConcern(tx: Tx, row: Written & { formToken: string; details: ConcernDetails }): Promise<string> {
  const { id } = await tx
    .insertInto('safeguarding_concerns')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      ...detailColumns(row.details),
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertConcernVersion(tx, { ...row, concernId: id, version: 1 });
  return id;
}

async function insertConcernVersion(tx: Tx, row: Written & { concernId: string; version: number; details: ConcernDetails }): Promise<void> {
  await tx
    .insertInto('safeguarding_concern_versions')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      concern_id: row.concernId,
      version: row.version,
      ...detailColumns(row.details),
      recorded_by: row.by,
      recorded_at: row.at,
    })
    .execute();
}

/**
 * Saves a new version of a concern if nobody saved since `expectedVersion`, keeping it in the history too;
 * false (and nothing written) when someone did.
 */
export async function updateConcern(
  tx: Tx,
  row: Written & { concernId: string; expectedVersion: number; details: ConcernDetails },
): Promise<boolean> {
  const updated = await tx
    .updateTable('safeguarding_concerns')
    .set((eb) => ({ ...detailColumns(row.details), version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('person_id', '=', row.personId)
    .where('id', '=', row.concernId)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  if (updated === undefined) return false;
  await insertConcernVersion(tx, { ...row, version: updated.version });
  return true;
}

/** How many open concerns each of these people has; people with none have no row. */
export async function countOpenConcerns(tx: Tx, programmeId: string, personIds: readonly string[]) {
  return tx
    .selectFrom('safeguarding_concerns')
    .select((eb) => ['person_id', eb.fn.countAll<string>().as('open')])
    .where('programme_id', '=', programmeId)
    // One array parameter however many people: a manager's list can hold thousands.
    .where(sql<boolean>`person_id = any(${[...personIds]}::uuid[])`)
    .where('closed_on', 'is', null)
    .groupBy('person_id')
    .execute();
}

/** Every open concern in the programme, the longest open first, with whose it is and where they live. */
export async function selectOpenConcerns(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('safeguarding_concerns as c')
    .innerJoin('people as p', (join) => join.onRef('p.id', '=', 'c.person_id').onRef('p.programme_id', '=', 'c.programme_id'))
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .select(['c.id', 'c.person_id as personId', 'p.name as personName', 'a.name as areaName', 'c.raised_on as raisedOn', 'c.updated_at as updatedAt'])
    .where('c.programme_id', '=', programmeId)
    .where('c.closed_on', 'is', null)
    .orderBy('c.raised_on')
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(1000)
    .execute();
}
