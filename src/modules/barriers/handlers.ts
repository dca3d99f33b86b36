import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateValues } from '../../core/http/date-fields.ts';
import { type FormErrors, formValues, type FormValues, parseForm, ukToday, UNREADABLE_FORM } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import {
  SERVICE_TEXT,
  STATUS_OPTIONS,
  STATUS_TEXT,
  barrierChangeSchema,
  barrierIdSchema,
  newBarrierSchema,
  personRefSchema,
  personSearchSchema,
  type BarrierChangeInput,
} from './schemas.ts';
import {
  changeBarrier,
  findPeopleToLink,
  getBarrierChangePage,
  getBarrierLog,
  getBarrierPage,
  recordBarrier,
  setPersonLink,
  type Barrier,
  type BarrierPage,
} from './service.ts';
import { BARRIER_SERVICES } from './tables.ts';

const VIEWS = 'modules/barriers/views';
const LOG = '/barriers';
const NO_BARRIER = 'There is no such system barrier in the log.';
const NO_PERSON = 'There is no such person that you can see.';
const SERVICE_OPTIONS = BARRIER_SERVICES.map((value) => ({ value, text: SERVICE_TEXT[value] }));
const LABELS = { serviceText: SERVICE_TEXT, statusText: STATUS_TEXT, statusOptions: STATUS_OPTIONS, serviceOptions: SERVICE_OPTIONS };

const today = (request: FastifyRequest) => ukToday(request.server.deps.clock.now());
const barrierPath = (id: string) => `${LOG}/${id}`;

function barrierIdOf(request: FastifyRequest): string {
  const parsed = barrierIdSchema.safeParse(request.params);
  if (!parsed.success) throw new HttpError(404, NO_BARRIER);
  return parsed.data.id;
}

function noticeOf(request: FastifyRequest, notices: Record<string, string>): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(notices).find((k) => query[k] === '1');
  return key === undefined ? undefined : notices[key];
}

/** Checkboxes as a list, however many were ticked. */
function listOf(values: FormValues, name: string): string[] {
  const value = values[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export async function showLog(request: FastifyRequest, reply: FastifyReply) {
  const log = await getBarrierLog(request.server.deps, signedInUser(request), request.id);
  return render(request, reply, `${VIEWS}/log.njk`, { ...log, ...LABELS, notice: noticeOf(request, { recorded: 'System barrier recorded' }) });
}

// ---------------------------------------------------------------------------------------------------------------
// Recording and changing a barrier

interface FormView {
  action: string;
  back: string;
  barrier?: Barrier;
  values: FormValues;
  errors?: FormErrors | undefined;
  conflict?: ReturnType<typeof barrierConflict>;
}

function showForm(request: FastifyRequest, reply: FastifyReply, view: FormView, statusCode: number) {
  return render(request, reply, `${VIEWS}/barrier-form.njk`, { ...view, checkedServices: listOf(view.values, 'services'), ...LABELS }, statusCode);
}

export async function newBarrier(request: FastifyRequest, reply: FastifyReply) {
  return showForm(request, reply, { action: LOG, back: LOG, values: { formToken: randomUUID() } }, 200);
}

export async function createBarrier(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(newBarrierSchema(today(request)), request.body);
  const result = await recordBarrier(request.server.deps, signedInUser(request), form, request.id);
  if (result.kind === 'recorded') return seeOther(reply, `${barrierPath(result.barrierId)}?recorded=1`);
  return showForm(request, reply, { action: LOG, back: LOG, values: formValues(request.body), errors: result.errors }, 400);
}

function barrierValues(b: Barrier): FormValues {
  return {
    version: String(b.version),
    summary: b.summary,
    whatHappened: b.whatHappened,
    services: b.services,
    otherServices: b.otherServices ?? '',
    ...dateValues('raisedWithLeadershipOn', b.raisedWithLeadershipOn),
    response: b.response ?? '',
    status: b.status,
  };
}

/** What the log says about a barrier, in words, one row per question: for the edit-conflict banner. */
function describe(b: Pick<BarrierChangeInput, 'summary' | 'whatHappened' | 'services' | 'otherServices' | 'raisedWithLeadershipOn' | 'response' | 'status'>) {
  return [
    { label: 'The barrier in a line', text: b.summary },
    { label: 'What happened', text: b.whatHappened },
    { label: 'Services involved', text: [...b.services.map((s) => SERVICE_TEXT[s]), ...(b.otherServices === null ? [] : [b.otherServices])].join(', ') },
    { label: 'Raised with the Leadership Group', text: b.raisedWithLeadershipOn === null ? 'Not yet' : formatDate(b.raisedWithLeadershipOn) },
    { label: 'Response', text: b.response ?? '' },
    { label: 'Status', text: STATUS_TEXT[b.status] },
  ];
}

function barrierConflict(theirs: Barrier, yours: BarrierChangeInput) {
  const mine = describe(yours);
  return {
    changedBy: theirs.updatedByName,
    changedAt: theirs.updatedAt,
    rows: describe(theirs).map((row, i) => ({ label: row.label, theirs: row.text, yours: mine[i]?.text ?? '' })),
  };
}

export async function showBarrierChange(request: FastifyRequest, reply: FastifyReply) {
  const barrierId = barrierIdOf(request);
  const page = await getBarrierChangePage(request.server.deps, signedInUser(request), barrierId);
  if (page === undefined) throw new HttpError(404, NO_BARRIER);
  const view = { action: `${barrierPath(barrierId)}/change`, back: barrierPath(barrierId), barrier: page.barrier };
  return showForm(request, reply, { ...view, values: barrierValues(page.barrier) }, 200);
}

export async function saveBarrierChange(request: FastifyRequest, reply: FastifyReply) {
  const barrierId = barrierIdOf(request);
  const values = formValues(request.body);
  const form = parseForm(barrierChangeSchema(today(request)), request.body);
  const result = await changeBarrier(request.server.deps, signedInUser(request), barrierId, form, request.id);
  if (result.kind === 'not-found') throw new HttpError(404, NO_BARRIER);
  if (result.kind === 'saved') return seeOther(reply, `${barrierPath(barrierId)}?saved=1`);
  const view = { action: `${barrierPath(barrierId)}/change`, back: barrierPath(barrierId), barrier: result.page.barrier };
  if (result.kind === 'invalid') return showForm(request, reply, { ...view, values, errors: result.errors }, 400);
  const conflict = barrierConflict(result.page.barrier, result.yours);
  // What this person typed, now against the version they have just been shown.
  return showForm(request, reply, { ...view, values: { ...values, version: String(result.page.barrier.version) }, conflict }, 409);
}

// ---------------------------------------------------------------------------------------------------------------
// One barrier, and the people it affected

const BARRIER_NOTICES = { recorded: 'System barrier recorded', saved: 'Changes saved', linked: 'Person linked', unlinked: 'Link removed' };

function showBarrierPage(request: FastifyRequest, reply: FastifyReply, page: BarrierPage, values: FormValues, errors: FormErrors | undefined, statusCode: number) {
  return render(request, reply, `${VIEWS}/barrier.njk`, { ...page, ...LABELS, values, errors, notice: noticeOf(request, BARRIER_NOTICES) }, statusCode);
}

export async function showBarrier(request: FastifyRequest, reply: FastifyReply) {
  const page = await getBarrierPage(request.server.deps, signedInUser(request), barrierIdOf(request), request.id);
  if (page === undefined) throw new HttpError(404, NO_BARRIER);
  return showBarrierPage(request, reply, page, {}, undefined, 200);
}

export async function findPeople(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(personSearchSchema, request.body);
  const result = await findPeopleToLink(request.server.deps, signedInUser(request), barrierIdOf(request), form, request.id);
  if (result === undefined) throw new HttpError(404, NO_BARRIER);
  return showBarrierPage(request, reply, result.page, formValues(request.body), result.errors, result.errors === undefined ? 200 : 400);
}

function linkHandler(linked: boolean) {
  return async function link(request: FastifyRequest, reply: FastifyReply) {
    const barrierId = barrierIdOf(request);
    const parsed = personRefSchema.safeParse(formValues(request.body));
    const personId = parsed.success ? parsed.data.person : undefined;
    const result = await setPersonLink(request.server.deps, signedInUser(request), barrierId, personId, linked, request.id);
    switch (result) {
      case undefined:
        throw new HttpError(404, NO_PERSON);
      case 'no-person-given':
        throw new HttpError(400, UNREADABLE_FORM);
      case 'no-such-barrier':
        throw new HttpError(404, NO_BARRIER);
      case 'linked':
      case 'unlinked':
        return seeOther(reply, `${barrierPath(barrierId)}?${result}=1#people`);
    }
  };
}

export const linkPerson = linkHandler(true);
export const unlinkPerson = linkHandler(false);
