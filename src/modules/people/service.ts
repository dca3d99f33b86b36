import { auditTrail, record, type AuditTrailEntry } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import type { PersonStatus } from '../../core/db/schema.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormErrors, type FormResult } from '../../core/http/forms.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type AccessNote, type PersonInContext } from './access.ts';
import { areasFor } from '../admin/service.ts';
import { workingTogetherFor, type WorkingTogether } from '../agreements/service.ts';
import { circleSummary, type CircleSummary } from '../circle/service.ts';
import { selectLastContact, selectLastContacts } from '../journal/queries.ts';
import { countOpenConcerns } from '../safeguarding/service.ts';
import { consentOf, type Consent } from '../stories/service.ts';
import { visionSummary, type VisionSummary } from '../vision/service.ts';
import { ageNow, daysSince, timeSince, type AgeFacts } from './dates.ts';
import {
  deleteHouseholdMember,
  insertHouseholdMember,
  insertIntroduction,
  insertPerson,
  insertStatusChange,
  selectCaseload,
  selectHouseholdMember,
  selectHouseholdMembers,
  selectIntroductions,
  selectPersonDetails,
  selectPersonIdByFormToken,
  selectPossibleMatches,
  selectManagerNames,
  selectWaitingForCoordinator,
  selectAreaCoordinators,
  selectCoordinatorOf,
  updatePersonCoordinator,
  updateIntroducedFacts,
  type IntroducedFacts,
  type NewIntroductionRow,
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
  CoordinatorInput,
  HouseholdChangeInput,
  HouseholdMemberInput,
  IntroductionInput,
  PersonKnows,
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
  /** The day of the latest journal entry, and how long ago: time since, never a countdown. */
  lastContact: { on: string; ago: string } | null;
  workingTogether: WorkingTogether;
}

/** Working together before any step or agreement is written down. */
const NOTHING_AGREED_YET: WorkingTogether = { thinkingNatural: { kind: 'no-steps' }, openSteps: 0, nextReview: null };

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
    const personIds = found.map((r) => r.id);
    const lastContacts = await selectLastContacts(tx, user.programme.id, personIds);
    const together = await workingTogetherFor(tx, user.programme.id, personIds);
    await record(tx, actorFor(deps, user, requestId), {
      action: search === undefined ? 'caseload.read' : 'caseload.search',
      detail: { people: found.length, ...(status === undefined ? {} : { status }), ...(area === undefined ? {} : { areaId: area }) },
    });
    return found.map((r) => ({ ...r, lastContact: lastContacts.get(r.id), together: together.get(r.id) }));
  });
  const today = ukToday(deps.clock.now());
  const people = rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    areaName: r.area_name,
    postcode: r.postcode,
    introducedOn: r.last_introduced_on,
    lastContact: r.lastContact === undefined ? null : { on: r.lastContact, ago: daysSince(r.lastContact, today) },
    workingTogether: r.together ?? NOTHING_AGREED_YET,
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
  /** The day of the latest journal entry, and how long ago: time since, never a countdown. */
  lastContact: { on: string; ago: string } | null;
  /** The rest of the record in brief, each part from the module that keeps it. */
  summary: {
    vision: VisionSummary;
    circle: CircleSummary;
    workingTogether: WorkingTogether;
    openConcerns: number;
    /** Their decision in force about sharing a story; undefined when they have not been asked yet. */
    storyConsent: Consent | undefined;
  };
  household: HouseholdMember[];
  introductions: {
    id: string;
    introducedBy: string;
    introducerName: string | null;
    introducerOrganisation: string | null;
    introducedOn: string;
    whatTheyWouldLikeToChange: string;
    /** Null for introductions recorded before the question was asked. */
    personKnows: PersonKnows | null;
    reIntroduction: boolean;
    recordedByName: string;
  }[];
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
    const today = ukToday(now);
    const lastChanged = [details.updatedAt, ...household.map((h) => h.updatedAt)].reduce((a, b) => (b > a ? b : a));
    const lastContact = await selectLastContact(tx, programmeId, personId);
    const summary = {
      vision: await visionSummary(tx, programmeId, personId),
      circle: await circleSummary(tx, programmeId, personId),
      workingTogether: (await workingTogetherFor(tx, programmeId, [personId])).get(personId) ?? NOTHING_AGREED_YET,
      openConcerns: await countOpenConcerns(tx, programmeId, personId),
      storyConsent: (await consentOf(tx, programmeId, personId)).inForce,
    };
    return {
      ...person,
      details,
      today,
      statusSince: since(history[0]?.changedAt ?? person.createdAt, now),
      lastChanged: since(lastChanged, now),
      lastContact: lastContact === undefined ? null : { on: lastContact, ago: daysSince(lastContact, today) },
      summary,
      household,
      introductions: introductions.map((i) => ({
        id: i.id,
        introducedBy: i.introduced_by,
        introducerName: i.introducer_name,
        introducerOrganisation: i.introducer_organisation,
        introducedOn: i.introduced_on,
        whatTheyWouldLikeToChange: i.what_they_would_like_to_change,
        personKnows: i.person_knows,
        reIntroduction: i.re_introduction,
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

/** Someone already known, in the user's own neighbourhoods (a manager's: all), who may be the person introduced. */
export interface VisibleMatch {
  id: string;
  name: string;
  preferredName: string | null;
  areaName: string;
  status: PersonStatus;
}

/**
 * Where the introduction is up to: just sent (`check` for people already known, and record someone new if there
 * are none); asked "Is this someone already known?" but not answered (`ask` again, never record); answered with
 * someone `new`, or the person it is the `same-as`.
 */
export type IntroductionDecision = { kind: 'check' } | { kind: 'ask' } | { kind: 'new' } | { kind: 'same-as'; personId: string };

export type RecordIntroductionResult =
  | { kind: 'recorded'; personId: string }
  | { kind: 'area-not-allowed' }
  /**
   * Someone with this name and date of birth or postcode is already known: nothing was recorded. People outside
   * the user's neighbourhoods are only named by where they are known (`elsewhere`), with whom to talk to.
   */
  | { kind: 'possible-matches'; visible: VisibleMatch[]; elsewhere: string[]; managers: string[] }
  /** The person chosen as "this is them" is not someone the user may see (or not there at all). */
  | { kind: 'not-found' };

/**
 * An introduction: of someone new (a new person and their introduction), or of someone already known (a
 * re-introduction, see reintroduce). Before a new person is made, people already known with the same name and
 * the same date of birth or postcode are offered instead; the user answers with `decision`. The form's one-time
 * token makes a double submission (a double click, a retry on a poor connection) land on the same record.
 */
export async function recordIntroduction(
  deps: Deps,
  user: CurrentUser,
  input: IntroductionInput,
  decision: IntroductionDecision,
  requestId: string,
): Promise<RecordIntroductionResult> {
  if (!can(user, 'person.create', { programmeId: user.programme.id, areaId: input.areaId })) {
    await inTransaction(deps.db, scopeOf(user), (tx) =>
      record(tx, actorFor(deps, user, requestId), { action: 'person.create', recordType: 'person', outcome: 'denied', detail: { areaId: input.areaId } }),
    );
    return { kind: 'area-not-allowed' };
  }
  if (decision.kind === 'same-as') return reintroduce(deps, user, decision.personId, input, requestId);
  const attempt = () =>
    inTransaction(deps.db, scopeOf(user), async (tx): Promise<RecordIntroductionResult> => {
      const existing = await selectPersonIdByFormToken(tx, user.programme.id, input.formToken);
      if (existing !== undefined) return { kind: 'recorded', personId: existing };
      if (decision.kind === 'check' || decision.kind === 'ask') {
        const { count, ...matches } = await possibleMatches(tx, user, input);
        if (count > 0 || decision.kind === 'ask') {
          await record(tx, actorFor(deps, user, requestId), { action: 'introduction.match', detail: { matches: count } });
          return { kind: 'possible-matches', ...matches };
        }
      }
      return { kind: 'recorded', personId: await createPerson(deps, tx, user, input, requestId) };
    });
  return onceMoreIfRaced(attempt);
}


/** People already known who may be the one introduced, as far as this user may be told, and how many in all. */
async function possibleMatches(tx: Tx, user: CurrentUser, input: IntroductionInput) {
  const programmeId = user.programme.id;
  const rows = await selectPossibleMatches(tx, programmeId, input);
  const mayRead = (r: (typeof rows)[number]) => can(user, 'person.read', { programmeId, areaId: r.area_id });
  const visible = rows.filter(mayRead).map((r) => ({
    id: r.id,
    name: r.name,
    preferredName: r.preferred_name,
    areaName: r.area_name,
    status: r.status,
  }));
  const hidden = rows.filter((r) => !mayRead(r));
  return {
    count: rows.length,
    visible,
    elsewhere: [...new Set(hidden.map((r) => r.area_name))],
    managers: hidden.length === 0 ? [] : await selectManagerNames(tx, programmeId),
  };
}

/** What the introduction form says about the person, as it is kept on their record. */
function introducedFacts(input: IntroductionInput, today: string): IntroducedFacts {
  return { ...ageFactsFrom(input, undefined, today), postcode: input.postcode };
}

function introductionRow(user: CurrentUser, personId: string, input: IntroductionInput, reIntroduction: boolean, at: Date): NewIntroductionRow {
  return {
    programmeId: user.programme.id,
    personId,
    introducedBy: input.introducedBy,
    introducerName: input.introducerName,
    introducerOrganisation: input.introducerOrganisation,
    introducedOn: input.introducedOn,
    whatTheyWouldLikeToChange: input.whatTheyWouldLikeToChange,
    personKnows: input.personKnows,
    reIntroduction,
    recordedBy: user.id,
    formToken: input.formToken,
    at,
  };
}

/** A new person and their introduction, with its audit row. A coordinator who records it walks alongside them. */
async function createPerson(deps: Deps, tx: Tx, user: CurrentUser, input: IntroductionInput, requestId: string): Promise<string> {
  const at = deps.clock.now();
  const personId = await insertPerson(tx, {
    programmeId: user.programme.id,
    areaId: input.areaId,
    name: input.name,
    ...introducedFacts(input, ukToday(at)),
    coordinatorId: user.role === 'coordinator' ? user.id : null,
    at,
  });
  const introductionId = await insertIntroduction(tx, introductionRow(user, personId, input, false, at));
  await record(tx, actorFor(deps, user, requestId), { action: 'person.create', recordType: 'person', recordId: personId, detail: { introductionId } });
  return personId;
}

/**
 * A re-introduction: a new introduction of someone already known, on their own record. If they were resting or
 * had moved on, the door re-opens: back to getting to know, remembered as a re-introduction in their status
 * history. What the form says of their age and postcode fills gaps in the record, never overwrites it. A
 * coordinator who records it walks alongside them if nobody does yet.
 */
async function reintroduce(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  input: IntroductionInput,
  requestId: string,
): Promise<RecordIntroductionResult> {
  const programmeId = user.programme.id;
  const attempt = () =>
    withPerson(deps, user, personId, { action: 'introduction.reintroduce', permission: 'person.update' }, requestId, async (tx, person, note) => {
      const existing = await selectPersonIdByFormToken(tx, programmeId, input.formToken);
      if (existing !== undefined) return existing;
      const at = deps.clock.now();
      const introductionId = await insertIntroduction(tx, introductionRow(user, personId, input, true, at));
      const before = await selectPersonDetails(tx, programmeId, personId);
      let version = before.version;
      const reopens = statusChoices(before.status).includes('re_introduced');
      if (reopens) {
        const { to, reIntroduced } = statusAfter('re_introduced');
        await updatePersonStatus(tx, change(deps, user, personId, version), to);
        version += 1;
        await insertStatusChange(tx, {
          programmeId,
          personId,
          fromStatus: before.status,
          toStatus: to,
          reIntroduced,
          reason: null,
          changedBy: user.id,
          changedAt: at,
          formToken: input.formToken,
        });
      }
      const { coordinatorId } = await selectCoordinatorOf(tx, programmeId, personId);
      if (coordinatorId === null && user.role === 'coordinator') {
        await updatePersonCoordinator(tx, change(deps, user, personId, version), user.id);
      }
      const given = introducedFacts(input, ukToday(at));
      const ageKnown = before.dateOfBirth !== null || before.ageWhenRecorded !== null;
      const facts: IntroducedFacts = {
        ...(ageKnown ? { dateOfBirth: before.dateOfBirth, ageWhenRecorded: before.ageWhenRecorded, ageRecordedOn: before.ageRecordedOn } : given),
        postcode: before.postcode ?? given.postcode,
      };
      if (facts.postcode !== before.postcode || facts.dateOfBirth !== before.dateOfBirth || facts.ageWhenRecorded !== before.ageWhenRecorded) {
        await updateIntroducedFacts(tx, { programmeId, personId, by: user.id, at }, facts);
      }
      note.add({ introductionId, reopened: reopens });
      return person.id;
    });
  const personIdRecorded = await onceMoreIfRaced(attempt);
  return personIdRecorded === undefined ? { kind: 'not-found' } : { kind: 'recorded', personId: personIdRecorded };
}

/** One person waiting for a coordinator: when and by whom they were introduced, and how long they have waited. */
export interface WaitingPerson {
  id: string;
  name: string;
  status: PersonStatus;
  introducedOn: string | null;
  introducedBy: string | null;
  introducer: string | null;
  reIntroduction: boolean;
  /** How long since the introduction, in words: time since, never a countdown. */
  waited: string;
}

export interface WaitingArea {
  areaId: string;
  areaName: string;
  people: WaitingPerson[];
}

/**
 * Introductions waiting for a coordinator across the programme, by neighbourhood, longest waiting first. For a
 * manager; audited as one read of the list ('introductions.waiting', with the count).
 */
export async function listIntroductionsWaiting(deps: Deps, user: CurrentUser, requestId: string): Promise<WaitingArea[]> {
  const rows = await inTransaction(deps.db, scopeOf(user), async (tx) => {
    const found = await selectWaitingForCoordinator(tx, user.programme.id);
    await record(tx, actorFor(deps, user, requestId), { action: 'introductions.waiting', detail: { people: found.length } });
    return found;
  });
  const now = deps.clock.now();
  const areas = new Map<string, WaitingArea>();
  for (const r of rows) {
    const area = areas.get(r.area_id) ?? { areaId: r.area_id, areaName: r.area_name, people: [] };
    areas.set(r.area_id, area);
    const introduced = r.introduced_on === null ? r.created_at : new Date(`${r.introduced_on}T12:00:00Z`);
    area.people.push({
      id: r.id,
      name: r.name,
      status: r.status,
      introducedOn: r.introduced_on,
      introducedBy: r.introduced_by,
      introducer: [r.introducer_name, r.introducer_organisation].filter((v) => v !== null).join(', ') || null,
      reIntroduction: r.re_introduction === true,
      waited: timeSince(introduced, now),
    });
  }
  return [...areas.values()];
}

export interface CoordinatorPage {
  person: PersonInContext;
  /** The person's coordinator now, if they have one. */
  coordinatorId: string | null;
  /** The version of the person's record the choice is made from. */
  version: number;
  /** The coordinators of the person's neighbourhood: the choices. */
  coordinators: { id: string; name: string }[];
}

async function coordinatorPage(tx: Tx, user: CurrentUser, person: PersonInContext): Promise<CoordinatorPage & { updatedByName: string | null; updatedAt: Date }> {
  const now = await selectCoordinatorOf(tx, user.programme.id, person.id);
  return {
    person,
    coordinatorId: now.coordinatorId,
    version: now.version,
    coordinators: await selectAreaCoordinators(tx, user.programme.id, person.areaId),
    updatedByName: now.updatedByName,
    updatedAt: now.updatedAt,
  };
}

/** Only a manager shares out the people introduced; the route says so too, and so does the record's own check. */
function mayAssign(user: CurrentUser, note: AccessNote): boolean {
  if (can(user, 'person.assign')) return true;
  note.denied({ reason: 'only a manager chooses a coordinator' });
  return false;
}

/** The form to choose (or change) who coordinates for the person, among their neighbourhood's coordinators. */
export async function getCoordinatorPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<CoordinatorPage | undefined> {
  return withPerson(deps, user, personId, { action: 'coordinator.read', permission: 'person.update' }, requestId, async (tx, person, note) =>
    mayAssign(user, note) ? coordinatorPage(tx, user, person) : undefined,
  );
}

export type AssignCoordinatorResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: CoordinatorPage; errors: FormErrors }
  /** Someone changed the record after the form was opened: nothing saved; the page is as it is now. */
  | { kind: 'conflict'; page: CoordinatorPage; changedByName: string | null; changedAt: Date; yours: string };

/**
 * Gives the person a coordinator, or another one. The choice must be a coordinator of the person's
 * neighbourhood; a form opened before someone else's change to the record is refused, not applied.
 */
export async function assignCoordinator(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<CoordinatorInput>,
  requestId: string,
): Promise<AssignCoordinatorResult | undefined> {
  return withPerson(deps, user, personId, { action: 'coordinator.assign', permission: 'person.update' }, requestId, async (tx, person, note) => {
    if (!mayAssign(user, note)) return undefined;
    const { updatedByName, updatedAt, ...page } = await coordinatorPage(tx, user, person);
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid' as const, page, errors: form.errors };
    }
    const chosen = page.coordinators.find((c) => c.id === form.data.coordinatorId);
    if (chosen === undefined) {
      note.failed({ reason: 'not a coordinator of this neighbourhood', fields: ['coordinatorId'] });
      return { kind: 'invalid' as const, page, errors: { coordinatorId: `Select one of the coordinators of ${person.areaName}` } };
    }
    const refused = () => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict' as const, page, changedByName: updatedByName, changedAt: updatedAt, yours: chosen.name };
    };
    if (form.data.version !== page.version) return refused();
    note.add({ coordinatorId: chosen.id });
    if (page.coordinatorId === chosen.id) return { kind: 'saved' as const };
    if (!(await updatePersonCoordinator(tx, change(deps, user, personId, form.data.version), chosen.id))) return refused();
    return { kind: 'saved' as const };
  });
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
  return withPerson(deps, user, personId, { action: 'details.update', permission: 'person.update' }, requestId, async (tx, person, note) => {
    const today = ukToday(deps.clock.now());
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', person, today };
    }
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
    note.failed(CHANGED_MEANWHILE);
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
  return withPerson(deps, user, personId, { action: 'status.update', permission: 'person.update' }, requestId, async (tx, person, note) => {
    const programmeId = user.programme.id;
    if (form.ok && (await formTokenUsed(tx, 'person_status_changes', programmeId, personId, form.data.formToken))) return { kind: 'saved' };
    const page = await statusPage(deps, tx, user, person);
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: undefined };
    }
    const input = form.data;
    // Refused unless this very form was saved meanwhile (a copy of it racing this one): then it is done, once.
    const refused = async (): Promise<ChangeStatusResult> => {
      if (await formTokenUsed(tx, 'person_status_changes', programmeId, personId, input.formToken)) return { kind: 'saved' };
      const { updatedByName, updatedAt } = await selectPersonDetails(tx, programmeId, personId);
      const theirReason = page.history[0]?.reason ?? null;
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, changedByName: updatedByName, changedAt: updatedAt, theirReason, yours: input };
    };
    if (input.version !== page.version) return refused();
    if (!page.choices.includes(input.choice)) {
      note.failed({ reason: 'form had problems', fields: ['choice'] });
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
    withPerson(deps, user, personId, { action: 'household.add', permission: 'person.update' }, requestId, async (tx, person, note) => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid' as const, person };
      }
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
  return onceMoreIfRaced(attempt);
}

/** A household member named in a request that is not in this person's household (or none was named). */
function notInHousehold(memberId: string | undefined): Record<string, unknown> {
  return memberId === undefined ? { reason: 'no member named' } : { memberId, reason: 'not in this household' };
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
  return withPerson(deps, user, personId, { action: 'household.read', permission: 'person.read' }, requestId, async (tx, person, note) => {
    const member = memberId === undefined ? undefined : await selectHouseholdMember(tx, user.programme.id, personId, memberId);
    if (member === undefined) {
      note.denied(notInHousehold(memberId));
      return 'no-such-member';
    }
    return { person, member, today: ukToday(deps.clock.now()) };
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
  return withPerson(deps, user, personId, { action: 'household.update', permission: 'person.update' }, requestId, async (tx, person, note) => {
    if (memberId === undefined) {
      note.failed(notInHousehold(memberId));
      return { kind: 'no-member-given' };
    }
    const member = await selectHouseholdMember(tx, user.programme.id, personId, memberId);
    if (member === undefined) {
      note.denied(notInHousehold(memberId));
      return { kind: 'no-such-member' };
    }
    const today = ukToday(deps.clock.now());
    const page = { person, member, today };
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page };
    }
    const yours = householdRow(form.data, member, today);
    if (await updateHouseholdMember(tx, change(deps, user, personId, form.data.version), memberId, yours)) return { kind: 'saved' };
    note.failed(CHANGED_MEANWHILE);
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
  return withPerson(deps, user, personId, { action: 'household.remove', permission: 'person.update' }, requestId, async (tx, _person, note) => {
    if (memberId === undefined) {
      note.failed(notInHousehold(memberId));
      return 'no-member-given';
    }
    note.add({ memberId });
    await deleteHouseholdMember(tx, user.programme.id, personId, memberId);
    return 'removed';
  });
}
