import type { ColumnType, Generated, Selectable } from 'kysely';

/** The shape of every table, as Kysely sees it. Timestamps arrive as Date; bigint and counts as string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const ROLES = ['coordinator', 'manager', 'leadership', 'evaluator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERSON_STATUSES = ['introduced', 'getting_to_know', 'walking_alongside', 'resting', 'moved_on'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export interface ProgrammesTable {
  id: Generated<string>;
  name: string;
  council: string;
  brand_colour: Generated<string>;
  created_at: DefaultedTimestamp;
}

export interface AreasTable {
  id: Generated<string>;
  programme_id: string;
  name: string;
  population: number | null;
  postcode_districts: ColumnType<string[], string[] | undefined, string[]>;
  created_at: DefaultedTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  disabled_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface MembershipsTable {
  user_id: string;
  programme_id: string;
  role: Role;
  created_at: DefaultedTimestamp;
}

export interface CoordinatorAreasTable {
  user_id: string;
  programme_id: string;
  area_id: string;
}

export interface SessionsTable {
  sid: string;
  user_id: string | null;
  data: ColumnType<unknown, string, string>;
  expires_at: Timestamp;
}

export interface SignInFailuresTable {
  email: string;
  failures: number;
  last_failure_at: Timestamp;
}

export interface AuditEventsTable {
  id: Generated<string>;
  occurred_at: Timestamp;
  programme_id: string | null;
  actor_user_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
  request_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface PeopleTable {
  id: Generated<string>;
  programme_id: string;
  area_id: string;
  name: string;
  status: ColumnType<PersonStatus, PersonStatus | undefined, PersonStatus>;
  coordinator_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IntroductionsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  introduced_by: string;
  introducer_name: string | null;
  introducer_organisation: string | null;
  introduced_on: ColumnType<string, string, string>;
  what_they_would_like_to_change: string;
  recorded_by: string;
  form_token: string;
  created_at: Timestamp;
}

export interface Database {
  programmes: ProgrammesTable;
  areas: AreasTable;
  users: UsersTable;
  memberships: MembershipsTable;
  coordinator_areas: CoordinatorAreasTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  audit_events: AuditEventsTable;
  people: PeopleTable;
  introductions: IntroductionsTable;
}

export type Programme = Selectable<ProgrammesTable>;
export type Area = Selectable<AreasTable>;
