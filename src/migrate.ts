import { randomBytes } from 'node:crypto';
import { loadConfig } from './core/config.ts';
import { openDatabase } from './core/db/database.ts';
import { migrateToLatest } from './core/db/migrate.ts';

/** `npm run migrate`: brings the configured database up to date and says what ran. */
const config = loadConfig(process.env, () => randomBytes(32).toString('hex'));
const database = await openDatabase(config.database);
try {
  const results = await migrateToLatest(database.db);
  const ran = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  process.stdout.write(ran.length === 0 ? 'The database is up to date.\n' : `Applied: ${ran.join(', ')}\n`);
} finally {
  await database.close();
}
