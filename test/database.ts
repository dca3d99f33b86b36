import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { hashPassword } from '../src/core/auth/password.ts';
import { openDatabase, wrapPglite, type OpenDatabase } from '../src/core/db/database.ts';
import type { Database } from '../src/core/db/schema.ts';
import { migrateToLatest } from '../src/core/db/migrate.ts';
import { DEMO_PROGRAMME, seedDemoProgramme } from '../seeds/demo.ts';
import { seedSharedUnitCosts } from '../src/modules/impact/unit-cost-import.ts';

/** The password of every account in a test database. */
export const TEST_PASSWORD = 'walking alongside 2026';

/** A second programme in every test database, so every test can check that programmes stay apart. */
export const OTHER_PROGRAMME = { name: 'Eastmoor Local Area Coordination', council: 'Eastmoor District Council', brandColour: '#5a2d82' };
export const OTHER_DOMAIN = 'eastmoor.example';

export type TestEngine = 'pglite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env.ALONGSIDE_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
}

/** What every test database holds before a test adds anything: the schema, the demo programme and a second one. */
export async function prepareContents(db: Kysely<Database>): Promise<void> {
  await migrateToLatest(db);
  const hash = await hashPassword(TEST_PASSWORD);
  await seedDemoProgramme(db, hash, DEMO_PROGRAMME);
  await seedDemoProgramme(db, hash, OTHER_PROGRAMME, OTHER_DOMAIN);
  // The shared unit-cost library, as on a first start: about a second and a half, once per run.
  await seedSharedUnitCosts(db, new Date('2026-01-01T00:00:00Z'));
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL must be set to test against PostgreSQL');
  return url;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function onAdmin<T>(work: (admin: Kysely<Database>) => Promise<T>): Promise<T> {
  const admin = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl(), max: 1 }) }) });
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

/** Makes the template every test file copies: once per run, by the runner. Returns how to reach it. */
export async function createTemplate(engine: TestEngine, where: string): Promise<void> {
  if (engine === 'pglite') {
    const lite = await PGlite.create();
    const open = wrapPglite(lite);
    await prepareContents(open.db);
    const dump = await lite.dumpDataDir('none');
    await writeFile(where, Buffer.from(await dump.arrayBuffer()));
    await open.close();
    return;
  }
  await dropTemplate(where);
  await onAdmin((admin) => sql`CREATE DATABASE ${sql.id(where)}`.execute(admin));
  const open = await openDatabase({ kind: 'postgres', url: withDatabaseName(adminUrl(), where) });
  try {
    await prepareContents(open.db);
  } finally {
    await open.close();
  }
}

export async function dropTemplate(name: string): Promise<void> {
  await onAdmin((admin) => sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin));
}

/**
 * A database of its own for one test file, copied from the run's template (or, when a file is run on its own,
 * made from scratch). Closing it on PostgreSQL drops it.
 */
export async function testDatabase(): Promise<OpenDatabase> {
  if (testEngine() === 'pglite') {
    const template = process.env.ALONGSIDE_TEST_PGLITE_TEMPLATE;
    if (template === undefined) {
      const open = wrapPglite(await PGlite.create());
      await prepareContents(open.db);
      return open;
    }
    const lite = await PGlite.create({ loadDataDir: new Blob([await readFile(template)]) });
    return wrapPglite(lite);
  }
  const name = `alongside_test_${randomBytes(6).toString('hex')}`;
  const template = process.env.ALONGSIDE_TEST_PG_TEMPLATE;
  await onAdmin((admin) =>
    template === undefined
      ? sql`CREATE DATABASE ${sql.id(name)}`.execute(admin)
      : sql`CREATE DATABASE ${sql.id(name)} TEMPLATE ${sql.id(template)}`.execute(admin),
  );
  const open = await openDatabase({ kind: 'postgres', url: withDatabaseName(adminUrl(), name) });
  if (template === undefined) await prepareContents(open.db);
  return {
    ...open,
    close: async () => {
      await open.close();
      await onAdmin((admin) => sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin));
    },
  };
}
