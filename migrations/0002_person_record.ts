import { sql, type Kysely } from 'kysely';

/**
 * The person's own details (on the people row, so one version guards them), the household and family around
 * them (the whole-family approach), and every change of status kept as history.
 *
 * Age: a date of birth when it is known; otherwise an age with the date it was recorded, so the age shown can
 * grow with time. Postcodes are stored upper-case with one space (`AB1 2CD`), so a search can rely on the shape.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE people
      ADD COLUMN preferred_name text CHECK (length(preferred_name) BETWEEN 1 AND 200),
      ADD COLUMN pronouns text CHECK (length(pronouns) BETWEEN 1 AND 60),
      ADD COLUMN date_of_birth date,
      ADD COLUMN age_when_recorded integer CHECK (age_when_recorded BETWEEN 0 AND 130),
      ADD COLUMN age_recorded_on date,
      ADD COLUMN phone text CHECK (length(phone) BETWEEN 1 AND 40),
      ADD COLUMN email text CHECK (length(email) BETWEEN 3 AND 254),
      ADD COLUMN address_line_1 text CHECK (length(address_line_1) BETWEEN 1 AND 200),
      ADD COLUMN address_line_2 text CHECK (length(address_line_2) BETWEEN 1 AND 200),
      ADD COLUMN address_town text CHECK (length(address_town) BETWEEN 1 AND 100),
      ADD COLUMN postcode text CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
      ADD COLUMN preferred_language text CHECK (preferred_language IN ('english', 'welsh', 'other')),
      ADD COLUMN preferred_language_other text CHECK (length(preferred_language_other) BETWEEN 1 AND 100),
      ADD COLUMN interpreter_needed boolean,
      ADD COLUMN updated_by uuid REFERENCES users(id),
      ADD CONSTRAINT people_age_and_its_date CHECK ((age_when_recorded IS NULL) = (age_recorded_on IS NULL)),
      ADD CONSTRAINT people_birth_date_or_age CHECK (date_of_birth IS NULL OR age_when_recorded IS NULL),
      ADD CONSTRAINT people_other_language CHECK (
        (preferred_language IS NOT DISTINCT FROM 'other') = (preferred_language_other IS NOT NULL)
      );

    CREATE TABLE household_members (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      relationship text NOT NULL CHECK (length(relationship) BETWEEN 1 AND 100),
      date_of_birth date,
      age_when_recorded integer CHECK (age_when_recorded BETWEEN 0 AND 130),
      age_recorded_on date,
      notes text CHECK (length(notes) BETWEEN 1 AND 2000),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      form_token uuid NOT NULL UNIQUE,
      created_by uuid NOT NULL REFERENCES users(id),
      updated_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      CHECK ((age_when_recorded IS NULL) = (age_recorded_on IS NULL)),
      CHECK (date_of_birth IS NULL OR age_when_recorded IS NULL)
    );
    CREATE INDEX household_members_person ON household_members (programme_id, person_id);

    -- Append-only: a status change is history, never edited. A re-introduction is a return to getting to know.
    CREATE TABLE person_status_changes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- The order changes were made in, even when two share a timestamp.
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      from_status text NOT NULL
        CHECK (from_status IN ('introduced', 'getting_to_know', 'walking_alongside', 'resting', 'moved_on')),
      to_status text NOT NULL
        CHECK (to_status IN ('getting_to_know', 'walking_alongside', 'resting', 'moved_on')),
      re_introduced boolean NOT NULL DEFAULT false,
      reason text CHECK (length(reason) BETWEEN 1 AND 5000),
      changed_by uuid NOT NULL REFERENCES users(id),
      changed_at timestamptz NOT NULL,
      form_token uuid NOT NULL UNIQUE,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      CHECK (from_status <> to_status),
      CHECK (to_status <> 'moved_on' OR reason IS NOT NULL),
      CHECK (NOT re_introduced OR to_status = 'getting_to_know')
    );
    CREATE INDEX person_status_changes_person ON person_status_changes (programme_id, person_id, seq);
  `.execute(db);

  for (const table of ['household_members', 'person_status_changes']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  await sql`
    GRANT SELECT, INSERT, UPDATE, DELETE ON household_members TO alongside_app;
    GRANT SELECT, INSERT ON person_status_changes TO alongside_app;
  `.execute(db);
}
