import { actorFor, scopeOf } from '../auth/acting.ts';
import type { CurrentUser } from '../auth/can.ts';
import type { Clock } from '../clock.ts';
import { inTransaction, type Tx, type Scope } from '../db/transaction.ts';
import type { Db } from '../db/database.ts';
import type { FormErrors } from '../http/forms.ts';
import { record } from './audit.ts';

/**
 * How a unit of work went, when not simply as asked: the same three notes as a person's record takes (see
 * withPerson in the people module). Detail is never personal data: ids, counts and field names only.
 */
export interface WorkNote {
  /** The form had problems, or was overtaken by someone else's save: nothing was changed. */
  failed(detail: Record<string, unknown>): void;
  /** Something named in the request is not there, or not this user's to touch: refused, as if not found. */
  denied(detail: Record<string, unknown>): void;
  /** Ids and counts worth keeping with the row, such as the record the work created. */
  add(detail: Record<string, unknown>): void;
}

/** What a failed save records: the fields with problems (never their values), or simply that there were some. */
export function formProblems(form?: { ok: false; errors: FormErrors }): Record<string, unknown> {
  return form === undefined ? { reason: 'form had problems' } : { reason: 'form had problems', fields: Object.keys(form.errors) };
}

/** What a save refused because someone else saved first records. */
export const CHANGED_MEANWHILE = { reason: 'changed by someone else first' } as const;

/**
 * A note for one unit of work, and what it gathered: the outcome (a refusal stays a refusal, whatever else failed)
 * and the detail for the audit row. Every audited way in (a person's record, an asset, a programme record) keeps
 * its notes this way.
 */
export function noteTaker(): { note: WorkNote; outcome: () => 'allowed' | 'failed' | 'denied'; detail: Record<string, unknown> } {
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
  return { note, outcome: () => outcome, detail };
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
    const { note, outcome, detail } = noteTaker();
    const result = await work(tx, note);
    await record(tx, actorFor(deps, user, requestId), { action, outcome: outcome(), detail });
    return result;
  });
}
