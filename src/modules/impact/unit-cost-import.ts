import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import ExcelJS from 'exceljs';
import { record } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/database.ts';
import {
  insertImportedCosts,
  insertIndexValues,
  insertLibrary,
  insertSeries,
  nextSharedLibraryVersion,
  nextSharedSeriesVersion,
  selectSharedLibraryVersions,
  selectSharedSeriesNames,
} from './unit-cost-queries.ts';
import { RAG_RATINGS, type IndexBasis, type RagRating } from './unit-cost-tables.ts';

/**
 * Reading the published unit-cost sources as they are (the GMCA workbook, the deflator tables) and importing each
 * as a new shared version. Nothing already imported is changed: reports keep the figures they were made with.
 */

export const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../../reference/unit-costs');

/** The GMCA Unit Cost Database as published, and the words its licence asks to be shown with its figures. */
export const GMCA_LIBRARY = {
  name: 'Unit Cost Database',
  versionLabel: 'v1.4',
  file: path.join(REFERENCE_DIR, 'gmca-unit-cost-database-v1.4.xlsx'),
  source: 'New Economy / Greater Manchester Combined Authority, Unit Cost Database v1.4 (March 2015), gmca-unit-cost-database-v1.4.xlsx',
  attribution: 'Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0',
  licence: 'Creative Commons Attribution 4.0 (CC BY 4.0)',
} as const;

/** The sheets that hold costs, in the workbook's order; the others are guidance, lookups and the update log. */
export const GMCA_SHEETS = ['Crime', 'Education & Skills', 'Employment & Economy', 'Fire', 'Health', 'Housing', 'Social Services'] as const;

/** What a price series says about itself, wherever its values come from. */
export interface SeriesMeta {
  name: string;
  versionLabel: string;
  basis: IndexBasis;
  baseYear: string;
  source: string;
  licence: string;
}

/** A published deflator table, read from its file. */
export interface PriceSeriesSpec extends SeriesMeta {
  file: string;
  yearColumn: string;
  indexColumn: string;
  /** A column saying 'forecast' for years that were not yet outturn when the series was published. */
  statusColumn?: string;
}

/** A financial-year series made from two published ones, joined at one year (see linkSeries). */
export interface LinkedSeriesSpec extends SeriesMeta {
  older: PriceSeriesSpec;
  newer: PriceSeriesSpec;
  linkYear: string;
}

export type SeriesSpec = PriceSeriesSpec | LinkedSeriesSpec;

const BUDGET_2015: PriceSeriesSpec = {
  name: 'GDP deflators (HM Treasury, Budget 2015)',
  versionLabel: 'March 2015',
  basis: 'financial-year',
  baseYear: '1989/90',
  file: path.join(REFERENCE_DIR, 'gdp-deflators-budget-2015.csv'),
  yearColumn: 'financial_year',
  indexColumn: 'index_1989_90_eq_100',
  statusColumn: 'status',
  source: 'HM Treasury GDP deflators at market prices, March 2015 Budget: the series the Unit Cost Database v1.4 uprates with',
  licence: 'Open Government Licence v3.0',
};

const HMT_2025: PriceSeriesSpec = {
  name: 'GDP deflators (HM Treasury, December 2025)',
  versionLabel: 'December 2025 Quarterly National Accounts',
  basis: 'calendar-year',
  baseYear: '2024',
  file: path.join(REFERENCE_DIR, 'gdp-deflators-hmt-dec-2025-calendar.csv'),
  yearColumn: 'calendar_year',
  indexColumn: 'index_2024_eq_100',
  source: 'HM Treasury GDP deflators at market prices, December 2025 Quarterly National Accounts (outturn)',
  licence: 'Open Government Licence v3.0',
};

/**
 * The deflators the workbook itself uprates with (its Lookups sheet); HM Treasury's latest (calendar years); and the
 * two joined as financial years, so that the workbook's costs, priced in financial years, can be shown in recent
 * years' prices. The first is the default: it reproduces the workbook's own figures.
 */
export const PRICE_SERIES: readonly SeriesSpec[] = [
  BUDGET_2015,
  HMT_2025,
  {
    name: 'GDP deflators (Budget 2015 to 2015/16, then HM Treasury December 2025)',
    versionLabel: 'December 2025, joined at 2015/16',
    basis: 'financial-year',
    baseYear: '1989/90',
    older: BUDGET_2015,
    newer: HMT_2025,
    linkYear: '2015/16',
    source:
      'To 2015/16, the Budget 2015 deflators the Unit Cost Database uprates with, unchanged. After it, HM Treasury’s December 2025 deflators: each financial year is taken as three quarters of the calendar year it starts in and a quarter of the next, and its growth since 2015/16 is carried on from the Budget 2015 index for 2015/16.',
    licence: 'Open Government Licence v3.0',
  },
];

/** A value with the year whose prices it is in. Amounts are decimal text, exactly as published. */
export interface PricedValue {
  value: string;
  priceYear: string;
}

/** One cost line of the workbook. */
export interface ImportedCost {
  sheet: string;
  row: number;
  category: string | null;
  detail: string | null;
  code: string | null;
  description: string;
  unit: string;
  agencyL1: string | null;
  agencyL2: string | null;
  fiscal: PricedValue | null;
  economic: PricedValue | null;
  social: PricedValue | null;
  source: string | null;
  sourceUrl: string | null;
  rag: RagRating | null;
  comment: string | null;
}

/** The workbook is not laid out as the published one is, or a row cannot be read: nothing is imported. */
export class UnitCostImportError extends Error {}

const PRICE_YEAR = /^\d{4}(\/\d{2})?$/;

/** A cell's text as a reader sees it: rich text joined, a link's words, a formula's cached result. */
function cellText(value: ExcelJS.CellValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return cellText(value.richText.map((part) => part.text).join(''));
  if ('hyperlink' in value) return cellText(value.text);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result);
  return null;
}

function cellLink(value: ExcelJS.CellValue): string | null {
  return typeof value === 'object' && value !== null && 'hyperlink' in value && value.hyperlink.trim() !== '' ? value.hyperlink.trim() : null;
}

/**
 * A number as decimal text. The workbook holds binary floats; the shortest text that reads back as the same float
 * is the figure as it was typed (51080, 162.44), which decimal arithmetic then uses exactly.
 */
function cellAmount(value: ExcelJS.CellValue, where: string): string | null {
  const text = cellText(value);
  if (text === null) return null;
  if (!Number.isFinite(Number(text)) || !/^-?[\d.]+(e-?\d+)?$/i.test(text)) throw new UnitCostImportError(`${where} is not a number: "${text}"`);
  return new Decimal(text).toString();
}

interface Columns {
  category: number;
  detail: number;
  code: number;
  description: number;
  unit: number;
  agencyL1: number;
  agencyL2: number;
  fiscal: [number, number];
  economic: [number, number];
  social: [number, number];
  source: number;
  rag: number;
  comment: number;
}

/** Finds each column by its two header rows, so the import reads the published layout or refuses clearly. */
function columnsOf(sheet: ExcelJS.Worksheet): Columns {
  const header = (row: number, column: number) => (cellText(sheet.getRow(row).getCell(column).value) ?? '').replace(/\s+/g, ' ');
  const find = (top: RegExp, sub: RegExp, nth = 0): number => {
    const found: number[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) if (top.test(header(1, c)) && sub.test(header(2, c))) found.push(c);
    const column = found[nth];
    if (column === undefined) throw new UnitCostImportError(`The sheet "${sheet.name}" has no column headed ${String(top)} / ${String(sub)}: is this the published workbook?`);
    return column;
  };
  const priced = (group: RegExp): [number, number] => [find(group, /^Estimated cost/), find(group, /^Year$/)];
  return {
    category: find(/^Outcome category$/, /^Outcome category$/),
    detail: find(/^Outcome detail$/, /^Outcome detail$/),
    code: find(/^Cost code$/, /^Cost code$/),
    description: find(/^Cost \/ saving detail$/, /^Cost \/ saving detail$/),
    unit: find(/^Unit$/, /^Unit$/),
    agencyL1: find(/^Agency bearing the cost/, /^Level 1$/),
    agencyL2: find(/^Agency bearing the cost/, /^Level 2$/),
    fiscal: priced(/^Fiscal (cost|value)$/i),
    economic: priced(/^Economic (cost|value)$/i),
    social: priced(/^Social (cost|value)$/i),
    source: find(/^Original source$/, /^Original source$/),
    rag: find(/^RAG assessment$/, /^RAG assessment$/),
    comment: find(/^Comment$/, /^Comment$/),
  };
}

function readSheet(sheet: ExcelJS.Worksheet): ImportedCost[] {
  const columns = columnsOf(sheet);
  const costs: ImportedCost[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber <= 2) return;
    const value = (column: number) => row.getCell(column).value;
    const text = (column: number) => cellText(value(column));
    const code = text(columns.code);
    const where = `${sheet.name} row ${rowNumber}${code === null ? '' : ` (${code})`}`;
    const priced = ([amountColumn, yearColumn]: [number, number], kind: string): PricedValue | null => {
      const amount = cellAmount(value(amountColumn), `The ${kind} value in ${where}`);
      const year = text(yearColumn);
      if (amount === null) return null;
      if (year === null || !PRICE_YEAR.test(year)) throw new UnitCostImportError(`The ${kind} value in ${where} has no price year like 2013/14`);
      return { value: amount, priceYear: year };
    };
    const fiscal = priced(columns.fiscal, 'fiscal');
    const economic = priced(columns.economic, 'economic');
    const social = priced(columns.social, 'social');
    // Rows with neither a code nor a value are sub-headings and notes. One cost in v1.4 (Crime row 58, police
    // costs per crime) has a value but only a space for its code: it is a cost, kept without a code.
    if (code === null && fiscal === null && economic === null && social === null) return;
    const rag = text(columns.rag);
    if (rag !== null && !(RAG_RATINGS as readonly string[]).includes(rag)) throw new UnitCostImportError(`The RAG rating in ${where} is "${rag}", not R, A or G`);
    const description = text(columns.description);
    const unit = text(columns.unit);
    if (description === null || unit === null) throw new UnitCostImportError(`${where} has no description or no unit`);
    costs.push({
      sheet: sheet.name,
      row: rowNumber,
      category: text(columns.category),
      detail: text(columns.detail),
      code,
      description,
      unit,
      agencyL1: text(columns.agencyL1),
      agencyL2: text(columns.agencyL2),
      fiscal,
      economic,
      social,
      source: text(columns.source),
      sourceUrl: cellLink(value(columns.source)),
      rag: rag as RagRating | null,
      comment: text(columns.comment),
    });
  });
  return costs;
}

/** Every cost line (a row with a code or a value) of the cost sheets of the GMCA workbook, in the workbook's order. */
export async function readGmcaWorkbook(file: string = GMCA_LIBRARY.file): Promise<ImportedCost[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return GMCA_SHEETS.flatMap((name) => {
    const sheet = workbook.getWorksheet(name);
    if (sheet === undefined) throw new UnitCostImportError(`The workbook has no sheet "${name}": is this the published Unit Cost Database?`);
    return readSheet(sheet);
  });
}

export interface IndexPoint {
  year: string;
  index: string;
  forecast: boolean;
}

/** A deflator table's years and index values, as published. */
export async function readPriceSeries(spec: PriceSeriesSpec): Promise<IndexPoint[]> {
  const rows = parse<Record<string, string>>(await readFile(spec.file), { columns: true, skip_empty_lines: true, trim: true });
  const yearShape = spec.basis === 'financial-year' ? /^\d{4}\/\d{2}$/ : /^\d{4}$/;
  return rows.map((row, i) => {
    const year = row[spec.yearColumn] ?? '';
    const index = row[spec.indexColumn] ?? '';
    if (!yearShape.test(year)) throw new UnitCostImportError(`Line ${i + 2} of ${path.basename(spec.file)}: "${year}" is not a ${spec.basis}`);
    if (!/^\d+(\.\d+)?$/.test(index) || new Decimal(index).isZero()) throw new UnitCostImportError(`Line ${i + 2} of ${path.basename(spec.file)}: "${index}" is not an index above zero`);
    const status = spec.statusColumn === undefined ? '' : (row[spec.statusColumn] ?? '');
    return { year, index, forecast: status === 'forecast' };
  });
}

const [THREE_QUARTERS, QUARTER] = [new Decimal('0.75'), new Decimal('0.25')];

/**
 * A financial-year series from an older financial-year one and a newer calendar-year one. Up to and including the
 * link year the older series' values are kept exactly, so every figure the older series gave stays as it was. For
 * each later financial year Y/Y+1 the newer series gives ¾·index(Y) + ¼·index(Y+1) (April to March is three quarters
 * of one calendar year and one of the next), and the older series' link-year index is carried forward by that
 * growth. A year the newer series cannot make (its next calendar year is not out yet) is left out, not guessed.
 */
export function linkSeries(older: readonly IndexPoint[], newer: readonly IndexPoint[], linkYear: string): IndexPoint[] {
  const calendar = new Map(newer.map((p) => [Number(p.year), new Decimal(p.index)]));
  const financialYear = (year: string): Decimal | undefined => {
    const start = Number(year.slice(0, 4));
    const [first, next] = [calendar.get(start), calendar.get(start + 1)];
    return first === undefined || next === undefined ? undefined : first.times(THREE_QUARTERS).plus(next.times(QUARTER));
  };
  const link = older.find((p) => p.year === linkYear);
  const linkInNewer = financialYear(linkYear);
  if (link === undefined || linkInNewer === undefined) throw new UnitCostImportError(`Both series need ${linkYear} to be joined there`);
  const kept = older.filter((p) => p.year <= linkYear);
  const later: IndexPoint[] = [];
  for (let start = Number(linkYear.slice(0, 4)) + 1; ; start += 1) {
    const year = `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
    const index = financialYear(year);
    if (index === undefined) break;
    later.push({ year, index: new Decimal(link.index).times(index).dividedBy(linkInNewer).toString(), forecast: false });
  }
  return [...kept, ...later];
}

/** A series' years and values: read from its table, or made from the two it joins. */
export async function seriesPoints(spec: SeriesSpec): Promise<IndexPoint[]> {
  if ('file' in spec) return readPriceSeries(spec);
  return linkSeries(await readPriceSeries(spec.older), await readPriceSeries(spec.newer), spec.linkYear);
}

/** Who imported, and when: no one (the system) on first start and from the import script. */
export interface ImportBy {
  at: Date;
  by: string | null;
}

/** Imports the GMCA workbook as a new version of the shared library. */
export async function importGmcaLibrary(db: Db, by: ImportBy, file: string = GMCA_LIBRARY.file): Promise<{ libraryId: string; version: number; costs: number }> {
  const costs = await readGmcaWorkbook(file);
  return db.transaction().execute(async (tx) => {
    const version = await nextSharedLibraryVersion(tx, GMCA_LIBRARY.name);
    const libraryId = await insertLibrary(tx, { ...GMCA_LIBRARY, programmeId: null, version, importedAt: by.at, importedBy: by.by });
    await insertImportedCosts(tx, libraryId, costs, by.at);
    await record(tx, { userId: by.by, programmeId: null, requestId: null, at: by.at }, { action: 'unit-costs.import', detail: { libraryId, version, costs: costs.length } });
    return { libraryId, version, costs: costs.length };
  });
}

/** Imports one deflator table as a new version of a shared price index series. */
export async function importPriceSeries(db: Db, spec: SeriesSpec, by: ImportBy): Promise<{ seriesId: string; version: number; years: number }> {
  const points = await seriesPoints(spec);
  return db.transaction().execute(async (tx) => {
    const version = await nextSharedSeriesVersion(tx, spec.name);
    const seriesId = await insertSeries(tx, { ...spec, programmeId: null, version, importedAt: by.at, importedBy: by.by });
    await insertIndexValues(tx, seriesId, points);
    await record(tx, { userId: by.by, programmeId: null, requestId: null, at: by.at }, { action: 'price-index.import', detail: { seriesId, version, years: points.length } });
    return { seriesId, version, years: points.length };
  });
}

/**
 * The default library and both deflator series, on a database that has none yet (first start, a new test
 * database). Anything already there is left alone. Says what it added.
 */
export async function seedSharedUnitCosts(db: Db, at: Date): Promise<string[]> {
  const added: string[] = [];
  if ((await selectSharedLibraryVersions(db, GMCA_LIBRARY.name)).length === 0) {
    const library = await importGmcaLibrary(db, { at, by: null });
    added.push(`${GMCA_LIBRARY.name} ${GMCA_LIBRARY.versionLabel}: ${library.costs} unit costs`);
  }
  const seriesThere = new Set(await selectSharedSeriesNames(db));
  for (const spec of PRICE_SERIES) {
    if (seriesThere.has(spec.name)) continue;
    const series = await importPriceSeries(db, spec, { at, by: null });
    added.push(`${spec.name}: ${series.years} years`);
  }
  return added;
}
