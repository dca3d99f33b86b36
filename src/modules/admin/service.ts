import { record, type AuditEvent } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import { hashPassword } from '../../core/auth/password.ts';
import { endSessionsOf } from '../../core/auth/service.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import type { Role } from '../../core/db/schema.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import {
  countAreas,
  countMembers,
  insertArea,
  insertMembership,
  insertUser,
  replaceCoordinatorAreas,
  selectAccountByEmail,
  selectArea,
  selectAreaIdByName,
  selectAreaIdsIn,
  selectAreas,
  selectCoordinatorAreas,
  selectMember,
  selectMembers,
  updateArea,
  updateMembershipRole,
  updateUserDisabledAt,
} from './queries.ts';
import { isRecordId, type AreaInput, type NewUserInput, type UserChangeInput } from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

/** Every query here acts for the admin in their own programme: row-level security sees the same scope. */
function inProgramme<T>(deps: Deps, user: CurrentUser, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(deps.db, scopeOf(user), work);
}


/** An id from the address that names nothing here, or is not an id at all: refused, audited, and not found. */
async function recordNotFound(tx: Tx, deps: Deps, user: CurrentUser, event: AuditEvent & { recordId: string }, requestId: string) {
  const { recordId, ...rest } = event;
  await record(tx, actorFor(deps, user, requestId), {
    ...rest,
    ...(isRecordId(recordId) ? { recordId } : { detail: { reason: 'not-an-id' } }),
    outcome: 'denied',
  });
}

export interface Refusal {
  action: string;
  recordType: 'area' | 'user';
  recordId?: string;
}

/** A form that did not pass validation changes nothing; the attempt is still audited (field names only). */
export async function recordInvalidForm(deps: Deps, user: CurrentUser, refusal: Refusal, fields: string[], requestId: string): Promise<void> {
  await inProgramme(deps, user, (tx) => record(tx, actorFor(deps, user, requestId), { ...refusal, outcome: 'failed', detail: { fields } }));
}

// ---------------------------------------------------------------------------------------------------------------
// The programme at a glance

export interface AdminSummary {
  areas: number;
  users: number;
  disabledUsers: number;
}

export async function programmeSummary(deps: Deps, user: CurrentUser): Promise<AdminSummary> {
  return inProgramme(deps, user, async (tx) => {
    const members = await countMembers(tx, user.programme.id);
    return { areas: await countAreas(tx, user.programme.id), users: Number(members.members), disabledUsers: Number(members.disabled) };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Neighbourhoods

export interface AreaSummary {
  id: string;
  name: string;
  population: number | null;
  postcodeDistricts: string[];
}

function toAreaSummary(row: { id: string; name: string; population: number | null; postcode_districts: string[] }): AreaSummary {
  return { id: row.id, name: row.name, population: row.population, postcodeDistricts: row.postcode_districts };
}

/** The programme's neighbourhoods. Not personal data, so any signed-in member of the programme may list them. */
export async function areasFor(deps: Deps, user: CurrentUser): Promise<AreaSummary[]> {
  const rows = await inProgramme(deps, user, (tx) => selectAreas(tx, user.programme.id));
  return rows.map(toAreaSummary);
}

export interface AreaListEntry extends AreaSummary {
  coordinatorNames: string[];
}

export async function listAreas(deps: Deps, user: CurrentUser): Promise<AreaListEntry[]> {
  return inProgramme(deps, user, async (tx) => {
    const areas = await selectAreas(tx, user.programme.id);
    const pairs = await selectCoordinatorAreas(tx, user.programme.id);
    return areas.map((a) => ({
      ...toAreaSummary(a),
      coordinatorNames: pairs.filter((p) => p.area_id === a.id).map((p) => p.coordinator_name),
    }));
  });
}

/** One neighbourhood of the admin's programme; another programme's, or no such id, is not found (and audited). */
export async function findArea(
  deps: Deps,
  user: CurrentUser,
  areaId: string,
  action: 'area.read' | 'area.update',
  requestId: string,
): Promise<AreaSummary | undefined> {
  return inProgramme(deps, user, async (tx) => {
    const row = isRecordId(areaId) ? await selectArea(tx, user.programme.id, areaId) : undefined;
    if (row === undefined) await recordNotFound(tx, deps, user, { action, recordType: 'area', recordId: areaId }, requestId);
    return row === undefined ? undefined : toAreaSummary(row);
  });
}

export type SaveAreaResult = { kind: 'saved'; areaId: string } | { kind: 'name-taken' } | { kind: 'not-found' };

/** Adds a neighbourhood (areaId null) or changes one. Names are unique in a programme, however they are capitalised. */
async function saveArea(deps: Deps, user: CurrentUser, areaId: string | null, input: AreaInput, requestId: string): Promise<SaveAreaResult> {
  const action = areaId === null ? 'area.create' : 'area.update';
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    inProgramme(deps, user, async (tx) => {
      const audit = (event: Omit<AuditEvent, 'action' | 'recordType'>) =>
        record(tx, actorFor(deps, user, requestId), { action, recordType: 'area', ...event });
      if (areaId !== null && (await selectArea(tx, programmeId, areaId)) === undefined) {
        await recordNotFound(tx, deps, user, { action, recordType: 'area', recordId: areaId }, requestId);
        return { kind: 'not-found' } as const;
      }
      if ((await selectAreaIdByName(tx, programmeId, input.name, areaId)) !== undefined) {
        await audit({ ...(areaId === null ? {} : { recordId: areaId }), outcome: 'failed', detail: { reason: 'name-taken' } });
        return { kind: 'name-taken' } as const;
      }
      const row = { programmeId, name: input.name, population: input.population, postcodeDistricts: input.postcodeDistricts };
      let id: string;
      if (areaId === null) {
        id = await insertArea(tx, { ...row, at: deps.clock.now() });
      } else {
        await updateArea(tx, areaId, row);
        id = areaId;
      }
      await audit({ recordId: id, detail: { fields: ['name', 'population', 'postcodeDistricts'] } });
      return { kind: 'saved', areaId: id } as const;
    }),
  );
}

export function addArea(deps: Deps, user: CurrentUser, input: AreaInput, requestId: string): Promise<SaveAreaResult> {
  return saveArea(deps, user, null, input, requestId);
}

export function changeArea(deps: Deps, user: CurrentUser, areaId: string, input: AreaInput, requestId: string): Promise<SaveAreaResult> {
  return saveArea(deps, user, areaId, input, requestId);
}

// ---------------------------------------------------------------------------------------------------------------
// Users

export interface MemberEntry {
  id: string;
  name: string;
  email: string;
  role: Role;
  areaNames: string[];
  disabledAt: Date | null;
}

/** The users of the admin's programme, each with the neighbourhoods they coordinate. */
export async function listMembers(deps: Deps, user: CurrentUser): Promise<MemberEntry[]> {
  return inProgramme(deps, user, async (tx) => {
    const members = await selectMembers(tx, user.programme.id);
    const pairs = await selectCoordinatorAreas(tx, user.programme.id);
    return members.map((m) => ({
      id: m.id,
      name: m.name,
      email: m.email,
      role: m.role,
      areaNames: pairs.filter((p) => p.user_id === m.id).map((p) => p.area_name),
      disabledAt: m.disabled_at,
    }));
  });
}

export interface MemberDetail {
  id: string;
  name: string;
  email: string;
  role: Role;
  areaIds: string[];
  disabledAt: Date | null;
}

async function selectMemberDetail(tx: Tx, programmeId: string, userId: string): Promise<MemberDetail | undefined> {
  if (!isRecordId(userId)) return undefined;
  const member = await selectMember(tx, programmeId, userId);
  if (member === undefined) return undefined;
  const areas = await selectCoordinatorAreas(tx, programmeId, userId);
  return { ...member, disabledAt: member.disabled_at, areaIds: areas.map((a) => a.area_id) };
}

/** A user of the admin's programme; another programme's user, or no such id, is not found (and audited). */
export async function findMember(
  deps: Deps,
  user: CurrentUser,
  userId: string,
  action: 'user.read' | 'user.update',
  requestId: string,
): Promise<MemberDetail | undefined> {
  return inProgramme(deps, user, async (tx) => {
    const member = await selectMemberDetail(tx, user.programme.id, userId);
    if (member === undefined) await recordNotFound(tx, deps, user, { action, recordType: 'user', recordId: userId }, requestId);
    return member;
  });
}

/** Only coordinators work in neighbourhoods: for anyone else, whatever was ticked is dropped. */
function areasForRole(role: Role, areaIds: readonly string[]): string[] {
  return role === 'coordinator' ? [...new Set(areaIds)] : [];
}

async function allInProgramme(tx: Tx, programmeId: string, areaIds: readonly string[]): Promise<boolean> {
  return (await selectAreaIdsIn(tx, programmeId, areaIds)).length === areaIds.length;
}

export type AddUserResult =
  | { kind: 'created'; userId: string }
  | { kind: 'joined'; userId: string }
  | { kind: 'already-member' }
  | { kind: 'password-needed' }
  | { kind: 'unknown-areas' };

/**
 * Adds a user to the programme. Accounts are shared by every programme on the instance: when the email already
 * has one (from another programme), that account joins this programme and keeps its own name and password.
 */
export async function addUser(deps: Deps, user: CurrentUser, input: NewUserInput, requestId: string): Promise<AddUserResult> {
  const programmeId = user.programme.id;
  const areaIds = areasForRole(input.role, input.areaIds);
  // Hashing is slow on purpose: do it before the transaction, not inside it.
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  return onceMoreIfRaced(() =>
    inProgramme(deps, user, async (tx): Promise<AddUserResult> => {
      const refuse = async (reason: string, recordId?: string) => {
        await record(tx, actorFor(deps, user, requestId), {
          action: 'user.add',
          recordType: 'user',
          ...(recordId === undefined ? {} : { recordId }),
          outcome: 'failed',
          detail: { reason },
        });
      };
      const existing = await selectAccountByEmail(tx, programmeId, input.email);
      if (existing !== undefined && existing.role !== null) {
        await refuse('already-member', existing.id);
        return { kind: 'already-member' };
      }
      if (!(await allInProgramme(tx, programmeId, areaIds))) {
        await refuse('unknown-areas');
        return { kind: 'unknown-areas' };
      }
      const at = deps.clock.now();
      let userId: string;
      if (existing !== undefined) {
        userId = existing.id;
      } else if (passwordHash === null) {
        await refuse('password-needed');
        return { kind: 'password-needed' };
      } else {
        userId = await insertUser(tx, { email: input.email, name: input.name, passwordHash, at });
      }
      await insertMembership(tx, programmeId, userId, input.role, at);
      await replaceCoordinatorAreas(tx, programmeId, userId, areaIds);
      await record(tx, actorFor(deps, user, requestId), {
        action: 'user.add',
        recordType: 'user',
        recordId: userId,
        detail: { role: input.role, areaIds, account: existing === undefined ? 'new' : 'existing' },
      });
      return existing === undefined ? { kind: 'created', userId } : { kind: 'joined', userId };
    }),
  );
}

export type ChangeUserResult = { kind: 'saved' } | { kind: 'not-found' } | { kind: 'own-admin-role' } | { kind: 'unknown-areas' };

/** Changes a user's role in the programme and, for a coordinator, the neighbourhoods they work in. */
export async function changeUser(
  deps: Deps,
  user: CurrentUser,
  userId: string,
  input: UserChangeInput,
  requestId: string,
): Promise<ChangeUserResult> {
  const programmeId = user.programme.id;
  const areaIds = areasForRole(input.role, input.areaIds);
  return inProgramme(deps, user, async (tx) => {
    const member = await selectMemberDetail(tx, programmeId, userId);
    if (member === undefined) {
      await recordNotFound(tx, deps, user, { action: 'user.update', recordType: 'user', recordId: userId }, requestId);
      return { kind: 'not-found' };
    }
    const audit = (event: Pick<AuditEvent, 'outcome' | 'detail'>) =>
      record(tx, actorFor(deps, user, requestId), { action: 'user.update', recordType: 'user', recordId: member.id, ...event });
    // The programme must never be left without an admin by accident: nobody demotes themselves.
    if (member.id === user.id && input.role !== 'admin') {
      await audit({ outcome: 'denied', detail: { reason: 'own-admin-role' } });
      return { kind: 'own-admin-role' };
    }
    if (!(await allInProgramme(tx, programmeId, areaIds))) {
      await audit({ outcome: 'failed', detail: { reason: 'unknown-areas' } });
      return { kind: 'unknown-areas' };
    }
    await updateMembershipRole(tx, programmeId, member.id, input.role);
    await replaceCoordinatorAreas(tx, programmeId, member.id, areaIds);
    await audit({ detail: { role: input.role, previousRole: member.role, areaIds, previousAreaIds: member.areaIds } });
    return { kind: 'saved' };
  });
}

/** Refusals carry the user as they stand, so the page can be shown again. */
export type AccountChangeResult =
  | { kind: 'done'; userId: string }
  | { kind: 'not-found' }
  | { kind: 'own-account'; member: MemberDetail }
  | { kind: 'not-confirmed'; member: MemberDetail };

/**
 * Disables or enables a user's account. An account is shared by every programme it belongs to, so this is
 * a whole-account action. Disabling ends every session of the account in the same transaction: whoever is
 * signed in with it is out at their next request. Nobody disables their own account.
 */
async function setAccountDisabled(
  deps: Deps,
  user: CurrentUser,
  userId: string,
  disable: boolean,
  confirmed: boolean,
  requestId: string,
): Promise<AccountChangeResult> {
  const action = disable ? 'user.disable' : 'user.enable';
  const programmeId = user.programme.id;
  return inProgramme(deps, user, async (tx) => {
    const member = await selectMemberDetail(tx, programmeId, userId);
    if (member === undefined) {
      await recordNotFound(tx, deps, user, { action, recordType: 'user', recordId: userId }, requestId);
      return { kind: 'not-found' };
    }
    const audit = (event: Pick<AuditEvent, 'outcome' | 'detail'>) =>
      record(tx, actorFor(deps, user, requestId), { action, recordType: 'user', recordId: member.id, ...event });
    if (disable && member.id === user.id) {
      await audit({ outcome: 'denied', detail: { reason: 'own-account' } });
      return { kind: 'own-account', member };
    }
    if (!confirmed) {
      await audit({ outcome: 'failed', detail: { fields: ['confirm'] } });
      return { kind: 'not-confirmed', member };
    }
    if (!disable) {
      await updateUserDisabledAt(tx, programmeId, member.id, null);
      await audit({ detail: { wasDisabled: member.disabledAt !== null } });
      return { kind: 'done', userId: member.id };
    }
    // Disabling twice (a resubmitted form) keeps the first date.
    await updateUserDisabledAt(tx, programmeId, member.id, member.disabledAt ?? deps.clock.now());
    const sessionsEnded = await endSessionsOf(tx, member.id);
    await audit({ detail: { sessionsEnded, wasDisabled: member.disabledAt !== null } });
    return { kind: 'done', userId: member.id };
  });
}

export function disableUser(
  deps: Deps,
  user: CurrentUser,
  userId: string,
  confirmed: boolean,
  requestId: string,
): Promise<AccountChangeResult> {
  return setAccountDisabled(deps, user, userId, true, confirmed, requestId);
}

export function enableUser(
  deps: Deps,
  user: CurrentUser,
  userId: string,
  confirmed: boolean,
  requestId: string,
): Promise<AccountChangeResult> {
  return setAccountDisabled(deps, user, userId, false, confirmed, requestId);
}
