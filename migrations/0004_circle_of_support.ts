import { sql, type Kysely } from 'kysely';

/**
 * The circle of support: the people around a person, kept over time. A member is who they are; each change to
 * what is known about them (name, relationship, how they help, how close, kind of support) is a new version valid
 * from the day it was recorded, so the circle on any earlier date can be read back. Leaving the circle closes the
 * last version and keeps it: the application may not delete either table's rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE circle_members (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      joined_on date NOT NULL,
      left_on date,
      form_token uuid NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, id),
      CHECK (left_on IS NULL OR left_on >= joined_on)
    );
    CREATE INDEX circle_members_person ON circle_members (programme_id, person_id);

    CREATE TABLE circle_member_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      member_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      relationship text NOT NULL CHECK (length(relationship) BETWEEN 1 AND 200),
      how_they_help text CHECK (length(how_they_help) BETWEEN 1 AND 2000),
      closeness smallint NOT NULL CHECK (closeness BETWEEN 1 AND 3),
      kind text NOT NULL CHECK (kind IN ('family', 'friend', 'neighbour', 'community', 'paid')),
      valid_from date NOT NULL,
      valid_to date,
      recorded_at timestamptz NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      FOREIGN KEY (programme_id, person_id, member_id) REFERENCES circle_members(programme_id, person_id, id),
      UNIQUE (member_id, version),
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );
    -- At most one open version per member: how they are now.
    CREATE UNIQUE INDEX circle_member_versions_open ON circle_member_versions (member_id) WHERE valid_to IS NULL;
    CREATE INDEX circle_member_versions_person ON circle_member_versions (programme_id, person_id, valid_from);
  `.execute(db);

  for (const table of ['circle_members', 'circle_member_versions']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // No DELETE, and a version's words are never rewritten, only closed: the circle's history is kept as recorded.
  await sql`
    GRANT SELECT, INSERT ON circle_members, circle_member_versions TO alongside_app;
    GRANT UPDATE (version, left_on, updated_at, updated_by) ON circle_members TO alongside_app;
    GRANT UPDATE (valid_to) ON circle_member_versions TO alongside_app;
  `.execute(db);
}
