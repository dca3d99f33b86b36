import type { CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormResult } from '../../core/http/forms.ts';
import { currentLifeAssets, type LifeAsset } from '../assets/person-assets.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import { compareCircles, type CircleComparison, type CircleEntry } from './comparison.ts';
import {
  advanceMemberVersion,
  closeOpenVersion,
  insertMember,
  insertMemberVersion,
  selectCircleOn,
  selectCurrentCircle,
  selectMember,
  selectMemberIdByFormToken,
  selectMemberVersions,
  type MemberDetails,
} from './queries.ts';
import { isUuid, type MemberInput, type MemberRef, type NewMemberInput } from './schemas.ts';

export type { MemberDetails };

type Deps = Pick<AppDeps, 'db' | 'clock'>;

/** The audit actions of the circle of support, one per request. */
type CircleAction = 'circle.read' | 'circle.compare' | 'circle.add' | 'circle.update' | 'circle.leave';

type Access = { action: CircleAction; permission: 'person.read' | 'person.update' };

const READ = { action: 'circle.read', permission: 'person.read' } as const satisfies Access;
/** The add and change forms are only worth showing to someone who may save them. */
const READ_TO_CHANGE = { action: 'circle.read', permission: 'person.update' } as const satisfies Access;
const COMPARE = { action: 'circle.compare', permission: 'person.read' } as const satisfies Access;
const ADD = { action: 'circle.add', permission: 'person.update' } as const satisfies Access;
const UPDATE = { action: 'circle.update', permission: 'person.update' } as const satisfies Access;
const LEAVE = { action: 'circle.leave', permission: 'person.update' } as const satisfies Access;

/** Someone in the circle now. */
export interface CircleMember extends MemberDetails {
  id: string;
  version: number;
  /** The day they were first recorded in the circle. */
  joinedOn: string;
}

/** A member as the change page needs them: how they are (or were when they left), and who changed them last. */
export interface MemberOnRecord extends CircleMember {
  leftOn: string | null;
  changedBy: string;
  changedAt: Date;
  /** Every version, newest first: what a stale form was looking at can be shown beside what is saved now. */
  versions: (MemberDetails & { version: number; validFrom: string; validTo: string | null })[];
}

type VersionRow = Awaited<ReturnType<typeof selectMemberVersions>>[number];

function detailsOf(row: VersionRow): MemberDetails {
  return { name: row.name, relationship: row.relationship, howTheyHelp: row.how_they_help, closeness: row.closeness, kind: row.kind };
}

function sameDetails(a: MemberDetails, b: MemberDetails): boolean {
  return a.name === b.name && a.relationship === b.relationship && a.howTheyHelp === b.howTheyHelp && a.closeness === b.closeness && a.kind === b.kind;
}

/** For the person's overview: how many are in the circle now, and how many of them are not paid to be there. */
export interface CircleSummary {
  members: number;
  natural: number;
  closest: number;
}

/** The summary for the overview. The caller (the overview, through withPerson) has checked and audited access. */
export async function circleSummary(tx: Tx, programmeId: string, personId: string): Promise<CircleSummary> {
  const members = await currentCircle(tx, programmeId, personId);
  return {
    members: members.length,
    natural: members.filter((m) => m.kind !== 'paid').length,
    closest: members.filter((m) => m.closeness === 1).length,
  };
}

async function currentCircle(tx: Tx, programmeId: string, personId: string): Promise<CircleMember[]> {
  const rows = await selectCurrentCircle(tx, programmeId, personId);
  return rows.map((r) => ({ ...detailsOf(r), id: r.member_id, version: r.member_version, joinedOn: r.joined_on }));
}

async function loadMember(tx: Tx, programmeId: string, personId: string, memberId: string): Promise<MemberOnRecord | undefined> {
  if (!isUuid(memberId)) return undefined;
  const member = await selectMember(tx, programmeId, personId, memberId);
  if (member === undefined) return undefined;
  const versions = await selectMemberVersions(tx, programmeId, memberId);
  const latest = versions[0];
  if (latest === undefined) return undefined;
  return {
    ...detailsOf(latest),
    id: member.id,
    version: member.version,
    joinedOn: member.joined_on,
    leftOn: member.left_on,
    changedBy: member.updated_by_name,
    changedAt: member.updated_at,
    versions: versions.map((v) => ({ ...detailsOf(v), version: v.version, validFrom: v.valid_from, validTo: v.valid_to })),
  };
}

/** What the coordinator saw at `version`: the saved version of that number, or, failing that, how the member is now. */
export function detailsAtVersion(member: MemberOnRecord, version: number): MemberDetails {
  return member.versions.find((v) => v.version === version) ?? member;
}

const NOT_IN_CIRCLE = { kind: 'not-in-circle' } as const;

/**
 * withPerson, then one member of that person's circle. A member id that is not in this person's circle (another
 * person's, another programme's, made up) is refused as not found, and the access row says so.
 */
async function withMember<T>(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  memberId: string,
  access: Access,
  requestId: string,
  work: (tx: Tx, person: PersonInContext, member: MemberOnRecord, note: AccessNote) => Promise<T>,
): Promise<T | typeof NOT_IN_CIRCLE | undefined> {
  return withPerson(deps, user, personId, access, requestId, async (tx, person, note) => {
    const member = await loadMember(tx, user.programme.id, personId, memberId);
    if (member === undefined) {
      note.denied({ memberId, reason: 'not in this circle' });
      return NOT_IN_CIRCLE;
    }
    note.add({ memberId });
    return work(tx, person, member, note);
  });
}

export interface CirclePage {
  person: PersonInContext;
  members: CircleMember[];
  /** Community assets in their life now (the assets module keeps them). */
  assets: LifeAsset[];
}

/** The circle now. */
export async function getCircle(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<CirclePage | undefined> {
  return withPerson(deps, user, personId, READ, requestId, async (tx, person) => ({
    person,
    members: await currentCircle(tx, user.programme.id, person.id),
    assets: await currentLifeAssets(tx, user.programme.id, person.id),
  }));
}

/** The person whose circle a form adds to: for the empty form, and for a form shown again with its problems. */
export async function personForNewMember(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  purpose: 'show' | 'refused',
  requestId: string,
): Promise<PersonInContext | undefined> {
  return withPerson(deps, user, personId, purpose === 'show' ? READ_TO_CHANGE : ADD, requestId, async (_tx, person, note) => {
    if (purpose === 'refused') note.failed(formProblems());
    return person;
  });
}

/**
 * Someone new in the circle, from today. The form's one-time token makes a second submission (a double click, a
 * retry on a poor connection) find the member the first one added rather than add them twice.
 */
export async function addToCircle(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  input: NewMemberInput,
  requestId: string,
): Promise<{ memberId: string } | undefined> {
  const attempt = () =>
    withPerson(deps, user, personId, ADD, requestId, async (tx, person, note) => {
      const existing = await selectMemberIdByFormToken(tx, user.programme.id, input.formToken);
      if (existing !== undefined) return { memberId: existing };
      const at = deps.clock.now();
      const change = { programmeId: user.programme.id, personId: person.id, on: ukToday(at), at, by: user.id };
      const memberId = await insertMember(tx, { ...change, formToken: input.formToken });
      await insertMemberVersion(tx, { ...change, memberId, version: 1, details: input });
      note.add({ memberId });
      return { memberId };
    });
  return onceMoreIfRaced(attempt);
}

export type ChangePage =
  | { kind: 'choose'; person: PersonInContext; members: CircleMember[] }
  | { kind: 'member'; person: PersonInContext; member: MemberOnRecord }
  | typeof NOT_IN_CIRCLE;

/** The change page: a member of the circle, or (no member chosen yet) everyone, to choose from. */
export async function getChangePage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  memberId: string | undefined,
  requestId: string,
): Promise<ChangePage | undefined> {
  if (memberId === undefined) {
    return withPerson(deps, user, personId, READ_TO_CHANGE, requestId, async (tx, person) => ({
      kind: 'choose' as const,
      person,
      members: await currentCircle(tx, user.programme.id, person.id),
    }));
  }
  return withMember(deps, user, personId, memberId, READ_TO_CHANGE, requestId, async (_tx, person, member) => ({
    kind: 'member' as const,
    person,
    member,
  }));
}

export type ChangeResult =
  | { kind: 'choose'; person: PersonInContext; members: CircleMember[] }
  | typeof NOT_IN_CIRCLE
  | { kind: 'invalid'; person: PersonInContext; member: MemberOnRecord }
  | { kind: 'has-left'; person: PersonInContext; member: MemberOnRecord }
  | { kind: 'conflict'; person: PersonInContext; member: MemberOnRecord }
  | { kind: 'saved' };

/**
 * Saves a change to a member as a new version from today, if the form was made from the version saved now.
 * A form made from an older version is refused (someone else saved first) unless it asks for exactly what is
 * saved now, which is also what a second submission of a save that went through looks like.
 */
export async function changeMember(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  ref: MemberRef | undefined,
  form: FormResult<MemberInput>,
  requestId: string,
): Promise<ChangeResult | undefined> {
  if (ref === undefined) return chooseAgain(deps, user, personId, UPDATE, requestId);
  return withMember(deps, user, personId, ref.memberId, UPDATE, requestId, async (tx, person, member, note) => {
    // Someone who has left cannot be changed, whatever the form says: no form to correct, so say that first.
    if (member.leftOn !== null) {
      note.failed({ reason: 'no longer in the circle' });
      return { kind: 'has-left' as const, person, member };
    }
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid' as const, person, member };
    }
    if (sameDetails(member, form.data)) return { kind: 'saved' as const };
    if (member.version !== ref.version) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict' as const, person, member };
    }
    const at = deps.clock.now();
    const change = { programmeId: user.programme.id, personId: person.id, on: ukToday(at), at, by: user.id };
    const version = await advanceMemberVersion(tx, { ...change, memberId: member.id, expectedVersion: ref.version, leftOn: null });
    if (version === undefined) {
      const now = await reloadMember(tx, user, person, member.id);
      note.failed(CHANGED_MEANWHILE);
      return { kind: now.leftOn === null ? ('conflict' as const) : ('has-left' as const), person, member: now };
    }
    await closeOpenVersion(tx, user.programme.id, member.id, change.on);
    await insertMemberVersion(tx, { ...change, memberId: member.id, version, details: form.data });
    return { kind: 'saved' as const };
  });
}

export type LeaveResult =
  | { kind: 'choose'; person: PersonInContext; members: CircleMember[] }
  | typeof NOT_IN_CIRCLE
  | { kind: 'conflict'; person: PersonInContext; member: MemberOnRecord }
  | { kind: 'left' };

/**
 * "No longer in their circle": from today they are not in it, and everything recorded about them stays, so the
 * circle of an earlier date still shows them. Saying it twice is the same as saying it once.
 */
export async function leaveCircle(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  ref: MemberRef | undefined,
  requestId: string,
): Promise<LeaveResult | undefined> {
  if (ref === undefined) return chooseAgain(deps, user, personId, LEAVE, requestId);
  return withMember(deps, user, personId, ref.memberId, LEAVE, requestId, async (tx, person, member, note) => {
    if (member.leftOn !== null) return { kind: 'left' as const };
    if (member.version !== ref.version) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict' as const, person, member };
    }
    const at = deps.clock.now();
    const change = { programmeId: user.programme.id, personId: person.id, on: ukToday(at), at, by: user.id };
    const version = await advanceMemberVersion(tx, { ...change, memberId: member.id, expectedVersion: ref.version, leftOn: change.on });
    if (version === undefined) {
      const now = await reloadMember(tx, user, person, member.id);
      if (now.leftOn !== null) return { kind: 'left' as const };
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict' as const, person, member: now };
    }
    await closeOpenVersion(tx, user.programme.id, member.id, change.on);
    return { kind: 'left' as const };
  });
}

/** A form that did not say which member it was about: the person's circle, to choose from again. */
async function chooseAgain(deps: Deps, user: CurrentUser, personId: string, access: Access, requestId: string) {
  return withPerson(deps, user, personId, access, requestId, async (tx, person, note) => {
    note.failed({ reason: 'no member named' });
    return { kind: 'choose' as const, person, members: await currentCircle(tx, user.programme.id, person.id) };
  });
}

/** Someone else's save landed between reading the member and writing: the member as that save left them. */
async function reloadMember(tx: Tx, user: CurrentUser, person: PersonInContext, memberId: string): Promise<MemberOnRecord> {
  const member = await loadMember(tx, user.programme.id, person.id, memberId);
  // Members are never deleted, so the one just read is still there.
  if (member === undefined) throw new Error('A member of the circle could not be read again');
  return member;
}

export interface ComparePage {
  person: PersonInContext;
  /** Present when a date was given. */
  compared?: { on: string; today: string; then: CircleEntry[]; now: CircleEntry[]; comparison: CircleComparison };
}

/** The circle now beside the circle at the end of an earlier day; with no date, just the person, for the form. */
export async function compareCircleWith(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  on: string | undefined,
  requestId: string,
): Promise<ComparePage | undefined> {
  return withPerson(deps, user, personId, COMPARE, requestId, async (tx, person) => {
    if (on === undefined) return { person };
    const entry = (r: { member_id: string; name: string; relationship: string; closeness: CircleEntry['closeness'] }) => ({
      id: r.member_id,
      name: r.name,
      relationship: r.relationship,
      closeness: r.closeness,
    });
    const then = (await selectCircleOn(tx, user.programme.id, person.id, on)).map(entry);
    const now = (await selectCurrentCircle(tx, user.programme.id, person.id)).map(entry);
    return { person, compared: { on, today: ukToday(deps.clock.now()), then, now, comparison: compareCircles(then, now) } };
  });
}
