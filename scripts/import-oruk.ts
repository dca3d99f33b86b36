import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock.ts';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase } from '../src/core/db/database.ts';
import { migrateToLatest } from '../src/core/db/migrate.ts';
import { IMPORT_CATEGORIES } from '../src/modules/oruk/schemas.ts';
import { commandLineImporter, importOpenReferral, ImportTargetError } from '../src/modules/oruk/service.ts';

/**
 * `npm run import:oruk -- file.json --programme <name> --area <name> [--public] [--category organisation] [--by <email>]`
 * imports an Open Referral UK document into a programme's community assets, as the import page does (the same
 * function, the same audit row), for documents too large to paste. It runs as a manager of the programme: the
 * one named with --by, or the programme's only manager.
 */
const USAGE =
  'Usage: npm run import:oruk -- file.json --programme <name> --area <neighbourhood> [--public] [--category <kind>] [--by <manager email>]\n' +
  `  --category is the kind of asset for services whose document does not say: ${IMPORT_CATEGORIES.join(', ')} (default organisation)\n` +
  '  --public lets the imported assets appear in the public directory\n';

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      programme: { type: 'string' },
      area: { type: 'string' },
      category: { type: 'string', default: 'organisation' },
      public: { type: 'boolean', default: false },
      by: { type: 'string' },
    },
  });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1 || values.programme === undefined || values.area === undefined) {
    throw new UsageError('Name one file, the programme and the neighbourhood.');
  }
  const category = IMPORT_CATEGORIES.find((c) => c === values.category);
  if (category === undefined) throw new UsageError(`--category must be one of: ${IMPORT_CATEGORIES.join(', ')}`);
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }

  const config = loadConfig(process.env, () => randomBytes(32).toString('hex'));
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const deps = { db: database.db, clock: systemClock };
    const target = await commandLineImporter(deps, { programmeName: values.programme, areaName: values.area, byEmail: values.by });
    const result = await importOpenReferral(deps, target.importer, {
      document,
      areaId: target.areaId,
      category,
      public: values.public,
      formToken: randomUUID(),
    });
    switch (result.kind) {
      case 'imported': {
        const { summary } = result;
        process.stdout.write(
          `Imported into ${target.programme.name}, ${summary.areaName}, as ${target.manager.name} <${target.manager.email}>: ` +
            `${summary.created} created, ${summary.updated} updated, ${summary.skipped} skipped.\n`,
        );
        for (const line of summary.lines) {
          const notes = line.notes.length === 0 ? '' : `: ${line.notes.join('. ')}`;
          process.stdout.write(`  ${line.outcome.padEnd(8)} ${line.label}${notes}\n`);
        }
        break;
      }
      case 'not-a-document':
        throw new UsageError(result.message);
      case 'unknown-area':
      case 'already-imported':
        // Neither can happen here: the area was just found, and the form token is new.
        throw new Error(`The import could not be done (${result.kind})`);
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ImportTargetError;
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${known ? USAGE : ''}`);
  process.exitCode = 1;
});
