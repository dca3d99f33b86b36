import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface OpenDatabase {
  db: Db;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// Dates stay as 'YYYY-MM-DD' text: a calendar date has no time zone, and turning it into a JS Date invents one.
const DATE_OID = 1082;
const builtInParser = pg.types.getTypeParser as (oid: number, format: 'text' | 'binary') => (value: string) => unknown;
const types = {
  getTypeParser: (oid: number, format: 'text' | 'binary' = 'text') =>
    oid === DATE_OID ? (value: string) => value : builtInParser(oid, format),
};

/** One driver path for both engines: node-postgres over a real PostgreSQL, or over PGlite's own adapter. */
export async function openDatabase(database: Config['database']): Promise<OpenDatabase> {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 10, types });
    // A connection the server closes while it waits in the pool (a restart, a failover, an administrator) is an
    // 'error' on the pool: unheard, it would end the process. The pool has already let that connection go and the
    // next query opens another, so it is said, not thrown.
    pool.on('error', (error) => {
      process.emitWarning(`A database connection waiting in the pool was closed: ${error.message}`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  await mkdir(database.dataDir, { recursive: true });
  const lite = await PGlite.create({ dataDir: database.dataDir });
  return wrapPglite(lite);
}

/** PGlite is one backend session: a pool of one connection, so a transaction is never interleaved. */
export function wrapPglite(lite: PGlite): OpenDatabase {
  const pool = new pg.Pool(Object.assign(createPgConfig(lite), { types }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy();
      await lite.close();
    },
  };
}

/** Is the database answering at all: for /health. */
export async function ping(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
