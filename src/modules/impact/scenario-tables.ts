import type { ColumnType } from 'kysely';

/** The scenarios of social return (migrations/0014_avoided_outcomes.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Numeric = ColumnType<string, string, string>;

export const SCENARIO_KINDS = ['conservative', 'core', 'optimistic'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

/** The rates that can differ for one cost. */
interface OutcomeRateColumns {
  deadweight: Numeric;
  displacement: Numeric;
  attribution: Numeric;
  drop_off: Numeric;
  years: number;
}

export interface ImpactScenariosTable extends OutcomeRateColumns {
  programme_id: string;
  kind: ScenarioKind;
  version: ColumnType<number, number | undefined, number>;
  discount_rate: Numeric;
  discount_first_year: boolean;
  use_likelihood: boolean;
  basis: string;
  updated_by: Optional<string>;
  updated_at: Timestamp;
}

export interface ImpactScenarioCostRatesTable extends OutcomeRateColumns {
  programme_id: string;
  kind: ScenarioKind;
  unit_cost_id: string;
  updated_by: Optional<string>;
  updated_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface ProgrammesTable {
    /** The financial year whose prices the programme's figures are shown in (migrations/0017_report_price_year.ts). */
    report_price_year: ColumnType<string, string | undefined, string>;
  }
  interface Database {
    impact_scenarios: ImpactScenariosTable;
    impact_scenario_cost_rates: ImpactScenarioCostRatesTable;
  }
}
