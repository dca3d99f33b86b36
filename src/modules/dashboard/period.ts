/**
 * The reporting period: a month, and the twelve months up to and including it. Months are 'YYYY-MM' and days
 * 'YYYY-MM-DD'; the end of a month is the first day of the next (an exclusive bound, so no time of day is needed).
 */

export interface Month {
  key: string;
  label: string;
}

export interface Period {
  month: Month;
  /** The first day of the chosen month. */
  monthStart: string;
  /** The first day of the twelve months ending with the chosen month. */
  from: string;
  /** The first day after the chosen month. */
  before: string;
  /** The last day of the chosen month. */
  lastDay: string;
  /** The twelve months, oldest first. */
  months: Month[];
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

const labelFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

function monthAt(year: number, monthIndex: number): Month {
  const date = new Date(Date.UTC(year, monthIndex, 1));
  return { key: date.toISOString().slice(0, 7), label: labelFormat.format(date) };
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function isMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

/** The months a reader may choose: from the latest back over the given number, newest first. */
export function recentMonths(latest: string, count: number): Month[] {
  const [year, month] = latest.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => monthAt(year, month - 1 - i));
}

export function periodEnding(month: string): Period {
  const match = MONTH_PATTERN.exec(month);
  if (match === null) throw new RangeError(`not a month: ${month}`);
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  const months = Array.from({ length: 12 }, (_, i) => monthAt(year, index - 11 + i));
  const next = monthAt(year, index + 1);
  const lastDay = new Date(Date.UTC(year, index + 1, 0)).toISOString().slice(0, 10);
  return { month: monthAt(year, index), monthStart: `${month}-01`, from: `${months[0]?.key}-01`, before: `${next.key}-01`, lastDay, months };
}
