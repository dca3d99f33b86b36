import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/database.ts';
import type { OpenDatabase } from './database.ts';
import { inTransaction } from './transaction.ts';

let open: OpenDatabase;

before(async () => {
  open = await testDatabase();
});
after(async () => {
  await open.close();
});

/** Whether a moment falls before a date's midnight, as a request's queries see it. */
async function isBefore(moment: string, day: string): Promise<boolean> {
  return inTransaction(open.db, { programmeId: null, userId: null }, async (tx) => {
    const { rows } = await sql<{ before: boolean }>`SELECT ${moment}::timestamptz < ${day}::date AS before`.execute(tx);
    return rows[0]?.before ?? assert.fail('no answer');
  });
}

test('a day starts at midnight in London, summer time or not: "saved by the end of September" means UK time', async () => {
  // 23:30 UTC on 30 September is 00:30 on 1 October in London (summer time): after September has ended.
  assert.equal(await isBefore('2026-09-30T23:30:00Z', '2026-10-01'), false);
  assert.equal(await isBefore('2026-09-30T22:30:00Z', '2026-10-01'), true);
  // In winter London is on UTC.
  assert.equal(await isBefore('2026-11-30T23:30:00Z', '2026-12-01'), true);
});
