import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, type FormErrors, formValues, type FormValues, parseForm, ukToday, UNREADABLE_FORM } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import type { PersonInContext } from '../people/access.ts';
import { concernChangeSchema, concernRefSchema, newConcernSchema } from './schemas.ts';
import {
  changeConcern,
  getConcernChangePage,
  getConcerns,
  getNewConcernPage,
  listOpenConcerns,
  raiseConcern,
  type Concern,
  type ConcernChangePage,
  type ConcernDetails,
} from './service.ts';
import { personFound, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/safeguarding/views';
const NO_SUCH_CONCERN = 'There is no such safeguarding concern in this person’s record.';
/** The concern named in a form or query, if it names one at all: the service decides whether it is this person's. */
function concernIdIn(source: unknown): string | undefined {
  const parsed = concernRefSchema.safeParse(source);
  return parsed.success ? parsed.data.concern : undefined;
}

const concernsPath = (personId: string) => `/people/${personId}/concerns`;

/** What is recorded about a concern, one row per question, in words: for the record, its history and a conflict. */
function describeConcern(d: ConcernDetails): { label: string; text: string }[] {
  const rows = [
    { label: 'Date raised', text: formatDate(d.raisedOn) },
    { label: 'Raised by', text: d.raisedBy },
    { label: 'What the concern is', text: d.whatTheConcernIs },
    { label: 'What was done', text: d.whatWasDone ?? 'Nothing recorded yet' },
    { label: 'Who was informed', text: [d.informedWho, d.informedOrganisation].filter((v) => v !== null).join(', ') || 'Nobody recorded yet' },
  ];
  if (d.closedOn === null) return [...rows, { label: 'Open or closed', text: 'Open' }];
  return [...rows, { label: 'Open or closed', text: `Closed on ${formatDate(d.closedOn)}` }, { label: 'Outcome', text: d.outcome ?? '' }];
}

/** One row per question of both versions side by side, for the edit-conflict banner. */
function conflictRows(theirs: ConcernDetails, yours: ConcernDetails) {
  const mine = describeConcern(yours);
  const labels = [...new Set([...describeConcern(theirs), ...mine].map((r) => r.label))];
  const textOf = (rows: { label: string; text: string }[], label: string) => rows.find((r) => r.label === label)?.text ?? '';
  const theirRows = describeConcern(theirs);
  return labels.map((label) => ({ label, theirs: textOf(theirRows, label), yours: textOf(mine, label) }));
}

function described(concern: Concern) {
  return {
    ...concern,
    rows: describeConcern(concern),
    history: concern.history.map((v) => ({ ...v, rows: describeConcern(v) })),
  };
}

/** The banner after a change: the address says which kind (?recorded=1), nothing personal. */
const NOTICES: Record<string, string> = { recorded: 'Safeguarding concern recorded', saved: 'Safeguarding concern updated' };

function noticeOf(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(NOTICES).find((k) => query[k] === '1');
  return key === undefined ? undefined : NOTICES[key];
}

export async function showConcerns(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = personFound(await getConcerns(request.server.deps, user, personIdOf(request), request.id));
  return render(request, reply, `${VIEWS}/concerns.njk`, {
    person: page.person,
    open: page.open,
    concerns: page.concerns.map(described),
    notice: noticeOf(request),
  });
}

// Recording a concern -------------------------------------------------------------------------------------------

function dateValues(name: string, iso: string | null): FormValues {
  if (iso === null) return {};
  const { day, month, year } = dateParts(iso);
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

function showNewForm(request: FastifyRequest, reply: FastifyReply, person: PersonInContext, values: FormValues, errors: FormErrors | undefined) {
  return render(request, reply, `${VIEWS}/concern-new.njk`, { person, values, errors }, errors === undefined ? 200 : 400);
}

export async function newConcern(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const person = personFound(await getNewConcernPage(request.server.deps, user, personIdOf(request), request.id));
  const values = { formToken: randomUUID(), raisedBy: user.name, ...dateValues('raisedOn', ukToday(request.server.deps.clock.now())) };
  return showNewForm(request, reply, person, values, undefined);
}

export async function createConcern(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const form = parseForm(newConcernSchema(ukToday(request.server.deps.clock.now())), request.body);
  const result = personFound(await raiseConcern(request.server.deps, user, personId, form, request.id));
  if (result.kind === 'invalid') return showNewForm(request, reply, result.person, formValues(request.body), form.ok ? {} : form.errors);
  return seeOther(reply, `${concernsPath(personId)}?recorded=1#concern-${result.concernId}`);
}

// Updating or closing a concern ----------------------------------------------------------------------------------

function concernValues(concern: Concern): FormValues {
  return {
    concern: concern.id,
    version: String(concern.version),
    ...dateValues('raisedOn', concern.raisedOn),
    raisedBy: concern.raisedBy,
    whatTheConcernIs: concern.whatTheConcernIs,
    whatWasDone: concern.whatWasDone ?? '',
    informedWho: concern.informedWho ?? '',
    informedOrganisation: concern.informedOrganisation ?? '',
    state: concern.closedOn === null ? 'open' : 'closed',
    ...dateValues('closedOn', concern.closedOn),
    outcome: concern.outcome ?? '',
  };
}

function showChangeForm(
  request: FastifyRequest,
  reply: FastifyReply,
  page: ConcernChangePage,
  values: FormValues,
  extra: { errors?: FormErrors; conflict?: { changedBy: string; changedAt: Date; rows: ReturnType<typeof conflictRows> } },
  statusCode: number,
) {
  return render(
    request,
    reply,
    `${VIEWS}/concern-change.njk`,
    { person: page.person, concern: described(page.concern), values, ...extra },
    statusCode,
  );
}

export async function showConcernChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const page = personFound(await getConcernChangePage(request.server.deps, user, personId, concernIdIn(request.query), request.id));
  if ('kind' in page) {
    if (page.kind === 'choose') return seeOther(reply, concernsPath(personId));
    throw new HttpError(404, NO_SUCH_CONCERN);
  }
  return showChangeForm(request, reply, page, concernValues(page.concern), {}, 200);
}

export async function saveConcernChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const form = parseForm(concernChangeSchema(ukToday(request.server.deps.clock.now())), request.body);
  const result = personFound(await changeConcern(request.server.deps, user, personId, concernIdIn(values), form, request.id));
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `${concernsPath(personId)}?saved=1#concern-${concernIdIn(values) ?? ''}`);
    case 'no-concern-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'no-such-concern':
      throw new HttpError(404, NO_SUCH_CONCERN);
    case 'invalid':
      return showChangeForm(request, reply, result.page, values, { errors: form.ok ? {} : form.errors }, 400);
    case 'conflict': {
      const { concern } = result.page;
      const conflict = { changedBy: concern.updatedByName, changedAt: concern.updatedAt, rows: conflictRows(concern, result.yours) };
      // What this person typed, now against the version they have just been shown.
      return showChangeForm(request, reply, result.page, { ...values, version: String(concern.version) }, { conflict }, 409);
    }
  }
}

// A manager's list ----------------------------------------------------------------------------------------------

export async function showOpenConcerns(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const concerns = await listOpenConcerns(request.server.deps, user, request.id);
  return render(request, reply, `${VIEWS}/open-concerns.njk`, { concerns });
}
