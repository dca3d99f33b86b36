import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, type FormErrors, formValues, type FormValues, parseForm, ukToday, UNREADABLE_FORM } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { PERSON_STATUSES } from '../../core/db/schema.ts';
import { DECISION_TEXT } from '../stories/schemas.ts';
import { ageNow, type AgeFacts } from './dates.ts';
import { conflictRows, describeDetails, describeHouseholdMember } from './describe.ts';
import {
  INTRODUCERS,
  LANGUAGES,
  PERSON_KNOWS,
  caseloadFiltersSchema,
  caseloadSearchSchema,
  coordinatorSchema,
  householdAddSchema,
  householdChangeSchema,
  introductionDecisionSchema,
  introductionSchema,
  memberIdSchema,
  personDetailsSchema,
  personIdSchema,
  statusChangeSchema,
} from './schemas.ts';
import {
  CHOICE_LABELS,
  STATUS_LABELS,
  addHouseholdMember,
  assignCoordinator,
  changeHouseholdMember,
  changeStatus,
  getCoordinatorPage,
  getHouseholdAddPage,
  getHouseholdMemberPage,
  getPersonAuditTrail,
  getPersonDetails,
  getPersonPage,
  getStatusPage,
  introductionAreas,
  listCaseload,
  listIntroductionsWaiting,
  recordIntroduction,
  removeHouseholdMember,
  savePersonDetails,
  type CaseloadPage,
  type CoordinatorPage,
  type IntroductionDecision,
  type RecordIntroductionResult,
  type HouseholdMemberPage,
  type StatusPage,
} from './service.ts';
import type { PersonInContext } from './access.ts';

const introducerText = new Map<string, string>(INTRODUCERS.map((i) => [i.value, i.text]));

const NOT_FOUND = 'There is no person at this address that you can see.';

function renderCaseload(request: FastifyRequest, reply: FastifyReply, page: CaseloadPage, values: FormValues, searched: boolean) {
  return render(
    request,
    reply,
    'modules/people/views/caseload.njk',
    { ...page, values, searched, statusLabels: STATUS_LABELS, statuses: PERSON_STATUSES },
    page.errors === undefined ? 200 : 400,
  );
}

/** "People I walk alongside", filtered by the query string's status and neighbourhood. */
export async function showCaseload(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const filters = parseForm(caseloadFiltersSchema, request.query);
  const page = await listCaseload(request.server.deps, user, { kind: 'filter', filters }, request.id);
  return renderCaseload(request, reply, page, formValues(request.query), false);
}

/** A search by name or postcode, sent as a form so that names stay out of addresses and logs. */
export async function searchCaseload(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const filters = parseForm(caseloadFiltersSchema, request.body);
  const search = parseForm(caseloadSearchSchema, request.body);
  const page = await listCaseload(request.server.deps, user, { kind: 'search', filters, search }, request.id);
  return renderCaseload(request, reply, page, formValues(request.body), true);
}

async function showIntroductionForm(
  request: FastifyRequest,
  reply: FastifyReply,
  values: FormValues,
  errors: FormErrors | undefined,
  statusCode: number,
) {
  const user = signedInUser(request);
  const areas = await introductionAreas(request.server.deps, user);
  const [onlyArea] = areas;
  // A coordinator with one neighbourhood has nothing to choose on a fresh form.
  if (errors === undefined && areas.length === 1 && onlyArea !== undefined) values = { ...values, areaId: onlyArea.id };
  return render(
    request,
    reply,
    'modules/people/views/introduce.njk',
    { values, errors, areas, introducers: INTRODUCERS, personKnows: PERSON_KNOWS },
    statusCode,
  );
}

export async function newIntroduction(request: FastifyRequest, reply: FastifyReply) {
  const today = dateParts(ukToday(request.server.deps.clock.now()));
  const values: FormValues = {
    formToken: randomUUID(),
    'introducedOn-day': today.day,
    'introducedOn-month': today.month,
    'introducedOn-year': today.year,
  };
  return showIntroductionForm(request, reply, values, undefined, 200);
}

/** Fields of the "Is this someone already known?" page that are its own, not the introduction's. */
const MATCH_PAGE_FIELDS = new Set(['_csrf', 'asked', 'decision', 'change']);

/**
 * "Is this someone already known?": the people it may be, and the introduction as typed carried along hidden
 * (with its one-time token), so that answering loses nothing and a double submission still records once.
 */
function showPossibleMatches(
  request: FastifyRequest,
  reply: FastifyReply,
  matches: Extract<RecordIntroductionResult, { kind: 'possible-matches' }>,
  values: FormValues,
  errors: FormErrors | undefined,
) {
  const carried = Object.entries(values)
    .filter(([name]) => !MATCH_PAGE_FIELDS.has(name))
    .flatMap(([name, value]) => [value].flat().map((v) => ({ name, value: v })));
  return render(
    request,
    reply,
    'modules/people/views/introduce-match.njk',
    { ...matches, carried, values, errors, statusLabels: STATUS_LABELS },
    errors === undefined ? 200 : 400,
  );
}

/** What the person recording the introduction has said so far about whether it is someone already known. */
function decisionOf(values: FormValues): { decision: IntroductionDecision; unanswered: FormErrors | undefined } {
  if (values.asked !== 'yes') return { decision: { kind: 'check' }, unanswered: undefined };
  const answer = parseForm(introductionDecisionSchema, values);
  if (!answer.ok) return { decision: { kind: 'ask' }, unanswered: answer.errors };
  const { decision } = answer.data;
  return { decision: decision === 'new' ? { kind: 'new' } : { kind: 'same-as', personId: decision }, unanswered: undefined };
}

export async function createIntroduction(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const values = formValues(request.body);
  // Back from "Is this someone already known?" to change what was typed: the form again, just as it was.
  if (values.change === 'yes') return showIntroductionForm(request, reply, values, undefined, 200);
  const form = parseForm(introductionSchema(ukToday(deps.clock.now())), request.body);
  if (!form.ok) return showIntroductionForm(request, reply, form.values, form.errors, 400);
  const { decision, unanswered } = decisionOf(values);
  const result = await recordIntroduction(deps, user, form.data, decision, request.id);
  switch (result.kind) {
    case 'recorded':
      return seeOther(reply, `/people/${result.personId}`);
    case 'area-not-allowed':
      return showIntroductionForm(request, reply, values, { areaId: 'Select one of the neighbourhoods you work in' }, 400);
    case 'possible-matches':
      return showPossibleMatches(request, reply, result, values, unanswered);
    case 'not-found':
      throw new HttpError(404, NOT_FOUND);
  }
}

/** A manager's list of introductions waiting for a coordinator, by neighbourhood. */
export async function showIntroductionsWaiting(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const areas = await listIntroductionsWaiting(request.server.deps, user, request.id);
  return render(request, reply, 'modules/people/views/waiting.njk', {
    areas,
    waiting: areas.reduce((n, a) => n + a.people.length, 0),
    introducerText: Object.fromEntries(introducerText),
    statusLabels: STATUS_LABELS,
  });
}

function renderCoordinatorForm(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CoordinatorPage,
  values: FormValues,
  extra: { errors?: FormErrors; conflict?: Conflict },
  statusCode: number,
) {
  return render(request, reply, 'modules/people/views/coordinator.njk', { ...page, values, ...extra }, statusCode);
}

export async function showCoordinatorForm(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = await getCoordinatorPage(request.server.deps, user, personId(request), request.id);
  if (page === undefined) throw new HttpError(404, NOT_FOUND);
  const values = { version: String(page.version), coordinatorId: page.coordinatorId ?? '' };
  return renderCoordinatorForm(request, reply, page, values, {}, 200);
}

export async function saveCoordinator(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personId(request);
  const form = parseForm(coordinatorSchema, request.body);
  const result = await assignCoordinator(request.server.deps, user, id, form, request.id);
  if (result === undefined) throw new HttpError(404, NOT_FOUND);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `/people/${id}`);
    case 'invalid':
      return renderCoordinatorForm(request, reply, result.page, formValues(request.body), { errors: result.errors }, 400);
    case 'conflict': {
      const theirs = result.page.coordinators.find((c) => c.id === result.page.coordinatorId)?.name ?? result.page.person.coordinatorName;
      const conflict = {
        changedBy: result.changedByName,
        changedAt: result.changedAt,
        rows: [{ label: 'Coordinator', theirs: theirs ?? 'Not yet agreed', yours: result.yours }],
      };
      const values = { ...formValues(request.body), version: String(result.page.version) };
      return renderCoordinatorForm(request, reply, result.page, values, { conflict }, 409);
    }
  }
}

function personId(request: FastifyRequest): string {
  const parsed = personIdSchema.safeParse(request.params);
  // Not even an id: nothing to look up, and nothing to tell apart from a person who is not there.
  if (!parsed.success) throw new HttpError(404, 'There is no person at this address.');
  return parsed.data.id;
}

export async function showPerson(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const person = await getPersonPage(request.server.deps, user, personId(request), request.id);
  if (person === undefined) throw new HttpError(404, NOT_FOUND);
  return render(request, reply, 'modules/people/views/person.njk', {
    person,
    details: describeDetails(person.details, person.today),
    household: person.household.map((m) => ({ id: m.id, name: m.name, rows: describeHouseholdMember(m, person.today) })),
    statusLabels: STATUS_LABELS,
    introducerText: Object.fromEntries(introducerText),
    personKnowsText: Object.fromEntries(PERSON_KNOWS.map((k) => [k.value, k.text])),
    consentText: DECISION_TEXT,
    canSeeAudit: user.role === 'manager',
  });
}

export async function showPersonAudit(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const trail = await getPersonAuditTrail(request.server.deps, user, personId(request), request.id);
  if (trail === undefined) throw new HttpError(404, NOT_FOUND);
  return render(request, reply, 'modules/people/views/audit.njk', { trail, canSeePerson: user.role === 'manager' });
}

function today(request: FastifyRequest): string {
  return ukToday(request.server.deps.clock.now());
}

/** A form's values for what is known about an age: the date of birth, or else the age today. */
function ageValues(facts: AgeFacts, onDay: string): FormValues {
  if (facts.dateOfBirth !== null) {
    const dob = dateParts(facts.dateOfBirth);
    return { 'dateOfBirth-day': dob.day, 'dateOfBirth-month': dob.month, 'dateOfBirth-year': dob.year };
  }
  const age = ageNow(facts, onDay);
  return age === null ? {} : { age: String(age) };
}

type Conflict = { changedBy: string | null; changedAt: Date; rows: { label: string; theirs: string; yours: string }[] };

function renderDetails(
  request: FastifyRequest,
  reply: FastifyReply,
  person: PersonInContext,
  values: FormValues,
  extra: { errors?: FormErrors; conflict?: Conflict },
  statusCode: number,
) {
  return render(request, reply, 'modules/people/views/details.njk', { person, values, ...extra, languages: LANGUAGES }, statusCode);
}

export async function showDetailsForm(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const found = await getPersonDetails(request.server.deps, user, personId(request), request.id);
  if (found === undefined) throw new HttpError(404, NOT_FOUND);
  const d = found.details;
  const values: FormValues = {
    version: String(d.version),
    name: d.name,
    preferredName: d.preferredName ?? '',
    pronouns: d.pronouns ?? '',
    ...ageValues(d, found.today),
    phone: d.phone ?? '',
    email: d.email ?? '',
    addressLine1: d.addressLine1 ?? '',
    addressLine2: d.addressLine2 ?? '',
    town: d.town ?? '',
    postcode: d.postcode ?? '',
    preferredLanguage: d.preferredLanguage ?? '',
    preferredLanguageOther: d.preferredLanguageOther ?? '',
    interpreterNeeded: d.interpreterNeeded === null ? '' : d.interpreterNeeded ? 'yes' : 'no',
  };
  return renderDetails(request, reply, found.person, values, {}, 200);
}

export async function saveDetails(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personId(request);
  const form = parseForm(personDetailsSchema(today(request)), request.body);
  const result = await savePersonDetails(request.server.deps, user, id, form, request.id);
  if (result === undefined) throw new HttpError(404, NOT_FOUND);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `/people/${id}`);
    case 'invalid':
      return renderDetails(request, reply, result.person, formValues(request.body), { errors: form.ok ? {} : form.errors }, 400);
    case 'conflict': {
      const conflict = {
        changedBy: result.current.updatedByName,
        changedAt: result.current.updatedAt,
        rows: conflictRows(describeDetails(result.current, result.today), describeDetails(result.yours, result.today)),
      };
      const values = { ...formValues(request.body), version: String(result.current.version) };
      return renderDetails(request, reply, result.person, values, { conflict }, 409);
    }
  }
}

function renderStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  page: StatusPage,
  values: FormValues,
  extra: { errors?: FormErrors; conflict?: Conflict },
  statusCode: number,
) {
  return render(
    request,
    reply,
    'modules/people/views/status.njk',
    { ...page, values, ...extra, statusLabels: STATUS_LABELS, choiceLabels: CHOICE_LABELS },
    statusCode,
  );
}

export async function showStatusForm(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = await getStatusPage(request.server.deps, user, personId(request), request.id);
  if (page === undefined) throw new HttpError(404, NOT_FOUND);
  return renderStatus(request, reply, page, { formToken: randomUUID(), version: String(page.version) }, {}, 200);
}

export async function saveStatus(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personId(request);
  const form = parseForm(statusChangeSchema, request.body);
  const result = await changeStatus(request.server.deps, user, id, form, request.id);
  if (result === undefined) throw new HttpError(404, NOT_FOUND);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `/people/${id}`);
    case 'invalid':
      return renderStatus(request, reply, result.page, formValues(request.body), { errors: result.errors ?? (form.ok ? {} : form.errors) }, 400);
    case 'conflict': {
      const conflict = {
        changedBy: result.changedByName,
        changedAt: result.changedAt,
        rows: [
          { label: 'Status', theirs: STATUS_LABELS[result.page.person.status], yours: CHOICE_LABELS[result.yours.choice].text },
          { label: 'Why', theirs: result.theirReason ?? '', yours: result.yours.reason ?? '' },
        ],
      };
      const values = { ...formValues(request.body), version: String(result.page.version) };
      return renderStatus(request, reply, result.page, values, { conflict }, 409);
    }
  }
}

function renderHouseholdAdd(request: FastifyRequest, reply: FastifyReply, person: PersonInContext, values: FormValues, errors: FormErrors | undefined, statusCode: number) {
  return render(request, reply, 'modules/people/views/household-member.njk', { person, values, errors, adding: true }, statusCode);
}

export async function newHouseholdMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = await getHouseholdAddPage(request.server.deps, user, personId(request), request.id);
  if (page === undefined) throw new HttpError(404, NOT_FOUND);
  return renderHouseholdAdd(request, reply, page.person, { formToken: randomUUID() }, undefined, 200);
}

export async function createHouseholdMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personId(request);
  const form = parseForm(householdAddSchema(today(request)), request.body);
  const result = await addHouseholdMember(request.server.deps, user, id, form, request.id);
  if (result === undefined) throw new HttpError(404, NOT_FOUND);
  if (result.kind === 'invalid') return renderHouseholdAdd(request, reply, result.person, formValues(request.body), form.ok ? {} : form.errors, 400);
  return seeOther(reply, `/people/${id}#household`);
}

const NO_SUCH_MEMBER = 'This person is not in the household. Someone may have removed them.';
function memberIdIn(source: unknown): string | undefined {
  const parsed = memberIdSchema.safeParse(source);
  return parsed.success ? parsed.data.member : undefined;
}

function renderHouseholdMember(
  request: FastifyRequest,
  reply: FastifyReply,
  page: HouseholdMemberPage,
  values: FormValues,
  extra: { errors?: FormErrors; conflict?: Conflict },
  statusCode: number,
) {
  return render(
    request,
    reply,
    'modules/people/views/household-member.njk',
    { person: page.person, member: page.member, values, ...extra, adding: false },
    statusCode,
  );
}

export async function showHouseholdMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = await getHouseholdMemberPage(request.server.deps, user, personId(request), memberIdIn(request.query), request.id);
  if (page === undefined) throw new HttpError(404, NOT_FOUND);
  if (page === 'no-such-member') throw new HttpError(404, NO_SUCH_MEMBER);
  const { member } = page;
  const values: FormValues = {
    member: member.id,
    version: String(member.version),
    name: member.name,
    relationship: member.relationship,
    ...ageValues(member, page.today),
    notes: member.notes ?? '',
  };
  return renderHouseholdMember(request, reply, page, values, {}, 200);
}

export async function saveHouseholdMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personId(request);
  const form = parseForm(householdChangeSchema(today(request)), request.body);
  const result = await changeHouseholdMember(request.server.deps, user, id, memberIdIn(request.body), form, request.id);
  if (result === undefined) throw new HttpError(404, NOT_FOUND);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `/people/${id}#household`);
    case 'no-member-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'no-such-member':
      throw new HttpError(404, NO_SUCH_MEMBER);
    case 'invalid':
      return renderHouseholdMember(request, reply, result.page, formValues(request.body), { errors: form.ok ? {} : form.errors }, 400);
    case 'conflict': {
      const { member, today: onDay } = result.page;
      const conflict = {
        changedBy: member.updatedByName,
        changedAt: member.updatedAt,
        rows: conflictRows(describeHouseholdMember(member, onDay), describeHouseholdMember(result.yours, onDay)),
      };
      const values = { ...formValues(request.body), version: String(member.version) };
      return renderHouseholdMember(request, reply, result.page, values, { conflict }, 409);
    }
  }
}

export async function removeFromHousehold(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personId(request);
  const result = await removeHouseholdMember(request.server.deps, user, id, memberIdIn(request.body), request.id);
  if (result === undefined) throw new HttpError(404, NOT_FOUND);
  if (result === 'no-member-given') throw new HttpError(400, UNREADABLE_FORM);
  return seeOther(reply, `/people/${id}#household`);
}
