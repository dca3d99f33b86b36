import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../src/core/db/database.ts';

/** Ids of the seeded programmes' records, looked up by the names the seed gave them. */
export async function idsOf(db: Db) {
  const programme = async (name: string) =>
    (await db.selectFrom('programmes').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const area = async (name: string, programmeId: string) =>
    (await db.selectFrom('areas').select('id').where('name', '=', name).where('programme_id', '=', programmeId).executeTakeFirstOrThrow()).id;
  const user = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const brookfield = await programme('Brookfield Local Area Coordination');
  const eastmoor = await programme('Eastmoor Local Area Coordination');
  return {
    brookfield,
    eastmoor,
    marshEnd: await area('Marsh End', brookfield),
    hollinsPark: await area('Hollins Park', brookfield),
    eastmoorMarshEnd: await area('Marsh End', eastmoor),
    user,
  };
}

/** Puts a person straight into the database (as the owner, as a seed would), with one introduction. */
export async function addPerson(db: Db, programmeId: string, areaId: string, name: string, recordedBy: string): Promise<string> {
  const at = new Date('2026-10-01T10:00:00Z');
  const { id } = await db
    .insertInto('people')
    .values({ programme_id: programmeId, area_id: areaId, name, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('introductions')
    .values({
      programme_id: programmeId,
      person_id: id,
      introduced_by: 'neighbour',
      introduced_on: '2026-10-01',
      what_they_would_like_to_change: 'To feel part of the street again',
      recorded_by: recordedBy,
      form_token: randomUUID(),
      created_at: at,
    })
    .execute();
  return id;
}

export async function countRows(db: Db, table: 'audit_events' | 'people' | 'introductions' | 'sessions'): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A mark in the audit trail: rows written after it are the ones a test caused. Marks by the newest id rather than
 * by a count of rows, because a rolled-back transaction (a raced double submission) uses up identity values.
 */
export async function auditMark(db: Db): Promise<string> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return row?.id ?? '0';
}

export async function auditSince(db: Db, mark: string) {
  return db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'record_type', 'record_id', 'actor_user_id', 'programme_id', 'detail'])
    .where('id', '>', mark)
    .orderBy('id')
    .execute();
}

/** One of a programme's own unit costs, in its local library (made if need be), as the owner writes it. */
export async function addLocalUnitCost(db: Db, programmeId: string, by: string, description = 'Adult social care assessment'): Promise<string> {
  const at = new Date('2026-10-01T10:00:00Z');
  const library =
    (await db.selectFrom('unit_cost_libraries').select('id').where('programme_id', '=', programmeId).executeTakeFirst()) ??
    (await db
      .insertInto('unit_cost_libraries')
      .values({ programme_id: programmeId, name: 'Local costs', version_label: 'Local', version: 1, source: 'Added by the programme', imported_at: at, imported_by: by })
      .returning('id')
      .executeTakeFirstOrThrow());
  const { id } = await db
    .insertInto('unit_costs')
    .values({
      programme_id: programmeId,
      library_id: library.id,
      description,
      unit: 'Per assessment',
      agency_l1: 'Local authority',
      fiscal_value: '510.00',
      fiscal_price_year: '2015/16',
      source: 'The council’s adult social care finance team',
      form_token: randomUUID(),
      created_by: by,
      created_at: at,
      updated_by: by,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
