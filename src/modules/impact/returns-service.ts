import { audited, formProblems } from '../../core/audit/audited.ts';
import { Decimal } from 'decimal.js';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../core/db/database.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { FormErrors, FormResult } from '../../core/http/forms.ts';
import { benefitCost, costPerPerson, grossValue, netValue, presentValue, socialReturn as returnOn, sumByYear, yearsOfBenefit } from './calculations.ts';
import { countPeopleSupported, selectVerifiedOutcomes, type VerifiedOutcomeRow } from './avoided-queries.ts';
import { investmentLines, totalOf, type InvestmentLine } from './investment-service.ts';
import { selectReportPriceYear, updateReportPriceYear } from './scenario-queries.ts';
import { loadScenarios, type OutcomeRates, type Scenario } from './scenario-service.ts';
import type { ScenarioKind } from './scenario-tables.ts';
import { selectSeries } from './unit-cost-queries.ts';
import { REPORT_SERIES_NAME, loadPriceSeries } from './unit-cost-service.ts';
import { uprateToYear, type PriceSeries } from './uprating.ts';

/**
 * The programme's returns, for the manager's page and the Leadership Group's dashboard: cost avoided (fiscal values
 * only) and the social return per scenario. Only verified avoided outcomes count, each priced with the values copied
 * when it was recorded, uprated to one price year with the library's own deflator series. Aggregates only: no
 * person is named, and the dashboard passes counts through disclosure control itself. Money is decimal text.
 */

type Deps = { db: Db };

export const RETURNS_CAVEAT =
  'These figures are forecasts. Each avoided outcome is a coordinator’s judgement of what was likely to happen on the same trajectory, checked by a manager; unless the programme’s figures have been independently assured, treat them as indicative, not as cashable savings.';

export interface ReturnsOptions {
  /** The price year to show every figure in, as the series writes it: a financial year, like 2015/16. */
  priceYear?: string;
  /** The period, by the date each outcome was likely ('YYYY-MM-DD'), inclusive. */
  from?: string;
  to?: string;
  /**
   * The investment ledger as it stood at the end of this day ('YYYY-MM-DD'), for a report that must read later as it
   * did then; as it stands now when not given. (Avoided outcomes are counted by their own date, `from` and `to`.)
   */
  ledgerAsAt?: string;
}

/** A verified outcome that could not be counted: its values could not be put into the report's price year. */
export interface NotCounted {
  avoidedOutcomeId: string;
  reason: string;
}

export interface PriceBasis {
  priceYear: string;
  seriesName: string;
  /** What the licences of the unit costs behind the figures ask to be shown with them. */
  attributions: string[];
}

/** The distinct attributions of the libraries these outcomes' costs came from. */
const attributionsOf = (rows: readonly Pick<VerifiedOutcomeRow, 'attribution'>[]) => [...new Set(rows.flatMap((r) => (r.attribution === null ? [] : [r.attribution])))].sort();

export interface CostAvoided extends PriceBasis {
  from: string | null;
  to: string | null;
  total: string;
  byAgency: { agency: string; amount: string }[];
  byFinancialYear: { year: string; amount: string }[];
  byArea: { area: string; amount: string }[];
  /** Distinct people with a verified avoided outcome in the period. */
  peopleCounted: number;
  /** Cost avoided ÷ people counted; null with nobody counted. */
  averagePerPerson: string | null;
  /** People walked alongside in the period: beyond "introduced". */
  peopleSupported: number;
  investment: string;
  /** Investment ÷ people supported; null when either is none. */
  costPerPersonSupported: string | null;
  notCounted: NotCounted[];
}

/** The financial year (April to March) a date falls in: '2025-05-01' → '2025/26'. */
export function financialYearOf(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const start = Number(isoDate.slice(5, 7)) >= 4 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The financial years a period touches, or undefined for no period (every year counts). */
function yearsTouched(from: string | null, to: string | null): ((year: string) => boolean) | undefined {
  if (from === null && to === null) return undefined;
  const first = from === null ? null : financialYearOf(from);
  const last = to === null ? null : financialYearOf(to);
  return (year) => (first === null || year >= first) && (last === null || year <= last);
}

const money = (d: Decimal) => d.toFixed(2, Decimal.ROUND_HALF_UP);

async function libraryPriceSeries(tx: Tx, programmeId: string): Promise<PriceSeries> {
  // Newest version of the joined series: the workbook's own deflators to 2015/16, so its figures stay exactly as
  // published, and HM Treasury's since, so a programme can report in recent prices.
  const series = (await selectSeries(tx, programmeId)).find((s) => s.name === REPORT_SERIES_NAME);
  if (series === undefined) throw new Error('The unit-cost library’s deflator series has not been imported');
  return loadPriceSeries(tx, series);
}

type ValueKind = 'fiscal' | 'economic' | 'social';

/** One value of an outcome in the report's price year; a reason instead when the series cannot say. */
function upratedValue(row: VerifiedOutcomeRow, kind: ValueKind, priceYear: string, series: PriceSeries): Decimal | string | null {
  const [value, year] = kind === 'fiscal' ? [row.fiscalValue, row.fiscalPriceYear] : kind === 'economic' ? [row.economicValue, row.economicPriceYear] : [row.socialValue, row.socialPriceYear];
  if (value === null || year === null) return null;
  const uprated = uprateToYear(value, year, priceYear, series);
  return uprated.ok ? uprated.value : uprated.message;
}

function addTo(map: Map<string, Decimal>, key: string, amount: Decimal) {
  map.set(key, (map.get(key) ?? new Decimal(0)).plus(amount));
}

/** The funding for the financial years a period touches (every year, with no period). */
async function investmentIn(tx: Tx, programmeId: string, period: { from: string | null; to: string | null }, ledgerAsAt: string | undefined): Promise<InvestmentLine[]> {
  const inPeriod = yearsTouched(period.from, period.to);
  const lines = await investmentLines(tx, programmeId, ledgerAsAt);
  return inPeriod === undefined ? lines : lines.filter((l) => inPeriod(l.financialYear));
}

const sorted = (map: Map<string, Decimal>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));

/**
 * Cost avoided: fiscal values only, by the agency that would have borne it, by financial year and by neighbourhood,
 * with the people counted and the cost per person supported. Each outcome counts quantity × value × duration ×
 * likelihood: what was likely, not what was certain.
 */
export async function costAvoided(deps: Deps, programmeId: string, options: ReturnsOptions = {}): Promise<CostAvoided> {
  const period = { from: options.from ?? null, to: options.to ?? null };
  return inTransaction(deps.db, { programmeId, userId: null }, async (tx) => {
    const priceYear = options.priceYear ?? (await selectReportPriceYear(tx, programmeId));
    const series = await libraryPriceSeries(tx, programmeId);
    const rows = await selectVerifiedOutcomes(tx, programmeId, period);
    const byAgency = new Map<string, Decimal>();
    const byYear = new Map<string, Decimal>();
    const byArea = new Map<string, Decimal>();
    const notCounted: NotCounted[] = [];
    const counted: VerifiedOutcomeRow[] = [];
    let total = new Decimal(0);
    for (const row of rows) {
      const unitValue = upratedValue(row, 'fiscal', priceYear, series);
      if (unitValue === null) continue;
      if (typeof unitValue === 'string') {
        notCounted.push({ avoidedOutcomeId: row.id, reason: unitValue });
        continue;
      }
      counted.push(row);
      const amount = grossValue({ quantity: row.quantity, unitValue, ...(row.duration === null ? {} : { duration: row.duration }), likelihood: row.likelihood });
      total = total.plus(amount);
      addTo(byAgency, row.agencyOverride ?? row.costAgency, amount);
      addTo(byYear, financialYearOf(row.likelyOn), amount);
      addTo(byArea, row.areaName, amount);
    }
    const peopleCounted = new Set(rows.map((r) => r.personId)).size;
    const peopleSupported = await countPeopleSupported(tx, programmeId, period);
    const investment = totalOf(await investmentIn(tx, programmeId, period, options.ledgerAsAt));
    return {
      priceYear,
      seriesName: series.name,
      attributions: attributionsOf(counted),
      from: period.from,
      to: period.to,
      total: money(total),
      byAgency: sorted(byAgency).map(([agency, amount]) => ({ agency, amount: money(amount) })),
      byFinancialYear: sorted(byYear).map(([year, amount]) => ({ year, amount: money(amount) })),
      byArea: sorted(byArea).map(([area, amount]) => ({ area, amount: money(amount) })),
      peopleCounted,
      averagePerPerson: peopleCounted === 0 ? null : money(total.dividedBy(peopleCounted)),
      peopleSupported,
      investment: money(investment),
      costPerPersonSupported: peopleSupported === 0 || investment.isZero() ? null : money(costPerPerson(investment, peopleSupported)),
      notCounted,
    };
  });
}

export interface ScenarioReturn {
  kind: ScenarioKind;
  name: string;
  /** Benefits (fiscal, economic and social values, net of the rates) in each year, before discounting. */
  benefitsByYear: string[];
  presentValue: string;
  investment: string;
  /** Null when there is no investment, or no benefit, to divide by. */
  ratio: string | null;
  netPresentValue: string;
  benefitCostRatio: string | null;
  /** As a share: 0.5 is 50%. */
  switchingValue: string | null;
  assumptions: Omit<Scenario, 'kind' | 'name' | 'version' | 'updatedAt' | 'updatedByName'>;
}

export interface SocialReturn extends PriceBasis {
  scenarios: ScenarioReturn[];
  investmentByYear: { year: string; amount: string }[];
  notCounted: NotCounted[];
  caveat: string;
}

/** A verified outcome's fiscal, economic and social values together, in the report's price year. */
function fullValue(row: VerifiedOutcomeRow, priceYear: string, series: PriceSeries): Decimal | string {
  let sum = new Decimal(0);
  for (const kind of ['fiscal', 'economic', 'social'] as const) {
    const value = upratedValue(row, kind, priceYear, series);
    if (typeof value === 'string') return value;
    if (value !== null) sum = sum.plus(value);
  }
  return sum;
}

function scenarioReturn(scenario: Scenario, outcomes: { row: VerifiedOutcomeRow; value: Decimal }[], investment: Decimal): ScenarioReturn {
  const streams = outcomes.map(({ row, value }) => {
    const rates: OutcomeRates = scenario.costRates.find((c) => c.unitCostId === row.unitCostId) ?? scenario;
    const gross = grossValue({
      quantity: row.quantity,
      unitValue: value,
      ...(row.duration === null ? {} : { duration: row.duration }),
      ...(scenario.useLikelihood ? { likelihood: row.likelihood } : {}),
    });
    return yearsOfBenefit(netValue(gross, rates), rates.dropOff, rates.years);
  });
  const byYear = sumByYear(streams);
  const pv = presentValue(byYear, scenario.discountRate, scenario.discountFirstYear);
  // gt, not isPositive: decimal.js counts zero as positive.
  const counted = investment.gt(0) && pv.gt(0);
  const ret = counted ? returnOn(pv, investment) : null;
  const bc = counted ? benefitCost(pv, investment) : null;
  const { kind, name, deadweight, displacement, attribution, dropOff, years, discountRate, discountFirstYear, useLikelihood, basis, isDefault, costRates } = scenario;
  const assumptions = { deadweight, displacement, attribution, dropOff, years, discountRate, discountFirstYear, useLikelihood, basis, isDefault, costRates };
  return {
    kind,
    name,
    benefitsByYear: byYear.map(money),
    presentValue: money(pv),
    investment: money(investment),
    ratio: ret === null ? null : ret.ratio.toFixed(4, Decimal.ROUND_HALF_UP),
    netPresentValue: money(pv.minus(investment)),
    benefitCostRatio: bc === null ? null : bc.ratio.toFixed(4, Decimal.ROUND_HALF_UP),
    switchingValue: bc === null ? null : bc.switchingValue.toFixed(4, Decimal.ROUND_HALF_UP),
    assumptions,
  };
}

/**
 * The social return under each of the programme's scenarios: the present value of the verified outcomes' fiscal,
 * economic and social values, net of deadweight, displacement and attribution, fading by the drop-off over the years
 * of benefit and discounted (IMPACT.md); against the programme's investment, its ratio, net present value,
 * benefit/cost ratio and switching value, with the assumptions to print beside them and the caveat. With `to`, only
 * outcomes likely by then, against the funding for the financial years up to and including the one it falls in, as
 * cost avoided counts them.
 */
export async function socialReturn(deps: Deps, programmeId: string, options: Omit<ReturnsOptions, 'from'> = {}): Promise<SocialReturn> {
  const period = { from: null, to: options.to ?? null };
  return inTransaction(deps.db, { programmeId, userId: null }, async (tx) => {
    const priceYear = options.priceYear ?? (await selectReportPriceYear(tx, programmeId));
    const series = await libraryPriceSeries(tx, programmeId);
    const rows = await selectVerifiedOutcomes(tx, programmeId, period);
    const notCounted: NotCounted[] = [];
    const outcomes: { row: VerifiedOutcomeRow; value: Decimal }[] = [];
    for (const row of rows) {
      const value = fullValue(row, priceYear, series);
      if (typeof value === 'string') notCounted.push({ avoidedOutcomeId: row.id, reason: value });
      else outcomes.push({ row, value });
    }
    const lines = await investmentIn(tx, programmeId, period, options.ledgerAsAt);
    const investment = totalOf(lines);
    const years = [...new Set(lines.map((l) => l.financialYear))].sort();
    return {
      priceYear,
      seriesName: series.name,
      attributions: attributionsOf(outcomes.map((o) => o.row)),
      scenarios: (await loadScenarios(tx, programmeId)).map((s) => scenarioReturn(s, outcomes, investment)),
      investmentByYear: years.map((year) => ({ year, amount: money(totalOf(lines.filter((l) => l.financialYear === year))) })),
      notCounted,
      caveat: RETURNS_CAVEAT,
    };
  });
}

/** The price years the library's deflator series can show figures in, oldest first, and the programme's own. */
export async function libraryPriceYears(deps: Deps, programmeId: string): Promise<{ years: string[]; reportYear: string }> {
  return inTransaction(deps.db, { programmeId, userId: null }, async (tx) => ({
    years: [...(await libraryPriceSeries(tx, programmeId)).values.keys()].sort(),
    reportYear: await selectReportPriceYear(tx, programmeId),
  }));
}

export type PriceYearResult = { kind: 'saved' } | { kind: 'invalid'; errors: FormErrors };

/**
 * The admin sets the price year every figure of the programme is shown in, from the years the series covers. A
 * programme setting, about no one; audited with the years before and after.
 */
export async function saveReportPriceYear(deps: Deps & { clock: Clock }, user: CurrentUser, form: FormResult<{ priceYear: string }>, requestId: string): Promise<PriceYearResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, 'impact.price-year', requestId, async (tx, note): Promise<PriceYearResult> => {
    const years = [...(await libraryPriceSeries(tx, programmeId)).values.keys()].sort();
    const errors: FormErrors | undefined = !form.ok ? form.errors : years.includes(form.data.priceYear) ? undefined : { priceYear: `Choose a price year the deflator series covers: ${years[0] ?? ''} to ${years.at(-1) ?? ''}` };
    if (!form.ok || errors !== undefined) {
      note.failed(formProblems({ ok: false, errors: errors ?? {} }));
      return { kind: 'invalid', errors: errors ?? {} };
    }
    note.add({ from: await selectReportPriceYear(tx, programmeId), to: form.data.priceYear });
    await updateReportPriceYear(tx, programmeId, form.data.priceYear);
    return { kind: 'saved' };
  });
}

/** A financial year ('2025/26') as the period from 1 April to 31 March. */
export function financialYearPeriod(year: string): { from: string; to: string } {
  const start = Number(year.slice(0, 4));
  return { from: `${start}-04-01`, to: `${start + 1}-03-31` };
}
