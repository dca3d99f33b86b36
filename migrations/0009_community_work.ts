import { sql, type Kysely } from 'kysely';

/**
 * The community side of a coordinator's work, beside the community assets of 0008.
 *
 * Offers and asks: an offer comes from a person walked alongside or from a community asset (a cooker, time, a lift,
 * a van, a garden), an ask from a person walked alongside. One table holds both, told apart by `kind`, so a match
 * can name "an ask" and "an offer" with foreign keys that check the kind. A match pairs one ask with one offer:
 * each side is matched at most once (a second washing machine is a second offer). A scheme that pairs many (garden
 * owners with people who want to garden) is a named group of offers and asks of one category; the foreign key
 * through (category, scheme) keeps an offer out of a scheme of another category.
 *
 * The community capacity ledger: groups and initiatives a coordinator helped start or sustain, with the assets
 * they use, the funding found for them (numeric pounds, never floats) and what happened, as dated updates.
 *
 * System barriers: where services did not meet people's needs, raised with the Leadership Group. The people a
 * barrier affected are linked through their records (person-level data: the Leadership Group sees only a count);
 * every change of status is kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE offer_schemes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      category text NOT NULL CHECK (category IN ('item', 'furniture', 'time', 'skill', 'lift', 'van', 'space', 'other')),
      description text CHECK (length(description) BETWEEN 1 AND 2000),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      UNIQUE (programme_id, id),
      UNIQUE (programme_id, category, id),
      UNIQUE (programme_id, form_token)
    );
    CREATE UNIQUE INDEX offer_schemes_name ON offer_schemes (programme_id, lower(name));

    CREATE TABLE offers_and_asks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('offer', 'ask')),
      person_id uuid,
      asset_id uuid,
      category text NOT NULL CHECK (category IN ('item', 'furniture', 'time', 'skill', 'lift', 'van', 'space', 'other')),
      what text NOT NULL CHECK (length(what) BETWEEN 1 AND 2000),
      area_id uuid NOT NULL,
      available_from date NOT NULL,
      available_until date,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matched', 'done', 'withdrawn')),
      scheme_id uuid,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, asset_id) REFERENCES community_assets(programme_id, id),
      FOREIGN KEY (programme_id, area_id) REFERENCES areas(programme_id, id),
      FOREIGN KEY (programme_id, category, scheme_id) REFERENCES offer_schemes(programme_id, category, id),
      UNIQUE (programme_id, id),
      UNIQUE (programme_id, kind, id),
      UNIQUE (programme_id, form_token),
      -- From a person or from an asset, never both; only people ask.
      CHECK ((person_id IS NULL) <> (asset_id IS NULL)),
      CHECK (kind = 'offer' OR person_id IS NOT NULL),
      CHECK (available_until IS NULL OR available_until >= available_from)
    );
    CREATE INDEX offers_and_asks_person ON offers_and_asks (programme_id, person_id);
    CREATE INDEX offers_and_asks_open ON offers_and_asks (programme_id, kind, category) WHERE status = 'open';
    CREATE INDEX offers_and_asks_scheme ON offers_and_asks (programme_id, scheme_id) WHERE scheme_id IS NOT NULL;

    CREATE TABLE offer_matches (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      ask_id uuid NOT NULL UNIQUE,
      ask_kind text NOT NULL DEFAULT 'ask' CHECK (ask_kind = 'ask'),
      offer_id uuid NOT NULL UNIQUE,
      offer_kind text NOT NULL DEFAULT 'offer' CHECK (offer_kind = 'offer'),
      matched_on date NOT NULL,
      confirmed_by uuid NOT NULL REFERENCES users(id),
      confirmed_at timestamptz NOT NULL,
      done_on date,
      done_by uuid REFERENCES users(id),
      done_at timestamptz,
      form_token uuid NOT NULL,
      FOREIGN KEY (programme_id, ask_kind, ask_id) REFERENCES offers_and_asks(programme_id, kind, id),
      FOREIGN KEY (programme_id, offer_kind, offer_id) REFERENCES offers_and_asks(programme_id, kind, id),
      UNIQUE (programme_id, form_token),
      CHECK ((done_on IS NULL) = (done_by IS NULL) AND (done_on IS NULL) = (done_at IS NULL)),
      CHECK (done_on IS NULL OR done_on >= matched_on)
    );

    CREATE TABLE capacity_initiatives (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      area_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      description text CHECK (length(description) BETWEEN 1 AND 2000),
      how_helped text NOT NULL CHECK (how_helped IN ('started', 'sustained')),
      started_on date NOT NULL,
      ended_on date,
      people_involved integer NOT NULL CHECK (people_involved BETWEEN 0 AND 1000000),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, area_id) REFERENCES areas(programme_id, id),
      UNIQUE (programme_id, id),
      UNIQUE (programme_id, form_token),
      CHECK (ended_on IS NULL OR ended_on >= started_on)
    );
    CREATE INDEX capacity_initiatives_area ON capacity_initiatives (programme_id, area_id);

    CREATE TABLE capacity_initiative_assets (
      programme_id uuid NOT NULL,
      initiative_id uuid NOT NULL,
      asset_id uuid NOT NULL,
      PRIMARY KEY (initiative_id, asset_id),
      FOREIGN KEY (programme_id, initiative_id) REFERENCES capacity_initiatives(programme_id, id),
      FOREIGN KEY (programme_id, asset_id) REFERENCES community_assets(programme_id, id)
    );

    CREATE TABLE capacity_funding (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      initiative_id uuid NOT NULL,
      amount numeric(12, 2) NOT NULL CHECK (amount > 0),
      funder text NOT NULL CHECK (length(funder) BETWEEN 1 AND 200),
      found_on date NOT NULL,
      form_token uuid NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, initiative_id) REFERENCES capacity_initiatives(programme_id, id),
      UNIQUE (programme_id, form_token)
    );
    CREATE INDEX capacity_funding_initiative ON capacity_funding (programme_id, initiative_id);

    CREATE TABLE capacity_updates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      initiative_id uuid NOT NULL,
      happened_on date NOT NULL,
      what text NOT NULL CHECK (length(what) BETWEEN 1 AND 5000),
      form_token uuid NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, initiative_id) REFERENCES capacity_initiatives(programme_id, id),
      UNIQUE (programme_id, form_token)
    );
    CREATE INDEX capacity_updates_initiative ON capacity_updates (programme_id, initiative_id);

    CREATE TABLE system_barriers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 200),
      what_happened text NOT NULL CHECK (length(what_happened) BETWEEN 1 AND 5000),
      services text[] NOT NULL DEFAULT '{}'
        CHECK (services <@ ARRAY['adult_social_care', 'childrens_social_care', 'public_health', 'housing', 'nhs', 'police', 'dwp', 'education']::text[]),
      other_services text CHECK (length(other_services) BETWEEN 1 AND 500),
      raised_with_leadership_on date,
      response text CHECK (length(response) BETWEEN 1 AND 5000),
      status text NOT NULL DEFAULT 'raised' CHECK (status IN ('raised', 'being_worked_on', 'changed', 'closed_without_change')),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      UNIQUE (programme_id, id),
      UNIQUE (programme_id, form_token),
      CHECK (cardinality(services) > 0 OR other_services IS NOT NULL)
    );

    -- Every status a barrier has had: the first row (no from_status) is its recording.
    CREATE TABLE system_barrier_status_changes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY,
      programme_id uuid NOT NULL,
      barrier_id uuid NOT NULL,
      from_status text CHECK (from_status IN ('raised', 'being_worked_on', 'changed', 'closed_without_change')),
      to_status text NOT NULL CHECK (to_status IN ('raised', 'being_worked_on', 'changed', 'closed_without_change')),
      note text CHECK (length(note) BETWEEN 1 AND 2000),
      changed_by uuid NOT NULL REFERENCES users(id),
      changed_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, barrier_id) REFERENCES system_barriers(programme_id, id),
      CHECK (from_status IS DISTINCT FROM to_status)
    );
    CREATE INDEX system_barrier_status_changes_barrier ON system_barrier_status_changes (programme_id, barrier_id);

    CREATE TABLE system_barrier_people (
      programme_id uuid NOT NULL,
      barrier_id uuid NOT NULL,
      person_id uuid NOT NULL,
      linked_by uuid NOT NULL REFERENCES users(id),
      linked_at timestamptz NOT NULL,
      PRIMARY KEY (barrier_id, person_id),
      FOREIGN KEY (programme_id, barrier_id) REFERENCES system_barriers(programme_id, id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id)
    );
    CREATE INDEX system_barrier_people_person ON system_barrier_people (programme_id, person_id);
  `.execute(db);

  for (const table of [
    'offer_schemes',
    'offers_and_asks',
    'offer_matches',
    'capacity_initiatives',
    'capacity_initiative_assets',
    'capacity_funding',
    'capacity_updates',
    'system_barriers',
    'system_barrier_status_changes',
    'system_barrier_people',
  ]) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // Histories are only added to: funding found, updates, matches (until done) and status changes stay as written.
  // Links between an initiative and its assets, and between a barrier and the people it affected, can be undone.
  await sql`
    GRANT SELECT, INSERT ON offer_schemes, capacity_funding, capacity_updates, system_barrier_status_changes TO alongside_app;
    GRANT SELECT, INSERT, UPDATE ON offers_and_asks, capacity_initiatives, system_barriers TO alongside_app;
    GRANT SELECT, INSERT ON offer_matches TO alongside_app;
    GRANT UPDATE (done_on, done_by, done_at) ON offer_matches TO alongside_app;
    GRANT SELECT, INSERT, DELETE ON capacity_initiative_assets, system_barrier_people TO alongside_app;
  `.execute(db);
}
