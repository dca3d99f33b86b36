import type { ColumnType, Generated } from 'kysely';

/** The community capacity ledger (migrations/0009_community_work.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;
/** Optional on insert; null when not known. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** How the coordinator helped: started it, or helped keep something already there going. */
export const HOW_HELPED = ['started', 'sustained'] as const;
export type HowHelped = (typeof HOW_HELPED)[number];

export interface CapacityInitiativesTable {
  id: Generated<string>;
  programme_id: string;
  area_id: string;
  name: string;
  description: Optional<string>;
  how_helped: HowHelped;
  started_on: CalendarDate;
  ended_on: Optional<string>;
  people_involved: number;
  version: Generated<number>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface CapacityInitiativeAssetsTable {
  programme_id: string;
  initiative_id: string;
  asset_id: string;
}

export interface CapacityFundingTable {
  id: Generated<string>;
  programme_id: string;
  initiative_id: string;
  /** numeric(12, 2): text from the driver, so not a penny is lost on the way; summed with decimal.js. */
  amount: ColumnType<string, string, string>;
  funder: string;
  found_on: CalendarDate;
  form_token: string;
  recorded_by: string;
  recorded_at: Timestamp;
  /** Corrections (migrations/0015_community_changes.ts): a version, and a removed row kept with who, when and why. */
  version: Generated<number>;
  /** Null until the row is first corrected. */
  updated_by: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  removed_reason: ColumnType<string | null, string | null | undefined, string | null>;
  removed_by: ColumnType<string | null, string | null | undefined, string | null>;
  removed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface CapacityUpdatesTable {
  id: Generated<string>;
  programme_id: string;
  initiative_id: string;
  happened_on: CalendarDate;
  what: string;
  form_token: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    capacity_initiatives: CapacityInitiativesTable;
    capacity_initiative_assets: CapacityInitiativeAssetsTable;
    capacity_funding: CapacityFundingTable;
    capacity_updates: CapacityUpdatesTable;
  }
}
