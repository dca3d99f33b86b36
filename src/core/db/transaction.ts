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
    // Days are UK days: where a query compares a moment with a date (saved by the end of a month, a status changed
    // before a day), the date's midnight is London's, as the pages' dates are, not the server's.
    await sql`SELECT set_config('alongside.programme_id', ${scope.programmeId ?? ''}, true),
                     set_config('alongside.user_id', ${scope.userId ?? ''}, true),
                     set_config('TimeZone', 'Europe/London', true)`.execute(tx);
    return work(tx);
  });
}
