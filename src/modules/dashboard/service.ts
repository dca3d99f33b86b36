import { audited } from '../../core/audit/audited.ts';
import { disclosedCount } from '../../core/disclosure.ts';
import { poundsText } from '../../core/money.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
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

export async function getDashboard(deps: Deps, user: CurrentUser, month: string, requestId: string): Promise<Dashboard> {
  const period = periodEnding(month);
  const programmeId = user.programme.id;
  // The evidence is read first, in transactions of its own: the embedded database has one connection, so nothing may
  // wait for another transaction inside this one. This view's audit row is written below.
  const outcomes = await programmeOutcomeChange(deps, programmeId);
  const services = await programmeServiceUse(deps, programmeId);
  const costs = await costAvoided(deps, programmeId, { to: period.lastDay });
  const social = await socialReturn(deps, programmeId);
  return audited(deps, user, 'programme.dashboard', requestId, async (tx, note) => {
    note.add({ month });
    const [introductions, areas, people, themeCounts, stepCounts, barrierCounts] = await Promise.all([
      countIntroductions(tx, programmeId, period.from, period.before),
      selectAreaNames(tx, programmeId),
      countPeopleByAreaAndStatus(tx, programmeId, period.before),
      countThemes(tx, programmeId, period.before),
      countSteps(tx, programmeId, period.before),
      countBarriers(tx, programmeId, period.before),
    ]);
    const core = social.scenarios.find((s) => s.kind === 'core');
    const byMonth = figures.introductionsByMonth(period, introductions);
    const bySource = figures.introductionsBySource(period, introductions);
    const { byStatus, byArea } = figures.peopleByAreaAndStatus(period, areas, people);
    const steps = figures.stepOwnership(period, stepCounts);
    const inMonth = introductions.filter((r) => r.month === period.month.key).reduce((sum, r) => sum + r.n, 0);
    const walkedAlongside = people.filter((p) => p.status === 'getting_to_know' || p.status === 'walking_alongside').reduce((sum, p) => sum + p.n, 0);
    return {
      period,
      headlines: [
        { label: `Introductions in ${period.month.label}`, value: disclosedCount(inMonth) },
        { label: 'Introductions in the 12 months', value: disclosedCount(introductions.reduce((sum, r) => sum + r.n, 0)) },
        { label: `People being walked alongside at the end of ${period.month.label}`, value: disclosedCount(walkedAlongside) },
        { label: 'Steps taken by people and their communities', value: steps.naturalShare ?? 'not shown (too few)' },
        { label: 'Public money likely saved (verified, to date)', value: poundsText(costs.total) },
        { label: 'Social return (core scenario)', value: evidence.perPound(core?.ratio ?? null) },
      ],
      sections: [
        { id: 'introductions', heading: 'Introductions', tables: [byMonth, bySource] },
        { id: 'people', heading: 'People walked alongside', tables: [byStatus, byArea, figures.themes(period, themeCounts), steps.table] },
        { id: 'outcomes', heading: 'Outcomes people report', tables: [evidence.outcomeChange(period, outcomes), evidence.serviceUse(period, services)] },
        { id: 'costs', heading: 'Cost avoided', tables: evidence.costAvoidedTables(period, costs) },
        { id: 'social-value', heading: 'Social value', tables: evidence.socialReturnTables(social) },
        { id: 'barriers', heading: 'System barriers', tables: [figures.barriers(period, barrierCounts)] },
      ],
    };
  });
}

export function findTable(dashboard: Dashboard, id: string): FigureTable | undefined {
  return dashboard.sections.flatMap((s) => s.tables).find((t) => t.id === id);
}
