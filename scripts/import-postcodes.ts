import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase } from '../src/core/db/database.ts';
import { migrateToLatest } from '../src/core/db/migrate.ts';
import { BATCH_SIZE, CSV_OPTIONS, MISSING_COLUMNS, PostcodeCsvError, PostcodeReader, csvProblem, type CsvRecord, type PostcodeRow } from '../src/modules/assets/postcodes.ts';
import { DEFAULT_POSTCODE_SOURCE, writePostcodes } from '../src/modules/assets/service.ts';

/**
 * `npm run import:postcodes -- file.csv [--source "ONS Postcode Directory, February 2026"]` adds or updates the
 * postcode list of the configured database (PGlite in ./data, or DATABASE_URL) from a CSV file in the ONS Postcode
 * Directory's format, or postcode,latitude,longitude. The file is streamed, so the whole directory (2.7 million
 * rows) imports in batches; running it again updates rather than duplicates. The same reader and upsert as the
 * admin's paste box.
 */
const USAGE = 'Usage: npm run import:postcodes -- file.csv [--source "where the file came from"]\n';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { source: { type: 'string' } }, allowPositionals: true });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(process.env, () => randomBytes(32).toString('hex'));
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const source = values.source ?? DEFAULT_POSTCODE_SOURCE;
    const now = new Date();
    const reader = new PostcodeReader();
    const total = { added: 0, updated: 0, repeated: 0 };
    let batch: PostcodeRow[] = [];
    const flush = async () => {
      const written = await writePostcodes(database.db, batch, source, now);
      total.added += written.added;
      total.updated += written.updated;
      total.repeated += written.repeated;
      batch = [];
    };
    try {
      const parser = parse(CSV_OPTIONS);
      // pipe() does not pass a read error on (a missing file): the parser is ended with it instead.
      createReadStream(file)
        .on('error', (error) => parser.destroy(error))
        .pipe(parser);
      for await (const record of parser) {
        const row = reader.read(record as CsvRecord);
        if (row !== undefined) batch.push(row);
        if (batch.length >= BATCH_SIZE) await flush();
      }
    } catch (error) {
      if (error instanceof PostcodeCsvError) throw error;
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') throw new PostcodeCsvError(`There is no file ${file}`);
      throw new PostcodeCsvError(`The file could not be read as CSV: ${csvProblem(error)}`);
    }
    if (!reader.started) throw new PostcodeCsvError(MISSING_COLUMNS);
    await flush();
    process.stdout.write(`${total.added} added, ${total.updated} updated, ${reader.skipped} skipped`);
    process.stdout.write(total.repeated > 0 ? `, ${total.repeated} repeated later in the file (the later row was used).\n` : '.\n');
    for (const reason of reader.reasons) process.stdout.write(`  ${reason}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
