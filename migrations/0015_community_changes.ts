import { sql, type Kysely } from 'kysely';

/**
 * Putting community records right, without losing what they said before.
 *
 * - A confirmed match can be undone (the offer fell through, or the wrong offer was chosen): the match row stays,
 *   marked undone with who, when and why, so both people's histories still show it. Only a match still in force
 *   holds its ask and its offer, so each may be matched again.
 * - A scheme's name and description can be changed, from a version, like every other record that is edited.
 * - Who changed a scheme or a funding row last, and when, is null until someone first does.
 * - A row of funding in the capacity ledger can be corrected or removed: it keeps its version, and a removed row
 *   stays, marked removed with who, when and why, out of every total. The audit trail keeps each before and after.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offer_matches
      ADD COLUMN undone_by uuid REFERENCES users(id),
      ADD COLUMN undone_at timestamptz,
      ADD COLUMN undone_reason text CHECK (length(undone_reason) BETWEEN 1 AND 500),
      ADD CONSTRAINT offer_matches_undone_recorded CHECK ((undone_by IS NULL) = (undone_at IS NULL) AND (undone_by IS NULL) = (undone_reason IS NULL)),
      ADD CONSTRAINT offer_matches_undone_or_done CHECK (undone_at IS NULL OR done_on IS NULL),
      DROP CONSTRAINT offer_matches_ask_id_key,
      DROP CONSTRAINT offer_matches_offer_id_key;
    CREATE UNIQUE INDEX offer_matches_ask_in_force ON offer_matches (ask_id) WHERE undone_at IS NULL;
    CREATE UNIQUE INDEX offer_matches_offer_in_force ON offer_matches (offer_id) WHERE undone_at IS NULL;

    ALTER TABLE offer_schemes
      ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      ADD COLUMN updated_by uuid REFERENCES users(id),
      ADD COLUMN updated_at timestamptz,
      ADD CONSTRAINT offer_schemes_updated_recorded CHECK ((updated_by IS NULL) = (updated_at IS NULL));

    ALTER TABLE capacity_funding
      ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      ADD COLUMN updated_by uuid REFERENCES users(id),
      ADD COLUMN updated_at timestamptz,
      ADD COLUMN removed_reason text CHECK (length(removed_reason) BETWEEN 1 AND 500),
      ADD COLUMN removed_by uuid REFERENCES users(id),
      ADD COLUMN removed_at timestamptz,
      ADD CONSTRAINT capacity_funding_updated_recorded CHECK ((updated_by IS NULL) = (updated_at IS NULL)),
      ADD CONSTRAINT capacity_funding_removed_recorded CHECK ((removed_by IS NULL) = (removed_at IS NULL) AND (removed_by IS NULL) = (removed_reason IS NULL));

    GRANT UPDATE (undone_by, undone_at, undone_reason) ON offer_matches TO alongside_app;
    GRANT UPDATE (name, description, version, updated_by, updated_at) ON offer_schemes TO alongside_app;
    GRANT UPDATE (amount, funder, found_on, version, updated_by, updated_at, removed_reason, removed_by, removed_at) ON capacity_funding TO alongside_app;
  `.execute(db);
}
