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
  recordType?: 'person' | 'user' | 'area' | 'programme' | 'session' | 'asset';
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
  'team.read': "Looked at the team's caseloads, contact and reviews",
  'assets.import': 'Imported community assets from an Open Referral UK document',
  'person.audit': 'Looked at this list of who has seen the record',
  'about.read': 'Looked at their vision, gifts and what matters',
  'vision.read': 'Opened the form for their vision of a good life',
  'vision.create': 'Wrote down their vision of a good life',
  'what-matters.read': 'Opened the form for what matters and their gifts',
  'what-matters.update': 'Saved what matters and their gifts',
  'themes.read': 'Opened the form for what they want to change',
  'themes.update': 'Saved what they want to change',
  'agreement.read': 'Looked at the shared agreement and steps',
  'agreement.print': 'Opened the print view of the shared agreement',
  'agreement.create': 'Recorded a version of the shared agreement',
  'step.create': 'Added a step',
  'step.update': 'Changed a step',
  'circle.read': 'Looked at the circle of support',
  'circle.compare': 'Compared the circle of support with an earlier date',
  'circle.add': 'Added someone to the circle of support',
  'circle.update': 'Changed someone in the circle of support',
  'circle.leave': 'Recorded that someone is no longer in the circle of support',
  'details.read': 'Opened the form for their details',
  'details.update': 'Saved their details',
  'status.read': 'Looked at their status and its history',
  'status.update': 'Changed their status',
  'household.read': 'Opened a household form',
  'household.add': 'Added someone to their household',
  'household.update': 'Changed someone in their household',
  'household.remove': 'Removed someone from their household',
  'introduction.match': 'Checked whether someone being introduced is already known',
  'introduction.reintroduce': 'Recorded a re-introduction',
  'introductions.waiting': 'Looked at the introductions waiting for a coordinator',
  'coordinator.read': 'Opened the form to choose their coordinator',
  'coordinator.assign': 'Chose their coordinator',
  'concerns.read': 'Looked at their safeguarding concerns',
  'concern.read': 'Opened a safeguarding concern form',
  'concern.create': 'Recorded a safeguarding concern',
  'concern.update': 'Updated a safeguarding concern',
  'concerns.list': 'Looked at the open safeguarding concerns across the programme',
  'timeline.read': 'Looked at the journal and timeline',
  'journal.read': 'Opened a journal form',
  'journal.create': 'Added to the journal',
  'journal.update': 'Corrected a journal entry',
  'connections.read': 'Looked at connections with other people',
  'connection.find': 'Searched for someone to connect them with',
  'connection.create': 'Recorded a connection with someone else we walk alongside',
  'connection.end': 'Recorded that a connection with someone else ended',
  'offers.read': 'Looked at their offers and asks',
  'offer.read': 'Opened a form for one of their offers or asks',
  'offer.create': 'Recorded an offer or ask',
  'offer.update': 'Changed an offer or ask',
  'match.read': 'Looked at possible matches for an ask, or at a match',
  'match.confirm': 'Confirmed a match between an offer and an ask',
  'match.done': 'Recorded that a match happened',
  'barrier.link': 'Linked them to a system barrier they met',
  'barrier.unlink': 'Removed their link to a system barrier',
  'person-assets.read': 'Looked at the community assets in their life',
  'person-asset.read': 'Opened a form about a community asset in their life',
  'person-asset.find': 'Searched for a community asset in their life',
  'person-asset.create': 'Recorded a community asset in their life',
  'person-asset.end': 'Recorded that a community asset is no longer part of their life',
  'match.undo': 'Undid a match between an offer and an ask',
  'outcomes.read': 'Looked at their outcomes and use of services',
  'check-in.read': 'Opened a check-in form (wellbeing, loneliness, what matters)',
  'check-in.create': 'Recorded a check-in (wellbeing, loneliness, what matters)',
  'check-in.update': 'Corrected a check-in',
  'service-use.read': 'Opened a form about their use of services',
  'service-use.create': 'Recorded their use of services for a period',
  'service-use.update': 'Corrected their use of services for a period',
  'avoided.read': 'Looked at what was likely without Local Area Coordination (avoided outcomes)',
  'avoided.create': 'Recorded an avoided outcome',
  'avoided.update': 'Changed an avoided outcome',
  'avoided.verify': 'Verified or returned an avoided outcome',
  'story-consent.read': 'Looked at their consent to share their story',
  'story-consent.record': 'Recorded their consent to share their story, or its withdrawal',
  'story.prefill': 'Started an anonymised story from their record',
  'story.create': 'Saved an anonymised story',
  'story.read': 'Looked at their anonymised story',
  'story.update': 'Changed their anonymised story',
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
