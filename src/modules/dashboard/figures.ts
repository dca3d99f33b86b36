import { FEWER_THAN_SMALLEST, disclosedCount } from '../../core/disclosure.ts';
import type { PersonStatus } from '../../core/db/schema.ts';
import { PERSON_STATUSES } from '../../core/db/schema.ts';
import { STEP_QUESTIONS, type StepQuestion } from '../agreements/tables.ts';
import { BARRIER_STATUSES, type BarrierStatus } from '../barriers/tables.ts';
import { STATUS_TEXT as BARRIER_STATUS_TEXT } from '../barriers/schemas.ts';
import { INTRODUCERS } from '../people/schemas.ts';
import { STATUS_LABELS } from '../people/service.ts';
import { THEMES, type ThemeCode } from '../vision/themes.ts';
import { barChart, type BarChart, type ChartItem } from './chart.ts';
import type { Period } from './period.ts';
import type { Count } from './queries.ts';

/**
 * The dashboard's tables, from exact counts to what may be shown. Every count goes through disclosure control
 * (1–7 as "fewer than 8", others to the nearest 5), totals included and each rounded on its own, so no held-back
 * cell can be worked out from the rest. Whoever is looking, the figures are the same: a manager previews exactly
 * what the Leadership Group will read.
 */

export interface FigureRow {
  label: string;
  cells: string[];
}

export interface FigureTable {
  /** Stable, for the CSV file name and the page anchor. */
  id: string;
  title: string;
  /** What the figures count, said once under the heading. */
  caption: string;
  headers: string[];
  rows: FigureRow[];
  /** Shown last, in bold. */
  total?: FigureRow;
  chart?: BarChart;
  notes: string[];
}

/** A disclosed count as a bar: its rounded value, or no bar at all when it is held back. */
export function countItem(label: string, count: number): ChartItem {
  const text = disclosedCount(count);
  return { label, text, value: text === FEWER_THAN_SMALLEST ? null : Number(text) };
}

function sumOf(counts: readonly { n: number }[]): number {
  return counts.reduce((sum, c) => sum + c.n, 0);
}

/**
 * Categories with any at all, largest first by the figure as shown, then by name: ordering by the exact counts
 * would tell which of two held-back or equal-looking figures is the larger.
 */
function largestFirst(counts: readonly { label: string; n: number }[]): ChartItem[] {
  return counts
    .filter((c) => c.n > 0)
    .map((c) => countItem(c.label, c.n))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.label.localeCompare(b.label, 'en-GB'));
}

const DISCLOSURE_NOTE = `Counts from 1 to 7 are shown as "${FEWER_THAN_SMALLEST}" and the rest are rounded to the nearest 5, totals too, so they may not add up.`;

export function introductionsByMonth(period: Period, rows: readonly { month: string; n: number }[]): FigureTable {
  const items = period.months.map((m) => countItem(m.label, sumOf(rows.filter((r) => r.month === m.key))));
  return {
    id: 'introductions-by-month',
    title: 'Introductions by month',
    caption: `Introductions in the 12 months to the end of ${period.month.label}, re-introductions included.`,
    headers: ['Month', 'Introductions'],
    rows: items.map((i) => ({ label: i.label, cells: [i.text] })),
    total: { label: 'Total', cells: [disclosedCount(sumOf(rows))] },
    chart: barChart(items),
    notes: [DISCLOSURE_NOTE],
  };
}

export function introductionsBySource(period: Period, rows: readonly { source: string; n: number }[]): FigureTable {
  const items = largestFirst(INTRODUCERS.map((s) => ({ label: s.text, n: sumOf(rows.filter((r) => r.source === s.value)) })));
  return {
    id: 'introductions-by-source',
    title: 'Who made the introductions',
    caption: `Introductions in the 12 months to the end of ${period.month.label}, by who made them.`,
    headers: ['Introduced by', 'Introductions'],
    rows: items.map((i) => ({ label: i.label, cells: [i.text] })),
    total: { label: 'Total', cells: [disclosedCount(sumOf(rows))] },
    chart: barChart(items),
    notes: [DISCLOSURE_NOTE],
  };
}

export function peopleByAreaAndStatus(
  period: Period,
  areas: readonly { id: string; name: string }[],
  rows: readonly { areaId: string; status: PersonStatus; n: number }[],
): { byStatus: FigureTable; byArea: FigureTable } {
  const count = (where: (r: (typeof rows)[number]) => boolean) => sumOf(rows.filter(where));
  const statusItems = PERSON_STATUSES.map((s) => countItem(STATUS_LABELS[s], count((r) => r.status === s)));
  const byStatus: FigureTable = {
    id: 'people-by-status',
    title: 'Where people are in their journey',
    caption: `Everyone introduced by the end of ${period.month.label}, by where their journey stood then.`,
    headers: ['Where they are', 'People'],
    rows: statusItems.map((i) => ({ label: i.label, cells: [i.text] })),
    total: { label: 'Total', cells: [disclosedCount(sumOf(rows))] },
    chart: barChart(statusItems),
    notes: [DISCLOSURE_NOTE],
  };
  const byArea: FigureTable = {
    id: 'people-by-neighbourhood',
    title: 'People by neighbourhood',
    caption: `Everyone introduced by the end of ${period.month.label}, by neighbourhood and where their journey stood then.`,
    headers: ['Neighbourhood', ...PERSON_STATUSES.map((s) => STATUS_LABELS[s]), 'Total'],
    rows: areas.map((a) => ({
      label: a.name,
      cells: [...PERSON_STATUSES.map((s) => disclosedCount(count((r) => r.areaId === a.id && r.status === s))), disclosedCount(count((r) => r.areaId === a.id))],
    })),
    total: { label: 'Total', cells: [...PERSON_STATUSES.map((s) => disclosedCount(count((r) => r.status === s))), disclosedCount(sumOf(rows))] },
    notes: [DISCLOSURE_NOTE],
  };
  return { byStatus, byArea };
}

export function themes(period: Period, rows: readonly Count<ThemeCode>[]): FigureTable {
  const items = largestFirst(THEMES.map((t) => ({ label: t.label, n: rows.find((r) => r.key === t.code)?.n ?? 0 })));
  return {
    id: 'themes',
    title: 'What people want to change',
    caption: `People introduced by the end of ${period.month.label} who have said what they want to change, by theme. A person may choose several.`,
    headers: ['Theme', 'People'],
    rows: items.map((i) => ({ label: i.label, cells: [i.text] })),
    chart: barChart(items),
    notes: [DISCLOSURE_NOTE],
  };
}

const STEP_OWNERS: Record<StepQuestion, string> = {
  gifts: "People's own gifts, skills and experience",
  community: 'Family, friends and community',
  services: 'Services and funding',
};

/**
 * Thinking natural: how many agreed steps are the person's own or their community's rather than a service's.
 * The share is worked out from the rounded counts, and not at all when any of them is held back: a percentage of
 * exact counts could give a small one away.
 */
export function stepOwnership(period: Period, rows: readonly Count<StepQuestion>[]): { table: FigureTable; naturalShare: string | null } {
  const items = STEP_QUESTIONS.map((q) => countItem(STEP_OWNERS[q], rows.find((r) => r.key === q)?.n ?? 0));
  const shown = items.map((i) => i.value);
  const natural = (shown[0] ?? 0) + (shown[1] ?? 0);
  const all = natural + (shown[2] ?? 0);
  const naturalShare = shown.some((v) => v === null) || all === 0 ? null : `${Math.round((natural / all) * 100)}%`;
  return {
    naturalShare,
    table: {
      id: 'steps',
      title: 'Thinking natural: whose steps they are',
      caption: `Steps agreed by the end of ${period.month.label}, by who takes them.`,
      headers: ['Whose step', 'Steps'],
      rows: items.map((i) => ({ label: i.label, cells: [i.text] })),
      total: { label: 'Total', cells: [disclosedCount(sumOf(rows))] },
      chart: barChart(items),
      notes: [
        naturalShare === null
          ? 'The share owned by people and their communities is not shown while any of these counts is held back.'
          : `${naturalShare} of steps are taken by people themselves or their family, friends and community (worked out from the rounded counts).`,
        DISCLOSURE_NOTE,
      ],
    },
  };
}

/**
 * Barriers are about services, not people, and the Leadership Group reads each one on the barrier log already:
 * their counts are exact. The people each one affected are shown there, under disclosure control.
 */
export function barriers(period: Period, rows: readonly Count<BarrierStatus>[]): FigureTable {
  const items = BARRIER_STATUSES.map((s) => {
    const n = rows.find((r) => r.key === s)?.n ?? 0;
    return { label: BARRIER_STATUS_TEXT[s], value: n, text: String(n) };
  });
  return {
    id: 'system-barriers',
    title: 'System barriers',
    caption: `System barriers logged by the end of ${period.month.label}, by where they stand now.`,
    headers: ['Status', 'Barriers'],
    rows: items.map((i) => ({ label: i.label, cells: [i.text] })),
    total: { label: 'Total', cells: [String(sumOf(rows))] },
    chart: barChart(items),
    notes: ['These count barriers, not people, so they are exact. How many people each affected is on the System barriers page.'],
  };
}
