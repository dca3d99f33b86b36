import type { ColumnType, Generated } from 'kysely';

/** The journal's and connections' tables (migrations/0006_journal.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;

/** How the contact happened, in the order the form offers them. */
export const JOURNAL_HOWS = ['in_person', 'home_visit', 'phone', 'video', 'community_venue', 'message'] as const;
export type JournalHow = (typeof JOURNAL_HOWS)[number];

export const JOURNAL_KINDS = ['conversation', 'practical_action'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** An entry: whose it is and which version is its latest. What it says is in its versions. */
export interface JournalEntriesTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  version: ColumnType<number, number | undefined, number>;
  form_token: string;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

/** One version of what an entry says: as first written, or as corrected. Never changed. */
export interface JournalEntryVersionsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  entry_id: string;
  version: number;
  happened_on: CalendarDate;
  how: JournalHow;
  kind: JournalKind;
  duration_minutes: number | null;
  notes: string;
  recorded_at: Timestamp;
  recorded_by: string;
}

/** What one version of an entry is linked to: one of these tables per kind of thing. */
interface JournalLinkTable {
  programme_id: string;
  person_id: string;
  entry_id: string;
  version: number;
}

export interface JournalEntryStepsTable extends JournalLinkTable {
  step_id: string;
}

export interface JournalEntryMembersTable extends JournalLinkTable {
  member_id: string;
}

/** Two people walked alongside, connected with both their agreement; the lower id is always first. */
export interface PersonConnectionsTable {
  id: Generated<string>;
  programme_id: string;
  first_person_id: string;
  second_person_id: string;
  why: string;
  agreed_on: CalendarDate;
  form_token: string;
  recorded_at: Timestamp;
  recorded_by: string;
  ended_on: ColumnType<string | null, string | null | undefined, string | null>;
  ended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  ended_by: ColumnType<string | null, string | null | undefined, string | null>;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    journal_entries: JournalEntriesTable;
    journal_entry_versions: JournalEntryVersionsTable;
    journal_entry_steps: JournalEntryStepsTable;
    journal_entry_circle_members: JournalEntryMembersTable;
    journal_entry_household_members: JournalEntryMembersTable;
    person_connections: PersonConnectionsTable;
  }
}
