import type { Tx } from '../db/transaction.ts';

export async function selectUserByEmail(tx: Tx, email: string) {
  return tx
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash', 'disabled_at'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/** The user's memberships that are still usable: the account enabled, the programme there. */
export async function selectMemberships(tx: Tx, userId: string) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('programmes as p', 'p.id', 'm.programme_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.programme_id', 'm.role', 'p.name as programme_name', 'p.council'])
    .where('m.user_id', '=', userId)
    .where('u.disabled_at', 'is', null)
    .orderBy('p.name')
    .execute();
}

/** Everything a request needs to know about who is signed in, in one round trip. */
export async function selectSignedInUser(tx: Tx, userId: string, programmeId: string) {
  return tx
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('programmes as p', 'p.id', 'm.programme_id')
    .select((eb) => [
      'u.id',
      'u.name',
      'u.email',
      'm.role',
      'p.id as programme_id',
      'p.name as programme_name',
      'p.council',
      'p.brand_colour',
      eb
        .selectFrom('coordinator_areas as ca')
        .select((eb2) => eb2.fn.coalesce(eb2.fn.agg<string[]>('array_agg', ['ca.area_id']), eb2.val<string[]>([])).as('ids'))
        .whereRef('ca.user_id', '=', 'u.id')
        .whereRef('ca.programme_id', '=', 'p.id')
        .as('area_ids'),
    ])
    .where('u.id', '=', userId)
    .where('p.id', '=', programmeId)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}


export async function selectSignInFailures(tx: Tx, email: string) {
  return tx.selectFrom('sign_in_failures').select(['failures', 'last_failure_at']).where('email', '=', email).executeTakeFirst();
}

export async function upsertSignInFailure(tx: Tx, email: string, at: Date, windowStart: Date): Promise<void> {
  await tx
    .insertInto('sign_in_failures')
    .values({ email, failures: 1, last_failure_at: at })
    .onConflict((oc) =>
      oc.column('email').doUpdateSet((eb) => ({
        // Failures older than the window no longer count: start again from one.
        failures: eb
          .case()
          .when('sign_in_failures.last_failure_at', '<', windowStart)
          .then(1)
          .else(eb('sign_in_failures.failures', '+', 1))
          .end(),
        last_failure_at: at,
      })),
    )
    .execute();
}

export async function deleteSignInFailures(tx: Tx, email: string): Promise<void> {
  await tx.deleteFrom('sign_in_failures').where('email', '=', email).execute();
}

export async function selectSession(tx: Tx, sid: string, now: Date) {
  return tx.selectFrom('sessions').select(['data']).where('sid', '=', sid).where('expires_at', '>', now).executeTakeFirst();
}

export async function upsertSession(tx: Tx, sid: string, userId: string | null, data: string, expiresAt: Date): Promise<void> {
  await tx
    .insertInto('sessions')
    .values({ sid, user_id: userId, data, expires_at: expiresAt })
    .onConflict((oc) => oc.column('sid').doUpdateSet({ user_id: userId, data, expires_at: expiresAt }))
    .execute();
}

export async function deleteSession(tx: Tx, sid: string): Promise<void> {
  await tx.deleteFrom('sessions').where('sid', '=', sid).execute();
}

export async function deleteSessionsOfUser(tx: Tx, userId: string): Promise<number> {
  const result = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(tx: Tx, now: Date): Promise<void> {
  await tx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
