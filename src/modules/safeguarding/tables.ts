import type { ColumnType, Generated } from 'kysely';

/** Safeguarding concerns (migrations/0007_introductions_and_concerns.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;
type OptionalDate = ColumnType<string | null, string | null | undefined, string | null>;
type OptionalText = ColumnType<string | null, string | null | undefined, string | null>;

/** A concern as it stands now; closed when `closed_on` (with its outcome) is set. */
export interface SafeguardingConcernsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  version: Generated<number>;
  raised_on: CalendarDate;
  raised_by: string;
  concern: string;
  what_was_done: OptionalText;
  informed_who: OptionalText;
  informed_organisation: OptionalText;
  closed_on: OptionalDate;
  outcome: OptionalText;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

/** Every version of a concern, the first as raised; never changed once written. */
export interface SafeguardingConcernVersionsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  concern_id: string;
  version: number;
  raised_on: CalendarDate;
  raised_by: string;
  concern: string;
  what_was_done: OptionalText;
  informed_who: OptionalText;
  informed_organisation: OptionalText;
  closed_on: OptionalDate;
  outcome: OptionalText;
  recorded_by: string;
  recorded_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    safeguarding_concerns: SafeguardingConcernsTable;
    safeguarding_concern_versions: SafeguardingConcernVersionsTable;
  }
}
