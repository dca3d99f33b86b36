import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { BarrierService, BarrierStatus } from './tables.ts';

const barrierColumns = [
  'b.id',
  'b.summary',
  'b.what_happened as whatHappened',
  'b.services',
  'b.other_services as otherServices',
  'b.raised_with_leadership_on as raisedWithLeadershipOn',
  'b.response',
  'b.status',
  'b.version',
  'b.created_at as createdAt',
  'b.updated_at as updatedAt',
  'c.name as createdByName',
  'u.name as updatedByName',
] as const;

/** Every barrier, the most recently recorded first, with how many people the log links to it. */
export async function selectBarriers(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('system_barriers as b')
    .innerJoin('users as c', 'c.id', 'b.created_by')
    .innerJoin('users as u', 'u.id', 'b.updated_by')
    .select((eb) => [
      ...barrierColumns,
      eb
        .selectFrom('system_barrier_people as bp')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('bp.barrier_id', '=', 'b.id')
        .as('people'),
    ])
    .where('b.programme_id', '=', programmeId)
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id')
    .execute();
}

export async function selectBarrier(tx: Tx, programmeId: string, barrierId: string) {
  return tx
    .selectFrom('system_barriers as b')
    .innerJoin('users as c', 'c.id', 'b.created_by')
    .innerJoin('users as u', 'u.id', 'b.updated_by')
    .select(barrierColumns)
    .where('b.programme_id', '=', programmeId)
    .where('b.id', '=', barrierId)
    .executeTakeFirst();
}

export function selectBarrierIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'system_barriers', { programmeId, formToken });
}

/** What the barrier form writes. */
export interface BarrierContent {
  summary: string;
  whatHappened: string;
  services: BarrierService[];
  otherServices: string | null;
  raisedWithLeadershipOn: string | null;
  response: string | null;
}

function contentColumns(c: BarrierContent) {
  return {
    summary: c.summary,
    what_happened: c.whatHappened,
    services: c.services,
    other_services: c.otherServices,
    raised_with_leadership_on: c.raisedWithLeadershipOn,
    response: c.response,
  };
}

/** A new barrier, raised, with that first status kept in its history. */
export async function insertBarrier(tx: Tx, row: { programmeId: string; content: BarrierContent; formToken: string; by: string; at: Date }): Promise<string> {
  const { id } = await tx
    .insertInto('system_barriers')
    .values({
      programme_id: row.programmeId,
      ...contentColumns(row.content),
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertStatusChange(tx, { programmeId: row.programmeId, barrierId: id, from: null, to: 'raised', note: null, by: row.by, at: row.at });
  return id;
}

/** Saves the barrier if nobody saved since `expectedVersion`; false (and nothing written) when someone did. */
export async function updateBarrier(
  tx: Tx,
  row: { programmeId: string; barrierId: string; expectedVersion: number; content: BarrierContent; status: BarrierStatus; by: string; at: Date },
): Promise<boolean> {
  const updated = await tx
    .updateTable('system_barriers')
    .set((eb) => ({ ...contentColumns(row.content), status: row.status, version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.barrierId)
    .where('version', '=', row.expectedVersion)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function insertStatusChange(
  tx: Tx,
  row: { programmeId: string; barrierId: string; from: BarrierStatus | null; to: BarrierStatus; note: string | null; by: string; at: Date },
): Promise<void> {
  await tx
    .insertInto('system_barrier_status_changes')
    .values({
      programme_id: row.programmeId,
      barrier_id: row.barrierId,
      from_status: row.from,
      to_status: row.to,
      note: row.note,
      changed_by: row.by,
      changed_at: row.at,
    })
    .execute();
}

/** Every status the barrier has had, the latest first. */
export async function selectStatusChanges(tx: Tx, programmeId: string, barrierId: string) {
  return tx
    .selectFrom('system_barrier_status_changes as s')
    .innerJoin('users as u', 'u.id', 's.changed_by')
    .select(['s.id', 's.from_status as fromStatus', 's.to_status as toStatus', 's.note', 's.changed_at as changedAt', 'u.name as changedByName'])
    .where('s.programme_id', '=', programmeId)
    .where('s.barrier_id', '=', barrierId)
    .orderBy('s.seq', 'desc')
    .execute();
}

/** The people linked to a barrier, by name, with where they live (to decide who may see them). */
export async function selectBarrierPeople(tx: Tx, programmeId: string, barrierId: string) {
  return tx
    .selectFrom('system_barrier_people as bp')
    .innerJoin('people as p', 'p.id', 'bp.person_id')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .leftJoin('users as c', 'c.id', 'p.coordinator_id')
    .select(['p.id', 'p.name', 'p.area_id as areaId', 'a.name as areaName', 'c.name as coordinatorName', 'bp.linked_at as linkedAt'])
    .where('bp.programme_id', '=', programmeId)
    .where('bp.barrier_id', '=', barrierId)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}

/** Links a person to a barrier; linking them again changes nothing. */
export async function insertBarrierPerson(tx: Tx, row: { programmeId: string; barrierId: string; personId: string; by: string; at: Date }): Promise<void> {
  await tx
    .insertInto('system_barrier_people')
    .values({ programme_id: row.programmeId, barrier_id: row.barrierId, person_id: row.personId, linked_by: row.by, linked_at: row.at })
    .onConflict((oc) => oc.columns(['barrier_id', 'person_id']).doNothing())
    .execute();
}

export async function deleteBarrierPerson(tx: Tx, programmeId: string, barrierId: string, personId: string): Promise<boolean> {
  const deleted = await tx
    .deleteFrom('system_barrier_people')
    .where('programme_id', '=', programmeId)
    .where('barrier_id', '=', barrierId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}

