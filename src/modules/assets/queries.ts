import { sql, type Kysely } from 'kysely';
import type { Database } from '../../core/db/schema.ts';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { PostcodeRow } from './postcodes.ts';
import type { AssetCategory, ScheduleDay } from './tables.ts';

/** `%text%` for ILIKE, with LIKE's own characters in the text taken literally (backslash is LIKE's escape). */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// ---------------------------------------------------------------------------------------------------------------
// Neighbourhoods and settings

export async function selectAreas(tx: Tx, programmeId: string) {
  return tx.selectFrom('areas').select(['id', 'name']).where('programme_id', '=', programmeId).orderBy('name').orderBy('id').execute();
}

/** Neighbourhoods with running assets that have a location, most first: where a map has something to show. */
export async function selectMappedAreaIds(tx: Tx, programmeId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('community_assets')
    .select(['area_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('programme_id', '=', programmeId)
    .where('closed_on', 'is', null)
    .where('latitude', 'is not', null)
    .where('longitude', 'is not', null)
    .groupBy('area_id')
    .orderBy('n', 'desc')
    .orderBy('area_id')
    .execute();
  return rows.map((r) => r.area_id);
}

export async function selectStaleMonths(tx: Tx, programmeId: string): Promise<number> {
  const row = await tx.selectFrom('programmes').select('asset_stale_months').where('id', '=', programmeId).executeTakeFirstOrThrow();
  return row.asset_stale_months;
}

export async function updateStaleMonths(tx: Tx, programmeId: string, months: number): Promise<void> {
  await tx.updateTable('programmes').set({ asset_stale_months: months }).where('id', '=', programmeId).execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Assets

/** What an asset says: every column a person edits, as stored. */
export interface AssetContent {
  category: AssetCategory;
  personAgreedOn: string | null;
  name: string;
  description: string;
  areaId: string;
  addressLine1: string | null;
  addressTown: string | null;
  postcode: string | null;
  latitude: string | null;
  longitude: string | null;
  whoItWelcomes: string | null;
  accessibility: string | null;
  free: boolean;
  cost: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  website: string | null;
  tags: string[];
  organisationId: string | null;
  public: boolean;
}

export interface ScheduleContent {
  freq: 'weekly' | 'monthly';
  byday: ScheduleDay;
  weekOfMonth: number | null;
  opensAt: string | null;
  closesAt: string | null;
  description: string | null;
}

function columnsOf(c: AssetContent) {
  return {
    category: c.category,
    person_agreed_on: c.personAgreedOn,
    name: c.name,
    description: c.description,
    area_id: c.areaId,
    address_line_1: c.addressLine1,
    address_town: c.addressTown,
    postcode: c.postcode,
    latitude: c.latitude,
    longitude: c.longitude,
    who_it_welcomes: c.whoItWelcomes,
    accessibility: c.accessibility,
    free: c.free,
    cost: c.cost,
    contact_name: c.contactName,
    contact_phone: c.contactPhone,
    contact_email: c.contactEmail,
    website: c.website,
    tags: c.tags,
    organisation_id: c.organisationId,
    public: c.public,
  };
}

export function selectAssetIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'community_assets', { programmeId, formToken });
}

export async function insertAsset(tx: Tx, a: { programmeId: string; content: AssetContent; formToken: string; by: string; at: Date }): Promise<string> {
  const { id } = await tx
    .insertInto('community_assets')
    .values({
      programme_id: a.programmeId,
      ...columnsOf(a.content),
      form_token: a.formToken,
      created_by: a.by,
      created_at: a.at,
      updated_by: a.by,
      updated_at: a.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Saves a change if the asset is still at `expectedVersion`; the new version, or undefined if someone saved first. */
export async function updateAsset(
  tx: Tx,
  a: { programmeId: string; assetId: string; expectedVersion: number; content: AssetContent; by: string; at: Date },
): Promise<number | undefined> {
  const row = await tx
    .updateTable('community_assets')
    .set((eb) => ({ ...columnsOf(a.content), version: eb('version', '+', 1), updated_by: a.by, updated_at: a.at }))
    .where('programme_id', '=', a.programmeId)
    .where('id', '=', a.assetId)
    .where('version', '=', a.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}

/** "Checked today": not a change to what the asset says, so its version stays, and no one's open form is overtaken. */
export async function updateVerified(tx: Tx, a: { programmeId: string; assetId: string; on: string; by: string }): Promise<void> {
  await tx
    .updateTable('community_assets')
    .set({ last_verified_on: a.on, last_verified_by: a.by })
    .where('programme_id', '=', a.programmeId)
    .where('id', '=', a.assetId)
    .execute();
}

/** Closing is a change: the version moves on, so a form opened before it cannot quietly reopen the asset. */
export async function updateClosed(
  tx: Tx,
  a: { programmeId: string; assetId: string; expectedVersion: number; on: string; by: string; at: Date },
): Promise<number | undefined> {
  const row = await tx
    .updateTable('community_assets')
    .set((eb) => ({ closed_on: a.on, version: eb('version', '+', 1), updated_by: a.by, updated_at: a.at }))
    .where('programme_id', '=', a.programmeId)
    .where('id', '=', a.assetId)
    .where('version', '=', a.expectedVersion)
    .where('closed_on', 'is', null)
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}

/** Running again: the day it stopped is cleared (the audit trail keeps it). Undefined when the version has moved on. */
export async function updateReopened(
  tx: Tx,
  a: { programmeId: string; assetId: string; expectedVersion: number; by: string; at: Date },
): Promise<number | undefined> {
  const row = await tx
    .updateTable('community_assets')
    .set((eb) => ({ closed_on: null, version: eb('version', '+', 1), updated_by: a.by, updated_at: a.at }))
    .where('programme_id', '=', a.programmeId)
    .where('id', '=', a.assetId)
    .where('version', '=', a.expectedVersion)
    .where('closed_on', 'is not', null)
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}

/** Takes the asset's row lock: checks and writes about one asset then run one after another. */
export async function lockAsset(tx: Tx, programmeId: string, assetId: string): Promise<void> {
  await tx.selectFrom('community_assets').select('id').where('programme_id', '=', programmeId).where('id', '=', assetId).forUpdate().execute();
}

export async function selectAsset(tx: Tx, programmeId: string, assetId: string) {
  return tx
    .selectFrom('community_assets as c')
    .innerJoin('areas as a', 'a.id', 'c.area_id')
    .leftJoin('community_assets as o', (join) => join.onRef('o.id', '=', 'c.organisation_id').onRef('o.programme_id', '=', 'c.programme_id'))
    .leftJoin('users as v', 'v.id', 'c.last_verified_by')
    .innerJoin('users as u', 'u.id', 'c.updated_by')
    .selectAll('c')
    .select(['a.name as area_name', 'o.name as organisation_name', 'v.name as verified_by_name', 'u.name as updated_by_name'])
    .where('c.programme_id', '=', programmeId)
    .where('c.id', '=', assetId)
    .executeTakeFirst();
}

export type AssetRow = NonNullable<Awaited<ReturnType<typeof selectAsset>>>;

export async function selectSchedules(tx: Tx, programmeId: string, assetIds: readonly string[]) {
  if (assetIds.length === 0) return [];
  return tx
    .selectFrom('asset_schedules')
    .select(['id', 'asset_id', 'freq', 'byday', 'week_of_month', 'opens_at', 'closes_at', 'description'])
    .where('programme_id', '=', programmeId)
    .where('asset_id', 'in', [...assetIds])
    .orderBy('asset_id')
    .orderBy(sql`array_position(ARRAY['MO','TU','WE','TH','FR','SA','SU'], byday)`)
    .orderBy('opens_at')
    .orderBy('id')
    .execute();
}

/** The schedules are replaced whole by a change: they have no identity of their own worth keeping. */
export async function replaceSchedules(tx: Tx, programmeId: string, assetId: string, schedules: readonly ScheduleContent[]): Promise<void> {
  await tx.deleteFrom('asset_schedules').where('programme_id', '=', programmeId).where('asset_id', '=', assetId).execute();
  if (schedules.length === 0) return;
  await tx
    .insertInto('asset_schedules')
    .values(
      schedules.map((s) => ({
        programme_id: programmeId,
        asset_id: assetId,
        freq: s.freq,
        byday: s.byday,
        week_of_month: s.weekOfMonth,
        opens_at: s.opensAt,
        closes_at: s.closesAt,
        description: s.description,
      })),
    )
    .execute();
}

/** The programme's organisations, which may run other assets. */
export async function selectOrganisations(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('community_assets')
    .select(['id', 'name', 'closed_on'])
    .where('programme_id', '=', programmeId)
    .where('category', '=', 'organisation')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export interface AssetSearch {
  programmeId: string;
  q?: string | undefined;
  category?: AssetCategory | undefined;
  tag?: string | undefined;
  areaId?: string | undefined;
  includeClosed: boolean;
  /** Only those with a location (for a map). */
  located?: boolean;
  limit: number;
}

/** Assets matching a search, by name. Text matches the name, the description or a tag. */
export async function searchAssets(tx: Tx, s: AssetSearch) {
  let query = tx
    .selectFrom('community_assets as c')
    .innerJoin('areas as a', 'a.id', 'c.area_id')
    .select([
      'c.id',
      'c.name',
      'c.category',
      'c.description',
      'c.area_id',
      'a.name as area_name',
      'c.address_line_1',
      'c.postcode',
      'c.latitude',
      'c.longitude',
      'c.tags',
      'c.public',
      'c.free',
      'c.closed_on',
      'c.last_verified_on',
    ])
    .where('c.programme_id', '=', s.programmeId);
  if (s.q !== undefined) {
    const pattern = containing(s.q);
    query = query.where((eb) =>
      eb.or([eb('c.name', 'ilike', pattern), eb('c.description', 'ilike', pattern), eb(sql<string>`array_to_string(c.tags, ',')`, 'ilike', pattern)]),
    );
  }
  if (s.category !== undefined) query = query.where('c.category', '=', s.category);
  if (s.tag !== undefined) query = query.where(sql<boolean>`c.tags @> ARRAY[${s.tag}]::text[]`);
  if (s.areaId !== undefined) query = query.where('c.area_id', '=', s.areaId);
  if (!s.includeClosed) query = query.where('c.closed_on', 'is', null);
  if (s.located === true) query = query.where('c.latitude', 'is not', null);
  return query.orderBy(sql`lower(c.name)`).orderBy('c.id').limit(s.limit).execute();
}

export type AssetListRow = Awaited<ReturnType<typeof searchAssets>>[number];

/** Every tag the programme's assets carry, for the search's list of tags. */
export async function selectTagsInUse(tx: Tx, programmeId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom(sql<{ tag: string }>`(SELECT DISTINCT unnest(tags) AS tag FROM community_assets WHERE programme_id = ${programmeId})`.as('t'))
    .select('t.tag')
    .orderBy('t.tag')
    .execute();
  return rows.map((r) => r.tag);
}

/**
 * Running assets not checked since `before` (or never), the longest unchecked first: never checked counts as
 * checked when first recorded.
 */
export async function selectStaleAssets(tx: Tx, s: { programmeId: string; before: string; areaId?: string | undefined }) {
  let query = tx
    .selectFrom('community_assets as c')
    .innerJoin('areas as a', 'a.id', 'c.area_id')
    .leftJoin('users as v', 'v.id', 'c.last_verified_by')
    .select(['c.id', 'c.name', 'c.category', 'c.area_id', 'a.name as area_name', 'c.version', 'c.last_verified_on', 'v.name as verified_by_name', 'c.created_at'])
    .where('c.programme_id', '=', s.programmeId)
    .where('c.closed_on', 'is', null)
    .where((eb) => eb.or([eb('c.last_verified_on', 'is', null), eb('c.last_verified_on', '<', s.before)]));
  if (s.areaId !== undefined) query = query.where('c.area_id', '=', s.areaId);
  return query
    .orderBy(sql`coalesce(c.last_verified_on, (c.created_at AT TIME ZONE 'Europe/London')::date)`)
    .orderBy(sql`lower(c.name)`)
    .orderBy('c.id')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Postcodes: reference data shared by every programme

export async function selectPostcode(tx: Tx, postcode: string) {
  return tx.selectFrom('postcodes').select(['postcode', 'latitude', 'longitude']).where('postcode', '=', postcode).executeTakeFirst();
}

export async function countPostcodes(tx: Tx): Promise<number> {
  const row = await tx.selectFrom('postcodes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Adds or updates each postcode (at most one row per postcode per call). Counts which were new: a row PostgreSQL
 * inserted has no xmax, one it updated has. Runs as the app (in a request) or as the owner (the command line).
 */
export async function upsertPostcodes(
  db: Tx | Kysely<Database>,
  rows: readonly PostcodeRow[],
  source: string,
  at: Date,
): Promise<{ added: number; updated: number }> {
  if (rows.length === 0) return { added: 0, updated: 0 };
  const written = await db
    .insertInto('postcodes')
    .values(rows.map((r) => ({ postcode: r.postcode, latitude: r.latitude, longitude: r.longitude, source, imported_at: at })))
    .onConflict((oc) =>
      oc.column('postcode').doUpdateSet((eb) => ({
        latitude: eb.ref('excluded.latitude'),
        longitude: eb.ref('excluded.longitude'),
        source: eb.ref('excluded.source'),
        imported_at: eb.ref('excluded.imported_at'),
      })),
    )
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute();
  const added = written.filter((w) => w.inserted).length;
  return { added, updated: written.length - added };
}

// ---------------------------------------------------------------------------------------------------------------
// Community assets in a person's life

export async function selectLifeAssets(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('person_assets as l')
    .innerJoin('community_assets as c', (join) => join.onRef('c.id', '=', 'l.asset_id').onRef('c.programme_id', '=', 'l.programme_id'))
    .innerJoin('users as r', 'r.id', 'l.recorded_by')
    .leftJoin('users as e', 'e.id', 'l.ended_by')
    .select([
      'l.id',
      'l.asset_id',
      'c.name',
      'c.category',
      'c.closed_on',
      'l.what',
      'l.started_on',
      'l.ended_on',
      'l.recorded_at',
      'r.name as recorded_by_name',
      'e.name as ended_by_name',
    ])
    .where('l.programme_id', '=', programmeId)
    .where('l.person_id', '=', personId)
    .orderBy('l.started_on', 'desc')
    .orderBy('l.recorded_at', 'desc')
    .orderBy('l.id')
    .execute();
}

export type LifeAssetRow = Awaited<ReturnType<typeof selectLifeAssets>>[number];

export function selectLifeAssetIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'person_assets', { programmeId, formToken });
}

export async function insertLifeAsset(
  tx: Tx,
  l: { programmeId: string; personId: string; assetId: string; what: string; startedOn: string; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('person_assets')
    .values({
      programme_id: l.programmeId,
      person_id: l.personId,
      asset_id: l.assetId,
      what: l.what,
      started_on: l.startedOn,
      form_token: l.formToken,
      recorded_by: l.by,
      recorded_at: l.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function endLifeAsset(tx: Tx, l: { programmeId: string; linkId: string; endedOn: string; by: string; at: Date }): Promise<void> {
  await tx
    .updateTable('person_assets')
    .set({ ended_on: l.endedOn, ended_by: l.by, ended_at: l.at })
    .where('programme_id', '=', l.programmeId)
    .where('id', '=', l.linkId)
    .where('ended_on', 'is', null)
    .execute();
}

/** Running assets to choose from: in one neighbourhood, or any whose name matches a search. */
export async function selectAssetChoices(tx: Tx, c: { programmeId: string; areaId?: string; q?: string; limit: number }) {
  let query = tx
    .selectFrom('community_assets as c')
    .innerJoin('areas as a', 'a.id', 'c.area_id')
    .select(['c.id', 'c.name', 'c.category', 'a.name as area_name'])
    .where('c.programme_id', '=', c.programmeId)
    .where('c.closed_on', 'is', null);
  if (c.areaId !== undefined) query = query.where('c.area_id', '=', c.areaId);
  if (c.q !== undefined) query = query.where('c.name', 'ilike', containing(c.q));
  return query.orderBy(sql`lower(c.name)`).orderBy('c.id').limit(c.limit).execute();
}

/** A running asset by id, for linking to a person. */
export async function selectRunningAsset(tx: Tx, programmeId: string, assetId: string) {
  return tx
    .selectFrom('community_assets')
    .select(['id', 'name'])
    .where('programme_id', '=', programmeId)
    .where('id', '=', assetId)
    .where('closed_on', 'is', null)
    .executeTakeFirst();
}

/** The timeline's items: assets that became part of the person's life, newest first. */
export async function selectTimelineLifeAssetsJoined(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('person_assets as l')
    .innerJoin('community_assets as c', (join) => join.onRef('c.id', '=', 'l.asset_id').onRef('c.programme_id', '=', 'l.programme_id'))
    .innerJoin('users as r', 'r.id', 'l.recorded_by')
    .select(['l.id', 'l.asset_id', 'c.name', 'c.category', 'l.what', 'l.started_on as on', 'l.recorded_at as at', 'r.name as by_name'])
    .where('l.programme_id', '=', programmeId)
    .where('l.person_id', '=', personId)
    .orderBy('l.started_on', 'desc')
    .orderBy('l.recorded_at', 'desc')
    .limit(limit)
    .execute();
}

/** And those that stopped being part of it. */
export async function selectTimelineLifeAssetsEnded(tx: Tx, programmeId: string, personId: string, limit: number) {
  return tx
    .selectFrom('person_assets as l')
    .innerJoin('community_assets as c', (join) => join.onRef('c.id', '=', 'l.asset_id').onRef('c.programme_id', '=', 'l.programme_id'))
    .innerJoin('users as e', 'e.id', 'l.ended_by')
    .select(['l.id', 'l.asset_id', 'c.name', 'c.category', 'l.ended_on as on', 'l.ended_at as at', 'e.name as by_name'])
    .where('l.programme_id', '=', programmeId)
    .where('l.person_id', '=', personId)
    .where('l.ended_on', 'is not', null)
    .orderBy('l.ended_on', 'desc')
    .orderBy('l.ended_at', 'desc')
    .limit(limit)
    .execute();
}
