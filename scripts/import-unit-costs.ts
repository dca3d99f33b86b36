import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase } from '../src/core/db/database.ts';
import { migrateToLatest } from '../src/core/db/migrate.ts';
import { GMCA_LIBRARY, PRICE_SERIES, importGmcaLibrary, importPriceSeries, seedSharedUnitCosts } from '../src/modules/impact/unit-cost-import.ts';

/**
 * `npm run import:unit-costs` imports the shared unit-cost library (the GMCA workbook) and both deflator series into
 * the configured database if it has none yet. `-- --new-version [--file workbook.xlsx]` imports the workbook again
 * as a new version, and `-- --series` the deflator tables: earlier versions are kept as they were, so reports made
 * with them keep their figures.
 */
const USAGE = 'Usage: npm run import:unit-costs [-- --new-version [--file workbook.xlsx]] [-- --series]\n';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'new-version': { type: 'boolean' }, file: { type: 'string' }, series: { type: 'boolean' } } });
  if (values.file !== undefined && values['new-version'] !== true) throw new Error('--file goes with --new-version');
  const config = loadConfig(process.env, () => randomBytes(32).toString('hex'));
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const at = new Date();
    const lines: string[] = [];
    if (values['new-version'] === true) {
      const library = await importGmcaLibrary(database.db, { at, by: null }, values.file ?? GMCA_LIBRARY.file);
      lines.push(`${GMCA_LIBRARY.name} ${GMCA_LIBRARY.versionLabel}, import ${library.version}: ${library.costs} unit costs`);
    }
    if (values.series === true) {
      for (const spec of PRICE_SERIES) {
        const series = await importPriceSeries(database.db, spec, { at, by: null });
        lines.push(`${spec.name}, import ${series.version}: ${series.years} years`);
      }
    }
    lines.push(...(await seedSharedUnitCosts(database.db, at)));
    process.stdout.write(lines.length === 0 ? 'The shared unit-cost library and price series are already there: nothing imported.\n' : `Imported:\n  ${lines.join('\n  ')}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exitCode = 1;
});
