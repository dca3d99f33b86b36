import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateValues } from '../../core/http/date-fields.ts';
import { formValues, parseForm, ukToday, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import {
  HOW_HELPED_OPTIONS,
  HOW_HELPED_TEXT,
  fundingChangeSchema,
  fundingRemoveSchema,
  fundingRowSchema,
  fundingSchema,
  initiativeChangeSchema,
  initiativeIdSchema,
  newInitiativeSchema,
  updateSchema,
  type InitiativeChangeInput,
} from './schemas.ts';
import {
  addFunding,
  addUpdate,
  changeInitiative,
  correctFunding,
  getFundingChangePage,
  removeFunding,
  getInitiativeChangePage,
  getInitiativePage,
  getLedger,
  getNewInitiativePage,
  recordInitiative,
  type CorrectFundingResult,
  type FundingChangePage,
  type FundingRow,
  type Initiative,
  type InitiativeChoices,
  type InitiativePage,
} from './service.ts';

const VIEWS = 'modules/capacity/views';
const LEDGER = '/community/capacity';
const NO_INITIATIVE = 'There is no such group or initiative in the programme.';
const NOT_YOURS = 'Only the coordinators of its neighbourhood, and managers, can change this group or initiative.';
const LABELS = { howHelpedText: HOW_HELPED_TEXT, howHelpedOptions: HOW_HELPED_OPTIONS };

const today = (request: FastifyRequest) => ukToday(request.server.deps.clock.now());
const initiativePath = (id: string) => `${LEDGER}/${id}`;

function initiativeIdOf(request: FastifyRequest): string {
  const parsed = initiativeIdSchema.safeParse(request.params);
  if (!parsed.success) throw new HttpError(404, NO_INITIATIVE);
  return parsed.data.id;
}

/** What the service refused: not there at all, or not this user's to change. */
function allowed<T extends object>(result: T): Exclude<T, { kind: 'not-found' } | { kind: 'refused' }> {
  if ('kind' in result && result.kind === 'not-found') throw new HttpError(404, NO_INITIATIVE);
  if ('kind' in result && result.kind === 'refused') throw new HttpError(403, NOT_YOURS);
  return result as Exclude<T, { kind: 'not-found' } | { kind: 'refused' }>;
}

function noticeOf(request: FastifyRequest, notices: Record<string, string>): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(notices).find((k) => query[k] === '1');
  return key === undefined ? undefined : notices[key];
}

export async function showLedger(request: FastifyRequest, reply: FastifyReply) {
  const page = await getLedger(request.server.deps, signedInUser(request), request.id);
  return render(request, reply, `${VIEWS}/ledger.njk`, { ...page, ...LABELS });
}

// ---------------------------------------------------------------------------------------------------------------
// One initiative, with its funding and what happened

const INITIATIVE_NOTICES = {
  recorded: 'Recorded',
  saved: 'Changes saved',
  funding: 'Funding added',
  corrected: 'Funding corrected',
  removed: 'Funding removed from the ledger. It is kept below, with why.',
  happened: 'Added what happened',
};

interface InitiativeView {
  page: InitiativePage;
  fundingValues?: FormValues;
  updateValues?: FormValues;
  errors?: FormErrors | undefined;
}

function showInitiativePage(request: FastifyRequest, reply: FastifyReply, view: InitiativeView, statusCode: number) {
  const fresh = (name: string) => ({ formToken: randomUUID(), ...dateValues(name, today(request)) });
  return render(
    request,
    reply,
    `${VIEWS}/initiative.njk`,
    {
      ...view.page,
      ...LABELS,
      fundingValues: view.fundingValues ?? fresh('foundOn'),
      updateValues: view.updateValues ?? fresh('happenedOn'),
      errors: view.errors,
      notice: noticeOf(request, INITIATIVE_NOTICES),
    },
    statusCode,
  );
}

export async function showInitiative(request: FastifyRequest, reply: FastifyReply) {
  const page = await getInitiativePage(request.server.deps, signedInUser(request), initiativeIdOf(request));
  if (page === undefined) throw new HttpError(404, NO_INITIATIVE);
  return showInitiativePage(request, reply, { page }, 200);
}

export async function createFunding(request: FastifyRequest, reply: FastifyReply) {
  const initiativeId = initiativeIdOf(request);
  const form = parseForm(fundingSchema(today(request)), request.body);
  const result = allowed(await addFunding(request.server.deps, signedInUser(request), initiativeId, form, request.id));
  if (result.kind === 'added') return seeOther(reply, `${initiativePath(initiativeId)}?funding=1#funding`);
  return showInitiativePage(request, reply, { page: result.page, fundingValues: formValues(request.body), errors: result.errors }, 400);
}

/** Which row of funding: named in the query or the form, if it names a well-formed one. */
function fundingRowOf(source: unknown): string | undefined {
  const parsed = fundingRowSchema.safeParse(source);
  return parsed.success ? parsed.data.row : undefined;
}

interface FundingFormView {
  page: FundingChangePage;
  values: FormValues;
  errors?: FormErrors | undefined;
  conflict?: { changedBy: string | null; changedAt: Date | null; rows: { label: string; theirs: string; yours: string }[] };
  /** A removal sent from a page older than the row. */
  removeOvertaken?: boolean;
}

function showFundingForm(request: FastifyRequest, reply: FastifyReply, view: FundingFormView, statusCode: number) {
  const { page, ...rest } = view;
  return render(request, reply, `${VIEWS}/funding-change.njk`, { ...page, ...rest }, statusCode);
}

const fundingValues = (row: FundingRow): FormValues => ({ row: row.id, version: String(row.version), amount: row.amount, funder: row.funder, ...dateValues('foundOn', row.foundOn) });

/** No such row of funding in the ledger (or none named): the answer is the initiative's page. */
const backToFunding = (reply: FastifyReply, initiativeId: string) => seeOther(reply, `${initiativePath(initiativeId)}#funding`);

export async function showFundingChange(request: FastifyRequest, reply: FastifyReply) {
  const initiativeId = initiativeIdOf(request);
  const result = await getFundingChangePage(request.server.deps, signedInUser(request), initiativeId, fundingRowOf(request.query), request.id);
  if (result.kind === 'no-row') return backToFunding(reply, initiativeId);
  const page = allowed(result);
  return showFundingForm(request, reply, { page, values: fundingValues(page.row) }, 200);
}

const NO_ROW_NAMED = 'The form did not say which funding to put right. Choose it from the initiative’s page: nothing was saved.';

/**
 * The answer to a correction or a removal: back to the initiative (also when the row has gone meanwhile, as after
 * a second click on "Remove"), or the form again with what was typed.
 */
function afterFundingChange(request: FastifyRequest, reply: FastifyReply, initiativeId: string, result: CorrectFundingResult, done: 'corrected' | 'removed') {
  if (result.kind === 'no-row') {
    if (fundingRowOf(request.body) === undefined) throw new HttpError(400, NO_ROW_NAMED);
    return backToFunding(reply, initiativeId);
  }
  const outcome = allowed(result);
  const values = formValues(request.body);
  switch (outcome.kind) {
    case 'saved':
      return seeOther(reply, `${initiativePath(initiativeId)}?${done}=1#funding`);
    case 'invalid':
      return showFundingForm(request, reply, { page: outcome.page, values: { ...fundingValues(outcome.page.row), ...values }, errors: outcome.errors }, 400);
    case 'conflict': {
      const { row } = outcome.page;
      const typed = (key: string) => {
        const value = values[key];
        return typeof value === 'string' ? value.trim() : '';
      };
      const rows = [
        { label: 'Amount', theirs: row.amountText, yours: typed('amount') },
        { label: 'Who funded it', theirs: row.funder, yours: typed('funder') },
        { label: 'Found on', theirs: formatDate(row.foundOn), yours: [typed('foundOn-day'), typed('foundOn-month'), typed('foundOn-year')].join(' ') },
      ];
      // What this person typed, now against the version they have just been shown.
      const view = { page: outcome.page, values: { ...fundingValues(row), ...values, version: String(row.version) } };
      if (done === 'removed') return showFundingForm(request, reply, { ...view, removeOvertaken: true }, 409);
      return showFundingForm(request, reply, { ...view, conflict: { changedBy: row.corrected?.byName ?? null, changedAt: row.corrected?.at ?? null, rows } }, 409);
    }
  }
}

export async function saveFundingChange(request: FastifyRequest, reply: FastifyReply) {
  const initiativeId = initiativeIdOf(request);
  const form = parseForm(fundingChangeSchema(today(request)), request.body);
  const result = await correctFunding(request.server.deps, signedInUser(request), initiativeId, fundingRowOf(request.body), form, request.id);
  return afterFundingChange(request, reply, initiativeId, result, 'corrected');
}

export async function saveFundingRemoval(request: FastifyRequest, reply: FastifyReply) {
  const initiativeId = initiativeIdOf(request);
  const form = parseForm(fundingRemoveSchema, request.body);
  const result = await removeFunding(request.server.deps, signedInUser(request), initiativeId, fundingRowOf(request.body), form, request.id);
  return afterFundingChange(request, reply, initiativeId, result, 'removed');
}

export async function createUpdate(request: FastifyRequest, reply: FastifyReply) {
  const initiativeId = initiativeIdOf(request);
  const form = parseForm(updateSchema(today(request)), request.body);
  const result = allowed(await addUpdate(request.server.deps, signedInUser(request), initiativeId, form, request.id));
  if (result.kind === 'added') return seeOther(reply, `${initiativePath(initiativeId)}?happened=1#happened`);
  return showInitiativePage(request, reply, { page: result.page, updateValues: formValues(request.body), errors: result.errors }, 400);
}

// ---------------------------------------------------------------------------------------------------------------
// Recording and changing an initiative

interface FormView {
  action: string;
  back: string;
  initiative?: Initiative;
  choices: InitiativeChoices;
  values: FormValues;
  errors?: FormErrors | undefined;
  conflict?: ReturnType<typeof initiativeConflict>;
}

function showForm(request: FastifyRequest, reply: FastifyReply, view: FormView, statusCode: number) {
  // Linked assets that have since closed stay as choices, so saving the form does not silently unlink them.
  const assets = [...view.choices.assets];
  for (const a of view.initiative?.assets ?? []) {
    if (!assets.some((c) => c.id === a.id)) assets.push({ id: a.id, name: a.name, areaName: 'no longer running' });
  }
  const chosen = view.values.assetIds;
  const checkedAssets = chosen === undefined ? [] : Array.isArray(chosen) ? chosen : [chosen];
  return render(request, reply, `${VIEWS}/initiative-form.njk`, { ...view, assets, checkedAssets, ...LABELS }, statusCode);
}

export async function newInitiative(request: FastifyRequest, reply: FastifyReply) {
  const choices = await getNewInitiativePage(request.server.deps, signedInUser(request));
  const values = { formToken: randomUUID(), ...(choices.areas.length === 1 ? { areaId: choices.areas[0]?.id ?? '' } : {}) };
  return showForm(request, reply, { action: LEDGER, back: LEDGER, choices, values }, 200);
}

export async function createInitiative(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(newInitiativeSchema(today(request)), request.body);
  const result = await recordInitiative(request.server.deps, signedInUser(request), form, request.id);
  if (result.kind === 'recorded') return seeOther(reply, `${initiativePath(result.initiativeId)}?recorded=1`);
  return showForm(request, reply, { action: LEDGER, back: LEDGER, choices: result.choices, values: formValues(request.body), errors: result.errors }, 400);
}

function initiativeValues(i: Initiative): FormValues {
  return {
    version: String(i.version),
    name: i.name,
    description: i.description ?? '',
    areaId: i.areaId,
    howHelped: i.howHelped,
    ...dateValues('startedOn', i.startedOn),
    ...dateValues('endedOn', i.endedOn),
    peopleInvolved: String(i.peopleInvolved),
    assetIds: i.assets.map((a) => a.id),
  };
}

/** What is recorded about an initiative, in words, one row per question: for the edit-conflict banner. */
function describe(i: Pick<InitiativeChangeInput, 'name' | 'description' | 'areaId' | 'howHelped' | 'startedOn' | 'endedOn' | 'peopleInvolved'>, areaName: string) {
  return [
    { label: 'Name', text: i.name },
    { label: 'What it does', text: i.description ?? '' },
    { label: 'Neighbourhood', text: areaName },
    { label: 'How the coordinator helped', text: HOW_HELPED_TEXT[i.howHelped] },
    { label: 'Started on', text: formatDate(i.startedOn) },
    { label: 'Ended on', text: i.endedOn === null ? 'Still going' : formatDate(i.endedOn) },
    { label: 'People involved', text: String(i.peopleInvolved) },
  ];
}

function initiativeConflict(theirs: Initiative, yours: InitiativeChangeInput, choices: InitiativeChoices) {
  const mine = describe(yours, choices.areas.find((a) => a.id === yours.areaId)?.name ?? '');
  return {
    changedBy: theirs.updatedByName,
    changedAt: theirs.updatedAt,
    rows: describe(theirs, theirs.areaName).map((row, i) => ({ label: row.label, theirs: row.text, yours: mine[i]?.text ?? '' })),
  };
}

export async function showInitiativeChange(request: FastifyRequest, reply: FastifyReply) {
  const initiativeId = initiativeIdOf(request);
  const result = allowed(await getInitiativeChangePage(request.server.deps, signedInUser(request), initiativeId));
  const { initiative } = result.page;
  const view = { action: `${initiativePath(initiativeId)}/change`, back: initiativePath(initiativeId), initiative, choices: result.choices };
  return showForm(request, reply, { ...view, values: initiativeValues(initiative) }, 200);
}

export async function saveInitiativeChange(request: FastifyRequest, reply: FastifyReply) {
  const initiativeId = initiativeIdOf(request);
  const values = formValues(request.body);
  const form = parseForm(initiativeChangeSchema(today(request)), request.body);
  const result = allowed(await changeInitiative(request.server.deps, signedInUser(request), initiativeId, form, request.id));
  if (result.kind === 'saved') return seeOther(reply, `${initiativePath(initiativeId)}?saved=1`);
  const { initiative } = result.page;
  const view = { action: `${initiativePath(initiativeId)}/change`, back: initiativePath(initiativeId), initiative, choices: result.choices };
  if (result.kind === 'invalid') return showForm(request, reply, { ...view, values, errors: result.errors }, 400);
  const conflict = initiativeConflict(initiative, result.yours, result.choices);
  // What this person typed, now against the version they have just been shown.
  return showForm(request, reply, { ...view, values: { ...values, version: String(initiative.version) }, conflict }, 409);
}
