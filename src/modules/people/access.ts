import { record } from '../../core/audit/audit.ts';
import { noteTaker, type WorkNote } from '../../core/audit/audited.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import type { PersonStatus } from '../../core/db/schema.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { lockPerson, selectPerson } from './queries.ts';

/**
 * The way into a person's record for every module, the people module's own pages included. It stands apart from the
 * people service so that the parts of a record (vision, circle, agreement, journal...) depend on this, not on the
 * service that reads them all for the overview.
 */

type Deps = Pick<AppDeps, 'db' | 'clock'>;

/** What any part of a person's record needs to know about the person it belongs to. */
export interface PersonInContext {
  id: string;
  name: string;
  status: PersonStatus;
  areaId: string;
  areaName: string;
  coordinatorName: string | null;
  createdAt: Date;
}

/** How an access went, when not simply as asked: the access row records it (see WorkNote). */
export type AccessNote = WorkNote;

/**
 * The one way into a person's record for every module: in one transaction, finds the person, checks the user
 * may read (or change) their record, runs `work`, and writes the one audit row for this access, allowed, refused
 * or failed as `work` noted it. A refusal is written before any work. Undefined means not found (or not visible,
 * which looks the same). The row is written after the work so that it can say how the work went; it is in the
 * same transaction, so it commits with the change or not at all.
 */
export async function withPerson<T>(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  access: { action: string; permission: 'person.read' | 'person.update' | 'person.audit' },
  requestId: string,
  work: (tx: Tx, person: PersonInContext, note: AccessNote) => Promise<T>,
): Promise<T | undefined> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const row = await selectPerson(tx, user.programme.id, personId);
    const allowed = row !== undefined && can(user, access.permission, { programmeId: row.programme_id, areaId: row.area_id });
    const event = { action: access.action, recordType: 'person' as const, recordId: personId };
    if (!allowed) {
      await record(tx, actorFor(deps, user, requestId), { ...event, outcome: 'denied' });
      return undefined;
    }
    // Changes to one person's record queue behind each other: a check (a one-time form token, the latest version)
    // and the write it guards then always see the same state, however many saves arrive at once.
    if (access.permission === 'person.update') await lockPerson(tx, user.programme.id, personId);
    const { note, outcome, detail } = noteTaker();
    const result = await work(
      tx,
      {
        id: row.id,
        name: row.name,
        status: row.status,
        areaId: row.area_id,
        areaName: row.area_name,
        coordinatorName: row.coordinator_name,
        createdAt: row.created_at,
      },
      note,
    );
    await record(tx, actorFor(deps, user, requestId), { ...event, outcome: outcome(), detail });
    return result;
  });
}

