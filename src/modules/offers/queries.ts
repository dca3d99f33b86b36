import { sql } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { ItemKind, ItemStatus, OfferCategory } from './tables.ts';

/** Which offers and asks to read: every condition given narrows the list. */
export interface ItemFilter {
  ids?: readonly string[];
  kind?: ItemKind;
  personId?: string;
  /** Offers and asks of people living in these neighbourhoods, and every asset's offers; null: everyone's. */
  ownerAreaIds?: readonly string[] | null;
  category?: OfferCategory;
  areaId?: string;
  status?: ItemStatus;
  schemeId?: string;
}

/**
 * Offers and asks with who or what they come from, where that is (the asset's own location, or the postcode's),
 * their neighbourhood and scheme. The oldest first: the longest waiting is the first to look at.
 */
export async function selectItems(tx: Tx, programmeId: string, filter: ItemFilter) {
  let query = tx
    .selectFrom('offers_and_asks as i')
    .innerJoin('areas as a', 'a.id', 'i.area_id')
    .leftJoin('people as p', 'p.id', 'i.person_id')
    .leftJoin('areas as pa', 'pa.id', 'p.area_id')
    .leftJoin('users as pc', 'pc.id', 'p.coordinator_id')
    .leftJoin('postcodes as ppc', 'ppc.postcode', 'p.postcode')
    .leftJoin('community_assets as ca', 'ca.id', 'i.asset_id')
    .leftJoin('areas as aa', 'aa.id', 'ca.area_id')
    .leftJoin('postcodes as apc', 'apc.postcode', 'ca.postcode')
    .leftJoin('offer_schemes as s', 's.id', 'i.scheme_id')
    .innerJoin('users as u', 'u.id', 'i.updated_by')
    .select([
      'i.id',
      'i.kind',
      'i.person_id as personId',
      'i.asset_id as assetId',
      'i.category',
      'i.what',
      'i.area_id as areaId',
      'a.name as areaName',
      'i.available_from as availableFrom',
      'i.available_until as availableUntil',
      'i.status',
      'i.scheme_id as schemeId',
      's.name as schemeName',
      'i.version',
      'i.created_at as createdAt',
      'i.updated_at as updatedAt',
      'u.name as updatedByName',
      'p.name as personName',
      'p.area_id as personAreaId',
      'pa.name as personAreaName',
      'pc.name as personCoordinatorName',
      'ca.name as assetName',
      'aa.name as assetAreaName',
      sql<string | null>`coalesce(ca.latitude, apc.latitude, ppc.latitude)`.as('latitude'),
      sql<string | null>`coalesce(ca.longitude, apc.longitude, ppc.longitude)`.as('longitude'),
    ])
    .where('i.programme_id', '=', programmeId);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where(sql<boolean>`i.id = any(${[...filter.ids]}::uuid[])`);
  }
  if (filter.kind !== undefined) query = query.where('i.kind', '=', filter.kind);
  if (filter.personId !== undefined) query = query.where('i.person_id', '=', filter.personId);
  const ownerAreas = filter.ownerAreaIds;
  if (ownerAreas !== undefined && ownerAreas !== null) {
    query = query.where((eb) =>
      eb.or([eb('i.asset_id', 'is not', null), ...(ownerAreas.length === 0 ? [] : [eb('p.area_id', 'in', [...ownerAreas])])]),
    );
  }
  if (filter.category !== undefined) query = query.where('i.category', '=', filter.category);
  if (filter.areaId !== undefined) query = query.where('i.area_id', '=', filter.areaId);
  if (filter.status !== undefined) query = query.where('i.status', '=', filter.status);
  if (filter.schemeId !== undefined) query = query.where('i.scheme_id', '=', filter.schemeId);
  return query.orderBy('i.available_from').orderBy('i.created_at').orderBy('i.id').limit(2000).execute();
}

export type ItemRow = Awaited<ReturnType<typeof selectItems>>[number];

export function selectItemIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'offers_and_asks', { programmeId, formToken });
}

/** What an offer or ask says, as the forms write it. */
export interface ItemContent {
  category: OfferCategory;
  what: string;
  areaId: string;
  availableFrom: string;
  availableUntil: string | null;
  schemeId: string | null;
}

function contentColumns(c: ItemContent) {
  return {
    category: c.category,
    what: c.what,
    area_id: c.areaId,
    available_from: c.availableFrom,
    available_until: c.availableUntil,
    scheme_id: c.schemeId,
  };
}

export async function insertItem(
  tx: Tx,
  row: { programmeId: string; kind: ItemKind; personId: string | null; assetId: string | null; content: ItemContent; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('offers_and_asks')
    .values({
      programme_id: row.programmeId,
      kind: row.kind,
      person_id: row.personId,
      asset_id: row.assetId,
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

/** Saves what an offer or ask says, and its status, if nobody saved since `expectedVersion`; false if someone did. */
export async function updateItem(
  tx: Tx,
  row: { programmeId: string; itemId: string; expectedVersion: number; content: ItemContent; status: ItemStatus; by: string; at: Date },
): Promise<boolean> {
  const updated = await tx
    .updateTable('offers_and_asks')
    .set((eb) => ({ ...contentColumns(row.content), status: row.status, version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.itemId)
    .where('version', '=', row.expectedVersion)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Moves both sides of a match on together (to matched, or to done), each as a new version. */
export async function setItemsStatus(tx: Tx, row: { programmeId: string; itemIds: readonly string[]; status: ItemStatus; by: string; at: Date }) {
  await tx
    .updateTable('offers_and_asks')
    .set((eb) => ({ status: row.status, version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where(sql<boolean>`id = any(${[...row.itemIds]}::uuid[])`)
    .execute();
}

/**
 * The matches these offers or asks are part of (at most one each in force; any number undone), with who confirmed
 * them, who said done and who undid them.
 */
export async function selectMatchesOf(tx: Tx, programmeId: string, itemIds: readonly string[]) {
  if (itemIds.length === 0) return [];
  return tx
    .selectFrom('offer_matches as m')
    .innerJoin('users as c', 'c.id', 'm.confirmed_by')
    .leftJoin('users as d', 'd.id', 'm.done_by')
    .leftJoin('users as ud', 'ud.id', 'm.undone_by')
    .select([
      'm.id',
      'm.ask_id as askId',
      'm.offer_id as offerId',
      'm.matched_on as matchedOn',
      'm.confirmed_at as confirmedAt',
      'c.name as confirmedByName',
      'm.done_on as doneOn',
      'd.name as doneByName',
      'm.undone_at as undoneAt',
      'ud.name as undoneByName',
      'm.undone_reason as undoneReason',
    ])
    .where('m.programme_id', '=', programmeId)
    .where((eb) => eb.or([eb('m.ask_id', 'in', [...itemIds]), eb('m.offer_id', 'in', [...itemIds])]))
    .orderBy('m.matched_on')
    .orderBy('m.id')
    .execute();
}

export type MatchRow = Awaited<ReturnType<typeof selectMatchesOf>>[number];

export async function selectMatch(tx: Tx, programmeId: string, matchId: string) {
  return (await tx
    .selectFrom('offer_matches')
    .select(['id', 'ask_id as askId', 'offer_id as offerId'])
    .where('programme_id', '=', programmeId)
    .where('id', '=', matchId)
    .executeTakeFirst());
}

export function selectMatchIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'offer_matches', { programmeId, formToken });
}

export async function insertMatch(
  tx: Tx,
  row: { programmeId: string; askId: string; offerId: string; matchedOn: string; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('offer_matches')
    .values({
      programme_id: row.programmeId,
      ask_id: row.askId,
      offer_id: row.offerId,
      matched_on: row.matchedOn,
      confirmed_by: row.by,
      confirmed_at: row.at,
      form_token: row.formToken,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function markMatchDone(tx: Tx, row: { programmeId: string; matchId: string; doneOn: string; by: string; at: Date }) {
  await tx
    .updateTable('offer_matches')
    .set({ done_on: row.doneOn, done_by: row.by, done_at: row.at })
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.matchId)
    .where('done_on', 'is', null)
    .execute();
}

/** Undone: kept with who, when and why; a match already done or undone is left as it is. */
export async function markMatchUndone(tx: Tx, row: { programmeId: string; matchId: string; reason: string; by: string; at: Date }): Promise<boolean> {
  const updated = await tx
    .updateTable('offer_matches')
    .set({ undone_reason: row.reason, undone_by: row.by, undone_at: row.at })
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.matchId)
    .where('done_on', 'is', null)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

// Schemes ------------------------------------------------------------------------------------------------------

/** Every scheme, by name, with how many offers, asks and pairs it holds. */
export async function selectSchemes(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('offer_schemes as s')
    .select((eb) => [
      's.id',
      's.name',
      's.category',
      's.description',
      's.created_at as createdAt',
      eb
        .selectFrom('offers_and_asks as i')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('i.scheme_id', '=', 's.id')
        .where('i.kind', '=', 'offer')
        .as('offers'),
      eb
        .selectFrom('offers_and_asks as i')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('i.scheme_id', '=', 's.id')
        .where('i.kind', '=', 'ask')
        .as('asks'),
      eb
        .selectFrom('offer_matches as m')
        .innerJoin('offers_and_asks as i', 'i.id', 'm.ask_id')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('i.scheme_id', '=', 's.id')
        .where('m.undone_at', 'is', null)
        .as('pairs'),
    ])
    .where('s.programme_id', '=', programmeId)
    .orderBy(sql`lower(s.name)`)
    .orderBy('s.id')
    .execute();
}

export async function selectScheme(tx: Tx, programmeId: string, schemeId: string) {
  return tx
    .selectFrom('offer_schemes as s')
    .innerJoin('users as u', 'u.id', 's.created_by')
    .leftJoin('users as up', 'up.id', 's.updated_by')
    .select([
      's.id',
      's.name',
      's.category',
      's.description',
      's.version',
      's.created_at as createdAt',
      'u.name as createdByName',
      's.updated_at as updatedAt',
      'up.name as updatedByName',
    ])
    .where('s.programme_id', '=', programmeId)
    .where('s.id', '=', schemeId)
    .executeTakeFirst();
}

export function selectSchemeIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'offer_schemes', { programmeId, formToken });
}

export async function selectSchemeIdByName(tx: Tx, programmeId: string, name: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('offer_schemes')
    .select('id')
    .where('programme_id', '=', programmeId)
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
  return row?.id;
}

export async function insertScheme(
  tx: Tx,
  row: { programmeId: string; name: string; category: OfferCategory; description: string | null; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('offer_schemes')
    .values({
      programme_id: row.programmeId,
      name: row.name,
      category: row.category,
      description: row.description,
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Locks the scheme's row: a change and the check of its name then run one after another. */
export async function lockScheme(tx: Tx, programmeId: string, schemeId: string): Promise<void> {
  await tx.selectFrom('offer_schemes').select('id').where('programme_id', '=', programmeId).where('id', '=', schemeId).forUpdate().execute();
}

/** A new name and description, from `expectedVersion`; undefined when the version has moved on. */
export async function updateScheme(
  tx: Tx,
  row: { programmeId: string; schemeId: string; expectedVersion: number; name: string; description: string | null; by: string; at: Date },
): Promise<number | undefined> {
  const updated = await tx
    .updateTable('offer_schemes')
    .set((eb) => ({ name: row.name, description: row.description, version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.schemeId)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return updated?.version;
}

// Community assets, for an asset's offer: read, never written, here --------------------------------------------

/** The programme's community assets still running, by neighbourhood and name. */
export async function selectRunningAssets(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('community_assets as ca')
    .innerJoin('areas as a', 'a.id', 'ca.area_id')
    .select(['ca.id', 'ca.name', 'ca.area_id as areaId', 'a.name as areaName'])
    .where('ca.programme_id', '=', programmeId)
    .where('ca.closed_on', 'is', null)
    .orderBy('a.name')
    .orderBy('ca.name')
    .orderBy('ca.id')
    .execute();
}

