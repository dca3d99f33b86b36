import { ukToday } from '../../core/http/forms.ts';

/** Calendar arithmetic on 'YYYY-MM-DD' dates, as the UK counts birthdays and days. No time zones involved. */

function parts(iso: string): [number, number, number] {
  const [year = 0, month = 0, day = 0] = iso.split('-').map(Number);
  return [year, month, day];
}

/** Whole years from `from` to `to`: someone born on `from` is this old on `to`. */
export function wholeYearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  const beforeAnniversary = tm < fm || (tm === fm && td < fd);
  return ty - fy - (beforeAnniversary ? 1 : 0);
}

function wholeMonthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

function dayNumber(iso: string): number {
  const [year, month, day] = parts(iso);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** What is known of someone's age: a date of birth, or an age with the day it was recorded. */
export interface AgeFacts {
  dateOfBirth: string | null;
  ageWhenRecorded: number | null;
  ageRecordedOn: string | null;
}

/** Their age today, from the date of birth or by adding the years since an age was recorded; null if not known. */
export function ageNow(facts: AgeFacts, today: string): number | null {
  if (facts.dateOfBirth !== null) return wholeYearsBetween(facts.dateOfBirth, today);
  if (facts.ageWhenRecorded !== null && facts.ageRecordedOn !== null) {
    return facts.ageWhenRecorded + Math.max(0, wholeYearsBetween(facts.ageRecordedOn, today));
  }
  return null;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * How long ago something happened, in words a person would use: "today", "3 weeks ago". Always looking back:
 * the record shows how long since, never how long is left.
 */
export function timeSince(when: Date, now: Date): string {
  return daysSince(ukToday(when), ukToday(now));
}

/** timeSince for a calendar date ('YYYY-MM-DD'), such as the day of a conversation, as of `today`. */
export function daysSince(day: string, today: string): string {
  const days = Math.max(0, dayNumber(today) - dayNumber(day));
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 14) return `${plural(days, 'day')} ago`;
  if (days < 61) return `${plural(Math.floor(days / 7), 'week')} ago`;
  const months = wholeMonthsBetween(day, today);
  if (months < 24) return `${plural(months, 'month')} ago`;
  return `${plural(wholeYearsBetween(day, today), 'year')} ago`;
}
