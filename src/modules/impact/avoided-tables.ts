import type { ColumnType, Generated } from 'kysely';

/** Avoided outcomes (migrations/0014_avoided_outcomes.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CalendarDate = ColumnType<string, string, string>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** numeric comes back as text, so no precision is lost; written as text too. */
type Numeric = ColumnType<string, string, string>;

export const EVIDENCE_TYPES = ['practitioner_judgement', 'agency_confirmed', 'record'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const AVOIDED_STATUSES = ['awaiting_verification', 'verified', 'returned'] as const;
export type AvoidedStatus = (typeof AVOIDED_STATUSES)[number];

/** What a coordinator says about an avoided outcome: the same in the record and in each of its versions. */
interface AvoidedContentColumns {
  agency_override: Optional<string>;
  quantity: Numeric;
  duration: Optional<string>;
  likelihood: Numeric;
  evidence: EvidenceType;
  note: Optional<string>;
  likely_on: CalendarDate;
  status: ColumnType<AvoidedStatus, AvoidedStatus | undefined, AvoidedStatus>;
  returned_reason: Optional<string>;
}

export interface AvoidedOutcomesTable extends AvoidedContentColumns {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  version: Generated<number>;
  unit_cost_id: string;
  library_name: string;
  library_version_label: string;
  library_version: number;
  cost_code: Optional<string>;
  cost_description: string;
  cost_unit: string;
  cost_agency: string;
  fiscal_value: Optional<string>;
  fiscal_price_year: Optional<string>;
  economic_value: Optional<string>;
  economic_price_year: Optional<string>;
  social_value: Optional<string>;
  social_price_year: Optional<string>;
  reviewed_by: Optional<string>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface AvoidedOutcomeVersionsTable extends AvoidedContentColumns {
  programme_id: string;
  person_id: string;
  avoided_outcome_id: string;
  version: number;
  recorded_by: string;
  recorded_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    avoided_outcomes: AvoidedOutcomesTable;
    avoided_outcome_versions: AvoidedOutcomeVersionsTable;
  }
}
