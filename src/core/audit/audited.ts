import { actorFor, scopeOf } from '../auth/acting.ts';
import type { CurrentUser } from '../auth/can.ts';
import type { Clock } from '../clock.ts';
import { inTransaction, type Tx, type Scope } from '../db/transaction.ts';
import type { Db } from '../db/database.ts';
import { record } from './audit.ts';

/**
 * How a unit of work went, when not simply as asked: the same three notes as a person's record takes (see
 * AccessNote in the people module). Detail is never personal data: ids, counts and field names only.
 */
export interface WorkNote {
  /** The form had problems, or was overtaken by someone else's save: nothing was changed. */
  failed(detail: Record<string, unknown>): void;
  /** Something named in the request is not there, or not this user's to touch: refused, as if not found. */
  denied(detail: Record<string, unknown>): void;
  /** Ids and counts worth keeping with the row, such as the record the work created. */
  add(detail: Record<string, unknown>): void;
}

/**
 * One transaction with one audit row written after the work, saying how it went: for programme records that are not
 * a person's (a scheme, an initiative, a barrier) and for lists of many people (the row has counts, never names).
 * The row commits with the work or not at all; if the work throws, neither is kept.
 */
export async function audited<T>(
  deps: { db: Db; clock: Clock },
  user: CurrentUser,
  action: string,
  requestId: string,
  work: (tx: Tx, note: WorkNote) => Promise<T>,
): Promise<T> {
  const scope: Scope = scopeOf(user);
  return inTransaction(deps.db, scope, async (tx) => {
    let outcome: 'allowed' | 'failed' | 'denied' = 'allowed';
    const detail: Record<string, unknown> = {};
    const note: WorkNote = {
      failed: (d) => {
        if (outcome === 'allowed') outcome = 'failed';
        Object.assign(detail, d);
      },
      denied: (d) => {
        outcome = 'denied';
        Object.assign(detail, d);
      },
      add: (d) => Object.assign(detail, d),
    };
    const result = await work(tx, note);
    await record(tx, actorFor(deps, user, requestId), { action, outcome, detail });
    return result;
  });
}
