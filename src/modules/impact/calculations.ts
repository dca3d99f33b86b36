import { Decimal } from 'decimal.js';

/**
 * The arithmetic of cost avoidance and social return (IMPACT.md, "Calculations"), in decimal throughout: money is
 * never a binary float. Every function is pure, so each published figure the Leadership Group relies on can be
 * reproduced by a test to the penny.
 */

export type Amount = Decimal.Value;

const ONE = new Decimal(1);

function rate(value: Amount, name: string): Decimal {
  const r = new Decimal(value);
  if (r.isNegative() || r.greaterThan(1)) throw new RangeError(`${name} must be between 0 and 1`);
  return r;
}

/**
 * A value in another year's prices: value × index(target year) ÷ index(price year), with both indices from one
 * deflator series. Full precision: round only where a figure is shown or a rate card says so.
 */
export function uprate(value: Amount, priceYearIndex: Amount, targetYearIndex: Amount): Decimal {
  const from = new Decimal(priceYearIndex);
  if (!from.gt(0)) throw new RangeError('A price index must be above zero');
  return new Decimal(value).times(targetYearIndex).dividedBy(from);
}

/** How a figure is rounded when it is fixed: to the penny, to the nearest pound, or down to the pound. */
export type Rounding = 'penny' | 'pound' | 'pound-down';

export function roundAmount(value: Amount, rounding: Rounding): Decimal {
  const v = new Decimal(value);
  switch (rounding) {
    case 'penny':
      return v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    case 'pound':
      return v.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
    case 'pound-down':
      return v.toDecimalPlaces(0, Decimal.ROUND_DOWN);
  }
}

/**
 * What would likely have been spent: quantity × unit value × duration (for a weekly or yearly cost, how many weeks
 * or years) × likelihood (when the scenario uses it).
 */
export function grossValue(input: { quantity: Amount; unitValue: Amount; duration?: Amount; likelihood?: Amount }): Decimal {
  const likelihood = input.likelihood === undefined ? ONE : rate(input.likelihood, 'Likelihood');
  return new Decimal(input.quantity).times(input.unitValue).times(input.duration ?? 1).times(likelihood);
}

/** The share of an outcome that would have happened anyway, happened elsewhere instead, or is owed to others. */
export interface Adjustments {
  deadweight: Amount;
  displacement: Amount;
  attribution: Amount;
}

export const NO_ADJUSTMENTS: Adjustments = { deadweight: 0, displacement: 0, attribution: 0 };

/** Net = gross × (1 − deadweight) × (1 − displacement) × (1 − attribution). */
export function netValue(gross: Amount, adjustments: Adjustments): Decimal {
  return new Decimal(gross)
    .times(ONE.minus(rate(adjustments.deadweight, 'Deadweight')))
    .times(ONE.minus(rate(adjustments.displacement, 'Displacement')))
    .times(ONE.minus(rate(adjustments.attribution, 'Attribution')));
}

/** A benefit over `years` years, fading by the drop-off each year: year k = year 1 × (1 − drop-off)^(k − 1). */
export function yearsOfBenefit(yearOne: Amount, dropOff: Amount, years: number): Decimal[] {
  if (!Number.isInteger(years) || years < 1) throw new RangeError('A benefit lasts at least one whole year');
  const keep = ONE.minus(rate(dropOff, 'Drop-off'));
  return Array.from({ length: years }, (_, k) => new Decimal(yearOne).times(keep.pow(k)));
}

/** Adds benefits year by year: the first list's year 1 with the second's year 1, and so on. */
export function sumByYear(streams: readonly (readonly Decimal[])[]): Decimal[] {
  const years = Math.max(0, ...streams.map((s) => s.length));
  return Array.from({ length: years }, (_, k) => streams.reduce((sum, s) => sum.plus(s[k] ?? 0), new Decimal(0)));
}

/**
 * Present value: Σ value_k ÷ (1 + r)^(k − 1 + s). The Green Book rate is 3.5%; `discountFirstYear` (s = 1) says
 * whether year 1 is itself discounted, a setting shown on the report because it moves the answer.
 */
export function presentValue(valuesByYear: readonly Amount[], discountRate: Amount, discountFirstYear: boolean): Decimal {
  const base = ONE.plus(rate(discountRate, 'The discount rate'));
  const shift = discountFirstYear ? 1 : 0;
  return valuesByYear.reduce<Decimal>((pv, value, k) => pv.plus(new Decimal(value).dividedBy(base.pow(k + shift))), new Decimal(0));
}

export interface Return {
  presentValue: Decimal;
  investment: Decimal;
  /** Present value of benefits ÷ investment: "£x of value for every £1". */
  ratio: Decimal;
  /** Present value − investment. */
  netPresentValue: Decimal;
}

export function socialReturn(presentValueOfBenefits: Amount, investment: Amount): Return {
  const invested = new Decimal(investment);
  if (!invested.gt(0)) throw new RangeError('The investment must be above zero');
  const pv = new Decimal(presentValueOfBenefits);
  return { presentValue: pv, investment: invested, ratio: pv.dividedBy(invested), netPresentValue: pv.minus(invested) };
}

/** Benefits ÷ costs, and the switching value: how far benefits could fall before they no longer cover the cost. */
export function benefitCost(benefits: Amount, costs: Amount): { ratio: Decimal; switchingValue: Decimal } {
  const c = new Decimal(costs);
  if (!c.gt(0)) throw new RangeError('The costs must be above zero');
  const ratio = new Decimal(benefits).dividedBy(c);
  if (!ratio.gt(0)) throw new RangeError('The benefits must be above zero');
  return { ratio, switchingValue: ONE.minus(ONE.dividedBy(ratio)) };
}

/** Investment ÷ people walked alongside. */
export function costPerPerson(investment: Amount, people: number): Decimal {
  if (!Number.isInteger(people) || people < 1) throw new RangeError('Cost per person needs at least one person');
  return new Decimal(investment).dividedBy(people);
}

/** People an investment supports at a cost per person: whole people only, rounded down. */
export function peopleSupported(investment: Amount, perPerson: Amount): number {
  const each = new Decimal(perPerson);
  if (!each.gt(0)) throw new RangeError('The cost per person must be above zero');
  return new Decimal(investment).dividedBy(each).floor().toNumber();
}

/** A projection from an evidence ratio: the value each year's investment is expected to return, rounded as set. */
export function projection(investmentByYear: readonly { year: string; investment: Amount }[], evidenceRatio: Amount, rounding: Rounding) {
  return investmentByYear.map(({ year, investment }) => ({
    year,
    investment: new Decimal(investment),
    value: roundAmount(new Decimal(investment).times(evidenceRatio), rounding),
  }));
}

/**
 * A published figure checked against the calculation: the difference, when it does not reproduce. Catches typos
 * in a report before they are copied into the next one.
 */
export function checkPublished(published: Amount, calculated: Amount): { reproduces: boolean; difference: Decimal } {
  const difference = new Decimal(published).minus(calculated);
  return { reproduces: difference.isZero(), difference };
}
