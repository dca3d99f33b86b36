import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../core/db/database.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { AssetCategory, AssetSchedulesTable, CommunityAssetsTable, ScheduleDay } from '../assets/tables.ts';

// --- The public directory ----------------------------------------------------------------------------------------
// These run with no programme and no user set: the public_directory policies then show only assets marked public
// and not closed (and their schedules), from every programme. No query here filters on `public` or `closed_on`
// itself: what the public may see is decided in one place, the database.

export interface DirectoryFilters {
  /** Each word must appear in the name, the description or a tag. */
  words: readonly string[];
  category?: AssetCategory;
  tag?: string;
  /** Only assets with at least one tag. */
  tagged?: boolean;
  /** Only assets whose location can be published (an address, a postcode or a position). */
  located?: boolean;
  /** Only assets with a schedule that matches all of these. */
  schedule?: { day?: ScheduleDay; opensFrom?: string; closesBy?: string };
}

/** `%`, `_` and `\` are wildcards or the escape in LIKE: a search for them means the characters themselves. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The public assets that match, by name: just enough to sort by distance and page before reading them whole. */
export async function selectDirectoryKeys(tx: Tx, filters: DirectoryFilters) {
  let query = tx.selectFrom('community_assets as a').select(['a.id', 'a.name', 'a.latitude', 'a.longitude']);
  for (const word of filters.words) {
    query = query.where(sql<boolean>`(a.name || ' ' || a.description || ' ' || array_to_string(a.tags, ' ')) ILIKE ${likePattern(word)}`);
  }
  if (filters.category !== undefined) query = query.where('a.category', '=', filters.category);
  if (filters.tag !== undefined) query = query.where(sql<boolean>`${filters.tag} = ANY (a.tags)`);
  if (filters.tagged === true) query = query.where(sql<boolean>`cardinality(a.tags) > 0`);
  if (filters.located === true) {
    query = query.where((eb) => eb.or([eb('a.address_line_1', 'is not', null), eb('a.postcode', 'is not', null), eb('a.latitude', 'is not', null)]));
  }
  const schedule = filters.schedule;
  if (schedule !== undefined) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('asset_schedules as s')
          .select('s.id')
          .whereRef('s.asset_id', '=', 'a.id')
          .$if(schedule.day !== undefined, (q) => q.where('s.byday', '=', schedule.day as ScheduleDay))
          .$if(schedule.opensFrom !== undefined, (q) => q.where('s.opens_at', '>=', schedule.opensFrom as string))
          .$if(schedule.closesBy !== undefined, (q) => q.where('s.closes_at', '<=', schedule.closesBy as string)),
      ),
    );
  }
  return query.orderBy(sql`lower(a.name)`).orderBy('a.id').execute();
}

/** Public assets in full, with the organisation that runs each when that is public too. */
export async function selectDirectoryAssets(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return tx
    .selectFrom('community_assets as a')
    .leftJoin('community_assets as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.category',
      'a.name',
      'a.description',
      'a.address_line_1',
      'a.address_town',
      'a.postcode',
      'a.latitude',
      'a.longitude',
      'a.contact_name',
      'a.contact_phone',
      'a.contact_email',
      'a.website',
      'a.accessibility',
      'a.cost',
      'a.free',
      'a.tags',
      'a.last_verified_on',
      'a.updated_at',
      'o.id as org_id',
      'o.name as org_name',
      'o.description as org_description',
      'o.contact_email as org_email',
      'o.website as org_website',
    ])
    .where('a.id', 'in', [...ids])
    .execute();
}

export type DirectoryAssetRow = Awaited<ReturnType<typeof selectDirectoryAssets>>[number];

export async function selectDirectorySchedules(tx: Tx, assetIds: readonly string[]) {
  if (assetIds.length === 0) return [];
  return tx
    .selectFrom('asset_schedules')
    .select(['id', 'asset_id', 'freq', 'byday', 'week_of_month', 'opens_at', 'closes_at', 'description'])
    .where('asset_id', 'in', [...assetIds])
    .orderBy('asset_id')
    .orderBy(sql`array_position(ARRAY['MO','TU','WE','TH','FR','SA','SU'], byday)`)
    .orderBy('opens_at')
    .orderBy('id')
    .execute();
}

export type DirectoryScheduleRow = Awaited<ReturnType<typeof selectDirectorySchedules>>[number];

/** The public organisations: assets in the organisation category. */
export async function selectDirectoryOrganisationIds(tx: Tx) {
  const rows = await tx
    .selectFrom('community_assets')
    .select('id')
    .where('category', '=', 'organisation')
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The public assets an organisation runs. */
export async function selectDirectoryIdsRunBy(tx: Tx, organisationId: string) {
  const rows = await tx
    .selectFrom('community_assets')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Every tag on a public asset, once, in order. */
export async function selectDirectoryTags(tx: Tx): Promise<string[]> {
  const { rows } = await sql<{ tag: string }>`
    SELECT DISTINCT t AS tag FROM community_assets, unnest(tags) AS t ORDER BY t
  `.execute(tx);
  return rows.map((r) => r.tag);
}

/** Reference data, the same for every programme. */
export async function selectPostcodes(tx: Tx, postcodes: readonly string[]) {
  if (postcodes.length === 0) return [];
  return tx.selectFrom('postcodes').select(['postcode', 'latitude', 'longitude']).where('postcode', 'in', [...postcodes]).execute();
}

// --- Import ------------------------------------------------------------------------------------------------------

export async function selectArea(tx: Tx, programmeId: string, areaId: string) {
  return tx.selectFrom('areas').select(['id', 'name']).where('programme_id', '=', programmeId).where('id', '=', areaId).executeTakeFirst();
}

/** Assets imported before from these source ids, with the one-time token each was made with. */
export async function selectAssetsBySource(tx: Tx, programmeId: string, sourceIds: readonly string[]) {
  if (sourceIds.length === 0) return [];
  return tx
    .selectFrom('community_assets')
    .select(['id', 'source_id', 'form_token', 'closed_on'])
    .where('programme_id', '=', programmeId)
    .where('source_id', 'in', [...sourceIds])
    .execute();
}

export async function insertAsset(tx: Tx, row: Insertable<CommunityAssetsTable>): Promise<string> {
  const { id } = await tx.insertInto('community_assets').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateAsset(tx: Tx, programmeId: string, id: string, row: Updateable<CommunityAssetsTable>): Promise<void> {
  await tx
    .updateTable('community_assets')
    .set({ ...row, version: sql<number>`version + 1` })
    .where('programme_id', '=', programmeId)
    .where('id', '=', id)
    .execute();
}

/** An imported asset's schedules are the document's: the old ones go, the new ones come in. */
export async function replaceSchedules(
  tx: Tx,
  programmeId: string,
  assetId: string,
  rows: readonly Omit<Insertable<AssetSchedulesTable>, 'programme_id' | 'asset_id'>[],
): Promise<void> {
  await tx.deleteFrom('asset_schedules').where('programme_id', '=', programmeId).where('asset_id', '=', assetId).execute();
  if (rows.length === 0) return;
  await tx
    .insertInto('asset_schedules')
    .values(rows.map((r) => ({ ...r, programme_id: programmeId, asset_id: assetId })))
    .execute();
}

// --- The command line: who and where, looked up as the database owner before anyone acts ----------------------

export async function selectProgrammeByName(db: Db, name: string) {
  return db.selectFrom('programmes').select(['id', 'name']).where(sql<boolean>`lower(name) = lower(${name})`).execute();
}

export async function selectAreaByName(db: Db, programmeId: string, name: string) {
  return db
    .selectFrom('areas')
    .select(['id', 'name'])
    .where('programme_id', '=', programmeId)
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
}

/** The programme's managers (the people who may import), by email if one is given. */
export async function selectManagers(db: Db, programmeId: string, email: string | undefined) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('m.programme_id', '=', programmeId)
    .where('m.role', '=', 'manager')
    .where('u.disabled_at', 'is', null)
    .$if(email !== undefined, (q) => q.where(sql<boolean>`lower(u.email) = lower(${email ?? ''})`))
    .orderBy('u.email')
    .execute();
}
