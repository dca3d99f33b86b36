import { sql, type Kysely } from 'kysely';

/**
 * A person's vision of a good life (every version kept, with the date they said it), what matters to them with
 * their gifts, skills, interests and experience (one record, edited in place), and the themes they want to
 * change (one record per person holding the version, and one row per chosen theme).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE visions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      words text NOT NULL CHECK (length(words) BETWEEN 1 AND 5000),
      said_on date NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      form_token uuid NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id)
    );
    CREATE INDEX visions_person ON visions (programme_id, person_id, said_on);

    CREATE TABLE what_matters (
      programme_id uuid NOT NULL,
      person_id uuid PRIMARY KEY,
      what_matters text CHECK (length(what_matters) <= 5000),
      gifts text CHECK (length(gifts) <= 5000),
      skills text CHECK (length(skills) <= 5000),
      interests text CHECK (length(interests) <= 5000),
      experience text CHECK (length(experience) <= 5000),
      version integer NOT NULL CHECK (version >= 1),
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id)
    );

    -- The version of a person's themes lives here, so clearing every theme is still a versioned save.
    CREATE TABLE theme_choices (
      programme_id uuid NOT NULL,
      person_id uuid PRIMARY KEY,
      version integer NOT NULL CHECK (version >= 1),
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id)
    );

    -- Theme codes are stable: the Leadership Group's counts of "themes people want to change" are keyed on them.
    CREATE TABLE person_themes (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      theme text NOT NULL CHECK (theme IN (
        'home_and_housing', 'money_and_debt', 'benefits', 'mental_wellbeing', 'physical_health',
        'loneliness_and_isolation', 'bereavement', 'alcohol_and_drugs', 'managing_daily_life', 'family_and_caring',
        'learning_volunteering_and_work', 'safety', 'getting_online'
      )),
      note text CHECK (length(note) <= 1000),
      PRIMARY KEY (person_id, theme),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id) REFERENCES theme_choices(programme_id, person_id)
    );
    CREATE INDEX person_themes_programme ON person_themes (programme_id, theme);
  `.execute(db);

  for (const table of ['visions', 'what_matters', 'theme_choices', 'person_themes']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }
  await sql`
    -- Visions are never changed or removed by the application: a new version is a new row.
    GRANT SELECT, INSERT ON visions TO alongside_app;
    GRANT SELECT, INSERT, UPDATE ON what_matters, theme_choices TO alongside_app;
    GRANT SELECT, INSERT, DELETE ON person_themes TO alongside_app;
  `.execute(db);
}
