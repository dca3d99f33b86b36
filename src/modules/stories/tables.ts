import type { ColumnType, Generated } from 'kysely';

/** Stories and the consent to share them (migrations/0016_stories.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;
/** Optional on insert; null when not known. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** What the person decided: given, not given when asked, or withdrawn after giving it. */
export const CONSENT_DECISIONS = ['given', 'not_given', 'withdrawn'] as const;
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number];

export const CONSENT_HOWS = ['in_person', 'in_writing', 'by_phone'] as const;
export type ConsentHow = (typeof CONSENT_HOWS)[number];

/** A draft is being written; ready goes in the report; withdrawn is out of it because consent was withdrawn. */
export const STORY_STATUSES = ['draft', 'ready', 'withdrawn'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

export interface StoryConsentsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  programme_id: string;
  person_id: string;
  decision: ConsentDecision;
  decided_on: CalendarDate;
  how: ConsentHow;
  note: Optional<string>;
  form_token: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface StoriesTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  status: ColumnType<StoryStatus, StoryStatus | undefined, StoryStatus>;
  initial: string;
  age: string;
  what_mattered: string;
  what_happened: string;
  /** Numeric pounds as text ('1250.00'), never a float. */
  costs_avoided: Optional<string>;
  costs_text: Optional<string>;
  withdrawn_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: Generated<number>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    story_consents: StoryConsentsTable;
    stories: StoriesTable;
  }
}
