import type { Tx } from '../../core/db/transaction.ts';

export async function selectAreas(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('areas')
    .select(['id', 'name', 'population', 'postcode_districts'])
    .where('programme_id', '=', programmeId)
    .orderBy('name')
    .execute();
}
