import { Decimal } from 'decimal.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import type { OutcomeRates, ScenarioRates } from './scenario-queries.ts';
import { costRatesRemoveSchema, costRatesSchema, scenarioKindSchema, scenarioSchema } from './scenario-schemas.ts';
import { reportPriceYearSchema } from './returns-schemas.ts';
import { libraryPriceYears, saveReportPriceYear } from './returns-service.ts';
import { getScenarioPage, getScenarios, saveCostRates, saveScenario, type ScenarioPage } from './scenario-service.ts';
import type { ScenarioKind } from './scenario-tables.ts';

const VIEWS = 'modules/impact/views';
const PATH = '/admin/scenarios';

/** A share as a percentage, in words: '0.035' → '3.5%'. */
export const percentText = (share: string) => `${new Decimal(share).times(100).toString()}%`;

function kindOf(request: FastifyRequest): ScenarioKind {
  const parsed = scenarioKindSchema.safeParse(request.params);
  if (!parsed.success) throw new HttpError(404, 'There is no such scenario: they are conservative, core and optimistic.');
  return parsed.data.kind;
}

/** A scenario's rates, one row per question, in words: for the pages and the edit-conflict banner. */
export function describeRates(r: ScenarioRates): { label: string; text: string }[] {
  return [...describeOutcomeRates(r), { label: 'Discount rate', text: percentText(r.discountRate) }, { label: 'First year discounted', text: r.discountFirstYear ? 'Yes' : 'No' }, { label: 'Counted by likelihood', text: r.useLikelihood ? 'Yes' : 'No' }];
}

export function describeOutcomeRates(r: OutcomeRates): { label: string; text: string }[] {
  return [
    { label: 'Deadweight', text: percentText(r.deadweight) },
    { label: 'Displacement', text: percentText(r.displacement) },
    { label: 'Attribution', text: percentText(r.attribution) },
    { label: 'Drop-off each year', text: percentText(r.dropOff) },
    { label: 'Years of benefit', text: String(r.years) },
  ];
}

/** The scenarios page, which also sets the price year; with that form's problems when a save was refused. */
async function scenariosPage(request: FastifyRequest, reply: FastifyReply, priceForm: { values: FormValues; errors: FormErrors } | undefined) {
  const user = signedInUser(request);
  const scenarios = await getScenarios(request.server.deps, user);
  const prices = await libraryPriceYears(request.server.deps, user.programme.id);
  const query = request.query as Record<string, unknown>;
  const notices: Record<string, string> = { saved: 'Scenario saved.', prices: `Figures are now shown in ${prices.reportYear} prices.` };
  return render(
    request,
    reply,
    `${VIEWS}/scenarios.njk`,
    {
      scenarios: scenarios.map((s) => ({ ...s, rows: describeRates(s), costRates: s.costRates.map((c) => ({ ...c, rows: describeOutcomeRates(c) })) })),
      // Newest first: a programme moving off the workbook's year wants a recent one.
      priceYears: [...prices.years].reverse(),
      reportYear: prices.reportYear,
      values: priceForm?.values ?? { priceYear: prices.reportYear },
      errors: priceForm?.errors,
      notice: Object.entries(notices).find(([key]) => query[key] === '1')?.[1],
    },
    priceForm === undefined ? 200 : 400,
  );
}

export const showScenarios = (request: FastifyRequest, reply: FastifyReply) => scenariosPage(request, reply, undefined);

export async function savePriceYear(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const result = await saveReportPriceYear(request.server.deps, user, parseForm(reportPriceYearSchema, request.body), request.id);
  if (result.kind === 'saved') return seeOther(reply, `${PATH}?prices=1#prices`);
  return scenariosPage(request, reply, { values: formValues(request.body), errors: result.errors });
}

const pct = (share: string) => new Decimal(share).times(100).toString();

function scenarioValues(page: ScenarioPage): FormValues {
  const s = page.scenario;
  return {
    version: String(s.version),
    deadweight: pct(s.deadweight),
    displacement: pct(s.displacement),
    attribution: pct(s.attribution),
    dropOff: pct(s.dropOff),
    years: String(s.years),
    discountRate: pct(s.discountRate),
    discountFirstYear: s.discountFirstYear ? 'yes' : 'no',
    useLikelihood: s.useLikelihood ? 'yes' : 'no',
    basis: s.basis,
  };
}

interface Extra {
  errors?: FormErrors;
  /** Which form the errors belong to. */
  which?: 'rates' | 'cost';
  costValues?: FormValues;
  conflict?: object;
}

function showScenario(request: FastifyRequest, reply: FastifyReply, page: ScenarioPage, values: FormValues, extra: Extra, statusCode: number) {
  const s = page.scenario;
  return render(
    request,
    reply,
    `${VIEWS}/scenario.njk`,
    { scenario: { ...s, costRates: s.costRates.map((c) => ({ ...c, rows: describeOutcomeRates(c) })) }, costsInUse: page.costsInUse, values, costValues: {}, ...extra },
    statusCode,
  );
}

export async function showScenarioForm(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = await getScenarioPage(request.server.deps, user, kindOf(request));
  return showScenario(request, reply, page, scenarioValues(page), {}, 200);
}

export async function saveScenarioRates(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const kind = kindOf(request);
  const values = formValues(request.body);
  const result = await saveScenario(request.server.deps, user, kind, parseForm(scenarioSchema, request.body), request.id);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `${PATH}?saved=1#${kind}`);
    case 'invalid':
      return showScenario(request, reply, result.page, values, { errors: result.errors, which: 'rates' }, 400);
    case 'conflict': {
      const theirs = describeRates(result.page.scenario);
      const mine = describeRates(result.yours);
      const conflict = { changedBy: result.page.scenario.updatedByName, changedAt: result.page.scenario.updatedAt, rows: theirs.map((r, i) => ({ label: r.label, theirs: r.text, yours: mine[i]?.text ?? '' })) };
      return showScenario(request, reply, result.page, { ...values, version: String(result.page.scenario.version) }, { conflict }, 409);
    }
  }
}

async function changeCostRates(request: FastifyRequest, reply: FastifyReply, kind: 'set' | 'remove') {
  const user = signedInUser(request);
  const scenario = kindOf(request);
  const change = kind === 'set' ? { kind, form: parseForm(costRatesSchema, request.body) } : { kind, form: parseForm(costRatesRemoveSchema, request.body) };
  const result = await saveCostRates(request.server.deps, user, scenario, change, request.id);
  if (result.kind === 'saved') return seeOther(reply, `${PATH}/${scenario}?costs=1#cost-rates`);
  const page = result.page;
  return showScenario(request, reply, page, scenarioValues(page), { errors: result.errors, which: 'cost', costValues: formValues(request.body) }, 400);
}

export const saveScenarioCostRates = (request: FastifyRequest, reply: FastifyReply) => changeCostRates(request, reply, 'set');
export const removeScenarioCostRates = (request: FastifyRequest, reply: FastifyReply) => changeCostRates(request, reply, 'remove');
