import { sql, type Kysely } from 'kysely';

/**
 * What a coordinator knows about the neighbourhood, in the categories of asset-based community development:
 * people with gifts to share (only with their agreement), associations and groups, organisations, places, local
 * businesses, and culture and stories. Each asset says when it was last verified and by whom, so stale ones can
 * be checked; it may say it can appear in a public directory (the Open Referral UK API shows only those).
 *
 * Schedules are kept the way Open Referral UK keeps them (a weekly or monthly rule with opening and closing
 * times), so the API can publish them as they are. `source_id` is the identifier of an asset imported from an
 * Open Referral UK document: importing the same document again updates rather than duplicates.
 *
 * Postcodes with their locations are reference data an admin imports (the ONS Postcode Directory's columns), not
 * a programme's own: every programme reads the same table.
 *
 * Assets in a person's life (they joined the walking group) and journal entries about an asset link the two.
 *
 * The public directory reads as the application role with no programme set (see the public_directory policies).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE programmes
      ADD COLUMN asset_stale_months integer NOT NULL DEFAULT 12 CHECK (asset_stale_months BETWEEN 1 AND 120);

    CREATE TABLE community_assets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      area_id uuid NOT NULL,
      category text NOT NULL CHECK (category IN ('gifts', 'association', 'organisation', 'place', 'business', 'culture')),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
      address_line_1 text CHECK (length(address_line_1) BETWEEN 1 AND 200),
      address_town text CHECK (length(address_town) BETWEEN 1 AND 100),
      postcode text CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
      latitude numeric(8, 6) CHECK (latitude BETWEEN -90 AND 90),
      longitude numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
      contact_name text CHECK (length(contact_name) BETWEEN 1 AND 200),
      contact_phone text CHECK (length(contact_phone) BETWEEN 1 AND 40),
      contact_email text CHECK (length(contact_email) BETWEEN 3 AND 254),
      website text CHECK (website ~ '^https?://' AND length(website) <= 500),
      who_it_welcomes text CHECK (length(who_it_welcomes) BETWEEN 1 AND 2000),
      accessibility text CHECK (length(accessibility) BETWEEN 1 AND 2000),
      cost text CHECK (length(cost) BETWEEN 1 AND 500),
      free boolean NOT NULL DEFAULT false,
      tags text[] NOT NULL DEFAULT '{}',
      public boolean NOT NULL DEFAULT false,
      -- A person with gifts to share appears only with their agreement, and the day they gave it.
      person_agreed_on date,
      -- The organisation (itself an asset) that runs this one, if any.
      organisation_id uuid,
      source_id text CHECK (length(source_id) BETWEEN 1 AND 200),
      closed_on date,
      last_verified_on date,
      last_verified_by uuid REFERENCES users(id),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, area_id) REFERENCES areas(programme_id, id),
      UNIQUE (programme_id, id),
      UNIQUE (programme_id, form_token),
      UNIQUE (programme_id, source_id),
      FOREIGN KEY (programme_id, organisation_id) REFERENCES community_assets(programme_id, id),
      CHECK ((latitude IS NULL) = (longitude IS NULL)),
      CHECK (category <> 'gifts' OR person_agreed_on IS NOT NULL),
      CHECK ((last_verified_on IS NULL) = (last_verified_by IS NULL)),
      CHECK (organisation_id IS DISTINCT FROM id)
    );
    CREATE INDEX community_assets_area ON community_assets (programme_id, area_id, category);
    CREATE INDEX community_assets_tags ON community_assets USING gin (tags);

    CREATE TABLE asset_schedules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      asset_id uuid NOT NULL,
      freq text NOT NULL CHECK (freq IN ('weekly', 'monthly')),
      byday text NOT NULL CHECK (byday IN ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')),
      -- For a monthly rule: the first to fourth, or the last (-1), such day of the month.
      week_of_month integer CHECK (week_of_month IN (1, 2, 3, 4, -1)),
      opens_at time,
      closes_at time,
      description text CHECK (length(description) BETWEEN 1 AND 500),
      FOREIGN KEY (programme_id, asset_id) REFERENCES community_assets(programme_id, id) ON DELETE CASCADE,
      CHECK ((freq = 'monthly') = (week_of_month IS NOT NULL)),
      CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)
    );
    CREATE INDEX asset_schedules_asset ON asset_schedules (programme_id, asset_id);

    CREATE TABLE postcodes (
      postcode text PRIMARY KEY CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
      latitude numeric(8, 6) NOT NULL CHECK (latitude BETWEEN -90 AND 90),
      longitude numeric(9, 6) NOT NULL CHECK (longitude BETWEEN -180 AND 180),
      source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
      imported_at timestamptz NOT NULL
    );

    -- An asset in a person's life: they joined the walking group, go to the food bank, share a gift.
    CREATE TABLE person_assets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      asset_id uuid NOT NULL,
      what text NOT NULL CHECK (length(what) BETWEEN 1 AND 500),
      started_on date NOT NULL,
      ended_on date,
      form_token uuid NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, asset_id) REFERENCES community_assets(programme_id, id),
      UNIQUE (programme_id, form_token),
      CHECK (ended_on IS NULL OR ended_on >= started_on)
    );
    CREATE INDEX person_assets_person ON person_assets (programme_id, person_id);
    CREATE INDEX person_assets_asset ON person_assets (programme_id, asset_id);

    -- A journal entry about a community asset: one more link table, the same shape as the journal's own.
    CREATE TABLE journal_entry_assets (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      entry_id uuid NOT NULL,
      version integer NOT NULL,
      asset_id uuid NOT NULL,
      PRIMARY KEY (entry_id, version, asset_id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id, entry_id, version)
        REFERENCES journal_entry_versions(programme_id, person_id, entry_id, version),
      FOREIGN KEY (programme_id, asset_id) REFERENCES community_assets(programme_id, id)
    );
  `.execute(db);

  for (const table of ['community_assets', 'asset_schedules', 'person_assets', 'journal_entry_assets']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // The public directory (the Open Referral UK API) reads with no programme and no user set: then, and only then,
  // the assets marked public and still running, and their schedules, are visible, from every programme.
  await sql`
    CREATE POLICY public_directory ON community_assets FOR SELECT
      USING (current_programme_id() IS NULL AND public AND closed_on IS NULL);
    CREATE POLICY public_directory ON asset_schedules FOR SELECT
      USING (current_programme_id() IS NULL AND EXISTS (
        SELECT 1 FROM community_assets a WHERE a.id = asset_schedules.asset_id AND a.public AND a.closed_on IS NULL
      ));
  `.execute(db);

  await sql`
    GRANT SELECT, INSERT, UPDATE ON community_assets, person_assets TO alongside_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON asset_schedules TO alongside_app;
    GRANT SELECT, INSERT ON journal_entry_assets TO alongside_app;
    GRANT SELECT, INSERT, UPDATE ON postcodes TO alongside_app;
    GRANT UPDATE (asset_stale_months) ON programmes TO alongside_app;
  `.execute(db);
}
