import { sql } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { HowHelped } from './tables.ts';

const initiativeColumns = [
  'i.id',
  'i.area_id as areaId',
  'a.name as areaName',
  'i.name',
  'i.description',
  'i.how_helped as howHelped',
  'i.started_on as startedOn',
  'i.ended_on as endedOn',
  'i.people_involved as peopleInvolved',
  'i.version',
  'i.updated_at as updatedAt',
  'u.name as updatedByName',
] as const;

/** Every initiative in the programme, by neighbourhood, then the most recently started first. */
export async function selectInitiatives(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('capacity_initiatives as i')
    .innerJoin('areas as a', 'a.id', 'i.area_id')
    .innerJoin('users as u', 'u.id', 'i.updated_by')
    .select(initiativeColumns)
    .where('i.programme_id', '=', programmeId)
    .orderBy('a.name')
    .orderBy('i.started_on', 'desc')
    .orderBy('i.id')
    .execute();
}

export async function selectInitiative(tx: Tx, programmeId: string, initiativeId: string) {
  return tx
    .selectFrom('capacity_initiatives as i')
    .innerJoin('areas as a', 'a.id', 'i.area_id')
    .innerJoin('users as u', 'u.id', 'i.updated_by')
    .select(initiativeColumns)
    .where('i.programme_id', '=', programmeId)
    .where('i.id', '=', initiativeId)
    .executeTakeFirst();
}

export type InitiativeRow = Awaited<ReturnType<typeof selectInitiatives>>[number];

export function selectInitiativeIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'capacity_initiatives', { programmeId, formToken });
}

/** What the initiative form writes. */
export interface InitiativeContent {
  name: string;
  description: string | null;
  areaId: string;
  howHelped: HowHelped;
  startedOn: string;
  endedOn: string | null;
  peopleInvolved: number;
}

function contentColumns(c: InitiativeContent) {
  return {
    name: c.name,
    description: c.description,
    area_id: c.areaId,
    how_helped: c.howHelped,
    started_on: c.startedOn,
    ended_on: c.endedOn,
    people_involved: c.peopleInvolved,
  };
}

export async function insertInitiative(tx: Tx, row: { programmeId: string; content: InitiativeContent; formToken: string; by: string; at: Date }): Promise<string> {
  const { id } = await tx
    .insertInto('capacity_initiatives')
    .values({
      programme_id: row.programmeId,
      ...contentColumns(row.content),
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

/** Saves the initiative if nobody saved since `expectedVersion`; false (and nothing written) when someone did. */
export async function updateInitiative(
  tx: Tx,
  row: { programmeId: string; initiativeId: string; expectedVersion: number; content: InitiativeContent; by: string; at: Date },
): Promise<boolean> {
  const updated = await tx
    .updateTable('capacity_initiatives')
    .set((eb) => ({ ...contentColumns(row.content), version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.initiativeId)
    .where('version', '=', row.expectedVersion)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** The community assets each of these initiatives uses, by name. */
export async function selectInitiativeAssets(tx: Tx, programmeId: string, initiativeIds: readonly string[]) {
  if (initiativeIds.length === 0) return [];
  return tx
    .selectFrom('capacity_initiative_assets as ia')
    .innerJoin('community_assets as ca', 'ca.id', 'ia.asset_id')
    .select(['ia.initiative_id as initiativeId', 'ca.id', 'ca.name'])
    .where('ia.programme_id', '=', programmeId)
    .where(sql<boolean>`ia.initiative_id = any(${[...initiativeIds]}::uuid[])`)
    .orderBy('ca.name')
    .orderBy('ca.id')
    .execute();
}

/** Makes the initiative's assets exactly these. */
export async function replaceInitiativeAssets(tx: Tx, programmeId: string, initiativeId: string, assetIds: readonly string[]): Promise<void> {
  await tx.deleteFrom('capacity_initiative_assets').where('programme_id', '=', programmeId).where('initiative_id', '=', initiativeId).execute();
  if (assetIds.length === 0) return;
  await tx
    .insertInto('capacity_initiative_assets')
    .values(assetIds.map((assetId) => ({ programme_id: programmeId, initiative_id: initiativeId, asset_id: assetId })))
    .execute();
}

/**
 * Funding found, for these initiatives (or all, with null), the most recent first: rows removed from the ledger
 * too (they say so), with who last corrected each.
 */
export async function selectFunding(tx: Tx, programmeId: string, initiativeIds: readonly string[] | null) {
  let query = tx
    .selectFrom('capacity_funding as f')
    .innerJoin('users as u', 'u.id', 'f.recorded_by')
    .leftJoin('users as c', 'c.id', 'f.updated_by')
    .leftJoin('users as r', 'r.id', 'f.removed_by')
    .select([
      'f.id',
      'f.initiative_id as initiativeId',
      'f.amount',
      'f.funder',
      'f.found_on as foundOn',
      'f.version',
      'f.recorded_at as recordedAt',
      'u.name as recordedByName',
      'f.updated_at as updatedAt',
      'c.name as updatedByName',
      'f.removed_at as removedAt',
      'r.name as removedByName',
      'f.removed_reason as removedReason',
    ])
    .where('f.programme_id', '=', programmeId);
  if (initiativeIds !== null) {
    if (initiativeIds.length === 0) return [];
    query = query.where(sql<boolean>`f.initiative_id = any(${[...initiativeIds]}::uuid[])`);
  }
  return query.orderBy('f.found_on', 'desc').orderBy('f.recorded_at', 'desc').orderBy('f.id').execute();
}

export type FundingDbRow = Awaited<ReturnType<typeof selectFunding>>[number];

/** Locks one row of funding: a correction and a removal of it run one after another. */
export async function lockFunding(tx: Tx, programmeId: string, fundingId: string): Promise<void> {
  await tx.selectFrom('capacity_funding').select('id').where('programme_id', '=', programmeId).where('id', '=', fundingId).forUpdate().execute();
}

/** A correction from `expectedVersion`, to a row still in the ledger; undefined when the row has moved on. */
export async function updateFunding(
  tx: Tx,
  row: { programmeId: string; fundingId: string; expectedVersion: number; amount: string; funder: string; foundOn: string; by: string; at: Date },
): Promise<number | undefined> {
  const updated = await tx
    .updateTable('capacity_funding')
    .set((eb) => ({ amount: row.amount, funder: row.funder, found_on: row.foundOn, version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.fundingId)
    .where('version', '=', row.expectedVersion)
    .where('removed_at', 'is', null)
    .returning('version')
    .executeTakeFirst();
  return updated?.version;
}

/** Out of the ledger and its totals, kept with who, when and why; undefined when the row has moved on. */
export async function markFundingRemoved(
  tx: Tx,
  row: { programmeId: string; fundingId: string; expectedVersion: number; reason: string; by: string; at: Date },
): Promise<number | undefined> {
  const updated = await tx
    .updateTable('capacity_funding')
    .set((eb) => ({ removed_reason: row.reason, removed_by: row.by, removed_at: row.at, version: eb('version', '+', 1) }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.fundingId)
    .where('version', '=', row.expectedVersion)
    .where('removed_at', 'is', null)
    .returning('version')
    .executeTakeFirst();
  return updated?.version;
}

export function selectFundingIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'capacity_funding', { programmeId, formToken });
}

export async function insertFunding(
  tx: Tx,
  row: { programmeId: string; initiativeId: string; amount: string; funder: string; foundOn: string; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('capacity_funding')
    .values({
      programme_id: row.programmeId,
      initiative_id: row.initiativeId,
      amount: row.amount,
      funder: row.funder,
      found_on: row.foundOn,
      form_token: row.formToken,
      recorded_by: row.by,
      recorded_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** What happened, newest first. */
export async function selectUpdates(tx: Tx, programmeId: string, initiativeId: string) {
  return tx
    .selectFrom('capacity_updates as c')
    .innerJoin('users as u', 'u.id', 'c.recorded_by')
    .select(['c.id', 'c.happened_on as happenedOn', 'c.what', 'c.recorded_at as recordedAt', 'u.name as recordedByName'])
    .where('c.programme_id', '=', programmeId)
    .where('c.initiative_id', '=', initiativeId)
    .orderBy('c.happened_on', 'desc')
    .orderBy('c.recorded_at', 'desc')
    .orderBy('c.id')
    .execute();
}

export function selectUpdateIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'capacity_updates', { programmeId, formToken });
}

export async function insertUpdate(
  tx: Tx,
  row: { programmeId: string; initiativeId: string; happenedOn: string; what: string; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('capacity_updates')
    .values({
      programme_id: row.programmeId,
      initiative_id: row.initiativeId,
      happened_on: row.happenedOn,
      what: row.what,
      form_token: row.formToken,
      recorded_by: row.by,
      recorded_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
