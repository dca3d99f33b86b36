import type { ColumnType, Generated } from 'kysely';
import type { LonelyAnswer, Occasion, Side, Source } from './measures.ts';

/** Outcome check-ins and service use (migrations/0013_outcomes.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;
type Answer = ColumnType<number | null, number | null | undefined, number | null>;
type OptionalText = ColumnType<string | null, string | null | undefined, string | null>;
type Saved = ColumnType<Record<string, unknown>, string, string>;

export interface OutcomeCheckInsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  version: Generated<number>;
  occasion: Occasion;
  checked_on: CalendarDate;
  recorded_by_name: string;
  life_satisfaction: Answer;
  worthwhile: Answer;
  happiness: Answer;
  anxiety: Answer;
  lac_relationships: Answer;
  lac_confidence: Answer;
  lac_health: Answer;
  lac_community: Answer;
  lac_contributing: Answer;
  lac_daily_life: Answer;
  lonely: ColumnType<LonelyAnswer | null, LonelyAnswer | null | undefined, LonelyAnswer | null>;
  ucla_companionship: Answer;
  ucla_left_out: Answer;
  ucla_isolated: Answer;
  declined: ColumnType<string[], string[] | undefined, string[]>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

type Count = ColumnType<number | null, number | null | undefined, number | null>;
type CountSource = ColumnType<Source | null, Source | null | undefined, Source | null>;

export interface ServiceUsePeriodsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  version: Generated<number>;
  side: Side;
  from_on: CalendarDate;
  to_on: CalendarDate;
  description: OptionalText;
  gp: Count;
  gp_source: CountSource;
  ae: Count;
  ae_source: CountSource;
  ambulance: Count;
  ambulance_source: CountSource;
  hospital_stays: Count;
  hospital_stays_source: CountSource;
  hospital_nights: Count;
  hospital_nights_source: CountSource;
  police: Count;
  police_source: CountSource;
  safeguarding: Count;
  safeguarding_source: CountSource;
  eviction: Count;
  eviction_source: CountSource;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

/** Every version of a check-in or a period, the first included; never changed once written. */
interface VersionsTable {
  programme_id: string;
  person_id: string;
  version: number;
  /** JSON text on the way in (see queries.ts); an object on the way out. */
  saved: Saved;
  saved_by: string;
  saved_at: Timestamp;
}

export interface OutcomeCheckInVersionsTable extends VersionsTable {
  check_in_id: string;
}

export interface ServiceUsePeriodVersionsTable extends VersionsTable {
  period_id: string;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    outcome_check_ins: OutcomeCheckInsTable;
    outcome_check_in_versions: OutcomeCheckInVersionsTable;
    service_use_periods: ServiceUsePeriodsTable;
    service_use_period_versions: ServiceUsePeriodVersionsTable;
  }
}
