import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../migrations/index.ts';

function migrator<DB>(db: Kysely<DB>): Migrator {
  // The migrator keeps its own bookkeeping tables and needs none of the app's table types.
  return new Migrator({ db: db as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
}

/** Runs every pending migration, as the owner of the tables. Throws with the failing migration's name. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResultSet['results']> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }
  return results;
}

/** The newest migration applied, for /health. */
export async function currentMigration<DB>(db: Kysely<DB>): Promise<string | null> {
  const all = await migrator(db).getMigrations();
  const applied = all.filter((m) => m.executedAt !== undefined);
  return applied.at(-1)?.name ?? null;
}
