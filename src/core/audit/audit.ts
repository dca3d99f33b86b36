import type { Tx } from '../db/transaction.ts';
import { insertAuditEvent, selectAuditTrail, type AuditRow } from './queries.ts';

/** Who did it, where and when: every audit event carries this. */
export interface Actor {
  userId: string | null;
  programmeId: string | null;
  requestId: string | null;
  at: Date;
}

export interface AuditEvent {
  /** What was done, as verb-like dotted words: 'person.read', 'introduction.create', 'sign-in.failed'. */
  action: string;
  recordType?: 'person' | 'user' | 'area' | 'programme' | 'session';
  recordId?: string;
  outcome?: 'allowed' | 'denied' | 'failed';
  /** Never personal data: ids, counts and field names only. */
  detail?: Record<string, unknown>;
}

/** Writes one audit row inside the caller's transaction, so it commits or rolls back with the change itself. */
export async function record(tx: Tx, actor: Actor, event: AuditEvent): Promise<void> {
  await insertAuditEvent(tx, {
    occurredAt: actor.at,
    programmeId: actor.programmeId,
    actorUserId: actor.userId,
    action: event.action,
    recordType: event.recordType ?? null,
    recordId: event.recordId ?? null,
    outcome: event.outcome ?? 'allowed',
    requestId: actor.requestId,
    detail: event.detail ?? {},
  });
}

/** What an audit action means, in words for the manager or admin reading a trail. */
const ACTION_WORDS: Record<string, string> = {
  'person.create': 'Recorded the person and their introduction',
  'person.read': "Looked at the person's record",
  'person.audit': 'Looked at this list of who has seen the record',
};

const OUTCOME_WORDS: Record<AuditRow['outcome'], string> = { allowed: 'Done', denied: 'Refused', failed: 'Not done: the form had problems' };

export interface AuditTrailEntry {
  id: string;
  occurredAt: Date;
  action: string;
  /** The action in words; the code itself when there are no words for it yet. */
  description: string;
  outcome: string;
  outcomeDescription: string;
  actorName: string | null;
  actorEmail: string | null;
}

export async function auditTrail(tx: Tx, programmeId: string, recordType: string, recordId: string): Promise<AuditTrailEntry[]> {
  const rows = await selectAuditTrail(tx, programmeId, recordType, recordId);
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    action: r.action,
    description: ACTION_WORDS[r.action] ?? r.action,
    outcome: r.outcome,
    outcomeDescription: OUTCOME_WORDS[r.outcome],
    actorName: r.actor_name,
    actorEmail: r.actor_email,
  }));
}
