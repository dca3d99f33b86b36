import { auditTrail, record, type AuditTrailEntry } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import type { PersonStatus } from '../../core/db/schema.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormErrors, type FormResult } from '../../core/http/forms.ts';
import { areasFor } from '../admin/service.ts';
import { ageNow, timeSince, type AgeFacts } from './dates.ts';
import {
  deleteHouseholdMember,
  insertHouseholdMember,
  insertIntroduction,
  insertPerson,
  lockPerson,
  insertStatusChange,
  selectCaseload,
  selectHouseholdMember,
  selectHouseholdMembers,
  selectIntroductions,
  selectPerson,
  selectPersonDetails,
  selectPersonIdByFormToken,
  selectStatusChanges,
  formTokenUsed,
  updateHouseholdMember,
  updatePersonDetails,
  updatePersonStatus,
  type Change,
  type HouseholdMemberRow,
  type PersonDetailsRow,
} from './queries.ts';
import type {
  CaseloadFilters,
  HouseholdChangeInput,
  HouseholdMemberInput,
  IntroductionInput,
  PersonDetailsInput,
  StatusChangeInput,
  StatusChoice,
} from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export const STATUS_LABELS: Record<PersonStatus, string> = {
  introduced: 'Introduced',
  getting_to_know: 'Getting to know',
  walking_alongside: 'Walking alongside',
  resting: 'Resting (door open)',
  moved_on: 'Moved on',
};

/** The choices on the status page, in the model's words. A re-introduction returns to getting to know. */
export const CHOICE_LABELS: Record<StatusChoice, { text: string; hint: string }> = {
  re_introduced: { text: 'Re-introduced', hint: 'They are back in touch: getting to know them again.' },
  getting_to_know: { text: 'Getting to know', hint: 'Meeting and listening, at their pace.' },
  walking_alongside: { text: 'Walking alongside', hint: 'Working together towards their vision of a good life.' },
  resting: { text: 'Resting (door open)', hint: 'Taking a break. They can come back at any time.' },
  moved_on: { text: 'Moved on', hint: 'Write their reason below, in their own words.' },
};

export interface CaseloadEntry {
  id: string;
  name: string;
  status: PersonStatus;
  areaName: string;
  postcode: string | null;
  introducedOn: string | null;
}

export interface CaseloadPage {
  /** The neighbourhoods the user may filter by: a coordinator's own, or every one in a manager's programme. */
  areas: { id: string; name: string }[];
  /** Null when the filters could not be used: then `errors` says why, and nothing was read. */
  people: CaseloadEntry[] | null;
  errors: FormErrors | undefined;
}

export type CaseloadRequest =
  | { kind: 'filter'; filters: FormResult<CaseloadFilters> }
  | { kind: 'search'; filters: FormResult<CaseloadFilters>; search: FormResult<{ q: string }> };

/**
 * "People I walk alongside": a coordinator's neighbourhoods, or a manager's whole programme, narrowed by status,
 * neighbourhood or a search by name or postcode. Audited as one read of the list ('caseload.read', or
 * 'caseload.search' for a search), with counts and filters but never the words searched for.
 */
export async function listCaseload(deps: Deps, user: CurrentUser, request: CaseloadRequest, requestId: string): Promise<CaseloadPage> {
  const areas = (await introductionAreas(deps, user)).map((a) => ({ id: a.id, name: a.name }));
  const filters = request.filters;
  const errors: FormErrors = filters.ok ? {} : { ...filters.errors };
  if (filters.ok && filters.data.area !== undefined && !areas.some((a) => a.id === filters.data.area)) {
    errors.area = 'Choose a neighbourhood from the list';
  }
  if (request.kind === 'search' && !request.search.ok) Object.assign(errors, request.search.errors);
  if (!filters.ok || Object.keys(errors).length > 0) return { areas, people: null, errors };
  const { status, area } = filters.data;
  const search = request.kind === 'search' && request.search.ok ? request.search.data.q : undefined;
  const rows = await inTransaction(deps.db, scopeOf(user), async (tx) => {
    const found = await selectCaseload(tx, {
      programmeId: user.programme.id,
      areaIds: user.role === 'manager' ? null : user.areaIds,
      status,
      areaId: area,
      search,
    });
    await record(tx, actorFor(deps, user, requestId), {
      action: search === undefined ? 'caseload.read' : 'caseload.search',
      detail: { people: found.length, ...(status === undefined ? {} : { status }), ...(area === undefined ? {} : { areaId: area }) },
    });
    return found;
  });
  const people = rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    areaName: r.area_name,
    postcode: r.postcode,
    introducedOn: r.last_introduced_on,
  }));
  return { areas, people, errors: undefined };
}

/** The person's own details as stored, with the version an edit starts from and who saved them last. */
export interface PersonDetails extends PersonDetailsRow {
  version: number;
  updatedAt: Date;
  updatedByName: string | null;
}

export interface HouseholdMember extends AgeFacts {
  id: string;
  name: string;
  relationship: string;
  notes: string | null;
  version: number;
  updatedAt: Date;
  updatedByName: string;
}

export interface PersonPage extends PersonInContext {
  details: PersonDetails;
  today: string;
  /** When the current status began, and how long ago that is. No deadline: only time since. */
  statusSince: { at: Date; ago: string };
  /** The last change to the details, status or household, and how long ago. */
  lastChanged: { at: Date; ago: string };
  household: HouseholdMember[];
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
    // Changes to one person's record queue behind each other: a check (a one-time form token, the latest version)
    // and the write it guards then always see the same state, however many saves arrive at once.
    if (access.permission === 'person.update') await lockPerson(tx, user.programme.id, personId);
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

function since(at: Date, now: Date) {
  return { at, ago: timeSince(at, now) };
}

export async function getPersonPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<PersonPage | undefined> {
  return withPerson(deps, user, personId, { action: 'person.read', permission: 'person.read' }, requestId, async (tx, person) => {
    const programmeId = user.programme.id;
    const [details, household, history, introductions] = [
      await selectPersonDetails(tx, programmeId, personId),
      await selectHouseholdMembers(tx, programmeId, personId),
      await selectStatusChanges(tx, programmeId, personId),
      await selectIntroductions(tx, programmeId, personId),
    ];
    const now = deps.clock.now();
    const lastChanged = [details.updatedAt, ...household.map((h) => h.updatedAt)].reduce((a, b) => (b > a ? b : a));
    return {
      ...person,
      details,
      today: ukToday(now),
      statusSince: since(history[0]?.changedAt ?? person.createdAt, now),
      lastChanged: since(lastChanged, now),
      household,
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

/** The age facts to store from a form's answer. An unchanged age keeps the day it was first recorded. */
function ageFactsFrom(answer: { dateOfBirth: string | null; age: number | null }, before: AgeFacts | undefined, today: string): AgeFacts {
  if (answer.dateOfBirth !== null) return { dateOfBirth: answer.dateOfBirth, ageWhenRecorded: null, ageRecordedOn: null };
  if (answer.age === null) return { dateOfBirth: null, ageWhenRecorded: null, ageRecordedOn: null };
  const unchanged = before !== undefined && before.dateOfBirth === null && ageNow(before, today) === answer.age;
  if (unchanged) return { dateOfBirth: null, ageWhenRecorded: before.ageWhenRecorded, ageRecordedOn: before.ageRecordedOn };
  return { dateOfBirth: null, ageWhenRecorded: answer.age, ageRecordedOn: today };
}

function change(deps: Deps, user: CurrentUser, personId: string, expectedVersion: number): Change {
  return { programmeId: user.programme.id, personId, expectedVersion, by: user.id, at: deps.clock.now() };
}

/** The details form: the person's details as stored, with the version to edit from. */
export async function getPersonDetails(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  requestId: string,
): Promise<{ person: PersonInContext; details: PersonDetails; today: string } | undefined> {
  return withPerson(deps, user, personId, { action: 'details.read', permission: 'person.read' }, requestId, async (tx, person) => ({
    person,
    details: await selectPersonDetails(tx, user.programme.id, personId),
    today: ukToday(deps.clock.now()),
  }));
}

export type SaveDetailsResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; person: PersonInContext; today: string }
  /** Someone saved first: nothing was saved; `current` is theirs, `yours` what this form would have saved. */
  | { kind: 'conflict'; person: PersonInContext; today: string; current: PersonDetails; yours: PersonDetailsRow };

/** Saves the details form, unless it is invalid or someone else saved since the form was opened. */
export async function savePersonDetails(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<PersonDetailsInput>,
  requestId: string,
): Promise<SaveDetailsResult | undefined> {
  return withPerson(deps, user, personId, { action: 'details.update', permission: 'person.update' }, requestId, async (tx, person) => {
    const today = ukToday(deps.clock.now());
    if (!form.ok) return { kind: 'invalid', person, today };
    const current = await selectPersonDetails(tx, user.programme.id, personId);
    const d = form.data;
    const yours: PersonDetailsRow = {
      name: d.name,
      preferredName: d.preferredName,
      pronouns: d.pronouns,
      ...ageFactsFrom(d, current, today),
      phone: d.phone,
      email: d.email,
      addressLine1: d.addressLine1,
      addressLine2: d.addressLine2,
      town: d.town,
      postcode: d.postcode,
      preferredLanguage: d.preferredLanguage,
      preferredLanguageOther: d.preferredLanguageOther,
      interpreterNeeded: d.interpreterNeeded,
    };
    if (await updatePersonDetails(tx, change(deps, user, personId, d.version), yours)) return { kind: 'saved' };
    return { kind: 'conflict', person, today, current, yours };
  });
}

/** What a coordinator may choose next. Someone resting or moved on comes back by being re-introduced. */
export function statusChoices(current: PersonStatus): StatusChoice[] {
  if (current === 'moved_on') return ['re_introduced'];
  const others = (['getting_to_know', 'walking_alongside', 'resting', 'moved_on'] as const).filter((s) => s !== current);
  return current === 'resting' ? others.map((s) => (s === 'getting_to_know' ? 're_introduced' : s)) : others;
}

/** A re-introduction is a return to getting to know, remembered as a re-introduction. */
function statusAfter(choice: StatusChoice): { to: Exclude<PersonStatus, 'introduced'>; reIntroduced: boolean } {
  return choice === 're_introduced' ? { to: 'getting_to_know', reIntroduced: true } : { to: choice, reIntroduced: false };
}

export interface StatusHistoryEntry {
  id: string;
  fromStatus: PersonStatus;
  toStatus: PersonStatus;
  reIntroduced: boolean;
  reason: string | null;
  changedAt: Date;
  changedByName: string;
}

export interface StatusPage {
  person: PersonInContext;
  version: number;
  choices: StatusChoice[];
  statusSince: { at: Date; ago: string };
  history: StatusHistoryEntry[];
}

/** The status and its version are read together, so a change made from them is made from what was shown. */
async function statusPage(deps: Deps, tx: Tx, user: CurrentUser, person: PersonInContext): Promise<StatusPage> {
  const { status, version } = await selectPersonDetails(tx, user.programme.id, person.id);
  const history = await selectStatusChanges(tx, user.programme.id, person.id);
  return {
    person: { ...person, status },
    version,
    choices: statusChoices(status),
    statusSince: since(history[0]?.changedAt ?? person.createdAt, deps.clock.now()),
    history,
  };
}

export async function getStatusPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<StatusPage | undefined> {
  return withPerson(deps, user, personId, { action: 'status.read', permission: 'person.read' }, requestId, (tx, person) =>
    statusPage(deps, tx, user, person),
  );
}

export type ChangeStatusResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: StatusPage; errors: FormErrors | undefined }
  | { kind: 'conflict'; page: StatusPage; changedByName: string | null; changedAt: Date; theirReason: string | null; yours: StatusChangeInput };

/**
 * Moves the person to the status they and the coordinator agreed, keeping the change as history. The same form
 * sent twice changes the status once; a form opened before someone else's change is refused, not applied.
 */
export async function changeStatus(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<StatusChangeInput>,
  requestId: string,
): Promise<ChangeStatusResult | undefined> {
  return withPerson(deps, user, personId, { action: 'status.update', permission: 'person.update' }, requestId, async (tx, person) => {
    const programmeId = user.programme.id;
    if (form.ok && (await formTokenUsed(tx, 'person_status_changes', programmeId, personId, form.data.formToken))) return { kind: 'saved' };
    const page = await statusPage(deps, tx, user, person);
    if (!form.ok) return { kind: 'invalid', page, errors: undefined };
    const input = form.data;
    // Refused unless this very form was saved meanwhile (a copy of it racing this one): then it is done, once.
    const refused = async (): Promise<ChangeStatusResult> => {
      if (await formTokenUsed(tx, 'person_status_changes', programmeId, personId, input.formToken)) return { kind: 'saved' };
      const { updatedByName, updatedAt } = await selectPersonDetails(tx, programmeId, personId);
      const theirReason = page.history[0]?.reason ?? null;
      return { kind: 'conflict', page, changedByName: updatedByName, changedAt: updatedAt, theirReason, yours: input };
    };
    if (input.version !== page.version) return refused();
    if (!page.choices.includes(input.choice)) {
      return { kind: 'invalid', page, errors: { choice: 'Select one of the choices shown' } };
    }
    const { to, reIntroduced } = statusAfter(input.choice);
    const made = change(deps, user, personId, input.version);
    if (!(await updatePersonStatus(tx, made, to))) return refused();
    await insertStatusChange(tx, {
      programmeId,
      personId,
      fromStatus: page.person.status,
      toStatus: to,
      reIntroduced,
      reason: input.reason,
      changedBy: user.id,
      changedAt: made.at,
      formToken: input.formToken,
    });
    return { kind: 'saved' };
  });
}

/** The form to add someone to the household. */
export async function getHouseholdAddPage(deps: Deps, user: CurrentUser, personId: string, requestId: string) {
  return withPerson(deps, user, personId, { action: 'household.read', permission: 'person.read' }, requestId, async (_tx, person) => ({
    person,
  }));
}

function householdRow(input: HouseholdMemberInput | HouseholdChangeInput, before: AgeFacts | undefined, today: string): HouseholdMemberRow {
  return {
    name: input.name,
    relationship: input.relationship,
    notes: input.notes,
    ...ageFactsFrom(input, before, today),
  };
}

export type AddHouseholdMemberResult = { kind: 'added' } | { kind: 'invalid'; person: PersonInContext };

/** Adds someone to the household. The form's one-time token makes a double submission add them once. */
export async function addHouseholdMember(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<HouseholdMemberInput>,
  requestId: string,
): Promise<AddHouseholdMemberResult | undefined> {
  const attempt = () =>
    withPerson(deps, user, personId, { action: 'household.add', permission: 'person.update' }, requestId, async (tx, person) => {
      if (!form.ok) return { kind: 'invalid' as const, person };
      const programmeId = user.programme.id;
      if (await formTokenUsed(tx, 'household_members', programmeId, personId, form.data.formToken)) return { kind: 'added' as const };
      const at = deps.clock.now();
      await insertHouseholdMember(tx, {
        ...householdRow(form.data, undefined, ukToday(at)),
        programmeId,
        personId,
        formToken: form.data.formToken,
        by: user.id,
        at,
      });
      return { kind: 'added' as const };
    });
  try {
    return await attempt();
  } catch (error) {
    // Two copies of one form raced: the loser's transaction (and its audit row) rolled back; the retry finds the winner's.
    if (isUniqueViolation(error)) return attempt();
    throw error;
  }
}

export interface HouseholdMemberPage {
  person: PersonInContext;
  member: HouseholdMember;
  today: string;
}

/** One household member, to change or remove. `memberId` undefined or someone else's member: not found. */
export async function getHouseholdMemberPage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  memberId: string | undefined,
  requestId: string,
): Promise<HouseholdMemberPage | 'no-such-member' | undefined> {
  return withPerson(deps, user, personId, { action: 'household.read', permission: 'person.read' }, requestId, async (tx, person) => {
    const member = memberId === undefined ? undefined : await selectHouseholdMember(tx, user.programme.id, personId, memberId);
    return member === undefined ? 'no-such-member' : { person, member, today: ukToday(deps.clock.now()) };
  });
}

export type ChangeHouseholdMemberResult =
  | { kind: 'saved' }
  | { kind: 'no-member-given' }
  | { kind: 'no-such-member' }
  | { kind: 'invalid'; page: HouseholdMemberPage }
  | { kind: 'conflict'; page: HouseholdMemberPage; yours: HouseholdMemberRow };

/** Saves a household member's details, unless invalid or someone else saved since the form was opened. */
export async function changeHouseholdMember(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  memberId: string | undefined,
  form: FormResult<HouseholdChangeInput>,
  requestId: string,
): Promise<ChangeHouseholdMemberResult | undefined> {
  return withPerson(deps, user, personId, { action: 'household.update', permission: 'person.update' }, requestId, async (tx, person) => {
    if (memberId === undefined) return { kind: 'no-member-given' };
    const member = await selectHouseholdMember(tx, user.programme.id, personId, memberId);
    if (member === undefined) return { kind: 'no-such-member' };
    const today = ukToday(deps.clock.now());
    const page = { person, member, today };
    if (!form.ok) return { kind: 'invalid', page };
    const yours = householdRow(form.data, member, today);
    if (await updateHouseholdMember(tx, change(deps, user, personId, form.data.version), memberId, yours)) return { kind: 'saved' };
    return { kind: 'conflict', page, yours };
  });
}

/** Removes someone from the household. Removing someone already removed (a second click) is not an error. */
export async function removeHouseholdMember(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  memberId: string | undefined,
  requestId: string,
): Promise<'removed' | 'no-member-given' | undefined> {
  return withPerson(deps, user, personId, { action: 'household.remove', permission: 'person.update' }, requestId, async (tx) => {
    if (memberId === undefined) return 'no-member-given';
    await deleteHouseholdMember(tx, user.programme.id, personId, memberId);
    return 'removed';
  });
}
