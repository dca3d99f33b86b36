import { sql, type Kysely } from 'kysely';

/**
 * Working together: the shared agreement, kept as numbered versions that are never changed once agreed, and the
 * steps under the three questions (the person's gifts; family, friends and community; services and funding).
 *
 * Form tokens are unique per person: they only stop one form landing twice, so the same token on another
 * person's form is nobody's business but that person's record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE shared_agreements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      version_number integer NOT NULL CHECK (version_number >= 1),
      working_on text NOT NULL CHECK (length(working_on) BETWEEN 1 AND 5000),
      who_does_what text NOT NULL CHECK (length(who_does_what) BETWEEN 1 AND 5000),
      keeping_in_touch text NOT NULL CHECK (length(keeping_in_touch) BETWEEN 1 AND 5000),
      review_on date,
      agreed_on date NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      form_token uuid NOT NULL,
      created_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, version_number),
      UNIQUE (programme_id, person_id, form_token),
      CHECK (review_on IS NULL OR review_on >= agreed_on)
    );

    CREATE TABLE steps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      question text NOT NULL CHECK (question IN ('gifts', 'community', 'services')),
      what text NOT NULL CHECK (length(what) BETWEEN 1 AND 2000),
      owner text NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
      status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'under_way', 'done', 'no_longer_needed')),
      aiming_for date,
      version integer NOT NULL DEFAULT 1,
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, form_token),
      UNIQUE (programme_id, id)
    );
    -- Thinking natural for a caseload counts steps person by person.
    CREATE INDEX steps_person ON steps (programme_id, person_id, question);
  `.execute(db);

  for (const table of ['shared_agreements', 'steps']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // An agreed version is a record of what was agreed that day: the application may add versions, never change them.
  await sql`
    GRANT SELECT, INSERT ON shared_agreements TO alongside_app;
    GRANT SELECT, INSERT, UPDATE ON steps TO alongside_app;
  `.execute(db);
}
