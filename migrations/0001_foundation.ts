import { sql, type Kysely } from 'kysely';

/**
 * The foundation: programmes, areas, users and their roles, sessions, audit, and the first slice of a person's
 * record (the person and their introduction).
 *
 * Row-level security is the backstop behind the programme scoping in every query: the application runs each
 * transaction as `alongside_app`, which owns nothing, and sets `alongside.programme_id` for the transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alongside_app') THEN
        CREATE ROLE alongside_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    END $$;
  `.execute(db);
  await sql`GRANT alongside_app TO CURRENT_USER`.execute(db).catch(() => undefined);

  await sql`
    CREATE FUNCTION current_programme_id() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT nullif(current_setting('alongside.programme_id', true), '')::uuid $$;
    CREATE FUNCTION current_user_id() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT nullif(current_setting('alongside.user_id', true), '')::uuid $$;

    CREATE TABLE programmes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      council text NOT NULL CHECK (length(council) BETWEEN 1 AND 120),
      brand_colour text NOT NULL DEFAULT '#1d4f76' CHECK (brand_colour ~ '^#[0-9a-fA-F]{6}$'),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE areas (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL REFERENCES programmes(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      population integer CHECK (population >= 0),
      postcode_districts text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (programme_id, name),
      UNIQUE (programme_id, id)
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
      password_hash text NOT NULL,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (email)
    );

    CREATE TABLE memberships (
      user_id uuid NOT NULL REFERENCES users(id),
      programme_id uuid NOT NULL REFERENCES programmes(id),
      role text NOT NULL CHECK (role IN ('coordinator', 'manager', 'leadership', 'evaluator', 'admin')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, programme_id)
    );

    CREATE TABLE coordinator_areas (
      user_id uuid NOT NULL REFERENCES users(id),
      programme_id uuid NOT NULL,
      area_id uuid NOT NULL,
      PRIMARY KEY (user_id, area_id),
      FOREIGN KEY (programme_id, area_id) REFERENCES areas(programme_id, id),
      FOREIGN KEY (user_id, programme_id) REFERENCES memberships(user_id, programme_id) ON DELETE CASCADE
    );

    CREATE TABLE sessions (
      sid text PRIMARY KEY,
      user_id uuid REFERENCES users(id),
      data jsonb NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user_id ON sessions (user_id);
    CREATE INDEX sessions_expires_at ON sessions (expires_at);

    CREATE TABLE sign_in_failures (
      email text PRIMARY KEY,
      failures integer NOT NULL,
      last_failure_at timestamptz NOT NULL
    );

    CREATE TABLE audit_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      occurred_at timestamptz NOT NULL,
      programme_id uuid REFERENCES programmes(id),
      actor_user_id uuid REFERENCES users(id),
      action text NOT NULL,
      record_type text,
      record_id text,
      outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied', 'failed')),
      request_id text,
      detail jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_events_record ON audit_events (programme_id, record_type, record_id, occurred_at);

    CREATE TABLE people (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL REFERENCES programmes(id),
      area_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      status text NOT NULL DEFAULT 'introduced'
        CHECK (status IN ('introduced', 'getting_to_know', 'walking_alongside', 'resting', 'moved_on')),
      coordinator_id uuid REFERENCES users(id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, area_id) REFERENCES areas(programme_id, id),
      UNIQUE (programme_id, id)
    );
    CREATE INDEX people_area ON people (programme_id, area_id);

    CREATE TABLE introductions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      introduced_by text NOT NULL,
      introducer_name text,
      introducer_organisation text,
      introduced_on date NOT NULL,
      what_they_would_like_to_change text NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      form_token uuid NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id)
    );
    CREATE INDEX introductions_person ON introductions (programme_id, person_id);
  `.execute(db);

  // Row-level security on every table that holds a programme's data. FORCE makes it hold for the owner too,
  // so only a superuser (migrations, the demo seed) reaches across programmes.
  for (const table of ['areas', 'coordinator_areas', 'people', 'introductions']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }
  await sql`
    ALTER TABLE programmes ENABLE ROW LEVEL SECURITY;
    ALTER TABLE programmes FORCE ROW LEVEL SECURITY;
    -- A signed-in user sees the programmes they belong to (to choose one) and the one they are working in.
    CREATE POLICY programme_visible ON programmes
      USING (id = current_programme_id()
             OR id IN (SELECT programme_id FROM memberships WHERE user_id = current_user_id()));

    ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
    ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
    CREATE POLICY membership_visible ON memberships
      USING (programme_id = current_programme_id() OR user_id = current_user_id())
      WITH CHECK (programme_id = current_programme_id());

    ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
    ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
    CREATE POLICY audit_read ON audit_events FOR SELECT USING (programme_id = current_programme_id());
    CREATE POLICY audit_write ON audit_events FOR INSERT
      WITH CHECK (programme_id IS NULL OR programme_id = current_programme_id());
  `.execute(db);

  await sql`
    GRANT USAGE ON SCHEMA public TO alongside_app;
    GRANT EXECUTE ON FUNCTION current_programme_id(), current_user_id() TO alongside_app;
    GRANT SELECT ON programmes TO alongside_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON areas, memberships, coordinator_areas, people, introductions TO alongside_app;
    GRANT SELECT, INSERT, UPDATE ON users TO alongside_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, sign_in_failures TO alongside_app;
    -- The audit trail is append-only for the application.
    GRANT SELECT, INSERT ON audit_events TO alongside_app;
  `.execute(db);
}
