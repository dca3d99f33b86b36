import { sql } from 'kysely';
import type { PersonStatus } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/transaction.ts';

/** The programme's coordinators, with the neighbourhoods each works in, by name. */
export async function selectCoordinators(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select((eb) => [
      'u.id',
      'u.name',
      eb
        .selectFrom('coordinator_areas as ca')
        .innerJoin('areas as a', 'a.id', 'ca.area_id')
        .select(sql<string>`string_agg(a.name, ', ' ORDER BY a.name)`.as('areas'))
        .whereRef('ca.user_id', '=', 'u.id')
        .where('ca.programme_id', '=', programmeId)
        .as('areas'),
    ])
    .where('m.programme_id', '=', programmeId)
    .where('m.role', '=', 'coordinator')
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
}

/** How many people each coordinator (or none) has in each status. */
export async function selectStatusMix(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('people')
    .select((eb) => ['coordinator_id', 'status', eb.fn.countAll<string>().as('people')])
    .where('programme_id', '=', programmeId)
    .groupBy(['coordinator_id', 'status'])
    .execute();
}

/** Everyone not moved on, with what the manager's lists show of them. */
export async function selectPeopleInTouch(tx: Tx, programmeId: string, statuses: readonly PersonStatus[]) {
  return tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .leftJoin('users as c', 'c.id', 'p.coordinator_id')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.status',
      'p.coordinator_id',
      'a.name as area_name',
      'c.name as coordinator_name',
      eb
        .selectFrom('introductions as i')
        .select((eb2) => eb2.fn.max('i.introduced_on').as('d'))
        .whereRef('i.person_id', '=', 'p.id')
        .as('last_introduced_on'),
    ])
    .where('p.programme_id', '=', programmeId)
    .where('p.status', 'in', [...statuses])
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}
