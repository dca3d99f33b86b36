import { randomUUID } from 'node:crypto';
import type { Db } from '../src/core/db/database.ts';

/**
 * Records of the community side of the work (offers and asks, schemes, the capacity ledger, the barrier log), put
 * straight into the database as the owner, as a seed would: for the authorization matrix and the modules' tests.
 */

const AT = new Date('2026-10-01T10:00:00Z');

/** A community asset, where its location may matter (a postcode from the postcodes table, or its own point). */
export async function addAsset(
  db: Db,
  row: { programmeId: string; areaId: string; by: string; name: string; postcode?: string; latitude?: number; longitude?: number; closedOn?: string },
): Promise<string> {
  const { id } = await db
    .insertInto('community_assets')
    .values({
      programme_id: row.programmeId,
      area_id: row.areaId,
      category: 'association',
      name: row.name,
      description: `${row.name}, for the tests`,
      postcode: row.postcode ?? null,
      latitude: row.latitude ?? null,
      longitude: row.longitude ?? null,
      closed_on: row.closedOn ?? null,
      form_token: randomUUID(),
      created_by: row.by,
      updated_by: row.by,
      created_at: AT,
      updated_at: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A postcode with its location, as an admin's import would leave it. */
export async function addPostcode(db: Db, postcode: string, latitude: number, longitude: number): Promise<void> {
  await db
    .insertInto('postcodes')
    .values({ postcode, latitude, longitude, source: 'tests', imported_at: AT })
    .onConflict((oc) => oc.column('postcode').doNothing())
    .execute();
}

/** One of each record, in `areaId`, with `assetId`'s offer: the matrix names them in its paths. */
export async function addCommunityWorkFixtures(db: Db, row: { programmeId: string; areaId: string; assetId: string; by: string }) {
  const made = { programme_id: row.programmeId, form_token: randomUUID(), created_by: row.by, created_at: AT };
  const changed = { updated_by: row.by, updated_at: AT };
  const offer = await db
    .insertInto('offers_and_asks')
    .values({ ...made, ...changed, kind: 'offer', asset_id: row.assetId, category: 'space', what: 'A room on Tuesday mornings', area_id: row.areaId, available_from: '2026-10-01' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const scheme = await db
    .insertInto('offer_schemes')
    .values({ ...made, form_token: randomUUID(), name: 'Matrix gardens', category: 'space' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const initiative = await db
    .insertInto('capacity_initiatives')
    .values({ ...made, ...changed, form_token: randomUUID(), area_id: row.areaId, name: 'Matrix street', how_helped: 'started', started_on: '2026-09-01', people_involved: 9 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const barrier = await db
    .insertInto('system_barriers')
    .values({ ...made, ...changed, form_token: randomUUID(), summary: 'Matrix barrier', what_happened: 'A form nobody could fill in', services: ['housing'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { assetOffer: offer.id, scheme: scheme.id, initiative: initiative.id, barrier: barrier.id };
}
