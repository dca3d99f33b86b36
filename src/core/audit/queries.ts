import type { Tx } from '../db/transaction.ts';

export interface AuditRow {
  occurredAt: Date;
  programmeId: string | null;
  actorUserId: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
  requestId: string | null;
  detail: Record<string, unknown>;
}

export async function insertAuditEvent(tx: Tx, row: AuditRow): Promise<void> {
  await tx
    .insertInto('audit_events')
    .values({
      occurred_at: row.occurredAt,
      programme_id: row.programmeId,
      actor_user_id: row.actorUserId,
      action: row.action,
      record_type: row.recordType,
      record_id: row.recordId,
      outcome: row.outcome,
      request_id: row.requestId,
      detail: JSON.stringify(row.detail),
    })
    .execute();
}

/** The trail of one record within the current programme (row-level security adds the same condition). */
export async function selectAuditTrail(tx: Tx, programmeId: string, recordType: string, recordId: string) {
  return tx
    .selectFrom('audit_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.occurred_at', 'e.action', 'e.outcome', 'u.name as actor_name', 'u.email as actor_email'])
    .where('e.programme_id', '=', programmeId)
    .where('e.record_type', '=', recordType)
    .where('e.record_id', '=', recordId)
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(500)
    .execute();
}
