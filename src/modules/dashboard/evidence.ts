import { Decimal } from 'decimal.js';
import { FEWER_THAN_SMALLEST, SMALLEST_SHOWN, disclosedCount } from '../../core/disclosure.ts';
import { poundsText } from '../../core/money.ts';
import { financialYearOf, type CostAvoided, type PriceBasis, type SocialReturn } from '../impact/returns-service.ts';
import type { MeasureDistribution, ServiceUseTotal } from '../outcomes/service.ts';
import { barChart, type ChartItem } from './chart.ts';
import { countItem, type FigureTable } from './figures.ts';
import type { Period } from './period.ts';

/**
 * The evidence in the Leadership Group's figures, kept apart as IMPACT.md asks: outcomes people report, public
 * money that would likely have been spent (fiscal values, verified records only), and social value under each
 * scenario with its assumptions beside it. Counts of people pass disclosure control; an average is shown only
 * over enough people that no one's answer or cost can be read from it.
 */

const DISCLOSURE_NOTE = `Counts of people from 1 to 7 are shown as "${FEWER_THAN_SMALLEST}" and the rest are rounded to the nearest 5.`;

const enoughPeople = (n: number) => n >= SMALLEST_SHOWN;

function moneyItem(label: string, amount: string): ChartItem {
  return { label, text: poundsText(amount), value: Number(amount) };
}

/** Said under each table of evidence: a past month's report reads later as it did then. */
const asItStood = (period: Period, what: string) =>
  `Each ${what} counts as it stood at the end of ${period.month.label}: a correction made since shows only in later months’ figures.`;

/**
 * What the investment is: funding lines are for whole financial years, so a year's funding counts in full from its
 * start (the programme is committed to it), as the ledger stood at the month's end, so that the report reads later as
 * the board first read it.
 */
const investmentNote = (period: Period) =>
  `Investment is the funding in the programme’s ledger at the end of ${period.month.label} for the financial years up to and including ${financialYearOf(period.lastDay)}: a year’s funding counts in full from the start of that year. Funding recorded or corrected after ${period.month.label} shows in later months’ reports.`;

function signed(change: string): string {
  return new Decimal(change).gt(0) ? `+${change}` : change;
}

export function outcomeChange(period: Period, measures: readonly MeasureDistribution[]): FigureTable {
  const items = measures.map((m) => countItem(m.label, m.better));
  return {
    id: 'outcome-change',
    title: 'How people’s lives have changed, in their own words',
    caption: `People who answered a question when they met their coordinator and again later (to the end of ${period.month.label}): how many are better, the same or worse on each, and the average change.`,
    headers: ['Measure', 'People', 'Better', 'The same', 'Worse', 'Average change'],
    rows: measures.map((m) => ({
      label: m.label,
      cells: [
        disclosedCount(m.people),
        disclosedCount(m.better),
        disclosedCount(m.same),
        disclosedCount(m.worse),
        m.meanChange !== null && enoughPeople(m.people) ? signed(m.meanChange) : 'not shown',
      ],
    })),
    chart: barChart(items),
    notes: [
      'The chart shows how many people are better on each measure. Wellbeing questions are answered 0 to 10 and reported separately, never added together; for anxiety and loneliness a fall is an improvement.',
      `An average is shown only over ${SMALLEST_SHOWN} people or more.`,
      asItStood(period, 'check-in'),
      DISCLOSURE_NOTE,
    ],
  };
}

export function serviceUse(period: Period, use: { people: number; kinds: readonly ServiceUseTotal[] }): FigureTable {
  return {
    id: 'service-use',
    title: 'Use of services before and after',
    caption: `Among the ${disclosedCount(use.people)} people with a record of their use of services both before they met their coordinator and since (to the end of ${period.month.label}), how often each was used in each period.`,
    headers: ['Service', 'People', 'Before', 'Since'],
    rows: use.kinds.map((k) => ({
      label: k.label,
      cells: enoughPeople(k.people) ? [disclosedCount(k.people), disclosedCount(k.before), disclosedCount(k.after)] : [disclosedCount(k.people), 'not shown', 'not shown'],
    })),
    notes: [
      `Known from a record or the agency, or as people told us. The numbers of times are shown only where ${SMALLEST_SHOWN} people or more are counted, and are rounded like counts of people.`,
      asItStood(period, 'period of service use'),
      DISCLOSURE_NOTE,
    ],
  };
}

/** The price basis of a money figure, and the unit costs' sources as their licences ask them to be shown. */
const priceNote = (c: PriceBasis) => {
  const sources = c.attributions.length === 0 ? '' : ` Unit costs from ${c.attributions.join('; ')}.`;
  return `In ${c.priceYear} prices, uprated with ${c.seriesName}.${sources}`;
};

export function costAvoidedTables(period: Period, cost: CostAvoided): FigureTable[] {
  const basis = [
    'Fiscal values only: public money that would likely have been spent on the same trajectory, by the agency that would have borne it. Only records a manager has verified are counted.',
    priceNote(cost),
  ];
  const moneyTable = (id: string, title: string, header: string, rows: readonly { label: string; amount: string }[], chart: boolean): FigureTable => ({
    id,
    title,
    caption: `Cost avoided to the end of ${period.month.label}, by ${header.toLowerCase()}.`,
    headers: [header, 'Cost avoided'],
    rows: rows.map((r) => ({ label: r.label, cells: [poundsText(r.amount)] })),
    total: { label: 'Total', cells: [poundsText(cost.total)] },
    ...(chart ? { chart: barChart(rows.map((r) => moneyItem(r.label, r.amount))) } : {}),
    notes: basis,
  });
  const people: FigureTable = {
    id: 'cost-per-person',
    title: 'People and cost per person',
    caption: `People walked alongside, and the investment and cost avoided per person, to the end of ${period.month.label}.`,
    headers: ['Figure', 'Value'],
    rows: [
      { label: 'People walked alongside', cells: [disclosedCount(cost.peopleSupported)] },
      { label: 'Investment', cells: [poundsText(cost.investment)] },
      { label: 'Investment per person walked alongside', cells: [cost.costPerPersonSupported === null ? 'not known yet' : poundsText(cost.costPerPersonSupported)] },
      { label: 'People with a verified avoided cost', cells: [disclosedCount(cost.peopleCounted)] },
      {
        label: 'Average cost avoided per person with one',
        cells: [cost.averagePerPerson !== null && enoughPeople(cost.peopleCounted) ? poundsText(cost.averagePerPerson) : 'not shown'],
      },
    ],
    notes: [investmentNote(period), `Averages are shown only over ${SMALLEST_SHOWN} people or more.`, DISCLOSURE_NOTE],
  };
  return [
    moneyTable('cost-avoided-by-agency', 'Cost avoided, by agency', 'Agency', cost.byAgency.map((a) => ({ label: a.agency, amount: a.amount })), true),
    moneyTable('cost-avoided-by-year', 'Cost avoided, by financial year', 'Financial year', cost.byFinancialYear.map((y) => ({ label: y.year, amount: y.amount })), false),
    moneyTable('cost-avoided-by-neighbourhood', 'Cost avoided, by neighbourhood', 'Neighbourhood', cost.byArea.map((a) => ({ label: a.area, amount: a.amount })), false),
    people,
  ];
}

/** Below zero, the benefits do not cover the investment: there is nothing they could fall by. */
function switching(value: string | null): string {
  if (value === null) return 'not known yet';
  return new Decimal(value).gt(0) ? percent(value) : 'none: the benefits are below the investment';
}

const percent = (rate: string) => `${new Decimal(rate).times(100).toDecimalPlaces(1).toString()}%`;

export function perPound(ratio: string | null): string {
  return ratio === null ? 'not known yet' : `£${new Decimal(ratio).toFixed(2, Decimal.ROUND_HALF_UP)} for each £1`;
}

export function socialReturnTables(period: Period, social: SocialReturn): FigureTable[] {
  const scenarios = social.scenarios;
  const returns: FigureTable = {
    id: 'social-return',
    title: 'Social return on investment: the range',
    caption: `The present value of the fiscal, economic and social value of verified avoided outcomes likely by the end of ${period.month.label}, under three sets of assumptions, against the investment to then.`,
    headers: ['Scenario', 'Present value of benefits', 'Investment', 'Social return', 'Net present value', 'Benefit/cost ratio', 'Switching value'],
    rows: scenarios.map((s) => ({
      label: s.name,
      cells: [
        poundsText(s.presentValue),
        poundsText(s.investment),
        perPound(s.ratio),
        poundsText(s.netPresentValue),
        s.benefitCostRatio === null ? 'not known yet' : new Decimal(s.benefitCostRatio).toFixed(2, Decimal.ROUND_HALF_UP),
        switching(s.switchingValue),
      ],
    })),
    chart: barChart(scenarios.map((s) => ({ label: s.name, value: s.ratio === null ? null : Number(s.ratio), text: perPound(s.ratio) }))),
    notes: [social.caveat, priceNote(social), investmentNote(period), 'The switching value is how far the benefits could fall before they no longer cover the investment.'],
  };
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  const assumption = (label: string, value: (s: (typeof scenarios)[number]['assumptions']) => string) => ({ label, cells: scenarios.map((s) => value(s.assumptions)) });
  const assumptions: FigureTable = {
    id: 'social-return-assumptions',
    title: 'The assumptions behind the range',
    caption: 'Each scenario’s rates, set by the programme’s admin. Deadweight is what would have happened anyway; displacement, what happens elsewhere instead; attribution, what is owed to others; drop-off, how much the benefit fades each year.',
    headers: ['Assumption', ...scenarios.map((s) => s.name)],
    rows: [
      assumption('Deadweight', (a) => percent(a.deadweight)),
      assumption('Displacement', (a) => percent(a.displacement)),
      assumption('Attribution', (a) => percent(a.attribution)),
      assumption('Drop-off each year', (a) => percent(a.dropOff)),
      assumption('Years of benefit', (a) => String(a.years)),
      assumption('Discount rate', (a) => percent(a.discountRate)),
      assumption('First year discounted', (a) => yesNo(a.discountFirstYear)),
      assumption('Likelihood applied', (a) => yesNo(a.useLikelihood)),
    ],
    notes: scenarios.map((s) => `${s.name}: ${s.assumptions.basis}`),
  };
  return [returns, assumptions];
}
