import { sql, type Kysely } from 'kysely';

/**
 * Introductions learn whether the person knows about and agrees to being introduced, and whether the
 * introduction brought back someone already known (a re-introduction). People gain indexes on their names as
 * the duplicate check compares them: case and spaces ignored, the preferred name too.
 *
 * Safeguarding concerns: the one place where concern is recorded as concern. A concern holds how it stands now;
 * every version of it (as first recorded, each update, its closing) is kept beside it and never changed, so what
 * was known and done, and when, can always be read back. The application may not delete either.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE introductions
      ADD COLUMN person_knows text CHECK (person_knows IN ('knows_and_agrees', 'knows_not_agreed', 'does_not_know')),
      ADD COLUMN re_introduction boolean NOT NULL DEFAULT false;

    -- The duplicate check's comparison key: the same expression as in people/queries.ts.
    CREATE INDEX people_name_key ON people (programme_id, lower(regexp_replace(name, '\\s', '', 'g')));
    CREATE INDEX people_preferred_name_key ON people (programme_id, lower(regexp_replace(preferred_name, '\\s', '', 'g')));
    -- Introductions waiting for a coordinator.
    CREATE INDEX people_without_coordinator ON people (programme_id, area_id) WHERE coordinator_id IS NULL;

    CREATE TABLE safeguarding_concerns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      raised_on date NOT NULL,
      raised_by text NOT NULL CHECK (length(raised_by) BETWEEN 1 AND 200),
      concern text NOT NULL CHECK (length(concern) BETWEEN 1 AND 5000),
      what_was_done text CHECK (length(what_was_done) BETWEEN 1 AND 5000),
      informed_who text CHECK (length(informed_who) BETWEEN 1 AND 500),
      informed_organisation text CHECK (length(informed_organisation) BETWEEN 1 AND 200),
      closed_on date,
      outcome text CHECK (length(outcome) BETWEEN 1 AND 5000),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, form_token),
      UNIQUE (programme_id, person_id, id),
      CHECK ((closed_on IS NULL) = (outcome IS NULL)),
      CHECK (closed_on IS NULL OR closed_on >= raised_on)
    );
    CREATE INDEX safeguarding_concerns_person ON safeguarding_concerns (programme_id, person_id);
    -- A manager's list of open concerns across the programme, oldest first.
    CREATE INDEX safeguarding_concerns_open ON safeguarding_concerns (programme_id, raised_on) WHERE closed_on IS NULL;

    CREATE TABLE safeguarding_concern_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      concern_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      raised_on date NOT NULL,
      raised_by text NOT NULL CHECK (length(raised_by) BETWEEN 1 AND 200),
      concern text NOT NULL CHECK (length(concern) BETWEEN 1 AND 5000),
      what_was_done text CHECK (length(what_was_done) BETWEEN 1 AND 5000),
      informed_who text CHECK (length(informed_who) BETWEEN 1 AND 500),
      informed_organisation text CHECK (length(informed_organisation) BETWEEN 1 AND 200),
      closed_on date,
      outcome text CHECK (length(outcome) BETWEEN 1 AND 5000),
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id, concern_id) REFERENCES safeguarding_concerns(programme_id, person_id, id),
      UNIQUE (concern_id, version),
      CHECK ((closed_on IS NULL) = (outcome IS NULL))
    );
  `.execute(db);

  for (const table of ['safeguarding_concerns', 'safeguarding_concern_versions']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // A concern's history is evidence: versions are only ever added, and a concern is changed only by a new version.
  await sql`
    GRANT SELECT, INSERT ON safeguarding_concerns, safeguarding_concern_versions TO alongside_app;
    GRANT UPDATE (version, raised_on, raised_by, concern, what_was_done, informed_who, informed_organisation, closed_on,
                  outcome, updated_by, updated_at) ON safeguarding_concerns TO alongside_app;
  `.execute(db);
}
