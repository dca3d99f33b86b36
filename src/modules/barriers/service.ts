import { audited, CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import { disclosedCount } from '../../core/disclosure.ts';
import type { AppDeps } from '../../core/http/context.ts';
import type { FormErrors, FormResult } from '../../core/http/forms.ts';
import { selectCaseload } from '../people/queries.ts';
import { withPerson } from '../people/access.ts';
import {
  deleteBarrierPerson,
  insertBarrier,
  insertBarrierPerson,
  insertStatusChange,
  selectBarrier,
  selectBarrierIdByFormToken,
  selectBarrierPeople,
  selectBarriers,
  selectStatusChanges,
  updateBarrier,
  type BarrierContent,
} from './queries.ts';
import type { BarrierChangeInput, NewBarrierInput } from './schemas.ts';
import type { BarrierService, BarrierStatus } from './tables.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export interface Barrier {
  id: string;
  summary: string;
  whatHappened: string;
  services: BarrierService[];
  otherServices: string | null;
  raisedWithLeadershipOn: string | null;
  response: string | null;
  status: BarrierStatus;
  version: number;
  createdAt: Date;
  createdByName: string;
  updatedAt: Date;
  updatedByName: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The log

/** A barrier in the log as those who record them see it: how many people it is linked to, exactly. */
export interface LoggedBarrier extends Barrier {
  people: number;
}

/**
 * The same barrier as the Leadership Group sees it: what happened and what is being done, and how many people it
 * affected under disclosure control. Never who they are, and never a way to find out.
 */
export interface LeadershipBarrier {
  summary: string;
  whatHappened: string;
  services: BarrierService[];
  otherServices: string | null;
  raisedWithLeadershipOn: string | null;
  response: string | null;
  status: BarrierStatus;
  peopleAffected: string;
}

export type BarrierLog = { view: 'record'; barriers: LoggedBarrier[] } | { view: 'leadership'; barriers: LeadershipBarrier[] };

/** The log, for those who record barriers or for the Leadership Group; audited once, with the count of barriers. */
export async function getBarrierLog(deps: Deps, user: CurrentUser, requestId: string): Promise<BarrierLog> {
  return audited(deps, user, 'barriers.list', requestId, async (tx, note): Promise<BarrierLog> => {
    const rows = (await selectBarriers(tx, user.programme.id)).map(({ people, ...b }) => ({ ...b, people: Number(people ?? 0) }));
    note.add({ barriers: rows.length });
    if (can(user, 'barriers.record')) return { view: 'record', barriers: rows };
    note.add({ view: 'counts only' });
    return {
      view: 'leadership',
      barriers: rows.map((b) => ({
        summary: b.summary,
        whatHappened: b.whatHappened,
        services: b.services,
        otherServices: b.otherServices,
        raisedWithLeadershipOn: b.raisedWithLeadershipOn,
        response: b.response,
        status: b.status,
        peopleAffected: disclosedCount(b.people),
      })),
    };
  });
}

function contentOf(input: NewBarrierInput | BarrierChangeInput): BarrierContent {
  return {
    summary: input.summary,
    whatHappened: input.whatHappened,
    services: [...new Set(input.services)],
    otherServices: input.otherServices,
    raisedWithLeadershipOn: input.raisedWithLeadershipOn,
    response: input.response,
  };
}

export type RecordBarrierResult = { kind: 'recorded'; barrierId: string } | { kind: 'invalid'; errors: FormErrors };

/** Records a barrier, raised. The one-time token makes a double submission record it once. */
export async function recordBarrier(deps: Deps, user: CurrentUser, form: FormResult<NewBarrierInput>, requestId: string): Promise<RecordBarrierResult> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'barrier.create', requestId, async (tx, note): Promise<RecordBarrierResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', errors: form.errors };
      }
      const input = form.data;
      const existing = await selectBarrierIdByFormToken(tx, programmeId, input.formToken);
      if (existing !== undefined) return { kind: 'recorded', barrierId: existing };
      const barrierId = await insertBarrier(tx, { programmeId, content: contentOf(input), formToken: input.formToken, by: user.id, at: deps.clock.now() });
      note.add({ barrierId });
      return { kind: 'recorded', barrierId };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One barrier, with its history and the people it affected

/** Someone the barrier affected, named only to those who may read their record. */
export interface AffectedPerson {
  id: string;
  /** The person's name, or words that do not identify them. */
  label: string;
  visible: boolean;
}

export interface BarrierPage {
  barrier: Barrier;
  history: { id: string; fromStatus: BarrierStatus | null; toStatus: BarrierStatus; note: string | null; changedAt: Date; changedByName: string }[];
  people: AffectedPerson[];
  /** The people found by a search for someone to link, when one was made. */
  found: { id: string; name: string; areaName: string }[] | undefined;
}

async function barrierPage(tx: Tx, user: CurrentUser, barrierId: string): Promise<BarrierPage | undefined> {
  const programmeId = user.programme.id;
  const barrier = await selectBarrier(tx, programmeId, barrierId);
  if (barrier === undefined) return undefined;
  const people = (await selectBarrierPeople(tx, programmeId, barrierId)).map((p) => {
    const visible = can(user, 'person.read', { programmeId, areaId: p.areaId });
    const label = visible
      ? p.name
      : `Someone walked alongside in ${p.areaName}${p.coordinatorName === null ? '' : ` (their coordinator: ${p.coordinatorName})`}`;
    return { id: p.id, label, visible };
  });
  return { barrier, history: await selectStatusChanges(tx, programmeId, barrierId), people, found: undefined };
}

/** A barrier with its history and the people linked (names only where the user may read them); audited with counts. */
export async function getBarrierPage(deps: Deps, user: CurrentUser, barrierId: string, requestId: string): Promise<BarrierPage | undefined> {
  return audited(deps, user, 'barrier.read', requestId, async (tx, note) => {
    const page = await barrierPage(tx, user, barrierId);
    if (page === undefined) note.denied({ reason: 'no such barrier', barrierId });
    else note.add({ barrierId, people: page.people.length });
    return page;
  });
}

/** Searches the people the user may see for someone to link: audited with how many were found, never the words. */
export async function findPeopleToLink(
  deps: Deps,
  user: CurrentUser,
  barrierId: string,
  form: FormResult<{ q: string }>,
  requestId: string,
): Promise<{ page: BarrierPage; errors: FormErrors | undefined } | undefined> {
  return audited(deps, user, 'barrier.find', requestId, async (tx, note) => {
    const page = await barrierPage(tx, user, barrierId);
    if (page === undefined) {
      note.denied({ reason: 'no such barrier', barrierId });
      return undefined;
    }
    note.add({ barrierId });
    if (!form.ok) {
      note.failed(formProblems(form));
      return { page, errors: form.errors };
    }
    const linked = new Set(page.people.map((p) => p.id));
    const found = await selectCaseload(tx, { programmeId: user.programme.id, areaIds: user.role === 'manager' ? null : user.areaIds, search: form.data.q });
    const candidates = found.filter((p) => !linked.has(p.id)).slice(0, 20).map((p) => ({ id: p.id, name: p.name, areaName: p.area_name }));
    note.add({ found: candidates.length });
    return { page: { ...page, found: candidates }, errors: undefined };
  });
}

export async function getBarrierChangePage(deps: Deps, user: CurrentUser, barrierId: string): Promise<BarrierPage | undefined> {
  return inTransaction(deps.db, scopeOf(user), (tx) => barrierPage(tx, user, barrierId));
}

export type ChangeBarrierResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: BarrierPage; errors: FormErrors }
  /** Someone saved first: nothing saved; `page.barrier` is theirs, `yours` what this form would have saved. */
  | { kind: 'conflict'; page: BarrierPage; yours: BarrierChangeInput }
  | { kind: 'not-found' };

/**
 * Saves what the log says and where the barrier is up to. A change of status is kept in its history with what
 * changed; a form opened before someone else's save is refused, with both versions shown.
 */
export async function changeBarrier(
  deps: Deps,
  user: CurrentUser,
  barrierId: string,
  form: FormResult<BarrierChangeInput>,
  requestId: string,
): Promise<ChangeBarrierResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, 'barrier.update', requestId, async (tx, note): Promise<ChangeBarrierResult> => {
    const page = await barrierPage(tx, user, barrierId);
    if (page === undefined) {
      note.denied({ reason: 'no such barrier', barrierId });
      return { kind: 'not-found' };
    }
    note.add({ barrierId });
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: form.errors };
    }
    const input = form.data;
    const conflict = (): ChangeBarrierResult => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, yours: input };
    };
    if (input.version !== page.barrier.version) return conflict();
    const at = deps.clock.now();
    const saved = await updateBarrier(tx, { programmeId, barrierId, expectedVersion: input.version, content: contentOf(input), status: input.status, by: user.id, at });
    if (!saved) return conflict();
    if (input.status !== page.barrier.status) {
      await insertStatusChange(tx, { programmeId, barrierId, from: page.barrier.status, to: input.status, note: input.statusNote, by: user.id, at });
    }
    note.add({ version: input.version + 1, status: input.status });
    return { kind: 'saved' };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Linking the people a barrier affected: part of each person's record, so through withPerson.

export type LinkResult = 'linked' | 'unlinked' | 'no-person-given' | 'no-such-barrier';

/** A form that names nobody: nothing to open, but the attempt is still one audit row. */
async function nobodyGiven(deps: Deps, user: CurrentUser, action: string, barrierId: string, requestId: string): Promise<LinkResult> {
  return audited(deps, user, action, requestId, async (tx, note): Promise<LinkResult> => {
    if ((await selectBarrier(tx, user.programme.id, barrierId)) === undefined) {
      note.denied({ reason: 'no such barrier', barrierId });
      return 'no-such-barrier';
    }
    note.failed({ reason: 'no person given', barrierId });
    return 'no-person-given';
  });
}

/**
 * Links someone the barrier affected, or removes the link: a change to their record, for those who may change it.
 * Undefined: no such person for this user. Linking twice or removing a link already gone changes nothing.
 */
export async function setPersonLink(
  deps: Deps,
  user: CurrentUser,
  barrierId: string,
  personId: string | undefined,
  linked: boolean,
  requestId: string,
): Promise<LinkResult | undefined> {
  const action = linked ? 'barrier.link' : 'barrier.unlink';
  if (personId === undefined) return nobodyGiven(deps, user, action, barrierId, requestId);
  const programmeId = user.programme.id;
  return withPerson(deps, user, personId, { action, permission: 'person.update' }, requestId, async (tx, _person, note): Promise<LinkResult> => {
    if ((await selectBarrier(tx, programmeId, barrierId)) === undefined) {
      note.denied({ reason: 'no such barrier', barrierId });
      return 'no-such-barrier';
    }
    note.add({ barrierId });
    if (!linked) {
      await deleteBarrierPerson(tx, programmeId, barrierId, personId);
      return 'unlinked';
    }
    await insertBarrierPerson(tx, { programmeId, barrierId, personId, by: user.id, at: deps.clock.now() });
    return 'linked';
  });
}
