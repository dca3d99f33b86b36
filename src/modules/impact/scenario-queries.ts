import { sql } from 'kysely';
import type { Tx } from '../../core/db/transaction.ts';
import type { ScenarioKind } from './scenario-tables.ts';

/** The rates that can differ for one cost, as decimal shares and whole years. */
export interface OutcomeRates {
  deadweight: string;
  displacement: string;
  attribution: string;
  dropOff: string;
  years: number;
}

export interface ScenarioRates extends OutcomeRates {
  discountRate: string;
  discountFirstYear: boolean;
  useLikelihood: boolean;
  basis: string;
}

export async function selectScenarios(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('impact_scenarios as s')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select([
      's.kind',
      's.version',
      's.deadweight',
      's.displacement',
      's.attribution',
      's.drop_off as dropOff',
      's.years',
      's.discount_rate as discountRate',
      's.discount_first_year as discountFirstYear',
      's.use_likelihood as useLikelihood',
      's.basis',
      's.updated_at as updatedAt',
      'u.name as updatedByName',
    ])
    .where('s.programme_id', '=', programmeId)
    .execute();
}

export async function selectCostRates(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('impact_scenario_cost_rates as r')
    .innerJoin('unit_costs as c', 'c.id', 'r.unit_cost_id')
    .select(['r.kind', 'r.unit_cost_id as unitCostId', 'c.code', 'c.description', 'r.deadweight', 'r.displacement', 'r.attribution', 'r.drop_off as dropOff', 'r.years'])
    .where('r.programme_id', '=', programmeId)
    .orderBy('c.code')
    .orderBy('c.description')
    .execute();
}

/** The unit costs the programme's avoided outcomes use: the ones worth giving their own rates. No person in sight. */
export async function selectCostsInUse(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('avoided_outcomes as o')
    .select(['o.unit_cost_id as id', sql<string | null>`min(o.cost_code)`.as('code'), sql<string>`min(o.cost_description)`.as('description')])
    .where('o.programme_id', '=', programmeId)
    .groupBy('o.unit_cost_id')
    .orderBy(sql`min(o.cost_code)`)
    .orderBy(sql`min(o.cost_description)`)
    .execute();
}

const rateColumns = (r: OutcomeRates) => ({ deadweight: r.deadweight, displacement: r.displacement, attribution: r.attribution, drop_off: r.dropOff, years: r.years });
const scenarioColumns = (r: ScenarioRates) => ({ ...rateColumns(r), discount_rate: r.discountRate, discount_first_year: r.discountFirstYear, use_likelihood: r.useLikelihood, basis: r.basis });

/** A scenario's first saved rates (in place of the defaults, which count as version 1); false if someone saved first. */
export async function insertScenario(tx: Tx, row: { programmeId: string; kind: ScenarioKind; rates: ScenarioRates; version: number; by: string | null; at: Date }): Promise<boolean> {
  const inserted = await tx
    .insertInto('impact_scenarios')
    .values({ programme_id: row.programmeId, kind: row.kind, version: row.version, ...scenarioColumns(row.rates), updated_by: row.by, updated_at: row.at })
    .onConflict((oc) => oc.columns(['programme_id', 'kind']).doNothing())
    .returning('version')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function updateScenario(tx: Tx, row: { programmeId: string; kind: ScenarioKind; rates: ScenarioRates; expectedVersion: number; by: string; at: Date }): Promise<boolean> {
  const updated = await tx
    .updateTable('impact_scenarios')
    .set((eb) => ({ ...scenarioColumns(row.rates), version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('kind', '=', row.kind)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return updated !== undefined;
}

export async function upsertCostRates(tx: Tx, row: { programmeId: string; kind: ScenarioKind; unitCostId: string; rates: OutcomeRates; by: string | null; at: Date }): Promise<void> {
  const values = { ...rateColumns(row.rates), updated_by: row.by, updated_at: row.at };
  await tx
    .insertInto('impact_scenario_cost_rates')
    .values({ programme_id: row.programmeId, kind: row.kind, unit_cost_id: row.unitCostId, ...values })
    .onConflict((oc) => oc.columns(['programme_id', 'kind', 'unit_cost_id']).doUpdateSet(values))
    .execute();
}

export async function deleteCostRates(tx: Tx, programmeId: string, kind: ScenarioKind, unitCostId: string): Promise<boolean> {
  const deleted = await tx
    .deleteFrom('impact_scenario_cost_rates')
    .where('programme_id', '=', programmeId)
    .where('kind', '=', kind)
    .where('unit_cost_id', '=', unitCostId)
    .executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}

/** The financial year whose prices the programme's figures are shown in. */
export async function selectReportPriceYear(tx: Tx, programmeId: string): Promise<string> {
  const row = await tx.selectFrom('programmes').select('report_price_year').where('id', '=', programmeId).executeTakeFirstOrThrow();
  return row.report_price_year;
}

export async function updateReportPriceYear(tx: Tx, programmeId: string, year: string): Promise<void> {
  await tx.updateTable('programmes').set({ report_price_year: year }).where('id', '=', programmeId).execute();
}
