import type { Tx } from '../../core/db/transaction.ts';

/** People the user may see in the caseload: a coordinator's areas, or (areaIds null) the whole programme. */
export async function selectCaseload(tx: Tx, programmeId: string, areaIds: readonly string[] | null) {
  let query = tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.status',
      'p.created_at',
      'a.name as area_name',
      eb
        .selectFrom('introductions as i')
        .select((eb2) => eb2.fn.max('i.introduced_on').as('d'))
        .whereRef('i.person_id', '=', 'p.id')
        .as('last_introduced_on'),
    ])
    .where('p.programme_id', '=', programmeId)
    .orderBy('p.name')
    .orderBy('p.id');
  if (areaIds !== null) {
    if (areaIds.length === 0) return [];
    query = query.where('p.area_id', 'in', areaIds);
  }
  return query.limit(1000).execute();
}

export async function selectPerson(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .leftJoin('users as c', 'c.id', 'p.coordinator_id')
    .select([
      'p.id',
      'p.programme_id',
      'p.area_id',
      'p.name',
      'p.status',
      'p.version',
      'p.created_at',
      'p.updated_at',
      'a.name as area_name',
      'c.name as coordinator_name',
    ])
    .where('p.programme_id', '=', programmeId)
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

export async function selectIntroductions(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('introductions as i')
    .innerJoin('users as u', 'u.id', 'i.recorded_by')
    .select([
      'i.id',
      'i.introduced_by',
      'i.introducer_name',
      'i.introducer_organisation',
      'i.introduced_on',
      'i.what_they_would_like_to_change',
      'i.created_at',
      'u.name as recorded_by_name',
    ])
    .where('i.programme_id', '=', programmeId)
    .where('i.person_id', '=', personId)
    .orderBy('i.introduced_on', 'desc')
    .orderBy('i.created_at', 'desc')
    .execute();
}

export async function selectPersonIdByFormToken(tx: Tx, programmeId: string, formToken: string) {
  const row = await tx
    .selectFrom('introductions')
    .select('person_id')
    .where('programme_id', '=', programmeId)
    .where('form_token', '=', formToken)
    .executeTakeFirst();
  return row?.person_id;
}

export interface NewPersonRow {
  programmeId: string;
  areaId: string;
  name: string;
  coordinatorId: string | null;
  at: Date;
}

export async function insertPerson(tx: Tx, row: NewPersonRow): Promise<string> {
  const { id } = await tx
    .insertInto('people')
    .values({
      programme_id: row.programmeId,
      area_id: row.areaId,
      name: row.name,
      coordinator_id: row.coordinatorId,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface NewIntroductionRow {
  programmeId: string;
  personId: string;
  introducedBy: string;
  introducerName: string | null;
  introducerOrganisation: string | null;
  introducedOn: string;
  whatTheyWouldLikeToChange: string;
  recordedBy: string;
  formToken: string;
  at: Date;
}

export async function insertIntroduction(tx: Tx, row: NewIntroductionRow): Promise<string> {
  const { id } = await tx
    .insertInto('introductions')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      introduced_by: row.introducedBy,
      introducer_name: row.introducerName,
      introducer_organisation: row.introducerOrganisation,
      introduced_on: row.introducedOn,
      what_they_would_like_to_change: row.whatTheyWouldLikeToChange,
      recorded_by: row.recordedBy,
      form_token: row.formToken,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
