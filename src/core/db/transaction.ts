import { sql, type Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';

export type Tx = Transaction<Database>;

/** Who a transaction acts for: row-level security reads these settings. */
export interface Scope {
  programmeId: string | null;
  userId: string | null;
}

export const APP_ROLE = 'alongside_app';

/**
 * Every request-time query runs here: one transaction, as the application role (which owns nothing and is
 * bound by row-level security), with the programme and user set for the policies. Audit rows written inside
 * commit or roll back with the change they describe.
 */
export async function inTransaction<T>(db: Db, scope: Scope, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL ROLE alongside_app`.execute(tx);
    await sql`SELECT set_config('alongside.programme_id', ${scope.programmeId ?? ''}, true),
                     set_config('alongside.user_id', ${scope.userId ?? ''}, true)`.execute(tx);
    return work(tx);
  });
}
