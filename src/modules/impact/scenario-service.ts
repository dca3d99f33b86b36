import { audited, CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { scopeOf } from '../../core/auth/acting.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import type { FormErrors, FormResult } from '../../core/http/forms.ts';
import {
  deleteCostRates,
  insertScenario,
  selectCostRates,
  selectCostsInUse,
  selectScenarios,
  updateScenario,
  upsertCostRates,
  type OutcomeRates,
  type ScenarioRates,
} from './scenario-queries.ts';
import type { CostRatesInput, ScenarioInput } from './scenario-schemas.ts';
import { SCENARIO_KINDS, type ScenarioKind } from './scenario-tables.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export type { OutcomeRates, ScenarioRates } from './scenario-queries.ts';

export const SCENARIO_TEXT: Record<ScenarioKind, string> = { conservative: 'Conservative', core: 'Core', optimistic: 'Optimistic' };

const GREEN_BOOK = 'The discount rate is HM Treasury’s Green Book rate, 3.5% a year, with the first year discounted.';

/**
 * Every programme starts from these until its admin sets its own. They are Alongside's cautious starting points,
 * not figures from any one evaluation, and the page says so beside them.
 */
export const DEFAULT_SCENARIOS: Record<ScenarioKind, ScenarioRates> = {
  conservative: {
    deadweight: '0.3',
    displacement: '0.1',
    attribution: '0.4',
    dropOff: '0.5',
    years: 1,
    discountRate: '0.035',
    discountFirstYear: true,
    useLikelihood: true,
    basis: `Alongside’s cautious starting point, not taken from any one evaluation: a third of what was likely would have been avoided anyway, a tenth happens elsewhere instead, 40% is owed to other services and to the person’s own circle, and the benefit is counted for one year only. ${GREEN_BOOK} Set your own from your programme’s evaluation.`,
  },
  core: {
    deadweight: '0.2',
    displacement: '0.05',
    attribution: '0.25',
    dropOff: '0.3',
    years: 2,
    discountRate: '0.035',
    discountFirstYear: true,
    useLikelihood: true,
    basis: `Alongside’s middle starting point, not taken from any one evaluation: a fifth would have been avoided anyway, 5% happens elsewhere instead, a quarter is owed to others, and the benefit lasts two years, fading by 30% a year. ${GREEN_BOOK} Set your own from your programme’s evaluation.`,
  },
  optimistic: {
    deadweight: '0.1',
    displacement: '0',
    attribution: '0.15',
    dropOff: '0.2',
    years: 3,
    discountRate: '0.035',
    discountFirstYear: true,
    useLikelihood: true,
    basis: `Alongside’s hopeful starting point, not taken from any one evaluation: a tenth would have been avoided anyway, none happens elsewhere instead, 15% is owed to others, and the benefit lasts three years, fading by 20% a year. ${GREEN_BOOK} Set your own from your programme’s evaluation.`,
  },
};

export interface CostRates extends OutcomeRates {
  unitCostId: string;
  code: string | null;
  description: string;
}

export interface Scenario extends ScenarioRates {
  kind: ScenarioKind;
  name: string;
  /** The version a change starts from: 1 for the defaults, never saved. */
  version: number;
  /** Still Alongside's starting point: the programme's admin has not set its own. */
  isDefault: boolean;
  updatedAt: Date | null;
  updatedByName: string | null;
  /** Rates this scenario gives particular costs in place of its general ones. */
  costRates: CostRates[];
}

/** The programme's three scenarios, the defaults where its admin has set none: the returns read them too. */
export async function loadScenarios(tx: Tx, programmeId: string): Promise<Scenario[]> {
  const rows = await selectScenarios(tx, programmeId);
  const costRates = await selectCostRates(tx, programmeId);
  return SCENARIO_KINDS.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    const own = costRates.filter((c) => c.kind === kind).map((c) => ({ unitCostId: c.unitCostId, code: c.code, description: c.description, deadweight: c.deadweight, displacement: c.displacement, attribution: c.attribution, dropOff: c.dropOff, years: c.years }));
    if (row === undefined) return { kind, name: SCENARIO_TEXT[kind], ...DEFAULT_SCENARIOS[kind], version: 1, isDefault: true, updatedAt: null, updatedByName: null, costRates: own };
    return { ...row, kind, name: SCENARIO_TEXT[kind], isDefault: false, costRates: own };
  });
}

/** The scenarios for the admin page. Programme settings, not about anyone: not audited when read. */
export async function getScenarios(deps: Deps, user: CurrentUser): Promise<Scenario[]> {
  return inTransaction(deps.db, scopeOf(user), (tx) => loadScenarios(tx, user.programme.id));
}

export interface ScenarioPage {
  scenario: Scenario;
  /** The unit costs the programme's avoided outcomes use, to give one its own rates. */
  costsInUse: { id: string; code: string | null; description: string }[];
}

export async function getScenarioPage(deps: Deps, user: CurrentUser, kind: ScenarioKind): Promise<ScenarioPage> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const scenario = (await loadScenarios(tx, user.programme.id)).find((s) => s.kind === kind);
    if (scenario === undefined) throw new Error(`No ${kind} scenario`);
    return { scenario, costsInUse: await selectCostsInUse(tx, user.programme.id) };
  });
}

export type SaveScenarioResult = { kind: 'saved' } | { kind: 'invalid'; page: ScenarioPage; errors: FormErrors } | { kind: 'conflict'; page: ScenarioPage; yours: ScenarioRates };

/** A scenario's rates as the admin sets them: the first save replaces the defaults, later ones are versions. */
export async function saveScenario(deps: Deps, user: CurrentUser, kind: ScenarioKind, form: FormResult<ScenarioInput>, requestId: string): Promise<SaveScenarioResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, 'scenario.update', requestId, async (tx, note): Promise<SaveScenarioResult> => {
    note.add({ scenario: kind });
    const load = async () => ({ scenario: (await loadScenarios(tx, programmeId)).find((s) => s.kind === kind) as Scenario, costsInUse: await selectCostsInUse(tx, programmeId) });
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page: await load(), errors: form.errors };
    }
    const { version, ...rates } = form.data;
    const current = (await loadScenarios(tx, programmeId)).find((s) => s.kind === kind);
    const at = deps.clock.now();
    const saved =
      current?.version === version &&
      (current.isDefault
        ? await insertScenario(tx, { programmeId, kind, rates, version: version + 1, by: user.id, at })
        : await updateScenario(tx, { programmeId, kind, rates, expectedVersion: version, by: user.id, at }));
    if (!saved) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page: await load(), yours: rates };
    }
    note.add({ version: version + 1 });
    return { kind: 'saved' };
  });
}

/** A scenario's defaults written down, so that a cost's own rates have a scenario to belong to. */
async function ensureScenario(tx: Tx, programmeId: string, kind: ScenarioKind, by: string | null, at: Date): Promise<void> {
  await insertScenario(tx, { programmeId, kind, rates: DEFAULT_SCENARIOS[kind], version: 1, by, at });
}

export type CostRatesResult = { kind: 'saved' } | { kind: 'invalid'; page: ScenarioPage; errors: FormErrors };

/** Gives one cost its own rates in a scenario (or replaces those it had), or takes them away. */
export async function saveCostRates(
  deps: Deps,
  user: CurrentUser,
  kind: ScenarioKind,
  change: { kind: 'set'; form: FormResult<CostRatesInput> } | { kind: 'remove'; form: FormResult<{ unitCost: string }> },
  requestId: string,
): Promise<CostRatesResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, change.kind === 'set' ? 'scenario.cost-rates.update' : 'scenario.cost-rates.remove', requestId, async (tx, note): Promise<CostRatesResult> => {
    note.add({ scenario: kind });
    const costsInUse = await selectCostsInUse(tx, programmeId);
    const page = async () => ({ scenario: (await loadScenarios(tx, programmeId)).find((s) => s.kind === kind) as Scenario, costsInUse });
    if (!change.form.ok) {
      note.failed(formProblems(change.form));
      return { kind: 'invalid', page: await page(), errors: change.form.errors };
    }
    const unitCostId = change.form.data.unitCost;
    note.add({ unitCostId });
    if (change.kind === 'remove') {
      await deleteCostRates(tx, programmeId, kind, unitCostId);
      return { kind: 'saved' };
    }
    if (!costsInUse.some((c) => c.id === unitCostId)) {
      note.failed({ reason: 'form had problems', fields: ['unitCost'] });
      return { kind: 'invalid', page: await page(), errors: { unitCost: 'Select one of the unit costs your avoided outcomes use' } };
    }
    const at = deps.clock.now();
    await ensureScenario(tx, programmeId, kind, user.id, at);
    const { deadweight, displacement, attribution, dropOff, years } = change.form.data;
    const rates = { deadweight, displacement, attribution, dropOff, years };
    await upsertCostRates(tx, { programmeId, kind, unitCostId, rates, by: user.id, at });
    return { kind: 'saved' };
  });
}

/** Writes the default scenarios down for a programme (the demo), so the admin page shows them as saved. */
export async function writeDefaultScenarios(tx: Tx, programmeId: string, at: Date): Promise<void> {
  for (const kind of SCENARIO_KINDS) await ensureScenario(tx, programmeId, kind, null, at);
}
