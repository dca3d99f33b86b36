import type { Decimal } from 'decimal.js';
import { uprate, type Amount } from './calculations.ts';
import type { IndexBasis } from './unit-cost-tables.ts';

/** A price index series as uprating uses it: its years (as the series writes them) and their index values. */
export interface PriceSeries {
  id: string;
  name: string;
  basis: IndexBasis;
  /** Year label ('2015/16' or '2015') → index, as decimal text. */
  values: ReadonlyMap<string, string>;
}

export type Uprated =
  | { ok: true; value: Decimal; priceYear: string; targetYear: string; priceYearIndex: string; targetYearIndex: string }
  /** The series cannot say: `missing` is which year it lacks, `message` says so in words for the page. */
  | { ok: false; missing: 'price-year' | 'target-year'; message: string };

const BASIS_WORDS: Record<IndexBasis, string> = { 'financial-year': 'financial years, like 2015/16', 'calendar-year': 'calendar years, like 2015' };

/** The years a series covers, in words: "1989/90 to 2019/20". */
export function seriesRange(series: PriceSeries): string {
  const years = [...series.values.keys()].sort();
  return years.length === 0 ? 'no years' : `${years[0]} to ${years[years.length - 1]}`;
}

/**
 * A value in another year's prices with one series: value × index(target year) ÷ index(price year), at full
 * precision (calculations.ts). Refused, never guessed, when the series has no index for either year: a financial
 * year is not silently read as a calendar year, nor a missing year filled in from its neighbours.
 */
export function uprateToYear(value: Amount, priceYear: string, targetYear: string, series: PriceSeries): Uprated {
  const from = series.values.get(priceYear);
  if (from === undefined) {
    return {
      ok: false,
      missing: 'price-year',
      message: `The series “${series.name}” has no index for ${priceYear}, the year this value is priced in. It covers ${BASIS_WORDS[series.basis]}, ${seriesRange(series)}`,
    };
  }
  const to = series.values.get(targetYear);
  if (to === undefined) {
    return {
      ok: false,
      missing: 'target-year',
      message: `The series “${series.name}” has no index for ${targetYear}. It covers ${BASIS_WORDS[series.basis]}, ${seriesRange(series)}`,
    };
  }
  return { ok: true, value: uprate(value, from, to), priceYear, targetYear, priceYearIndex: from, targetYearIndex: to };
}
