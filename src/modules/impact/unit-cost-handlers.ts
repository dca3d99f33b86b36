import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { poundsText } from '../../core/money.ts';
import type { LocalCostContent, UnitCostRow } from './unit-cost-queries.ts';
import { PAGE_SIZE, RAG_TEXT, librarySearchSchema, localCostChangeSchema, newLocalCostSchema, unitCostIdSchema, uprateSchema } from './unit-cost-schemas.ts';
import { VALUE_KIND_TEXT, addLocalCost, changeLocalCost, getCostPage, getLibraryPage, getLocalCost } from './unit-cost-service.ts';

const VIEWS = 'modules/impact/views';
const LIBRARY_PATH = '/impact/unit-costs';
const NO_COST = 'There is no such unit cost.';
const NOT_OWN = 'There is no such cost among your programme’s own costs: the shared library’s costs are changed only by importing a new version.';

const costPath = (id: string) => `${LIBRARY_PATH}/${id}`;

function costIdOf(request: FastifyRequest): string {
  const parsed = unitCostIdSchema.safeParse(request.params);
  if (!parsed.success) throw new HttpError(404, NO_COST);
  return parsed.data.id;
}

const text = (values: FormValues, key: string) => {
  const value = values[key];
  return typeof value === 'string' ? value : '';
};

/** The library: search, filters and a page of costs. A query that cannot be used is explained; the library still shows. */
export async function showLibrary(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(librarySearchSchema, request.query);
  const page = await getLibraryPage(request.server.deps, user, form);
  const values = formValues(request.query);
  const query = (pageNumber: number) => {
    const params = new URLSearchParams();
    for (const key of ['q', 'agency', 'rag', 'library']) if (text(values, key) !== '') params.set(key, text(values, key));
    if (pageNumber > 1) params.set('page', String(pageNumber));
    const encoded = params.toString();
    return encoded === '' ? LIBRARY_PATH : `${LIBRARY_PATH}?${encoded}`;
  };
  const first = (page.page - 1) * PAGE_SIZE + 1;
  return render(
    request,
    reply,
    `${VIEWS}/unit-costs.njk`,
    {
      ...page,
      values,
      ragText: RAG_TEXT,
      showing: page.total === 0 ? null : { first, last: first + page.costs.length - 1 },
      pagination: {
        previous: page.page > 1 ? { href: query(page.page - 1) } : undefined,
        next: page.page < page.pages ? { href: query(page.page + 1) } : undefined,
        items: pageItems(page.page, page.pages).map((n) => (n === null ? { ellipsis: true } : { number: n, href: query(n), current: n === page.page })),
      },
    },
    page.errors === undefined ? 200 : 400,
  );
}

/** Page numbers for the GOV.UK pagination: the first, the last, and those either side of the current one. */
export function pageItems(current: number, pages: number): (number | null)[] {
  const items: (number | null)[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - current) <= 1) items.push(n);
    else if (items[items.length - 1] !== null) items.push(null);
  }
  return items;
}

/** One cost, its values in their own price years and uprated to the year and series chosen. */
export async function showCost(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const costId = costIdOf(request);
  const values = formValues(request.query);
  const form = parseForm(uprateSchema, request.query);
  const page = await getCostPage(request.server.deps, user, costId, form, { year: text(values, 'year'), series: text(values, 'series') });
  if (page === undefined) throw new HttpError(404, NO_COST);
  const notice = text(values, 'added') === '1' ? 'Cost added.' : text(values, 'changed') === '1' ? 'Change saved. The earlier version is kept below.' : null;
  return render(request, reply, `${VIEWS}/unit-cost.njk`, { ...page, notice, valueKindText: VALUE_KIND_TEXT, libraryPath: LIBRARY_PATH }, page.errors === undefined ? 200 : 400);
}

// ---------------------------------------------------------------------------------------------------------------
// A programme's own costs

interface LocalCostFormView {
  values: FormValues;
  errors?: FormErrors | undefined;
  /** Present when changing: the cost as it reads now. */
  cost?: UnitCostRow;
  conflict?: ReturnType<typeof costConflict>;
}

function showLocalCostForm(request: FastifyRequest, reply: FastifyReply, view: LocalCostFormView, statusCode: number) {
  return render(request, reply, `${VIEWS}/local-cost-form.njk`, { ...view, libraryPath: LIBRARY_PATH, costPath: view.cost === undefined ? undefined : costPath(view.cost.id) }, statusCode);
}

export async function newLocalCost(request: FastifyRequest, reply: FastifyReply) {
  signedInUser(request);
  return showLocalCostForm(request, reply, { values: { formToken: randomUUID(), agencyL1: 'Local authority' } }, 200);
}

export async function createLocalCost(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(newLocalCostSchema, request.body);
  const result = await addLocalCost(request.server.deps, user, form, request.id);
  switch (result.kind) {
    case 'added':
      return seeOther(reply, `${costPath(result.costId)}?added=1`);
    case 'invalid':
      return showLocalCostForm(request, reply, { values: formValues(request.body), errors: result.errors }, 400);
  }
}

function costValues(cost: UnitCostRow): FormValues {
  return {
    version: String(cost.version),
    code: cost.code ?? '',
    description: cost.description,
    unit: cost.unit,
    agencyL1: cost.agency_l1 ?? '',
    agencyL2: cost.agency_l2 ?? '',
    fiscalValue: cost.fiscal_value ?? '',
    priceYear: cost.fiscal_price_year ?? '',
    source: cost.source ?? '',
    comment: cost.comment ?? '',
  };
}

/** The two versions side by side, in words, for the edit-conflict banner. */
function costConflict(cost: UnitCostRow, yours: LocalCostContent) {
  const none = (v: string | null) => v ?? 'None';
  const rows: [string, string, string][] = [
    ['Code', none(cost.code), none(yours.code)],
    ['What the cost is', cost.description, yours.description],
    ['Per', cost.unit, yours.unit],
    ['Agency', none(cost.agency_l1), yours.agencyL1],
    ['Part of the agency', none(cost.agency_l2), none(yours.agencyL2)],
    ['Cost', cost.fiscal_value === null ? 'None' : poundsText(cost.fiscal_value), poundsText(yours.fiscalValue)],
    ['Price year', none(cost.fiscal_price_year), yours.priceYear],
    ['Where the figure comes from', none(cost.source), yours.source],
    ['Comment', none(cost.comment), none(yours.comment)],
  ];
  return { changedBy: cost.updated_by_name, changedAt: cost.updated_at, rows: rows.map(([label, theirs, mine]) => ({ label, theirs, yours: mine })) };
}

export async function showLocalCostChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const cost = await getLocalCost(request.server.deps, user, costIdOf(request));
  if (cost === undefined) throw new HttpError(404, NOT_OWN);
  return showLocalCostForm(request, reply, { cost, values: costValues(cost) }, 200);
}

export async function saveLocalCostChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const costId = costIdOf(request);
  const form = parseForm(localCostChangeSchema, request.body);
  const result = await changeLocalCost(request.server.deps, user, costId, form, request.id);
  const values = formValues(request.body);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `${costPath(costId)}?changed=1`);
    case 'not-found':
      throw new HttpError(404, NOT_OWN);
    case 'invalid':
      return showLocalCostForm(request, reply, { cost: result.cost, values, errors: result.errors }, 400);
    case 'conflict':
      return showLocalCostForm(
        request,
        reply,
        // What this person typed, now against the version they have just been shown.
        { cost: result.cost, values: { ...values, version: String(result.cost.version) }, conflict: costConflict(result.cost, result.yours) },
        409,
      );
  }
}
