import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm, ukToday, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import type { PersonInContext } from '../people/access.ts';
import { drawingOrder, layoutCircle } from './diagram.ts';
import {
  CLOSENESS,
  CLOSENESS_TEXT,
  SUPPORT_KINDS,
  SUPPORT_KIND_TEXT,
  compareSchema,
  memberRefSchema,
  memberSchema,
  newMemberSchema,
} from './schemas.ts';
import {
  addToCircle,
  changeMember,
  compareCircleWith,
  detailsAtVersion,
  getChangePage,
  getCircle,
  leaveCircle,
  personForNewMember,
  type CircleMember,
  type MemberDetails,
  type MemberOnRecord,
} from './service.ts';
import { NO_PERSON, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/circle/views';
const NOT_IN_CIRCLE = 'There is nobody like that in this circle of support.';

/** What every circle page may show in words. */
const WORDS = { closeness: CLOSENESS, closenessText: CLOSENESS_TEXT, kinds: SUPPORT_KINDS, kindText: SUPPORT_KIND_TEXT };

type NotInCircle = { kind: 'not-in-circle' };

/** What the service found, or the not-found page: no such person for this user, or no such member in their circle. */
function found<T extends object>(result: T | undefined): Exclude<T, NotInCircle> {
  if (result === undefined) throw new HttpError(404, NO_PERSON);
  if ('kind' in result && result.kind === 'not-in-circle') throw new HttpError(404, NOT_IN_CIRCLE);
  return result as Exclude<T, NotInCircle>;
}

const paths = (personId: string) => ({ circle: `/people/${personId}/circle` });

/** The banner after a change: the address says which kind of change (?added=1), nothing personal. */
const NOTICES: Record<string, string> = {
  added: 'Added to the circle',
  saved: 'Changes saved',
  left: 'Recorded as no longer in their circle. They stay in the circle’s history.',
};

function noticeOf(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(NOTICES).find((k) => query[k] === '1');
  return key === undefined ? undefined : NOTICES[key];
}

/** The members grouped by ring, in drawing order, each with the label their marker shows. */
function groupsOf(members: CircleMember[], labels: Map<string, string>) {
  const ordered = drawingOrder(members);
  return CLOSENESS.map(({ value, text }) => ({
    closeness: value,
    text,
    members: ordered.filter((m) => m.closeness === value).map((m) => ({ ...m, label: labels.get(m.id) ?? '' })),
  }));
}

export async function showCircle(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = found(await getCircle(request.server.deps, user, personIdOf(request), request.id));
  const diagram = layoutCircle(page.person.name, page.members);
  const labels = new Map(diagram.points.map((p) => [p.id, p.label]));
  return render(request, reply, `${VIEWS}/circle.njk`, {
    ...WORDS,
    person: page.person,
    members: page.members,
    assets: page.assets,
    groups: groupsOf(page.members, labels),
    diagram,
    natural: page.members.filter((m) => m.kind !== 'paid').length,
    notice: noticeOf(request),
    values: {},
  });
}

// Adding someone ------------------------------------------------------------------------------------------------

function showAddForm(request: FastifyRequest, reply: FastifyReply, person: PersonInContext, values: FormValues, errors?: FormErrors) {
  return render(
    request,
    reply,
    `${VIEWS}/add.njk`,
    { ...WORDS, person, values, errors, circlePath: paths(person.id).circle },
    errors === undefined ? 200 : 400,
  );
}

export async function newCircleMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const person = found(await personForNewMember(request.server.deps, user, personIdOf(request), 'show', request.id));
  return showAddForm(request, reply, person, { formToken: randomUUID() });
}

export async function addCircleMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const form = parseForm(newMemberSchema, request.body);
  if (!form.ok) {
    // The person first: someone who may not see them learns nothing from the form's problems.
    const person = found(await personForNewMember(request.server.deps, user, personId, 'refused', request.id));
    return showAddForm(request, reply, person, form.values, form.errors);
  }
  found(await addToCircle(request.server.deps, user, personId, form.data, request.id));
  return seeOther(reply, `${paths(personId).circle}?added=1`);
}

// Changing someone, or recording that they are no longer in the circle --------------------------------------------

function valuesOf(details: MemberDetails): FormValues {
  return {
    name: details.name,
    relationship: details.relationship,
    howTheyHelp: details.howTheyHelp ?? '',
    closeness: String(details.closeness),
    kind: details.kind,
  };
}

/** One row per question of the two versions side by side, in words, for the edit-conflict banner. */
function conflictRows(theirs: FormValues, yours: FormValues) {
  const text = (values: FormValues, key: string) => {
    const value = values[key];
    return typeof value === 'string' ? value : '';
  };
  // What was typed may be anything: a value with no words for it is shown as it came.
  const inWords = (words: Partial<Record<string, string>>) => (v: string) => words[v] ?? v;
  const closeness = inWords(CLOSENESS_TEXT);
  const kind = inWords(SUPPORT_KIND_TEXT);
  const rows: [string, string, (v: string) => string][] = [
    ['Name', 'name', (v) => v],
    ['Who they are to the person', 'relationship', (v) => v],
    ['How they help', 'howTheyHelp', (v) => v],
    ['How close', 'closeness', closeness],
    ['Kind of support', 'kind', kind],
  ];
  return rows.map(([label, key, words]) => ({ label, theirs: words(text(theirs, key)), yours: words(text(yours, key)) }));
}

function conflictOf(member: MemberOnRecord, rows: ReturnType<typeof conflictRows>) {
  return { changedBy: member.changedBy, changedAt: member.changedAt, rows };
}

interface ChangeView {
  person: PersonInContext;
  member: MemberOnRecord;
  values: FormValues;
  /** The version the form will be saved against. */
  version: number;
  errors?: FormErrors;
  conflict?: ReturnType<typeof conflictOf>;
  /** A save that arrived after someone recorded that the member had left: what was typed, not saved. */
  notSavedBecauseLeft?: ReturnType<typeof conflictRows>;
}

function showChangeForm(request: FastifyRequest, reply: FastifyReply, view: ChangeView, statusCode: number) {
  return render(request, reply, `${VIEWS}/change.njk`, { ...WORDS, ...view, circlePath: paths(view.person.id).circle }, statusCode);
}

function showChooser(
  request: FastifyRequest,
  reply: FastifyReply,
  person: PersonInContext,
  members: CircleMember[],
  errors?: FormErrors,
) {
  return render(
    request,
    reply,
    `${VIEWS}/choose.njk`,
    // With nobody to choose from, the problem is said on the page itself rather than linked to a missing field.
    { person, members: drawingOrder(members), errors: members.length === 0 ? undefined : errors, circlePath: paths(person.id).circle },
    errors === undefined ? 200 : 400,
  );
}

/** The member asked for in ?member=…, as typed: the service decides whether it names anyone in this circle. */
function memberAskedFor(request: FastifyRequest): string | undefined {
  const member = (request.query as Record<string, unknown>).member;
  return typeof member === 'string' ? member : undefined;
}

export async function showChangeMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = found(await getChangePage(request.server.deps, user, personIdOf(request), memberAskedFor(request), request.id));
  if (page.kind === 'choose') return showChooser(request, reply, page.person, page.members);
  const { person, member } = page;
  return showChangeForm(request, reply, { person, member, values: valuesOf(member), version: member.version }, 200);
}

export async function saveCircleMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const ref = memberRefSchema.safeParse(formValues(request.body));
  const form = parseForm(memberSchema, request.body);
  const result = found(await changeMember(request.server.deps, user, personId, ref.data, form, request.id));
  const yours = formValues(request.body);
  switch (result.kind) {
    case 'choose':
      return showChooser(request, reply, result.person, result.members, { member: 'Select who you want to change' });
    case 'invalid':
      return showChangeForm(
        request,
        reply,
        { person: result.person, member: result.member, values: yours, version: ref.data?.version ?? result.member.version, ...(form.ok ? {} : { errors: form.errors }) },
        400,
      );
    case 'has-left':
      return showChangeForm(
        request,
        reply,
        { person: result.person, member: result.member, values: yours, version: result.member.version, notSavedBecauseLeft: conflictRows(valuesOf(result.member), yours) },
        409,
      );
    case 'conflict':
      return showChangeForm(
        request,
        reply,
        {
          person: result.person,
          member: result.member,
          values: yours,
          version: result.member.version,
          conflict: conflictOf(result.member, conflictRows(valuesOf(result.member), yours)),
        },
        409,
      );
    case 'saved':
      return seeOther(reply, `${paths(personId).circle}?saved=1`);
  }
}

export async function leaveCircleMember(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const ref = memberRefSchema.safeParse(formValues(request.body));
  const result = found(await leaveCircle(request.server.deps, user, personId, ref.data, request.id));
  switch (result.kind) {
    case 'choose':
      return showChooser(request, reply, result.person, result.members, { member: 'Select who is no longer in the circle' });
    case 'conflict': {
      const { person, member } = result;
      // What they saw when they chose to record the leaving, beside what is saved now; and the leaving itself.
      const seen = valuesOf(detailsAtVersion(member, ref.data?.version ?? member.version));
      const rows = [
        ...conflictRows(valuesOf(member), seen),
        { label: 'In the circle', theirs: 'Yes', yours: 'No longer in their circle' },
      ];
      return showChangeForm(
        request,
        reply,
        { person, member, values: valuesOf(member), version: member.version, conflict: conflictOf(member, rows) },
        409,
      );
    }
    case 'left':
      return seeOther(reply, `${paths(personId).circle}?left=1`);
  }
}

// Comparing with an earlier date ----------------------------------------------------------------------------------

const DATE_FIELDS = ['on-day', 'on-month', 'on-year'];

export async function compareCircleDates(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const personId = personIdOf(request);
  const query = formValues(request.query);
  // The page opened without a date shows the form; a date asked for, even a blank one, is checked.
  const asked = DATE_FIELDS.some((field) => field in query);
  const form = asked ? parseForm(compareSchema(ukToday(deps.clock.now())), query) : undefined;
  const page = found(await compareCircleWith(deps, user, personId, form?.ok === true ? form.data.on : undefined, request.id));
  const compared = page.compared;
  return render(
    request,
    reply,
    `${VIEWS}/compare.njk`,
    {
      ...WORDS,
      person: page.person,
      values: query,
      errors: form?.ok === false ? form.errors : undefined,
      compared,
      diagrams:
        compared === undefined
          ? undefined
          : { then: layoutCircle(page.person.name, compared.then), now: layoutCircle(page.person.name, compared.now) },
    },
    form?.ok === false ? 400 : 200,
  );
}
