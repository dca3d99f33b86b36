import { sql } from 'kysely';
import type { Role } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/transaction.ts';

export async function selectAreas(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('areas')
    .select(['id', 'name', 'population', 'postcode_districts'])
    .where('programme_id', '=', programmeId)
    .orderBy('name')
    .execute();
}

export async function selectArea(tx: Tx, programmeId: string, areaId: string) {
  return tx
    .selectFrom('areas')
    .select(['id', 'name', 'population', 'postcode_districts'])
    .where('programme_id', '=', programmeId)
    .where('id', '=', areaId)
    .executeTakeFirst();
}

/** Which of these ids are neighbourhoods of the programme. */
export async function selectAreaIdsIn(tx: Tx, programmeId: string, areaIds: readonly string[]): Promise<string[]> {
  if (areaIds.length === 0) return [];
  const rows = await tx.selectFrom('areas').select('id').where('programme_id', '=', programmeId).where('id', 'in', areaIds).execute();
  return rows.map((r) => r.id);
}

/** A neighbourhood of the programme with this name, ignoring capitals (other than `exceptId`, the one being edited). */
export async function selectAreaIdByName(tx: Tx, programmeId: string, name: string, exceptId: string | null) {
  let query = tx
    .selectFrom('areas')
    .select('id')
    .where('programme_id', '=', programmeId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  const row = await query.executeTakeFirst();
  return row?.id;
}

export interface AreaRow {
  programmeId: string;
  name: string;
  population: number | null;
  postcodeDistricts: string[];
  at: Date;
}

export async function insertArea(tx: Tx, row: AreaRow): Promise<string> {
  const { id } = await tx
    .insertInto('areas')
    .values({
      programme_id: row.programmeId,
      name: row.name,
      population: row.population,
      postcode_districts: row.postcodeDistricts,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateArea(tx: Tx, areaId: string, row: Omit<AreaRow, 'at'>): Promise<number> {
  const result = await tx
    .updateTable('areas')
    .set({ name: row.name, population: row.population, postcode_districts: row.postcodeDistricts })
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', areaId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many accounts belong to the programme, and how many of them are disabled. */
export async function countMembers(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select((eb) => [
      eb.fn.countAll<string>().as('members'),
      eb.fn.count<string>('u.disabled_at').as('disabled'),
    ])
    .where('m.programme_id', '=', programmeId)
    .executeTakeFirstOrThrow();
}

export async function countAreas(tx: Tx, programmeId: string) {
  const row = await tx
    .selectFrom('areas')
    .select((eb) => eb.fn.countAll<string>().as('areas'))
    .where('programme_id', '=', programmeId)
    .executeTakeFirstOrThrow();
  return Number(row.areas);
}

/**
 * The users of the programme. The users table is shared by every programme and has no row-level security, so
 * the membership join is what keeps another programme's accounts out.
 */
export async function selectMembers(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.disabled_at', 'm.role'])
    .where('m.programme_id', '=', programmeId)
    .orderBy('u.name')
    .orderBy('u.email')
    .execute();
}

export async function selectMember(tx: Tx, programmeId: string, userId: string) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.disabled_at', 'm.role'])
    .where('m.programme_id', '=', programmeId)
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

/**
 * Coordinators of the programme and the neighbourhoods they work in, one row per pairing (one coordinator's,
 * given `userId`). Rows left behind for someone who is no longer a coordinator do not count.
 */
export async function selectCoordinatorAreas(tx: Tx, programmeId: string, userId: string | null = null) {
  let query = tx
    .selectFrom('coordinator_areas as ca')
    .innerJoin('areas as a', (join) => join.onRef('a.id', '=', 'ca.area_id').onRef('a.programme_id', '=', 'ca.programme_id'))
    .innerJoin('memberships as m', (join) => join.onRef('m.user_id', '=', 'ca.user_id').onRef('m.programme_id', '=', 'ca.programme_id'))
    .innerJoin('users as u', 'u.id', 'ca.user_id')
    .select(['ca.user_id', 'ca.area_id', 'a.name as area_name', 'u.name as coordinator_name'])
    .where('ca.programme_id', '=', programmeId)
    .where('m.role', '=', 'coordinator')
    .orderBy('a.name')
    .orderBy('u.name');
  if (userId !== null) query = query.where('ca.user_id', '=', userId);
  return query.execute();
}

/** An account by email, whichever programmes it belongs to, with its role here if it has one. */
export async function selectAccountByEmail(tx: Tx, programmeId: string, email: string) {
  return tx
    .selectFrom('users as u')
    .leftJoin('memberships as m', (join) => join.onRef('m.user_id', '=', 'u.id').on('m.programme_id', '=', programmeId))
    .select(['u.id', 'm.role'])
    .where('u.email', '=', email)
    .executeTakeFirst();
}

export interface NewUserRow {
  email: string;
  name: string;
  passwordHash: string;
  at: Date;
}

export async function insertUser(tx: Tx, row: NewUserRow): Promise<string> {
  const { id } = await tx
    .insertInto('users')
    .values({ email: row.email, name: row.name, password_hash: row.passwordHash, created_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertMembership(tx: Tx, programmeId: string, userId: string, role: Role, at: Date): Promise<void> {
  await tx.insertInto('memberships').values({ user_id: userId, programme_id: programmeId, role, created_at: at }).execute();
}

export async function updateMembershipRole(tx: Tx, programmeId: string, userId: string, role: Role): Promise<void> {
  await tx.updateTable('memberships').set({ role }).where('programme_id', '=', programmeId).where('user_id', '=', userId).execute();
}

/** Makes the coordinator's neighbourhoods in this programme exactly these. */
export async function replaceCoordinatorAreas(tx: Tx, programmeId: string, userId: string, areaIds: readonly string[]): Promise<void> {
  await tx.deleteFrom('coordinator_areas').where('programme_id', '=', programmeId).where('user_id', '=', userId).execute();
  if (areaIds.length === 0) return;
  await tx
    .insertInto('coordinator_areas')
    .values(areaIds.map((areaId) => ({ user_id: userId, programme_id: programmeId, area_id: areaId })))
    .execute();
}

/**
 * Disables (a date) or enables (null) an account. Only an account that belongs to the programme is touched,
 * whatever id is passed: users has no row-level security to fall back on.
 */
export async function updateUserDisabledAt(tx: Tx, programmeId: string, userId: string, disabledAt: Date | null): Promise<number> {
  const result = await tx
    .updateTable('users')
    .set({ disabled_at: disabledAt })
    .where('id', '=', userId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships as m')
          .select('m.user_id')
          .whereRef('m.user_id', '=', 'users.id')
          .where('m.programme_id', '=', programmeId),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
