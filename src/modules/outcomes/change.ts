import { Decimal } from 'decimal.js';
import { MEASURES, SERVICE_KINDS, type CheckInAnswers, type Measure, type Occasion, type ServiceCounts, type ServiceKind, type Side } from './measures.ts';

/**
 * Distance travelled: the same rules for one person's page and for a programme's figures, so the two always agree.
 * The starting point is the check-in recorded at getting to know (or, if none was marked so, the first one); the
 * latest is the most recent check-in after it. A measure has a change only when it was answered at both.
 */

export type Direction = 'better' | 'worse' | 'same';

export const DIRECTION_TEXT: Record<Direction, string> = { better: 'better', worse: 'worse', same: 'the same' };

interface Dated {
  occasion: Occasion;
  checkedOn: string;
}

/** The starting point and the latest check-in after it, from a person's check-ins in date order. */
export function startAndLatest<T extends Dated>(checkIns: readonly T[]): { start?: T; latest?: T } {
  const start = checkIns.find((c) => c.occasion === 'baseline') ?? checkIns[0];
  if (start === undefined) return {};
  const latest = checkIns.filter((c) => c !== start && c.checkedOn >= start.checkedOn).at(-1);
  return latest === undefined ? { start } : { start, latest };
}

/** Which way a change went for the person: for anxiety and loneliness a lower number is better. */
export function directionOf(change: number, lowerIsBetter: boolean): Direction {
  if (change === 0) return 'same';
  return change < 0 === lowerIsBetter ? 'better' : 'worse';
}

export interface PersonMeasureChange {
  measure: Measure;
  start: number | null;
  latest: number | null;
  /** Latest minus start, when both were answered. */
  change: number | null;
  direction: Direction | null;
}

/** Each measure at the start and latest, with the change and its direction. */
export function measureChanges(start: CheckInAnswers | undefined, latest: CheckInAnswers | undefined): PersonMeasureChange[] {
  return MEASURES.map((measure) => {
    const from = start === undefined ? null : measure.value(start);
    const to = latest === undefined ? null : measure.value(latest);
    const change = from === null || to === null ? null : to - from;
    return { measure, start: from, latest: to, change, direction: change === null ? null : directionOf(change, measure.lowerIsBetter) };
  });
}

/** A programme's distribution of change for one measure. No names, no ids: counts and a mean. */
export interface MeasureDistribution {
  measure: Measure['key'];
  label: string;
  lowerIsBetter: boolean;
  /** People with an answer at the starting point and at a later check-in. */
  people: number;
  better: number;
  same: number;
  worse: number;
  /** The mean of latest minus start, to one decimal place ('-1.3'); null when nobody has both. */
  meanChange: string | null;
}

/** The distribution of change per measure, from each person's start and latest answers. */
export function distributionOfChange(people: readonly { start: CheckInAnswers; latest: CheckInAnswers }[]): MeasureDistribution[] {
  const perPerson = people.map((p) => measureChanges(p.start, p.latest));
  return MEASURES.map((measure, index) => {
    const changes = perPerson.map((changes) => changes[index]).filter((c): c is PersonMeasureChange & { change: number } => c !== undefined && c.change !== null);
    const count = (direction: Direction) => changes.filter((c) => c.direction === direction).length;
    const total = changes.reduce((sum, c) => sum.plus(c.change), new Decimal(0));
    return {
      measure: measure.key,
      label: measure.label,
      lowerIsBetter: measure.lowerIsBetter,
      people: changes.length,
      better: count('better'),
      same: count('same'),
      worse: count('worse'),
      meanChange: changes.length === 0 ? null : total.dividedBy(changes.length).toFixed(1, Decimal.ROUND_HALF_UP),
    };
  });
}

// Service use ----------------------------------------------------------------------------------------------------

interface PeriodLike {
  side: Side;
  toOn: string;
  counts: ServiceCounts;
}

/** The periods compared: the latest before meeting, and the latest since, from a person's periods in date order. */
export function beforeAndAfter<T extends PeriodLike>(periods: readonly T[]): { before?: T; after?: T } {
  const latestOf = (side: Side) => periods.filter((p) => p.side === side).sort((a, b) => (a.toOn < b.toOn ? -1 : a.toOn > b.toOn ? 1 : 0)).at(-1);
  const before = latestOf('before');
  const after = latestOf('after');
  return { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

export interface ServiceUseTotal {
  kind: ServiceKind;
  label: string;
  /** People whose count of this kind is known on both sides. */
  people: number;
  before: number;
  after: number;
}

/** Totals before and after per kind, over people with both periods, counting a kind only where both sides say a number. */
export function serviceUseTotals(pairs: readonly { before: ServiceCounts; after: ServiceCounts }[]): ServiceUseTotal[] {
  return SERVICE_KINDS.map((kind) => {
    const known = pairs.filter((p) => p.before[kind.key].count !== null && p.after[kind.key].count !== null);
    return {
      kind: kind.key,
      label: kind.label,
      people: known.length,
      before: known.reduce((sum, p) => sum + (p.before[kind.key].count ?? 0), 0),
      after: known.reduce((sum, p) => sum + (p.after[kind.key].count ?? 0), 0),
    };
  });
}
