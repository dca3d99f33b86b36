import { sql, type Kysely } from 'kysely';

/**
 * Anonymised stories for the Leadership Group's report, and the consent that allows them.
 *
 * Consent to share a story is a history: each decision (given, not given, withdrawn) is a row that is never
 * changed, so what the person said and when stays on record; the latest decision is the one in force.
 *
 * A story is written by a manager from a person's record, but holds no name, address or date of birth: an
 * initial, an age (a band or years), what mattered, what happened and indicative costs avoided (numeric pounds,
 * never floats). It keeps the person's id only so that a withdrawal of consent can withdraw it; the report never
 * reads that id. Edited in place with a version, so a stale save is refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE story_consents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY,
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      decision text NOT NULL CHECK (decision IN ('given', 'not_given', 'withdrawn')),
      decided_on date NOT NULL,
      how text NOT NULL CHECK (how IN ('in_person', 'in_writing', 'by_phone')),
      note text CHECK (length(note) BETWEEN 1 AND 1000),
      form_token uuid NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, form_token)
    );
    CREATE INDEX story_consents_person ON story_consents (programme_id, person_id, seq);

    CREATE TABLE stories (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'withdrawn')),
      initial text NOT NULL CHECK (initial ~ '^[A-Z]$'),
      age text NOT NULL CHECK (length(age) BETWEEN 1 AND 40),
      what_mattered text NOT NULL CHECK (length(what_mattered) BETWEEN 1 AND 3000),
      what_happened text NOT NULL CHECK (length(what_happened) BETWEEN 1 AND 5000),
      costs_avoided numeric(12, 2) CHECK (costs_avoided >= 0),
      costs_text text CHECK (length(costs_text) BETWEEN 1 AND 1000),
      withdrawn_at timestamptz,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, form_token),
      CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
    );
    CREATE INDEX stories_person ON stories (programme_id, person_id);
  `.execute(db);

  for (const table of ['story_consents', 'stories']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }
  // Consent decisions are only added to; stories are edited as versions, never deleted.
  await sql`
    GRANT SELECT, INSERT ON story_consents TO alongside_app;
    GRANT SELECT, INSERT, UPDATE ON stories TO alongside_app;
  `.execute(db);
}
