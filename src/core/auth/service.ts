import type { Clock } from '../clock.ts';
import { MINUTE } from '../clock.ts';
import { record, type Actor } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import type { CurrentUser } from './can.ts';
import { verifyDecoy, verifyPassword } from './password.ts';
import {
  deleteExpiredSessions,
  deleteSessionsOfUser,
  deleteSignInFailures,
  selectMemberships,
  selectSignedInUser,
  selectSignInFailures,
  selectUserByEmail,
  upsertSignInFailure,
} from './queries.ts';

export const MAX_FAILURES = 6;
export const THROTTLE_WINDOW_MS = 15 * MINUTE;

export interface Membership {
  programmeId: string;
  programmeName: string;
  council: string;
  role: Role;
}

export type SignInResult =
  | { kind: 'signed-in'; userId: string; memberships: Membership[] }
  | { kind: 'refused' }
  | { kind: 'throttled' };

interface Deps {
  db: Db;
  clock: Clock;
}

const noScope = { programmeId: null, userId: null };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks an email and password. Unknown emails, disabled accounts and wrong passwords look the same from
 * outside (same message, same work done), and after six failures in fifteen minutes the email is throttled.
 */
export async function signIn(deps: Deps, emailInput: string, password: string, requestId: string): Promise<SignInResult> {
  const email = normaliseEmail(emailInput);
  const now = deps.clock.now();
  const actor = (userId: string | null): Actor => ({ userId, programmeId: null, requestId, at: now });

  const { user, throttled } = await inTransaction(deps.db, noScope, async (tx) => {
    const failures = await selectSignInFailures(tx, email);
    const throttled =
      failures !== undefined &&
      failures.failures >= MAX_FAILURES &&
      now.getTime() - failures.last_failure_at.getTime() < THROTTLE_WINDOW_MS;
    return { user: await selectUserByEmail(tx, email), throttled };
  });

  if (throttled) {
    await inTransaction(deps.db, noScope, (tx) =>
      record(tx, actor(user?.id ?? null), { action: 'sign-in.throttled', outcome: 'denied' }),
    );
    return { kind: 'throttled' };
  }

  const ok = user !== undefined && user.disabled_at === null ? await verifyPassword(user.password_hash, password) : false;
  if (user === undefined) await verifyDecoy(password);

  return inTransaction(deps.db, { programmeId: null, userId: user?.id ?? null }, async (tx) => {
    if (!ok || user === undefined) {
      await upsertSignInFailure(tx, email, now, new Date(now.getTime() - THROTTLE_WINDOW_MS));
      await record(tx, actor(user?.id ?? null), { action: 'sign-in.failed', outcome: 'failed' });
      return { kind: 'refused' } as const;
    }
    await deleteSignInFailures(tx, email);
    // Sweep sessions that have expired; sign-in is frequent enough, and the expiry column is indexed.
    await deleteExpiredSessions(tx, now);
    const memberships = (await selectMemberships(tx, user.id)).map(toMembership);
    await record(tx, actor(user.id), { action: 'sign-in', recordType: 'user', recordId: user.id });
    return { kind: 'signed-in', userId: user.id, memberships };
  });
}

export async function membershipsOf(db: Db, userId: string): Promise<Membership[]> {
  return inTransaction(db, { programmeId: null, userId }, async (tx) => (await selectMemberships(tx, userId)).map(toMembership));
}

function toMembership(row: Awaited<ReturnType<typeof selectMemberships>>[number]): Membership {
  return { programmeId: row.programme_id, programmeName: row.programme_name, council: row.council, role: row.role };
}

/** The signed-in user in one programme, or undefined when the account is disabled or the membership has gone. */
export async function loadCurrentUser(db: Db, userId: string, programmeId: string): Promise<CurrentUser | undefined> {
  const row = await inTransaction(db, { programmeId, userId }, (tx) => selectSignedInUser(tx, userId, programmeId));
  if (row === undefined) return undefined;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    programme: { id: row.programme_id, name: row.programme_name, council: row.council, brandColour: row.brand_colour },
    areaIds: row.area_ids ?? [],
  };
}

/** Ends every session of a user at once, inside the caller's transaction (used when an account is disabled). */
export function endSessionsOf(tx: Tx, userId: string): Promise<number> {
  return deleteSessionsOfUser(tx, userId);
}
