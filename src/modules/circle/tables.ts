import type { ColumnType, Generated } from 'kysely';
import type { Closeness, SupportKind } from './schemas.ts';

/** The circle of support's tables (migrations/0004_circle_of_support.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;

/** Someone in a person's circle: who they are stays here; what is known about them over time is in the versions. */
export interface CircleMembersTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  version: ColumnType<number, number | undefined, number>;
  joined_on: CalendarDate;
  left_on: ColumnType<string | null, string | null | undefined, string | null>;
  form_token: string;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

/**
 * One version of a member, valid from one day until (not including) another; the open version (valid_to null) is
 * how they are now. A version opened and closed on one day was replaced that same day.
 */
export interface CircleMemberVersionsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  member_id: string;
  version: number;
  name: string;
  relationship: string;
  how_they_help: string | null;
  closeness: ColumnType<Closeness, Closeness, Closeness>;
  kind: ColumnType<SupportKind, SupportKind, SupportKind>;
  valid_from: CalendarDate;
  valid_to: ColumnType<string | null, string | null | undefined, string | null>;
  recorded_at: Timestamp;
  recorded_by: string;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    circle_members: CircleMembersTable;
    circle_member_versions: CircleMemberVersionsTable;
  }
}
