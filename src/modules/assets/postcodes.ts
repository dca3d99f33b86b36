import type { Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { normalisePostcode } from '../../core/http/fields.ts';

/**
 * Reading a postcode CSV: the ONS Postcode Directory's own file (a header naming pcds or pcd, lat and long among
 * dozens of other columns), or a simple postcode,latitude,longitude file. The admin's paste box and the command
 * line read rows the same way, here; each then writes them in batches with the same upsert.
 */

export interface PostcodeRow {
  postcode: string;
  /** Decimal degrees as text, as the file gave them (checked): numeric columns keep them exactly. */
  latitude: string;
  longitude: string;
}

/** csv-parse's options for both ways in: each record an array of fields, with its line number. */
export const CSV_OPTIONS = {
  bom: true,
  trim: true,
  skip_empty_lines: true,
  relax_column_count: true,
  info: true,
} as const satisfies Options;

/** One record as csv-parse gives it with `info: true`. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** How many of the reasons for skipping rows are kept to show. */
export const REASONS_SHOWN = 5;

/** The header's names for each column we need, best first: pcds is the postcode as written, "AB1 2CD". */
const COLUMN_NAMES = {
  postcode: ['pcds', 'pcd', 'pcd2', 'postcode'],
  latitude: ['lat', 'latitude'],
  longitude: ['long', 'longitude', 'lng', 'lon'],
} as const;

export class PostcodeCsvError extends Error {}

export const MISSING_COLUMNS =
  'The first line of the file must name its columns, including the postcode (pcds, pcd or postcode), the latitude (lat or latitude) and the longitude (long or longitude)';

type Columns = Record<keyof typeof COLUMN_NAMES, number>;

function columnsOf(header: string[]): Columns {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (wanted: readonly string[]) => {
    for (const name of wanted) {
      const at = names.indexOf(name);
      if (at !== -1) return at;
    }
    throw new PostcodeCsvError(MISSING_COLUMNS);
  };
  return { postcode: find(COLUMN_NAMES.postcode), latitude: find(COLUMN_NAMES.latitude), longitude: find(COLUMN_NAMES.longitude) };
}

const DECIMAL = /^-?\d{1,3}(\.\d+)?$/;

/** A coordinate with at most 6 decimal places (about 10 cm), as the table keeps it; undefined if out of range. */
function coordinate(text: string | undefined, limit: number): string | undefined {
  if (text === undefined || !DECIMAL.test(text)) return undefined;
  const value = Number(text);
  if (Math.abs(value) > limit) return undefined;
  const fraction = text.split('.')[1] ?? '';
  return fraction.length <= 6 ? text : value.toFixed(6);
}

/**
 * Reads a file's records one at a time: the first names the columns, each after it is a postcode to keep, or is
 * skipped with a reason (the first few reasons are kept to show).
 */
export class PostcodeReader {
  skipped = 0;
  readonly reasons: string[] = [];
  #columns: Columns | undefined;

  /** A row to write, or undefined for the header and for a row that is skipped. */
  read({ record, info }: CsvRecord): PostcodeRow | undefined {
    if (this.#columns === undefined) {
      this.#columns = columnsOf(record);
      return undefined;
    }
    const columns = this.#columns;
    const raw = record[columns.postcode] ?? '';
    const postcode = normalisePostcode(raw);
    if (postcode === undefined) {
      this.#skip(info.lines, raw === '' ? 'no postcode' : `“${raw.slice(0, 20)}” is not a full UK postcode`);
      return undefined;
    }
    const latitude = coordinate(record[columns.latitude], 90);
    const longitude = coordinate(record[columns.longitude], 180);
    // The ONS Postcode Directory gives a postcode with no known location a latitude of 99.999999.
    if (latitude === undefined || longitude === undefined) {
      this.#skip(info.lines, `${postcode} has no ${latitude === undefined ? 'latitude between -90 and 90' : 'longitude between -180 and 180'}`);
      return undefined;
    }
    return { postcode, latitude, longitude };
  }

  /** Whether the header has been read: a file with no lines at all has none. */
  get started(): boolean {
    return this.#columns !== undefined;
  }

  #skip(line: number, reason: string): void {
    this.skipped += 1;
    if (this.reasons.length < REASONS_SHOWN) this.reasons.push(`Line ${line}: ${reason}`);
  }
}

/** Reads pasted CSV text whole: every row to write, and the reader's count of skipped rows. */
export function readPostcodeText(text: string): { rows: PostcodeRow[]; reader: PostcodeReader } {
  const reader = new PostcodeReader();
  let records: CsvRecord[];
  try {
    records = parse(text, CSV_OPTIONS) as unknown as CsvRecord[];
  } catch (error) {
    throw new PostcodeCsvError(`The file could not be read as CSV: ${csvProblem(error)}`);
  }
  const rows: PostcodeRow[] = [];
  for (const record of records) {
    const row = reader.read(record);
    if (row !== undefined) rows.push(row);
  }
  if (!reader.started) throw new PostcodeCsvError(MISSING_COLUMNS);
  return { rows, reader };
}

/** csv-parse's message, which names the line, without anything it quotes from the file. */
export function csvProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = /line (\d+)/i.exec(message)?.[1];
  const what = /quote/i.test(message) ? 'a quoted field is not closed properly' : 'the rows are not in CSV format';
  return line === undefined ? what : `${what} (around line ${line})`;
}

/** The rows of one batch, each postcode once (the last row for it wins), and how many repeated an earlier one. */
export function oncePerPostcode(rows: readonly PostcodeRow[]): { rows: PostcodeRow[]; repeated: number } {
  const byPostcode = new Map<string, PostcodeRow>();
  for (const row of rows) byPostcode.set(row.postcode, row);
  return { rows: [...byPostcode.values()], repeated: rows.length - byPostcode.size };
}

/** How many rows the upsert writes at once: five parameters a row, well under PostgreSQL's limit. */
export const BATCH_SIZE = 1000;

export interface ImportSummary {
  added: number;
  updated: number;
  skipped: number;
  /** Rows whose postcode came again later in the same batch: the later row was kept. */
  repeated: number;
  reasons: string[];
}
