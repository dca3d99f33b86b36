import { audited } from '../../core/audit/audited.ts';
import { disclosedCount } from '../../core/disclosure.ts';
import { poundsText } from '../../core/money.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { costAvoided, socialReturn } from '../impact/returns-service.ts';
import { programmeOutcomeChange, programmeServiceUse } from '../outcomes/service.ts';
import * as evidence from './evidence.ts';
import * as figures from './figures.ts';
import type { FigureTable } from './figures.ts';
import { periodEnding, type Period } from './period.ts';
import { countBarriers, countIntroductions, countPeopleByAreaAndStatus, countSteps, countThemes, selectAreaNames } from './queries.ts';

/**
 * The programme's figures for a month: the dashboard and the monthly report read the same ones, so what a manager
 * previews is what the Leadership Group reads. Nothing here names or points at a person.
 */

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export interface Section {
  id: string;
  heading: string;
  tables: FigureTable[];
}

export interface Headline {
  label: string;
  value: string;
}

export interface Dashboard {
  period: Period;
  headlines: Headline[];
  sections: Section[];
}

/** A section as built, with the headline figures it gives the top of the page. */
interface Built {
  tables: FigureTable[];
  headlines: Headline[];
}

/**
 * How one section is built, in two steps. The evidence is read first, in transactions of its own: the embedded
 * database has one connection, so nothing may wait for another transaction inside the audited one. `read` does that
 * and returns the second step, which counts inside the audited transaction and builds the tables.
 */
interface SectionPlan {
  id: string;
  heading: string;
  /** The tables it holds, so a table's CSV builds only its own section. */
  tableIds: readonly string[];
  read(deps: Deps, programmeId: string, period: Period): Promise<(tx: Tx) => Promise<Built>>;
}

const SECTIONS: readonly SectionPlan[] = [
  {
    id: 'introductions',
    heading: 'Introductions',
    tableIds: ['introductions-by-month', 'introductions-by-source'],
    read: async (_deps, programmeId, period) => async (tx) => {
      const introductions = await countIntroductions(tx, programmeId, period.from, period.before);
      const inMonth = introductions.filter((r) => r.month === period.month.key).reduce((sum, r) => sum + r.n, 0);
      return {
        tables: [figures.introductionsByMonth(period, introductions), figures.introductionsBySource(period, introductions)],
        headlines: [
          { label: `Introductions in ${period.month.label}`, value: disclosedCount(inMonth) },
          { label: 'Introductions in the 12 months', value: disclosedCount(introductions.reduce((sum, r) => sum + r.n, 0)) },
        ],
      };
    },
  },
  {
    id: 'people',
    heading: 'People walked alongside',
    tableIds: ['people-by-status', 'people-by-neighbourhood', 'themes', 'steps'],
    read: async (_deps, programmeId, period) => async (tx) => {
      const [areas, people, themeCounts, stepCounts] = await Promise.all([
        selectAreaNames(tx, programmeId),
        countPeopleByAreaAndStatus(tx, programmeId, period.before),
        countThemes(tx, programmeId, period.before),
        countSteps(tx, programmeId, period.before),
      ]);
      const { byStatus, byArea } = figures.peopleByAreaAndStatus(period, areas, people);
      const steps = figures.stepOwnership(period, stepCounts);
      const walkedAlongside = people.filter((p) => p.status === 'getting_to_know' || p.status === 'walking_alongside').reduce((sum, p) => sum + p.n, 0);
      return {
        tables: [byStatus, byArea, figures.themes(period, themeCounts), steps.table],
        headlines: [
          { label: `People being walked alongside at the end of ${period.month.label}`, value: disclosedCount(walkedAlongside) },
          { label: 'Steps taken by people and their communities', value: steps.naturalShare ?? 'not shown (too few)' },
        ],
      };
    },
  },
  {
    id: 'outcomes',
    heading: 'Outcomes people report',
    tableIds: ['outcome-change', 'service-use'],
    read: async (deps, programmeId, period) => {
      const outcomes = await programmeOutcomeChange(deps, programmeId, { to: period.lastDay });
      const services = await programmeServiceUse(deps, programmeId, { to: period.lastDay });
      return async () => ({ tables: [evidence.outcomeChange(period, outcomes), evidence.serviceUse(period, services)], headlines: [] });
    },
  },
  {
    id: 'costs',
    heading: 'Cost avoided',
    tableIds: ['cost-avoided-by-agency', 'cost-avoided-by-year', 'cost-avoided-by-neighbourhood', 'cost-per-person'],
    read: async (deps, programmeId, period) => {
      const costs = await costAvoided(deps, programmeId, { to: period.lastDay, ledgerAsAt: period.lastDay });
      return async () => ({
        tables: evidence.costAvoidedTables(period, costs),
        headlines: [{ label: `Public money likely saved (verified, to the end of ${period.month.label}, in ${costs.priceYear} prices)`, value: poundsText(costs.total) }],
      });
    },
  },
  {
    id: 'social-value',
    heading: 'Social value',
    tableIds: ['social-return', 'social-return-assumptions'],
    read: async (deps, programmeId, period) => {
      const social = await socialReturn(deps, programmeId, { to: period.lastDay, ledgerAsAt: period.lastDay });
      const core = social.scenarios.find((s) => s.kind === 'core');
      return async () => ({
        tables: evidence.socialReturnTables(period, social),
        headlines: [{ label: 'Social return (core scenario)', value: evidence.perPound(core?.ratio ?? null) }],
      });
    },
  },
  {
    id: 'barriers',
    heading: 'System barriers',
    tableIds: ['system-barriers'],
    read: async (_deps, programmeId, period) => async (tx) => ({ tables: [figures.barriers(period, await countBarriers(tx, programmeId, period.before))], headlines: [] }),
  },
];

/** The sections asked for, built for the month; one audit row for the view, noting the month and anything more. */
async function buildSections(deps: Deps, user: CurrentUser, period: Period, plans: readonly SectionPlan[], detail: Record<string, string>, requestId: string) {
  const programmeId = user.programme.id;
  const counts: ((tx: Tx) => Promise<Built>)[] = [];
  for (const plan of plans) counts.push(await plan.read(deps, programmeId, period));
  return audited(deps, user, 'programme.dashboard', requestId, async (tx, note) => {
    note.add(detail);
    const built = await Promise.all(counts.map((count) => count(tx)));
    return plans.map((plan, i) => ({ plan, built: built[i] as Built }));
  });
}

export async function getDashboard(deps: Deps, user: CurrentUser, month: string, requestId: string): Promise<Dashboard> {
  const period = periodEnding(month);
  const sections = await buildSections(deps, user, period, SECTIONS, { month }, requestId);
  return {
    period,
    headlines: sections.flatMap((s) => s.built.headlines),
    sections: sections.map(({ plan, built }) => ({ id: plan.id, heading: plan.heading, tables: built.tables })),
  };
}

/** One table, for its CSV: only the section that holds it is built, and the view is audited as the dashboard's is. */
export async function getTable(deps: Deps, user: CurrentUser, month: string, tableId: string, requestId: string): Promise<{ period: Period; table: FigureTable } | undefined> {
  const period = periodEnding(month);
  const plan = SECTIONS.find((s) => s.tableIds.includes(tableId));
  if (plan === undefined) {
    return audited(deps, user, 'programme.dashboard', requestId, async (_tx, note) => {
      note.denied({ month, table: tableId, reason: 'no such table' });
      return undefined;
    });
  }
  const [section] = await buildSections(deps, user, period, [plan], { month, table: tableId }, requestId);
  const table = section?.built.tables.find((t) => t.id === tableId);
  return table === undefined ? undefined : { period, table };
}
