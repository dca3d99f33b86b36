import { sql, type Kysely } from 'kysely';

/**
 * Outcomes people report, and the services they used before and after meeting their coordinator.
 *
 * A check-in is one sitting (getting to know, a review, moving on) with the ONS4 wellbeing questions, the ONS direct
 * loneliness question, the three-item UCLA scale and the Local Area Coordination domains (each 0 to 10). Every
 * answer may be left blank (NULL, not asked) or declined: a declined question is named in `declined` and has no
 * value, so "prefer not to say" is never mistaken for a gap. A service-use period counts, for one span of dates
 * before or since the coordinator met the person, each kind of service use with how it is known.
 *
 * Both are corrected as versions: the row holds the version in force, every version (the first included) is kept
 * in a versions table with what was saved, as it was saved.
 */

const SCALE_COLUMNS = [
  'life_satisfaction',
  'worthwhile',
  'happiness',
  'anxiety',
  'lac_relationships',
  'lac_confidence',
  'lac_health',
  'lac_community',
  'lac_contributing',
  'lac_daily_life',
];
const UCLA_COLUMNS = ['ucla_companionship', 'ucla_left_out', 'ucla_isolated'];
const QUESTION_KEYS = [
  'lifeSatisfaction',
  'worthwhile',
  'happiness',
  'anxiety',
  'lacRelationships',
  'lacConfidence',
  'lacHealth',
  'lacCommunity',
  'lacContributing',
  'lacDailyLife',
  'lonely',
  'uclaCompanionship',
  'uclaLeftOut',
  'uclaIsolated',
];
const SERVICE_COLUMNS = ['gp', 'ae', 'ambulance', 'hospital_stays', 'hospital_nights', 'police', 'safeguarding', 'eviction'];

const keyOf = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

export async function up(db: Kysely<unknown>): Promise<void> {
  const answerColumns = [
    ...SCALE_COLUMNS.map((c) => `${c} smallint CHECK (${c} BETWEEN 0 AND 10)`),
    `lonely text CHECK (lonely IN ('often_always', 'some_of_the_time', 'occasionally', 'hardly_ever', 'never'))`,
    ...UCLA_COLUMNS.map((c) => `${c} smallint CHECK (${c} BETWEEN 1 AND 3)`),
    `declined text[] NOT NULL DEFAULT '{}' CHECK (declined <@ ARRAY[${QUESTION_KEYS.map((k) => `'${k}'`).join(', ')}]::text[])`,
  ];
  // A declined question has no answer.
  const declinedHasNoValue = [...SCALE_COLUMNS, 'lonely', ...UCLA_COLUMNS].map((c) => `CHECK (${c} IS NULL OR NOT ('${keyOf(c)}' = ANY (declined)))`);
  const countColumns = SERVICE_COLUMNS.flatMap((c) => [
    `${c} integer CHECK (${c} BETWEEN 0 AND 10000)`,
    `${c}_source text CHECK (${c}_source IN ('known', 'self_reported'))`,
  ]);
  // A count says how it is known, and only a count does.
  const countHasSource = SERVICE_COLUMNS.map((c) => `CHECK ((${c} IS NULL) = (${c}_source IS NULL))`);

  await sql`
    CREATE TABLE outcome_check_ins (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      occasion text NOT NULL CHECK (occasion IN ('baseline', 'review', 'moving_on')),
      checked_on date NOT NULL,
      recorded_by_name text NOT NULL CHECK (length(recorded_by_name) BETWEEN 1 AND 200),
      ${sql.raw(answerColumns.join(',\n      '))},
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, form_token),
      UNIQUE (programme_id, person_id, id),
      ${sql.raw(declinedHasNoValue.join(',\n      '))}
    );
    CREATE INDEX outcome_check_ins_person ON outcome_check_ins (programme_id, person_id, checked_on);

    CREATE TABLE outcome_check_in_versions (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      check_in_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      -- What was saved, as the service wrote it: occasion, date, who recorded it and every answer.
      saved jsonb NOT NULL,
      saved_by uuid NOT NULL REFERENCES users(id),
      saved_at timestamptz NOT NULL,
      PRIMARY KEY (check_in_id, version),
      FOREIGN KEY (programme_id, person_id, check_in_id) REFERENCES outcome_check_ins(programme_id, person_id, id)
    );

    CREATE TABLE service_use_periods (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      side text NOT NULL CHECK (side IN ('before', 'after')),
      from_on date NOT NULL,
      to_on date NOT NULL,
      description text CHECK (length(description) BETWEEN 1 AND 200),
      ${sql.raw(countColumns.join(',\n      '))},
      form_token uuid NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL,
      FOREIGN KEY (programme_id, person_id) REFERENCES people(programme_id, id),
      UNIQUE (programme_id, person_id, form_token),
      UNIQUE (programme_id, person_id, id),
      CHECK (to_on >= from_on),
      ${sql.raw(countHasSource.join(',\n      '))}
    );
    CREATE INDEX service_use_periods_person ON service_use_periods (programme_id, person_id, side, to_on);

    CREATE TABLE service_use_period_versions (
      programme_id uuid NOT NULL,
      person_id uuid NOT NULL,
      period_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      saved jsonb NOT NULL,
      saved_by uuid NOT NULL REFERENCES users(id),
      saved_at timestamptz NOT NULL,
      PRIMARY KEY (period_id, version),
      FOREIGN KEY (programme_id, person_id, period_id) REFERENCES service_use_periods(programme_id, person_id, id)
    );
  `.execute(db);

  for (const table of ['outcome_check_ins', 'outcome_check_in_versions', 'service_use_periods', 'service_use_period_versions']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY programme_isolation ON ${sql.table(table)}
        USING (programme_id = current_programme_id())
        WITH CHECK (programme_id = current_programme_id());
    `.execute(db);
  }

  // What people said is evidence: versions are only ever added, and a record changes only with a new version.
  const checkInChangeable = ['version', 'occasion', 'checked_on', 'recorded_by_name', ...SCALE_COLUMNS, 'lonely', ...UCLA_COLUMNS, 'declined', 'updated_by', 'updated_at'];
  const periodChangeable = ['version', 'side', 'from_on', 'to_on', 'description', ...SERVICE_COLUMNS.flatMap((c) => [c, `${c}_source`]), 'updated_by', 'updated_at'];
  await sql`
    GRANT SELECT, INSERT ON outcome_check_ins, service_use_periods, outcome_check_in_versions, service_use_period_versions TO alongside_app;
    GRANT UPDATE (${sql.raw(checkInChangeable.join(', '))}) ON outcome_check_ins TO alongside_app;
    GRANT UPDATE (${sql.raw(periodChangeable.join(', '))}) ON service_use_periods TO alongside_app;
  `.execute(db);
}
