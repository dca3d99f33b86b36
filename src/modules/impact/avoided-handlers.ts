import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, type FormErrors, formValues, type FormValues, parseForm, ukToday, UNREADABLE_FORM } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import { poundsText } from '../../core/money.ts';
import type { AvoidedContent } from './avoided-queries.ts';
import { EVIDENCE_TEXT, avoidedChangeSchema, costSearchSchema, newAvoidedSchema, outcomeRefSchema, verificationSchema } from './avoided-schemas.ts';
import {
  STATUS_TEXT,
  changeAvoided,
  decideAvoided,
  getAvoidedChangePage,
  getAvoidedOutcomes,
  getNewAvoidedPage,
  listAwaitingVerification,
  recordAvoided,
  type AvoidedChangePage,
  type AvoidedOutcome,
  type NewAvoidedPage,
} from './avoided-service.ts';
import { personFound, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/impact/views';
const NO_SUCH_OUTCOME = 'There is no such avoided outcome in this person’s record.';

/** The avoided outcome a form or query names, if any: the service decides whether it is this person's. */
function outcomeIdIn(source: unknown): string | undefined {
  const parsed = outcomeRefSchema.safeParse(source);
  return parsed.success ? parsed.data.outcome : undefined;
}

const avoidedPath = (personId: string) => `/people/${personId}/avoided`;

const percent = (share: string) => `${new Decimal(share).times(100).toString()}%`;

/** What is recorded about an avoided outcome, one row per question, in words: for the record, its history and a conflict. */
function describe(c: AvoidedContent): { label: string; text: string }[] {
  return [
    { label: 'How many', text: c.quantity },
    { label: 'For how long', text: c.duration ?? 'A one-off cost' },
    { label: 'How likely', text: percent(c.likelihood) },
    { label: 'Evidence', text: EVIDENCE_TEXT[c.evidence].text },
    { label: 'When it was likely', text: formatDate(c.likelyOn) },
    { label: 'Agency bearing the cost', text: c.agencyOverride ?? 'As the unit cost says' },
    { label: 'Note', text: c.note ?? 'None' },
  ];
}

function costRows(o: AvoidedOutcome) {
  const values = [
    o.fiscalValue === null ? null : `Fiscal ${poundsText(o.fiscalValue)} (${o.fiscalPriceYear ?? ''} prices)`,
    o.economicValue === null ? null : `Economic ${poundsText(o.economicValue)} (${o.economicPriceYear ?? ''} prices)`,
    o.socialValue === null ? null : `Social ${poundsText(o.socialValue)} (${o.socialPriceYear ?? ''} prices)`,
  ].filter((v) => v !== null);
  return [
    { label: 'Unit cost', text: `${o.code === null ? '' : `${o.code}: `}${o.description}, ${o.unit.toLowerCase()}` },
    { label: 'Values', text: values.join('; ') },
    // The library's attribution where its licence asks for one (the GMCA's, CC BY 4.0), otherwise its name.
    { label: 'From', text: `${o.attribution ?? `${o.libraryName} ${o.libraryVersionLabel}`} (import ${o.libraryVersion})` },
    { label: 'Agency bearing the cost', text: o.bearer },
  ];
}

function described(o: AvoidedOutcome) {
  return {
    ...o,
    statusText: STATUS_TEXT[o.status],
    costRows: costRows(o),
    rows: [...costRows(o), ...describe(o).filter((r) => r.label !== 'Agency bearing the cost')],
    history: o.history.map((v) => ({ ...v, statusText: STATUS_TEXT[v.status], rows: describe(v) })),
  };
}

const NOTICES: Record<string, string> = {
  recorded: 'Avoided outcome recorded. A manager will verify it before it counts.',
  saved: 'Avoided outcome saved. A manager will verify it before it counts.',
  verified: 'Avoided outcome verified: it now counts.',
  returned: 'Avoided outcome returned to the coordinator with your reason.',
};

function noticeOf(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(NOTICES).find((k) => query[k] === '1');
  return key === undefined ? undefined : NOTICES[key];
}

function showList(request: FastifyRequest, reply: FastifyReply, page: { person: unknown; outcomes: AvoidedOutcome[]; canVerify: boolean }, extra: { errors?: FormErrors; erring?: string | undefined; values?: FormValues }, statusCode: number) {
  return render(
    request,
    reply,
    `${VIEWS}/avoided-outcomes.njk`,
    { person: page.person, outcomes: page.outcomes.map(described), canVerify: page.canVerify, notice: noticeOf(request), values: {}, ...extra },
    statusCode,
  );
}

export async function showAvoidedOutcomes(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = personFound(await getAvoidedOutcomes(request.server.deps, user, personIdOf(request), request.id));
  return showList(request, reply, page, {}, 200);
}

// Recording one ----------------------------------------------------------------------------------------------------

function dateValues(name: string, iso: string): FormValues {
  const { day, month, year } = dateParts(iso);
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

const text = (values: FormValues, key: string) => {
  const value = values[key];
  return typeof value === 'string' ? value : '';
};

/** The picker's search as the form or query carries it; the words' own problem, if they have one. */
function costSearchIn(values: FormValues) {
  const search = parseForm(costSearchSchema, { q: text(values, 'q') });
  const chosen = /^[0-9a-f-]{36}$/i.test(text(values, 'unitCost')) ? text(values, 'unitCost') : null;
  return { search: { words: search.ok ? search.data.q : null, chosen }, errors: search.ok ? {} : search.errors };
}

function showNewForm(request: FastifyRequest, reply: FastifyReply, page: NewAvoidedPage, values: FormValues, errors: FormErrors | undefined) {
  const allErrors = { ...costSearchIn(values).errors, ...errors };
  const shown = Object.keys(allErrors).length > 0 ? allErrors : undefined;
  return render(request, reply, `${VIEWS}/avoided-new.njk`, { ...page, values, errors: shown, evidenceText: EVIDENCE_TEXT }, shown === undefined ? 200 : 400);
}

/** The form: a search for the cost (GET, so it works without JavaScript), its results to choose from, then the rest. */
export async function newAvoided(request: FastifyRequest, reply: FastifyReply) {
  const query = formValues(request.query);
  const today = ukToday(request.server.deps.clock.now());
  const values: FormValues = { formToken: text(query, 'formToken') || randomUUID(), quantity: '1', likelihood: '', ...dateValues('likelyOn', today), ...query };
  const page = personFound(await getNewAvoidedPage(request.server.deps, signedInUser(request), personIdOf(request), costSearchIn(values).search, request.id));
  return showNewForm(request, reply, page, values, undefined);
}

export async function createAvoided(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const form = parseForm(newAvoidedSchema(ukToday(request.server.deps.clock.now())), request.body);
  const values = formValues(request.body);
  const result = personFound(await recordAvoided(request.server.deps, user, personId, form, costSearchIn(values).search, request.id));
  if (result.kind === 'invalid') return showNewForm(request, reply, result.page, values, result.errors);
  return seeOther(reply, `${avoidedPath(personId)}?recorded=1#outcome-${result.outcomeId}`);
}

// Changing one ----------------------------------------------------------------------------------------------------

function outcomeValues(o: AvoidedOutcome): FormValues {
  return {
    outcome: o.id,
    version: String(o.version),
    quantity: o.quantity,
    duration: o.duration ?? '',
    likelihood: new Decimal(o.likelihood).times(100).toString(),
    evidence: o.evidence,
    agencyOverride: o.agencyOverride ?? '',
    note: o.note ?? '',
    ...dateValues('likelyOn', o.likelyOn),
  };
}

function showChangeForm(request: FastifyRequest, reply: FastifyReply, page: AvoidedChangePage, values: FormValues, extra: { errors?: FormErrors; conflict?: object }, statusCode: number) {
  return render(request, reply, `${VIEWS}/avoided-change.njk`, { person: page.person, outcome: described(page.outcome), values, evidenceText: EVIDENCE_TEXT, ...extra }, statusCode);
}

export async function showAvoidedChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const page = personFound(await getAvoidedChangePage(request.server.deps, user, personId, outcomeIdIn(request.query), request.id));
  if ('kind' in page) {
    if (page.kind === 'no-outcome-given') return seeOther(reply, avoidedPath(personId));
    throw new HttpError(404, NO_SUCH_OUTCOME);
  }
  return showChangeForm(request, reply, page, outcomeValues(page.outcome), {}, 200);
}

export async function saveAvoidedChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const outcomeId = outcomeIdIn(values);
  const form = parseForm(avoidedChangeSchema(ukToday(request.server.deps.clock.now())), request.body);
  const result = personFound(await changeAvoided(request.server.deps, user, personId, outcomeId, form, request.id));
  switch (result.kind) {
    case 'no-outcome-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'no-such-outcome':
      throw new HttpError(404, NO_SUCH_OUTCOME);
    case 'saved':
      return seeOther(reply, `${avoidedPath(personId)}?saved=1#outcome-${outcomeId ?? ''}`);
    case 'invalid':
      return showChangeForm(request, reply, result.page, values, { errors: form.ok ? {} : form.errors }, 400);
    case 'conflict': {
      const { outcome } = result.page;
      const theirs = describe(outcome);
      const mine = describe(result.yours);
      const conflict = {
        changedBy: outcome.updatedByName,
        changedAt: outcome.updatedAt,
        rows: theirs.map((r, i) => ({ label: r.label, theirs: r.text, yours: mine[i]?.text ?? '' })),
      };
      return showChangeForm(request, reply, result.page, { ...values, version: String(outcome.version) }, { conflict }, 409);
    }
  }
}

// A manager's decision --------------------------------------------------------------------------------------------

export async function saveVerification(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const outcomeId = outcomeIdIn(values);
  const form = parseForm(verificationSchema, request.body);
  const result = personFound(await decideAvoided(request.server.deps, user, personId, outcomeId, form, request.id));
  switch (result.kind) {
    case 'no-outcome-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'no-such-outcome':
      throw new HttpError(404, NO_SUCH_OUTCOME);
    case 'decided':
      return seeOther(reply, `${avoidedPath(personId)}?${result.decision === 'verify' ? 'verified' : 'returned'}=1#outcome-${outcomeId ?? ''}`);
    case 'invalid':
    case 'conflict': {
      // The record as it is now, with the problem beside this outcome's decision.
      const page = { person: result.page.person, outcomes: result.page.outcomes, canVerify: true };
      const errors = result.kind === 'invalid' ? result.errors : { decision: 'Someone changed this avoided outcome, or decided on it, while you were reading it. Read it again as it is now, then decide.' };
      return showList(request, reply, page, { errors, erring: outcomeId, values }, result.kind === 'invalid' ? 400 : 409);
    }
  }
}

export async function showVerification(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const outcomes = await listAwaitingVerification(request.server.deps, user, request.id);
  return render(request, reply, `${VIEWS}/avoided-verification.njk`, {
    outcomes: outcomes.map((o) => ({ ...o, likelihoodText: percent(o.likelihood), evidenceText: EVIDENCE_TEXT[o.evidence].text })),
  });
}
