import { sql, type Kysely } from 'kysely';

/**
 * The journal: conversations and practical actions with a person. An entry is who it belongs to; what it says is
 * kept as numbered versions, never changed and never deleted, so a correction adds a version and the entry points
 * at its latest. What an entry is linked to (the person's steps, people in their circle of support, members of
 * their household) belongs to a version too, one table per kind of thing linked: community assets arrive later
 * as one more table of the same shape, without touching these.
 *
 * Connections between two people the programme walks alongside, recorded only once both have agreed. A pair is
 * stored once, the lower id first, and at most one connection between two people is open at a time. Ending one
 * keeps it, with the date it ended.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A link must name one of this same person's steps or household members: the keys that let the database say so.
  await sql`
    ALTER TABLE steps ADD CONSTRAINT steps_person_key UNIQUE (programme_id, person_id, id);
    ALTER TABLE household_members ADD CONSTRAINT household_members_person_key UNIQUE (programme_id, person_id, id);
  `.execute(db);

  await sql`
    CREATE TABLE journal_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      form_token uuid NOT NULL,
      created_at timestamptz NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, id),
      UNIQUE (programme_id, person_id, form_token)
    );

    CREATE TABLE journal_entry_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      entry_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      happened_on date NOT NULL,
      how text NOT NULL CHECK (how IN ('in_person', 'home_visit', 'phone', 'video', 'community_venue', 'message')),
      kind text NOT NULL CHECK (kind IN ('conversation', 'practical_action')),
      duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 1440),
      notes text NOT NULL CHECK (length(notes) BETWEEN 1 AND 10000),
      recorded_at timestamptz NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id, entry_id) REFERENCES journal_entries(programme_id, person_id, id),
      UNIQUE (programme_id, person_id, entry_id, version)
    );
    -- Last contact for a caseload, and the timeline newest first.
    CREATE INDEX journal_entry_versions_person ON journal_entry_versions (programme_id, person_id, happened_on);

    CREATE TABLE journal_entry_steps (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      entry_id uuid NOT NULL,
      version integer NOT NULL,
      step_id uuid NOT NULL,
      PRIMARY KEY (entry_id, version, step_id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id, entry_id, version)
        REFERENCES journal_entry_versions(programme_id, person_id, entry_id, version),
      FOREIGN KEY (programme_id, person_id, step_id) REFERENCES steps(programme_id, person_id, id)
    );

    CREATE TABLE journal_entry_circle_members (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      entry_id uuid NOT NULL,
      version integer NOT NULL,
      member_id uuid NOT NULL,
      PRIMARY KEY (entry_id, version, member_id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id, entry_id, version)
        REFERENCES journal_entry_versions(programme_id, person_id, entry_id, version),
      FOREIGN KEY (programme_id, person_id, member_id) REFERENCES circle_members(programme_id, person_id, id)
    );

    -- Removing someone from the household deletes what was recorded about them (the household page says so):
    -- their links go with them; the entries' own words stay.
    CREATE TABLE journal_entry_household_members (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      entry_id uuid NOT NULL,
      version integer NOT NULL,
      member_id uuid NOT NULL,
      PRIMARY KEY (entry_id, version, member_id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id, entry_id, version)
        REFERENCES journal_entry_versions(programme_id, person_id, entry_id, version),
      FOREIGN KEY (programme_id, person_id, member_id) REFERENCES household_members(programme_id, person_id, id) ON DELETE CASCADE
    );

    CREATE TABLE person_connections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      first_person_id uuid NOT NULL,
      second_person_id uuid NOT NULL,
      why text NOT NULL CHECK (length(why) BETWEEN 1 AND 1000),
      agreed_on date NOT NULL,
      form_token uuid NOT NULL,
      recorded_at timestamptz NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      ended_on date,
      ended_at timestamptz,
      ended_by uuid REFERENCES users(id),
      FOREIGN KEY (programme_id, first_person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, second_person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, form_token),
      CHECK (first_person_id < second_person_id),
      CHECK ((ended_on IS NULL) = (ended_at IS NULL) AND (ended_on IS NULL) = (ended_by IS NULL)),
      CHECK (ended_on IS NULL OR ended_on >= agreed_on)
    );
    CREATE UNIQUE INDEX person_connections_open ON person_connections (programme_id, first_person_id, second_person_id)
      WHERE ended_on IS NULL;
    CREATE INDEX person_connections_second ON person_connections (programme_id, second_person_id);
  `.execute(db);

  const tables = [
    'journal_entries',
    'journal_entry_versions',
    'journal_entry_steps',
    'journal_entry_circle_members',
    'journal_entry_household_members',
    'person_connections',
  ];
  for (const table of tables) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // Versions and their links are only ever added; an entry only moves on to its newest version. A connection is
  // only ever ended, never rewritten or removed.
  await sql`
    GRANT SELECT, INSERT ON journal_entries, journal_entry_versions, journal_entry_steps, journal_entry_circle_members,
      journal_entry_household_members, person_connections TO alongside_app;
    GRANT UPDATE (version, updated_at, updated_by) ON journal_entries TO alongside_app;
    GRANT UPDATE (ended_on, ended_at, ended_by) ON person_connections TO alongside_app;
  `.execute(db);
}
