import type { Actor } from '../audit/audit.ts';
import type { Clock } from '../clock.ts';
import type { Scope } from '../db/transaction.ts';
import type { CurrentUser } from './can.ts';

/** The scope row-level security sees when a signed-in user acts: their programme, and them. */
export function scopeOf(user: CurrentUser): Scope {
  return { programmeId: user.programme.id, userId: user.id };
}

/** Who to write in the audit trail when a signed-in user acts, now. */
export function actorFor(deps: { clock: Clock }, user: CurrentUser, requestId: string): Actor {
  return { userId: user.id, programmeId: user.programme.id, requestId, at: deps.clock.now() };
}
