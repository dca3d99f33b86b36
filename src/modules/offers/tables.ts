import type { ColumnType, Generated } from 'kysely';

/** Offers, asks, their matches and schemes (migrations/0009_community_work.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD': the driver keeps dates as text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;
/** Optional on insert; null when not known. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const ITEM_KINDS = ['offer', 'ask'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** What is offered or asked for, in the order the form lists them. */
export const OFFER_CATEGORIES = ['item', 'furniture', 'time', 'skill', 'lift', 'van', 'space', 'other'] as const;
export type OfferCategory = (typeof OFFER_CATEGORIES)[number];

/** Open, then matched with the other side, then done; or withdrawn while still open. */
export const ITEM_STATUSES = ['open', 'matched', 'done', 'withdrawn'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface OfferSchemesTable {
  id: Generated<string>;
  programme_id: string;
  name: string;
  category: OfferCategory;
  description: Optional<string>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  version: Generated<number>;
  /** Null until the scheme is first changed (migrations/0015_community_changes.ts). */
  updated_by: Optional<string>;
  updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface OffersAndAsksTable {
  id: Generated<string>;
  programme_id: string;
  kind: ItemKind;
  person_id: Optional<string>;
  asset_id: Optional<string>;
  category: OfferCategory;
  what: string;
  area_id: string;
  available_from: CalendarDate;
  available_until: Optional<string>;
  status: ColumnType<ItemStatus, ItemStatus | undefined, ItemStatus>;
  scheme_id: Optional<string>;
  version: Generated<number>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface OfferMatchesTable {
  id: Generated<string>;
  programme_id: string;
  ask_id: string;
  ask_kind: ColumnType<'ask', 'ask' | undefined, never>;
  offer_id: string;
  offer_kind: ColumnType<'offer', 'offer' | undefined, never>;
  matched_on: CalendarDate;
  confirmed_by: string;
  confirmed_at: Timestamp;
  done_on: Optional<string>;
  done_by: Optional<string>;
  done_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  form_token: string;
  /** Undone (migrations/0015_community_changes.ts): kept, with who, when and why; no longer holding either side. */
  undone_by: Optional<string>;
  undone_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  undone_reason: Optional<string>;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    offer_schemes: OfferSchemesTable;
    offers_and_asks: OffersAndAsksTable;
    offer_matches: OfferMatchesTable;
  }
}
