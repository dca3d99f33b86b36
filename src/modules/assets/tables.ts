import type { ColumnType, Generated } from 'kysely';

/** The community assets' tables (migrations/0008_community_assets.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;
/** Optional on insert; null when not known. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** numeric comes back from the driver as text, so no precision is lost on the way. */
type Coordinate = ColumnType<string | null, string | number | null | undefined, string | number | null>;

/** The asset-based community development categories, in the order coordinators think of them. */
export const ASSET_CATEGORIES = ['gifts', 'association', 'organisation', 'place', 'business', 'culture'] as const;
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

export const SCHEDULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type ScheduleDay = (typeof SCHEDULE_DAYS)[number];

export interface CommunityAssetsTable {
  id: Generated<string>;
  programme_id: string;
  area_id: string;
  category: AssetCategory;
  name: string;
  description: string;
  address_line_1: Optional<string>;
  address_town: Optional<string>;
  postcode: Optional<string>;
  latitude: Coordinate;
  longitude: Coordinate;
  contact_name: Optional<string>;
  contact_phone: Optional<string>;
  contact_email: Optional<string>;
  website: Optional<string>;
  who_it_welcomes: Optional<string>;
  accessibility: Optional<string>;
  cost: Optional<string>;
  free: ColumnType<boolean, boolean | undefined, boolean>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  public: ColumnType<boolean, boolean | undefined, boolean>;
  person_agreed_on: Optional<string>;
  organisation_id: Optional<string>;
  source_id: Optional<string>;
  closed_on: Optional<string>;
  last_verified_on: Optional<string>;
  last_verified_by: Optional<string>;
  version: Generated<number>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface AssetSchedulesTable {
  id: Generated<string>;
  programme_id: string;
  asset_id: string;
  freq: 'weekly' | 'monthly';
  byday: ScheduleDay;
  /** 1 to 4, or -1 for the last such day of the month; only for a monthly rule. */
  week_of_month: Optional<number>;
  /** 'HH:MM:SS'. */
  opens_at: Optional<string>;
  closes_at: Optional<string>;
  description: Optional<string>;
}

export interface PostcodesTable {
  postcode: string;
  latitude: ColumnType<string, string | number, string | number>;
  longitude: ColumnType<string, string | number, string | number>;
  source: string;
  imported_at: Timestamp;
}

export interface PersonAssetsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  asset_id: string;
  what: string;
  started_on: CalendarDate;
  ended_on: Optional<string>;
  form_token: string;
  recorded_by: string;
  recorded_at: Timestamp;
  /** Who recorded that it ended, and when (migrations/0010): set together with ended_on. */
  ended_by: Optional<string>;
  ended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface JournalEntryAssetsTable {
  programme_id: string;
  person_id: string;
  entry_id: string;
  version: number;
  asset_id: string;
}

declare module '../../core/db/schema.ts' {
  interface ProgrammesTable {
    asset_stale_months: ColumnType<number, number | undefined, number>;
  }
  interface Database {
    community_assets: CommunityAssetsTable;
    asset_schedules: AssetSchedulesTable;
    postcodes: PostcodesTable;
    person_assets: PersonAssetsTable;
    journal_entry_assets: JournalEntryAssetsTable;
  }
}
