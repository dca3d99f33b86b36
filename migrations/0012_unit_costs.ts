import { sql, type Kysely } from 'kysely';

/**
 * The unit-cost library: what a prevented outcome (an eviction, a child taken into care) would have cost, and which
 * agency would have borne it, from the GMCA Unit Cost Database or a programme's own local costs.
 *
 * A library is one imported version of a published source. Importing again makes a new version and leaves the old
 * one as it was, so a report keeps the figures it was made with. The shared libraries (the GMCA database) have no
 * programme and every programme reads them; a programme's own local costs live in a library of that programme.
 * Only the owner (the import script, first start) writes shared rows: the application role cannot insert a row
 * with no programme.
 *
 * Each cost keeps the workbook's fiscal, economic and social values, each with its own price year, as published.
 * Price index series (GDP deflators, by financial or calendar year) uprate a value to another year's prices; they
 * are versioned the same way. Local costs are edited as versions: the current one in unit_costs, every one in
 * unit_cost_versions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE unit_cost_libraries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- NULL: a shared library, read by every programme.
      programme_id uuid REFERENCES programmes(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      -- The publisher's own label ('v1.4'); the import's number is 'version'.
      version_label text NOT NULL CHECK (length(version_label) BETWEEN 1 AND 100),
      version integer NOT NULL CHECK (version >= 1),
      source text NOT NULL CHECK (length(source) BETWEEN 1 AND 1000),
      attribution text CHECK (length(attribution) BETWEEN 1 AND 1000),
      licence text CHECK (length(licence) BETWEEN 1 AND 200),
      imported_at timestamptz NOT NULL,
      -- NULL when the system imported it (first start, the import script).
      imported_by uuid REFERENCES users(id),
      UNIQUE NULLS NOT DISTINCT (programme_id, name, version),
      UNIQUE (id, programme_id)
    );

    CREATE TABLE unit_costs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid REFERENCES programmes(id),
      library_id uuid NOT NULL REFERENCES unit_cost_libraries(id),
      code text CHECK (length(code) BETWEEN 1 AND 40),
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
      unit text NOT NULL CHECK (length(unit) BETWEEN 1 AND 200),
      agency_l1 text CHECK (length(agency_l1) BETWEEN 1 AND 200),
      agency_l2 text CHECK (length(agency_l2) BETWEEN 1 AND 200),
      fiscal_value numeric CHECK (fiscal_value >= 0),
      fiscal_price_year text CHECK (fiscal_price_year ~ '^[0-9]{4}(/[0-9]{2})?$'),
      economic_value numeric CHECK (economic_value >= 0),
      economic_price_year text CHECK (economic_price_year ~ '^[0-9]{4}(/[0-9]{2})?$'),
      social_value numeric CHECK (social_value >= 0),
      social_price_year text CHECK (social_price_year ~ '^[0-9]{4}(/[0-9]{2})?$'),
      source text CHECK (length(source) BETWEEN 1 AND 2000),
      source_url text CHECK (length(source_url) BETWEEN 1 AND 2000),
      rag text CHECK (rag IN ('R', 'A', 'G')),
      comment text CHECK (length(comment) BETWEEN 1 AND 20000),
      -- Where the cost sits in the published workbook.
      sheet text CHECK (length(sheet) BETWEEN 1 AND 100),
      sheet_row integer CHECK (sheet_row >= 1),
      category text CHECK (length(category) BETWEEN 1 AND 200),
      detail text CHECK (length(detail) BETWEEN 1 AND 200),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      -- A local cost's one-time form token; NULL for imported costs.
      form_token uuid,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (library_id, programme_id) REFERENCES unit_cost_libraries(id, programme_id),
      UNIQUE (library_id, code),
      UNIQUE (programme_id, form_token),
      UNIQUE (programme_id, id),
      CHECK ((fiscal_value IS NULL) = (fiscal_price_year IS NULL)),
      CHECK ((economic_value IS NULL) = (economic_price_year IS NULL)),
      CHECK ((social_value IS NULL) = (social_price_year IS NULL)),
      -- A programme's own cost always says where its figure comes from.
      CHECK (programme_id IS NULL OR (source IS NOT NULL AND created_by IS NOT NULL AND form_token IS NOT NULL))
    );
    CREATE INDEX unit_costs_library ON unit_costs (library_id, sheet, sheet_row);

    -- Every version of a programme's own cost, the first included, as it was saved.
    CREATE TABLE unit_cost_versions (
      programme_id uuid NOT NULL,
      unit_cost_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      code text,
      description text NOT NULL,
      unit text NOT NULL,
      agency_l1 text,
      agency_l2 text,
      fiscal_value numeric NOT NULL,
      fiscal_price_year text NOT NULL,
      source text NOT NULL,
      comment text,
      saved_by uuid NOT NULL REFERENCES users(id),
      saved_at timestamptz NOT NULL,
      PRIMARY KEY (unit_cost_id, version),
      FOREIGN KEY (programme_id, unit_cost_id) REFERENCES unit_costs(programme_id, id)
    );

    CREATE TABLE price_index_series (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid REFERENCES programmes(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      version_label text NOT NULL CHECK (length(version_label) BETWEEN 1 AND 100),
      version integer NOT NULL CHECK (version >= 1),
      basis text NOT NULL CHECK (basis IN ('financial-year', 'calendar-year')),
      -- The year whose index is 100, as published ('1989/90', '2024').
      base_year text NOT NULL CHECK (length(base_year) BETWEEN 1 AND 20),
      source text NOT NULL CHECK (length(source) BETWEEN 1 AND 1000),
      licence text CHECK (length(licence) BETWEEN 1 AND 200),
      imported_at timestamptz NOT NULL,
      imported_by uuid REFERENCES users(id),
      UNIQUE NULLS NOT DISTINCT (programme_id, name, version)
    );

    CREATE TABLE price_index_values (
      series_id uuid NOT NULL REFERENCES price_index_series(id),
      programme_id uuid REFERENCES programmes(id),
      year text NOT NULL CHECK (year ~ '^[0-9]{4}(/[0-9]{2})?$'),
      index_value numeric NOT NULL CHECK (index_value > 0),
      -- A forecast when the series was published (the Budget 2015 series from 2014/15 on).
      forecast boolean NOT NULL DEFAULT false,
      PRIMARY KEY (series_id, year)
    );
  `.execute(db);

  for (const table of ['unit_cost_libraries', 'unit_costs', 'unit_cost_versions', 'price_index_series', 'price_index_values']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }
  // The shared library and series (no programme) are read by everyone, and written by no one but the owner.
  for (const table of ['unit_cost_libraries', 'unit_costs', 'price_index_series', 'price_index_values']) {
    await sql`CREATE POLICY shared_read ON ${sql.table(table)} FOR SELECT USING (programme_id IS NULL)`.execute(db);
  }

  await sql`
    GRANT SELECT, INSERT ON unit_cost_libraries, unit_cost_versions TO alongside_app;
    GRANT SELECT, INSERT, UPDATE ON unit_costs TO alongside_app;
    GRANT SELECT ON price_index_series, price_index_values TO alongside_app;
  `.execute(db);
}
