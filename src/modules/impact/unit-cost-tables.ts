import type { ColumnType, Generated } from 'kysely';

/** The unit-cost library's tables (migrations/0012_unit_costs.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Optional on insert; null when not known. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** numeric comes back from the driver as text, so no precision is lost on the way; written as text too. */
type Numeric = ColumnType<string, string, string>;
type OptionalNumeric = ColumnType<string | null, string | null | undefined, string | null>;

/** The workbook's quality rating: Red, Amber or Green. */
export const RAG_RATINGS = ['R', 'A', 'G'] as const;
export type RagRating = (typeof RAG_RATINGS)[number];

export const INDEX_BASES = ['financial-year', 'calendar-year'] as const;
export type IndexBasis = (typeof INDEX_BASES)[number];

export interface UnitCostLibrariesTable {
  id: Generated<string>;
  programme_id: Optional<string>;
  name: string;
  version_label: string;
  version: number;
  source: string;
  attribution: Optional<string>;
  licence: Optional<string>;
  imported_at: Timestamp;
  imported_by: Optional<string>;
}

export interface UnitCostsTable {
  id: Generated<string>;
  programme_id: Optional<string>;
  library_id: string;
  code: Optional<string>;
  description: string;
  unit: string;
  agency_l1: Optional<string>;
  agency_l2: Optional<string>;
  fiscal_value: OptionalNumeric;
  fiscal_price_year: Optional<string>;
  economic_value: OptionalNumeric;
  economic_price_year: Optional<string>;
  social_value: OptionalNumeric;
  social_price_year: Optional<string>;
  source: Optional<string>;
  source_url: Optional<string>;
  rag: Optional<RagRating>;
  comment: Optional<string>;
  sheet: Optional<string>;
  sheet_row: Optional<number>;
  category: Optional<string>;
  detail: Optional<string>;
  version: Generated<number>;
  form_token: Optional<string>;
  created_by: Optional<string>;
  created_at: Timestamp;
  updated_by: Optional<string>;
  updated_at: Timestamp;
}

export interface UnitCostVersionsTable {
  programme_id: string;
  unit_cost_id: string;
  version: number;
  code: Optional<string>;
  description: string;
  unit: string;
  agency_l1: Optional<string>;
  agency_l2: Optional<string>;
  fiscal_value: Numeric;
  fiscal_price_year: string;
  source: string;
  comment: Optional<string>;
  saved_by: string;
  saved_at: Timestamp;
}

export interface PriceIndexSeriesTable {
  id: Generated<string>;
  programme_id: Optional<string>;
  name: string;
  version_label: string;
  version: number;
  basis: IndexBasis;
  base_year: string;
  source: string;
  licence: Optional<string>;
  imported_at: Timestamp;
  imported_by: Optional<string>;
}

export interface PriceIndexValuesTable {
  series_id: string;
  programme_id: Optional<string>;
  year: string;
  index_value: Numeric;
  forecast: ColumnType<boolean, boolean | undefined, boolean>;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    unit_cost_libraries: UnitCostLibrariesTable;
    unit_costs: UnitCostsTable;
    unit_cost_versions: UnitCostVersionsTable;
    price_index_series: PriceIndexSeriesTable;
    price_index_values: PriceIndexValuesTable;
  }
}
