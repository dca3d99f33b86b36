import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { poundsText } from '../../core/money.ts';
import type { InvestmentContent } from './investment-queries.ts';
import { PARTNER_TEXT, investmentChangeSchema, investmentDeleteSchema, lineRefSchema, newInvestmentSchema } from './investment-schemas.ts';
import { addInvestment, changeInvestment, getInvestmentLine, getInvestmentPage, type InvestmentLinePage } from './investment-service.ts';

const VIEWS = 'modules/impact/views';
const PATH = '/impact/investment';
const NO_LINE = 'There is no such funding line in your programme.';

/** The funding line a form or query names; a form that names none cannot be read. */
function lineIdIn(source: unknown): string {
  const parsed = lineRefSchema.safeParse(source);
  if (!parsed.success) throw new HttpError(400, 'The form could not be read. Go back, reload the page and try again: nothing was saved.');
  return parsed.data.line;
}

const NOTICES: Record<string, string> = { added: 'Funding line added.', saved: 'Funding line corrected. The earlier version is kept.', deleted: 'Funding line deleted. Its history is kept.' };

async function showPage(request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FormErrors | undefined) {
  const user = signedInUser(request);
  const page = await getInvestmentPage(request.server.deps, user);
  const query = request.query as Record<string, unknown>;
  const notice = Object.keys(NOTICES).find((k) => query[k] === '1');
  return render(
    request,
    reply,
    `${VIEWS}/investment.njk`,
    {
      lines: page.lines.map((l) => ({ ...l, amountText: poundsText(l.amount) })),
      byYear: page.byYear.map((y) => ({ year: y.year, totalText: poundsText(y.total) })),
      totalText: poundsText(page.total),
      partnerText: PARTNER_TEXT,
      values,
      errors,
      notice: notice === undefined ? undefined : NOTICES[notice],
    },
    errors === undefined ? 200 : 400,
  );
}

export async function showInvestment(request: FastifyRequest, reply: FastifyReply) {
  return showPage(request, reply, { formToken: randomUUID() }, undefined);
}

export async function createInvestment(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(newInvestmentSchema, request.body);
  const result = await addInvestment(request.server.deps, user, form, request.id);
  if (result.kind === 'invalid') return showPage(request, reply, formValues(request.body), result.errors);
  return seeOther(reply, `${PATH}?added=1`);
}

function lineValues(page: InvestmentLinePage): FormValues {
  const l = page.line;
  return { line: l.id, version: String(l.version), partner: l.partner, partnerName: l.partnerName ?? '', financialYear: l.financialYear, amount: l.amount, note: l.note ?? '' };
}

function describe(c: InvestmentContent) {
  return [
    { label: 'Partner', text: c.partnerName ?? PARTNER_TEXT[c.partner] },
    { label: 'Financial year', text: c.financialYear },
    { label: 'Amount', text: poundsText(c.amount) },
    { label: 'Note', text: c.note ?? 'None' },
  ];
}

function showChange(request: FastifyRequest, reply: FastifyReply, page: InvestmentLinePage, values: FormValues, extra: { errors?: FormErrors; conflict?: object }, statusCode: number) {
  return render(
    request,
    reply,
    `${VIEWS}/investment-change.njk`,
    {
      line: page.line,
      history: page.history.map((v) => ({ ...v, amountText: poundsText(v.amount) })),
      partnerText: PARTNER_TEXT,
      values,
      ...extra,
    },
    statusCode,
  );
}

export async function showInvestmentChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const asked = lineRefSchema.safeParse(request.query);
  // No line named: the list to choose one from.
  if (!asked.success) return seeOther(reply, PATH);
  const page = await getInvestmentLine(request.server.deps, user, asked.data.line);
  if (page === undefined) throw new HttpError(404, NO_LINE);
  return showChange(request, reply, page, lineValues(page), {}, 200);
}

async function saveChange(request: FastifyRequest, reply: FastifyReply, kind: 'correct' | 'delete') {
  const user = signedInUser(request);
  const values = formValues(request.body);
  const id = lineIdIn(values);
  const change = kind === 'correct' ? { kind, form: parseForm(investmentChangeSchema, request.body) } : { kind, form: parseForm(investmentDeleteSchema, request.body) };
  const result = await changeInvestment(request.server.deps, user, id, change, request.id);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `${PATH}?${kind === 'delete' ? 'deleted' : 'saved'}=1`);
    case 'not-found':
      throw new HttpError(404, NO_LINE);
    case 'invalid':
      // A deletion's problem is shown beside its own question; the correction form shows the line as it is.
      return showChange(request, reply, result.page, kind === 'delete' ? lineValues(result.page) : values, { errors: result.errors }, 400);
    case 'conflict': {
      const theirs = describe(result.page.line);
      const mine = result.yours === null ? theirs.map(() => ({ text: 'Deleted' })) : describe(result.yours);
      const conflict = { changedBy: result.page.line.updatedByName, changedAt: result.page.line.updatedAt, rows: theirs.map((r, i) => ({ label: r.label, theirs: r.text, yours: mine[i]?.text ?? '' })) };
      const kept = kind === 'delete' ? lineValues(result.page) : { ...values, version: String(result.page.line.version) };
      return showChange(request, reply, result.page, kept, { conflict }, 409);
    }
  }
}

export const saveInvestmentChange = (request: FastifyRequest, reply: FastifyReply) => saveChange(request, reply, 'correct');
export const deleteInvestment = (request: FastifyRequest, reply: FastifyReply) => saveChange(request, reply, 'delete');
