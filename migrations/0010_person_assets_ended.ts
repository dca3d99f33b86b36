import { sql, type Kysely } from 'kysely';

/**
 * When a person stops going to a community asset, who recorded it and when: the timeline says who wrote each thing,
 * and the day it ended alone cannot order two things recorded on one day. An ended link always says both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE person_assets
      ADD COLUMN ended_by uuid REFERENCES users(id),
      ADD COLUMN ended_at timestamptz,
      ADD CONSTRAINT person_assets_ended_recorded CHECK ((ended_on IS NULL) = (ended_by IS NULL) AND (ended_on IS NULL) = (ended_at IS NULL));
  `.execute(db);
}
