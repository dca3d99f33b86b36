import type { ColumnType, Generated } from 'kysely';
import type { PersonStatus } from '../../core/db/schema.ts';
import type { PersonKnows } from './schemas.ts';

/** The people module's columns and tables from migrations/0002_person_record.ts, added to the shared types. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date stays 'YYYY-MM-DD' text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;
/** A column added to an existing table: optional on insert, so code that creates a person need not know it. */
type Added<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type PreferredLanguage = 'english' | 'welsh' | 'other';

export interface HouseholdMembersTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  name: string;
  relationship: string;
  date_of_birth: CalendarDate | null;
  age_when_recorded: number | null;
  age_recorded_on: CalendarDate | null;
  notes: string | null;
  version: Generated<number>;
  form_token: string;
  created_by: string;
  updated_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PersonStatusChangesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  programme_id: string;
  person_id: string;
  from_status: PersonStatus;
  to_status: Exclude<PersonStatus, 'introduced'>;
  re_introduced: ColumnType<boolean, boolean | undefined, never>;
  reason: string | null;
  changed_by: string;
  changed_at: Timestamp;
  form_token: string;
}

declare module '../../core/db/schema.ts' {
  interface PeopleTable {
    preferred_name: Added<string>;
    pronouns: Added<string>;
    date_of_birth: Added<string>;
    age_when_recorded: Added<number>;
    age_recorded_on: Added<string>;
    phone: Added<string>;
    email: Added<string>;
    address_line_1: Added<string>;
    address_line_2: Added<string>;
    address_town: Added<string>;
    postcode: Added<string>;
    preferred_language: Added<PreferredLanguage>;
    preferred_language_other: Added<string>;
    interpreter_needed: Added<boolean>;
    updated_by: Added<string>;
  }
  /** Added by migrations/0007_introductions_and_concerns.ts; introductions recorded before it have no answer. */
  interface IntroductionsTable {
    person_knows: Added<PersonKnows>;
    re_introduction: ColumnType<boolean, boolean | undefined, never>;
  }
  interface Database {
    household_members: HouseholdMembersTable;
    person_status_changes: PersonStatusChangesTable;
  }
}
