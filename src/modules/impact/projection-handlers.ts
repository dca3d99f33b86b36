import type { Decimal } from 'decimal.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { poundsText } from '../../core/money.ts';
import { barChart } from '../dashboard/chart.ts';
import type { FigureTable } from '../dashboard/figures.ts';
import { ALL_FUNDING, publishedField, projectionQuerySchema, type ProjectionQuery, type ProjectionRounding } from './projection-schemas.ts';
import { PROJECTION_CAVEAT, projectFunding, projectionLedger, type ProjectionResult, type ProjectionYear } from './projection-service.ts';

const ROUNDING_TEXT: Record<ProjectionRounding, string> = {
  penny: 'To the penny',
  'pound-down': 'Down to the whole pound, as published tables do',
};

const fundingText = (funding: string) => (funding === ALL_FUNDING ? 'All the programme’s funding' : funding);

/** How far a published figure is from the calculation, in words: "£10,000.00 short". */
function differenceText(difference: Decimal): string {
  return `${poundsText(difference.abs())} ${difference.isNegative() ? 'short' : 'over'}`;
}

function reproducesText(check: NonNullable<ProjectionYear['published']>): string {
  return check.reproduces ? 'Yes' : `No: ${differenceText(check.difference)}`;
}

/** The year-by-year table, with the dashboard's chart of the projected values above or beside it. */
function projectionTable(result: ProjectionResult, withPublished: boolean, funding: string): FigureTable {
  const cells = (y: ProjectionYear) => {
    const base = [poundsText(y.investment), poundsText(y.value)];
    if (!withPublished) return base;
    return [...base, y.published === null ? 'Not given' : poundsText(y.published.figure), y.published === null ? '' : reproducesText(y.published)];
  };
  return {
    id: 'projection',
    title: 'Projected value by financial year',
    caption: `${funding}: each year’s investment and the value it is projected to return.`,
    headers: ['Financial year', 'Investment', 'Projected value', ...(withPublished ? ['Published figure', 'Reproduces'] : [])],
    rows: result.years.map((y) => ({ label: y.year, cells: cells(y) })),
    total: { label: 'Total', cells: [poundsText(result.totalInvestment), poundsText(result.totalValue), ...(withPublished ? ['', ''] : [])] },
    chart: barChart(result.years.map((y) => ({ label: y.year, value: y.value.toNumber(), text: poundsText(y.value) }))),
    notes: [],
  };
}

/** A published figure that does not reproduce, said plainly, with the likely reason when it is only the rounding. */
function warningOf(y: ProjectionYear): string | undefined {
  const check = y.published;
  if (check === null || check.reproduces) return undefined;
  const rounding = check.reproducesRounded === null ? '' : ` It reproduces rounded ${check.reproducesRounded === 'penny' ? 'to the penny' : 'down to the whole pound'}: check which rounding the published table used.`;
  const direction = check.difference.isNegative() ? 'less' : 'more';
  return `The published figure for ${y.year} does not reproduce: ${poundsText(check.figure)} is ${poundsText(check.difference.abs())} ${direction} than the ${poundsText(y.value)} calculated.${rounding}`;
}

function describe(query: ProjectionQuery) {
  return [
    { label: 'Evidence ratio', text: `£${query.ratio} for every £1 invested` },
    { label: 'Where it comes from', text: query.source },
    { label: 'Rounding', text: ROUNDING_TEXT[query.rounding] },
    { label: 'Funding', text: fundingText(query.funding) },
  ];
}

/**
 * The projection page: the form, and once it is filled in, the projection. A GET, so a projection can be bookmarked;
 * the page opened without a query is the empty form, not a list of problems.
 */
export async function showProjection(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const ledger = await projectionLedger(request.server.deps, user);
  const values = formValues(request.query);
  // With no funding there is no form on the page, so nothing to list problems with.
  const asked = ledger.years.length > 0 && Object.keys(values).length > 0;
  const form = asked ? parseForm(projectionQuerySchema(ledger.years, ledger.fundings), request.query) : undefined;
  const query = form?.ok === true ? form.data : undefined;
  const result = query === undefined ? undefined : projectFunding(ledger, query);
  return render(
    request,
    reply,
    'modules/impact/views/projection.njk',
    {
      values,
      errors: form?.ok === false ? form.errors : undefined,
      years: ledger.years.map((year) => ({ year, field: publishedField(year) })),
      fundings: ledger.fundings,
      allFunding: { value: ALL_FUNDING, text: fundingText(ALL_FUNDING) },
      roundings: Object.entries(ROUNDING_TEXT).map(([value, text]) => ({ value, text })),
      caveat: PROJECTION_CAVEAT,
      assumptions: query === undefined ? undefined : describe(query),
      table: result === undefined || query === undefined ? undefined : projectionTable(result, query.published.size > 0, fundingText(query.funding)),
      warnings: result?.years.map(warningOf).filter((w) => w !== undefined),
    },
    form?.ok === false ? 400 : 200,
  );
}
