import { auditTrail, record, type AuditTrailEntry } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import type { PersonStatus } from '../../core/db/schema.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { areasFor } from '../admin/service.ts';
import {
  insertIntroduction,
  insertPerson,
  selectCaseload,
  selectIntroductions,
  selectPerson,
  selectPersonIdByFormToken,
} from './queries.ts';
import type { IntroductionInput } from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export const STATUS_LABELS: Record<PersonStatus, string> = {
  introduced: 'Introduced',
  getting_to_know: 'Getting to know',
  walking_alongside: 'Walking alongside',
  resting: 'Resting (door open)',
  moved_on: 'Moved on',
};

export interface CaseloadEntry {
  id: string;
  name: string;
  status: PersonStatus;
  areaName: string;
  introducedOn: string | null;
}

/** "People I walk alongside": a coordinator's neighbourhoods, or a manager's whole programme. Audited as one read. */
export async function listCaseload(deps: Deps, user: CurrentUser, requestId: string): Promise<CaseloadEntry[]> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const rows = await selectCaseload(tx, user.programme.id, user.role === 'manager' ? null : user.areaIds);
    await record(tx, actorFor(deps, user, requestId), { action: 'caseload.read', detail: { people: rows.length } });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      areaName: r.area_name,
      introducedOn: r.last_introduced_on,
    }));
  });
}

export interface PersonPage extends PersonInContext {
  introductions: {
    id: string;
    introducedBy: string;
    introducerName: string | null;
    introducerOrganisation: string | null;
    introducedOn: string;
    whatTheyWouldLikeToChange: string;
    recordedByName: string;
  }[];
}

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

/**
 * The one way into a person's record for every module: in one transaction, finds the person, checks the user
 * may read (or change) their record, writes the audit row for this access, allowed or refused, and only then
 * runs `work` in that same transaction. Undefined means not found (or not visible, which looks the same).
 */
export async function withPerson<T>(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  access: { action: string; permission: 'person.read' | 'person.update' | 'person.audit' },
  requestId: string,
  work: (tx: Tx, person: PersonInContext) => Promise<T>,
): Promise<T | undefined> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const row = await selectPerson(tx, user.programme.id, personId);
    const allowed = row !== undefined && can(user, access.permission, { programmeId: row.programme_id, areaId: row.area_id });
    await record(tx, actorFor(deps, user, requestId), {
      action: access.action,
      recordType: 'person',
      recordId: personId,
      outcome: allowed ? 'allowed' : 'denied',
    });
    if (!allowed) return undefined;
    return work(tx, {
      id: row.id,
      name: row.name,
      status: row.status,
      areaId: row.area_id,
      areaName: row.area_name,
      coordinatorName: row.coordinator_name,
      createdAt: row.created_at,
    });
  });
}

export async function getPersonPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<PersonPage | undefined> {
  return withPerson(deps, user, personId, { action: 'person.read', permission: 'person.read' }, requestId, async (tx, person) => {
    const introductions = await selectIntroductions(tx, user.programme.id, personId);
    return {
      ...person,
      introductions: introductions.map((i) => ({
        id: i.id,
        introducedBy: i.introduced_by,
        introducerName: i.introducer_name,
        introducerOrganisation: i.introducer_organisation,
        introducedOn: i.introduced_on,
        whatTheyWouldLikeToChange: i.what_they_would_like_to_change,
        recordedByName: i.recorded_by_name,
      })),
    };
  });
}

/** Records who touched a person's record; the person's own details are not part of it (need to know). */
export async function getPersonAuditTrail(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  requestId: string,
): Promise<{ personId: string; entries: AuditTrailEntry[] } | undefined> {
  return withPerson(deps, user, personId, { action: 'person.audit', permission: 'person.audit' }, requestId, async (tx) => ({
    personId,
    entries: await auditTrail(tx, user.programme.id, 'person', personId),
  }));
}

/** The neighbourhoods the user may record an introduction in. */
export async function introductionAreas(deps: Deps, user: CurrentUser) {
  const areas = await areasFor(deps, user);
  return user.role === 'manager' ? areas : areas.filter((a) => user.areaIds.includes(a.id));
}

export type RecordIntroductionResult = { kind: 'recorded'; personId: string } | { kind: 'area-not-allowed' };

/**
 * A new person and their introduction, in one transaction with its audit row. The form's one-time token makes
 * a double submission (a double click, a retry on a poor connection) land on the same person, not a second one.
 */
export async function recordIntroduction(
  deps: Deps,
  user: CurrentUser,
  input: IntroductionInput,
  requestId: string,
): Promise<RecordIntroductionResult> {
  if (!can(user, 'person.create', { programmeId: user.programme.id, areaId: input.areaId })) {
    await inTransaction(deps.db, scopeOf(user), (tx) =>
      record(tx, actorFor(deps, user, requestId), { action: 'person.create', recordType: 'person', outcome: 'denied', detail: { areaId: input.areaId } }),
    );
    return { kind: 'area-not-allowed' };
  }
  const attempt = () =>
    inTransaction(deps.db, scopeOf(user), async (tx) => {
      const existing = await selectPersonIdByFormToken(tx, user.programme.id, input.formToken);
      if (existing !== undefined) return existing;
      const at = deps.clock.now();
      const personId = await insertPerson(tx, {
        programmeId: user.programme.id,
        areaId: input.areaId,
        name: input.name,
        coordinatorId: user.role === 'coordinator' ? user.id : null,
        at,
      });
      const introductionId = await insertIntroduction(tx, {
        programmeId: user.programme.id,
        personId,
        introducedBy: input.introducedBy,
        introducerName: input.introducerName,
        introducerOrganisation: input.introducerOrganisation,
        introducedOn: input.introducedOn,
        whatTheyWouldLikeToChange: input.whatTheyWouldLikeToChange,
        recordedBy: user.id,
        formToken: input.formToken,
        at,
      });
      await record(tx, actorFor(deps, user, requestId), {
        action: 'person.create',
        recordType: 'person',
        recordId: personId,
        detail: { introductionId },
      });
      return personId;
    });
  try {
    return { kind: 'recorded', personId: await attempt() };
  } catch (error) {
    // Two submissions of one form raced: the loser's insert broke the unique token, so the winner's person stands.
    if (isUniqueViolation(error)) return { kind: 'recorded', personId: await attempt() };
    throw error;
  }
}
