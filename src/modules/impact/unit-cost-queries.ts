import { sql } from 'kysely';
import type { Db } from '../../core/db/database.ts';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { ImportedCost, IndexPoint, SeriesMeta } from './unit-cost-import.ts';
import type { RagRating } from './unit-cost-tables.ts';

/** Every SQL statement of the unit-cost library. Shared rows have no programme; a programme's own have its id. */

// Importing ------------------------------------------------------------------------------------------------------

export async function nextSharedLibraryVersion(db: Db, name: string): Promise<number> {
  const row = await db
    .selectFrom('unit_cost_libraries')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('programme_id', 'is', null)
    .where('name', '=', name)
    .executeTakeFirst();
  return (row?.latest ?? 0) + 1;
}

export async function selectSharedLibraryVersions(db: Db, name: string) {
  return db.selectFrom('unit_cost_libraries').select(['id', 'version']).where('programme_id', 'is', null).where('name', '=', name).orderBy('version').execute();
}

export interface NewLibrary {
  programmeId: string | null;
  name: string;
  versionLabel: string;
  version: number;
  source: string;
  attribution: string | null;
  licence: string | null;
  importedAt: Date;
  importedBy: string | null;
}

export async function insertLibrary(db: Db, library: NewLibrary): Promise<string> {
  const { id } = await db
    .insertInto('unit_cost_libraries')
    .values({
      programme_id: library.programmeId,
      name: library.name,
      version_label: library.versionLabel,
      version: library.version,
      source: library.source,
      attribution: library.attribution,
      licence: library.licence,
      imported_at: library.importedAt,
      imported_by: library.importedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The workbook's rows into a shared library, in batches (one statement per few hundred rows). */
export async function insertImportedCosts(db: Db, libraryId: string, costs: readonly ImportedCost[], at: Date): Promise<void> {
  const BATCH = 200;
  for (let start = 0; start < costs.length; start += BATCH) {
    await db
      .insertInto('unit_costs')
      .values(
        costs.slice(start, start + BATCH).map((c) => ({
          programme_id: null,
          library_id: libraryId,
          code: c.code,
          description: c.description,
          unit: c.unit,
          agency_l1: c.agencyL1,
          agency_l2: c.agencyL2,
          fiscal_value: c.fiscal?.value ?? null,
          fiscal_price_year: c.fiscal?.priceYear ?? null,
          economic_value: c.economic?.value ?? null,
          economic_price_year: c.economic?.priceYear ?? null,
          social_value: c.social?.value ?? null,
          social_price_year: c.social?.priceYear ?? null,
          source: c.source,
          source_url: c.sourceUrl,
          rag: c.rag,
          comment: c.comment,
          sheet: c.sheet,
          sheet_row: c.row,
          category: c.category,
          detail: c.detail,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  }
}

export async function nextSharedSeriesVersion(db: Db, name: string): Promise<number> {
  const row = await db
    .selectFrom('price_index_series')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('programme_id', 'is', null)
    .where('name', '=', name)
    .executeTakeFirst();
  return (row?.latest ?? 0) + 1;
}

export async function selectSharedSeriesNames(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('price_index_series').select('name').distinct().where('programme_id', 'is', null).execute();
  return rows.map((r) => r.name);
}

export async function insertSeries(
  db: Db,
  series: SeriesMeta & { programmeId: string | null; version: number; importedAt: Date; importedBy: string | null },
): Promise<string> {
  const { id } = await db
    .insertInto('price_index_series')
    .values({
      programme_id: series.programmeId,
      name: series.name,
      version_label: series.versionLabel,
      version: series.version,
      basis: series.basis,
      base_year: series.baseYear,
      source: series.source,
      licence: series.licence,
      imported_at: series.importedAt,
      imported_by: series.importedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertIndexValues(db: Db, seriesId: string, points: readonly IndexPoint[]): Promise<void> {
  if (points.length === 0) return;
  await db
    .insertInto('price_index_values')
    .values(points.map((p) => ({ series_id: seriesId, programme_id: null, year: p.year, index_value: p.index, forecast: p.forecast })))
    .execute();
}

// Reading -----------------------------------------------------------------------------------------------------------

/** Every version of every library the programme may read, the newest version of each first. */
export async function selectLibraries(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('unit_cost_libraries as l')
    .select((eb) => [
      'l.id',
      'l.programme_id',
      'l.name',
      'l.version_label',
      'l.version',
      'l.source',
      'l.attribution',
      'l.licence',
      'l.imported_at',
      eb.selectFrom('unit_costs as c').select((eb2) => eb2.fn.countAll<string>().as('n')).whereRef('c.library_id', '=', 'l.id').as('costs'),
    ])
    .where((eb) => eb.or([eb('l.programme_id', 'is', null), eb('l.programme_id', '=', programmeId)]))
    .orderBy(sql`l.programme_id IS NULL`, 'desc')
    .orderBy('l.name')
    .orderBy('l.version', 'desc')
    .execute();
}

export interface CostFilter {
  /** At least one. */
  libraryIds: readonly [string, ...string[]];
  /** Words to find, each of them, in the code, description, category, detail, unit or agency. */
  text: string | null;
  /** An agency at either level, in any letter case (the workbook writes both "Local authority" and "Local Authority"). */
  agency: string | null;
  rag: RagRating | null;
}

function filtered(tx: Tx, programmeId: string, filter: CostFilter) {
  let query = tx
    .selectFrom('unit_costs as c')
    .where((eb) => eb.or([eb('c.programme_id', 'is', null), eb('c.programme_id', '=', programmeId)]))
    .where('c.library_id', 'in', [...filter.libraryIds]);
  // Every word somewhere in the cost's code, words or agency, in any order and letter case.
  for (const word of (filter.text ?? '').toLowerCase().split(/\s+/).filter((w) => w !== '')) {
    query = query.where(sql<boolean>`strpos(lower(concat_ws(' ', c.code, c.description, c.category, c.detail, c.unit, c.agency_l1, c.agency_l2)), ${word}) > 0`);
  }
  if (filter.agency !== null) {
    const agency = filter.agency.toLowerCase();
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['c.agency_l1']), '=', agency), eb(eb.fn('lower', ['c.agency_l2']), '=', agency)]));
  }
  if (filter.rag !== null) query = query.where('c.rag', '=', filter.rag);
  return query;
}

export async function countUnitCosts(tx: Tx, programmeId: string, filter: CostFilter): Promise<number> {
  const row = await filtered(tx, programmeId, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One page of costs, in the workbook's order (sheet by sheet, row by row); local costs by code and description. */
export async function selectUnitCosts(tx: Tx, programmeId: string, filter: CostFilter, limit: number, offset: number) {
  return filtered(tx, programmeId, filter)
    .innerJoin('unit_cost_libraries as l', 'l.id', 'c.library_id')
    .select([
      'c.id',
      'c.programme_id',
      'c.code',
      'c.description',
      'c.unit',
      'c.agency_l1',
      'c.agency_l2',
      'c.fiscal_value',
      'c.fiscal_price_year',
      'c.rag',
      'l.attribution',
    ])
    .orderBy(sql`c.programme_id IS NULL`, 'desc')
    .orderBy('l.name')
    .orderBy('c.sheet_row', (ob) => ob.asc().nullsLast())
    .orderBy('c.code')
    .orderBy('c.description')
    .orderBy('c.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The agencies named in these libraries at either level, one per spelling regardless of letter case. */
export async function selectAgencies(tx: Tx, programmeId: string, libraryIds: readonly string[]): Promise<string[]> {
  if (libraryIds.length === 0) return [];
  const { rows } = await sql<{ agency: string }>`
    SELECT min(agency) AS agency FROM (
      SELECT agency_l1 AS agency FROM unit_costs
        WHERE library_id IN (${sql.join(libraryIds)}) AND (programme_id IS NULL OR programme_id = ${programmeId})
      UNION ALL
      SELECT agency_l2 FROM unit_costs
        WHERE library_id IN (${sql.join(libraryIds)}) AND (programme_id IS NULL OR programme_id = ${programmeId})
    ) a
    WHERE agency IS NOT NULL
    GROUP BY lower(agency)
    ORDER BY lower(agency)
  `.execute(tx);
  return rows.map((r) => r.agency);
}

export async function selectUnitCost(tx: Tx, programmeId: string, id: string) {
  return tx
    .selectFrom('unit_costs as c')
    .innerJoin('unit_cost_libraries as l', 'l.id', 'c.library_id')
    .leftJoin('users as u', 'u.id', 'c.updated_by')
    .selectAll('c')
    .select([
      'l.name as library_name',
      'l.version_label as library_version_label',
      'l.version as library_version',
      'l.attribution as library_attribution',
      'l.licence as library_licence',
      'l.source as library_source',
      'u.name as updated_by_name',
    ])
    .where((eb) => eb.or([eb('c.programme_id', 'is', null), eb('c.programme_id', '=', programmeId)]))
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export type UnitCostRow = NonNullable<Awaited<ReturnType<typeof selectUnitCost>>>;

/** A shared cost looked up by its code in a library version (for tests and, later, rate cards). */
export async function selectUnitCostIdByCode(db: Db, libraryId: string, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('unit_costs').select('id').where('library_id', '=', libraryId).where('code', '=', code).executeTakeFirst();
  return row?.id;
}

/** Every price index series the programme may read, newest version first. */
export async function selectSeries(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('price_index_series')
    .select(['id', 'name', 'version_label', 'version', 'basis', 'base_year', 'source', 'licence'])
    .where((eb) => eb.or([eb('programme_id', 'is', null), eb('programme_id', '=', programmeId)]))
    .orderBy('name')
    .orderBy('version', 'desc')
    .execute();
}

export async function selectIndexValues(tx: Db, seriesId: string) {
  return tx.selectFrom('price_index_values').select(['year', 'index_value', 'forecast']).where('series_id', '=', seriesId).orderBy('year').execute();
}

// A programme's own costs -----------------------------------------------------------------------------------------

export async function selectLocalLibrary(tx: Tx, programmeId: string) {
  return tx.selectFrom('unit_cost_libraries').select(['id', 'name']).where('programme_id', '=', programmeId).orderBy('version', 'desc').executeTakeFirst();
}

export function selectLocalCostIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'unit_costs', { programmeId, formToken });
}

/** What a manager writes about a local cost: one fiscal value with its price year, and where it comes from. */
export interface LocalCostContent {
  code: string | null;
  description: string;
  unit: string;
  agencyL1: string;
  agencyL2: string | null;
  fiscalValue: string;
  priceYear: string;
  source: string;
  comment: string | null;
}

interface Written {
  programmeId: string;
  by: string;
  at: Date;
}

function contentColumns(c: LocalCostContent) {
  return {
    code: c.code,
    description: c.description,
    unit: c.unit,
    agency_l1: c.agencyL1,
    agency_l2: c.agencyL2,
    fiscal_value: c.fiscalValue,
    fiscal_price_year: c.priceYear,
    source: c.source,
    comment: c.comment,
  };
}

export async function insertLocalCost(tx: Tx, row: Written & { libraryId: string; formToken: string; content: LocalCostContent }): Promise<string> {
  const { id } = await tx
    .insertInto('unit_costs')
    .values({
      programme_id: row.programmeId,
      library_id: row.libraryId,
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

/** Saves a new version over `expectedVersion`; undefined when someone else saved first. */
export async function updateLocalCost(tx: Tx, row: Written & { costId: string; expectedVersion: number; content: LocalCostContent }): Promise<number | undefined> {
  const updated = await tx
    .updateTable('unit_costs')
    .set((eb) => ({ ...contentColumns(row.content), version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.costId)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return updated?.version;
}

export async function insertCostVersion(tx: Tx, row: Written & { costId: string; version: number; content: LocalCostContent }): Promise<void> {
  const { fiscal_price_year, fiscal_value, ...rest } = contentColumns(row.content);
  await tx
    .insertInto('unit_cost_versions')
    .values({
      programme_id: row.programmeId,
      unit_cost_id: row.costId,
      version: row.version,
      ...rest,
      fiscal_value,
      fiscal_price_year,
      saved_by: row.by,
      saved_at: row.at,
    })
    .execute();
}

/** Earlier versions of a local cost, newest first, with who saved each. */
export async function selectCostVersions(tx: Tx, programmeId: string, costId: string) {
  return tx
    .selectFrom('unit_cost_versions as v')
    .innerJoin('users as u', 'u.id', 'v.saved_by')
    .select(['v.version', 'v.fiscal_value', 'v.fiscal_price_year', 'v.description', 'v.unit', 'v.source', 'v.saved_at', 'u.name as saved_by_name'])
    .where('v.programme_id', '=', programmeId)
    .where('v.unit_cost_id', '=', costId)
    .orderBy('v.version', 'desc')
    .execute();
}

/** Is this code already used by another of the programme's own costs? */
export async function localCodeTaken(tx: Tx, libraryId: string, code: string, exceptId: string | null): Promise<boolean> {
  let query = tx.selectFrom('unit_costs').select('id').where('library_id', '=', libraryId).where(sql<boolean>`lower(code) = lower(${code})`);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}
