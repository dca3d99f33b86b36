import { sql, type Kysely } from 'kysely';

/**
 * Avoided outcomes, investment and the scenarios of social return (IMPACT.md).
 *
 * An avoided outcome is part of a person's record: what was likely to happen on the same trajectory without Local
 * Area Coordination, priced with a unit cost. It keeps the cost's id and a copy of the library version and values
 * used, so a later import of the library never changes a past figure. A coordinator records it (awaiting
 * verification); a manager verifies it or returns it with a reason; only verified ones count. Every version, each
 * verification and return included, is kept beside it and never changed.
 *
 * Investment is the programme's funding by partner and financial year, corrected as versions; a deleted line is
 * kept, marked deleted, with its history. Scenarios are the programme's conservative, core and optimistic rates;
 * a scenario may give a particular cost its own rates (an eviction avoided is a one-off, support for depression
 * lasts and fades), as an SROI impact map does per outcome.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE avoided_outcomes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      unit_cost_id uuid NOT NULL REFERENCES unit_costs(id),
      -- The cost as it was when chosen: the library version and its values, never read again from the library.
      library_name text NOT NULL,
      library_version_label text NOT NULL,
      library_version integer NOT NULL,
      cost_code text,
      cost_description text NOT NULL,
      cost_unit text NOT NULL,
      cost_agency text NOT NULL,
      fiscal_value numeric CHECK (fiscal_value >= 0),
      fiscal_price_year text,
      economic_value numeric CHECK (economic_value >= 0),
      economic_price_year text,
      social_value numeric CHECK (social_value >= 0),
      social_price_year text,
      -- NULL: the agency the cost names bears it.
      agency_override text CHECK (length(agency_override) BETWEEN 1 AND 200),
      quantity numeric NOT NULL CHECK (quantity > 0),
      -- How many weeks, months or years, for a cost per period; NULL for a one-off.
      duration numeric CHECK (duration > 0),
      -- A share, 0 to 1 (the form asks for a percentage).
      likelihood numeric NOT NULL CHECK (likelihood > 0 AND likelihood <= 1),
      evidence text NOT NULL CHECK (evidence IN ('practitioner_judgement', 'agency_confirmed', 'record')),
      note text CHECK (length(note) BETWEEN 1 AND 5000),
      likely_on date NOT NULL,
      status text NOT NULL DEFAULT 'awaiting_verification' CHECK (status IN ('awaiting_verification', 'verified', 'returned')),
      returned_reason text CHECK (length(returned_reason) BETWEEN 1 AND 2000),
      reviewed_by uuid REFERENCES users(id),
      reviewed_at timestamptz,
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, form_token),
      UNIQUE (programme_id, person_id, id),
      CHECK ((status = 'returned') = (returned_reason IS NOT NULL)),
      CHECK ((fiscal_value IS NULL) = (fiscal_price_year IS NULL)),
      CHECK ((economic_value IS NULL) = (economic_price_year IS NULL)),
      CHECK ((social_value IS NULL) = (social_price_year IS NULL))
    );
    CREATE INDEX avoided_outcomes_person ON avoided_outcomes (programme_id, person_id);
    CREATE INDEX avoided_outcomes_status ON avoided_outcomes (programme_id, status);

    CREATE TABLE avoided_outcome_versions (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      avoided_outcome_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      agency_override text,
      quantity numeric NOT NULL,
      duration numeric,
      likelihood numeric NOT NULL,
      evidence text NOT NULL,
      note text,
      likely_on date NOT NULL,
      status text NOT NULL,
      returned_reason text,
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (avoided_outcome_id, version),
      FOREIGN KEY (programme_id, person_id, avoided_outcome_id) REFERENCES avoided_outcomes(programme_id, person_id, id)
    );

    CREATE TABLE investments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL REFERENCES programmes(id),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      partner text NOT NULL CHECK (partner IN ('adult_social_care', 'public_health', 'nhs', 'housing', 'police', 'other')),
      partner_name text CHECK (length(partner_name) BETWEEN 1 AND 200),
      financial_year text NOT NULL CHECK (financial_year ~ '^[0-9]{4}/[0-9]{2}$'),
      amount numeric NOT NULL CHECK (amount > 0),
      note text CHECK (length(note) BETWEEN 1 AND 2000),
      deleted_at timestamptz,
      deleted_by uuid REFERENCES users(id),
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      UNIQUE (programme_id, form_token),
      UNIQUE (programme_id, id),
      CHECK ((partner = 'other') = (partner_name IS NOT NULL)),
      CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
    );

    CREATE TABLE investment_versions (
      programme_id uuid NOT NULL,
      investment_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      partner text NOT NULL,
      partner_name text,
      financial_year text NOT NULL,
      amount numeric NOT NULL,
      note text,
      deleted boolean NOT NULL DEFAULT false,
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (investment_id, version),
      FOREIGN KEY (programme_id, investment_id) REFERENCES investments(programme_id, id)
    );

    CREATE TABLE impact_scenarios (
      programme_id uuid NOT NULL REFERENCES programmes(id),
      kind text NOT NULL CHECK (kind IN ('conservative', 'core', 'optimistic')),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      deadweight numeric NOT NULL CHECK (deadweight >= 0 AND deadweight <= 1),
      displacement numeric NOT NULL CHECK (displacement >= 0 AND displacement <= 1),
      attribution numeric NOT NULL CHECK (attribution >= 0 AND attribution <= 1),
      drop_off numeric NOT NULL CHECK (drop_off >= 0 AND drop_off <= 1),
      years integer NOT NULL CHECK (years BETWEEN 1 AND 30),
      discount_rate numeric NOT NULL CHECK (discount_rate >= 0 AND discount_rate <= 1),
      discount_first_year boolean NOT NULL,
      use_likelihood boolean NOT NULL,
      basis text NOT NULL CHECK (length(basis) BETWEEN 1 AND 2000),
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (programme_id, kind)
    );

    -- A scenario's own rates for one cost, in place of its general ones.
    CREATE TABLE impact_scenario_cost_rates (
      programme_id uuid NOT NULL,
      kind text NOT NULL,
      unit_cost_id uuid NOT NULL REFERENCES unit_costs(id),
      deadweight numeric NOT NULL CHECK (deadweight >= 0 AND deadweight <= 1),
      displacement numeric NOT NULL CHECK (displacement >= 0 AND displacement <= 1),
      attribution numeric NOT NULL CHECK (attribution >= 0 AND attribution <= 1),
      drop_off numeric NOT NULL CHECK (drop_off >= 0 AND drop_off <= 1),
      years integer NOT NULL CHECK (years BETWEEN 1 AND 30),
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (programme_id, kind, unit_cost_id),
      FOREIGN KEY (programme_id, kind) REFERENCES impact_scenarios(programme_id, kind)
    );
  `.execute(db);

  for (const table of ['avoided_outcomes', 'avoided_outcome_versions', 'investments', 'investment_versions', 'impact_scenarios', 'impact_scenario_cost_rates']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // Evidence is only added to: a record changes by a new version, and nothing is deleted but a scenario's own rate.
  await sql`
    GRANT SELECT, INSERT, UPDATE ON avoided_outcomes, investments, impact_scenarios TO alongside_app;
    GRANT SELECT, INSERT ON avoided_outcome_versions, investment_versions TO alongside_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON impact_scenario_cost_rates TO alongside_app;
  `.execute(db);
}
