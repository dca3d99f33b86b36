import { Decimal } from 'decimal.js';
import type { CurrentUser } from '../../core/auth/can.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { checkPublished, projection, roundAmount } from './calculations.ts';
import { getInvestmentPage, totalOf, type InvestmentLine } from './investment-service.ts';
import { ALL_FUNDING, PROJECTION_ROUNDINGS, type ProjectionQuery, type ProjectionRounding } from './projection-schemas.ts';

/**
 * A projection from an evidence ratio (IMPACT.md, calculation 8): each financial year's investment from the
 * programme's own ledger × the value another programme's evaluation found per £1, rounded as set, with any
 * published figure checked against it. Programme figures, about no one: not audited when read.
 */

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export const PROJECTION_CAVEAT =
  'A projection applies another programme’s evidence to this programme’s investment. It is not a measured outcome: it says what the investment might be worth if this programme did as well as the one evaluated, not what it has achieved.';

export interface ProjectionLedger {
  lines: InvestmentLine[];
  /** Every financial year with funding, oldest first. */
  years: string[];
  /** The partners who fund the programme, in words, to project one partner's funding on its own. */
  fundings: string[];
}

export async function projectionLedger(deps: Deps, user: CurrentUser): Promise<ProjectionLedger> {
  const { lines } = await getInvestmentPage(deps, user);
  return {
    lines,
    years: [...new Set(lines.map((l) => l.financialYear))].sort(),
    fundings: [...new Set(lines.map((l) => l.partnerText))].sort((a, b) => a.localeCompare(b)),
  };
}

export interface PublishedCheck {
  figure: Decimal;
  reproduces: boolean;
  /** Published − calculated: below zero, the published figure is short. */
  difference: Decimal;
  /** A figure that does not reproduce but would under the other rounding: pence kept or dropped, not a typo. */
  reproducesRounded: ProjectionRounding | null;
}

export interface ProjectionYear {
  year: string;
  investment: Decimal;
  value: Decimal;
  published: PublishedCheck | null;
}

export interface ProjectionResult {
  years: ProjectionYear[];
  totalInvestment: Decimal;
  /** The sum of the years' values as rounded, so the total adds up down the column as a published table's does. */
  totalValue: Decimal;
}

/**
 * The projection, year by year: every year the ledger has funding in, so a published figure can be checked against
 * any of them (a year the chosen partner did not fund projects £0).
 */
export function projectFunding(ledger: ProjectionLedger, query: Pick<ProjectionQuery, 'ratio' | 'rounding' | 'funding' | 'published'>): ProjectionResult {
  const lines = query.funding === ALL_FUNDING ? ledger.lines : ledger.lines.filter((l) => l.partnerText === query.funding);
  const byYear = ledger.years.map((year) => ({ year, investment: totalOf(lines.filter((l) => l.financialYear === year)) }));
  const otherRounding = PROJECTION_ROUNDINGS.find((r) => r !== query.rounding) ?? query.rounding;
  const years = projection(byYear, query.ratio, query.rounding).map(({ year, investment, value }): ProjectionYear => {
    const figure = query.published.get(year);
    if (figure === undefined) return { year, investment, value, published: null };
    const check = checkPublished(figure, value);
    const otherwise = !check.reproduces && checkPublished(figure, roundAmount(investment.times(query.ratio), otherRounding)).reproduces;
    return { year, investment, value, published: { figure: new Decimal(figure), ...check, reproducesRounded: otherwise ? otherRounding : null } };
  });
  return {
    years,
    totalInvestment: years.reduce((sum, y) => sum.plus(y.investment), new Decimal(0)),
    totalValue: years.reduce((sum, y) => sum.plus(y.value), new Decimal(0)),
  };
}
