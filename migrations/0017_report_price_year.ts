import { sql, type Kysely } from 'kysely';

/**
 * The price year a programme reports its figures in (cost avoided, social return, the Leadership Group's report). A
 * financial year, checked for its shape here and against the deflator series where it is chosen. 2015/16 by
 * default: the year the Unit Cost Database and the published rate card are priced in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE programmes
      ADD COLUMN report_price_year text NOT NULL DEFAULT '2015/16' CHECK (report_price_year ~ '^[0-9]{4}/[0-9]{2}$');
    GRANT UPDATE (report_price_year) ON programmes TO alongside_app;
  `.execute(db);
}
