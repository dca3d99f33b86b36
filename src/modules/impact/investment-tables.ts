import type { ColumnType, Generated } from 'kysely';

/** The programme's funding (migrations/0014_avoided_outcomes.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Numeric = ColumnType<string, string, string>;

export const PARTNERS = ['adult_social_care', 'public_health', 'nhs', 'housing', 'police', 'other'] as const;
export type Partner = (typeof PARTNERS)[number];

export interface InvestmentsTable {
  id: Generated<string>;
  programme_id: string;
  version: Generated<number>;
  partner: Partner;
  partner_name: Optional<string>;
  financial_year: string;
  amount: Numeric;
  note: Optional<string>;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_by: Optional<string>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface InvestmentVersionsTable {
  programme_id: string;
  investment_id: string;
  version: number;
  partner: Partner;
  partner_name: Optional<string>;
  financial_year: string;
  amount: Numeric;
  note: Optional<string>;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  recorded_by: string;
  recorded_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    investments: InvestmentsTable;
    investment_versions: InvestmentVersionsTable;
  }
}
