/** True when PostgreSQL refused a write because it broke a unique constraint (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/**
 * Runs `work`, and once more if it lost a race on a unique constraint. Two submissions of one form (a double click,
 * a retry on a poor connection, two people at once) can both pass their checks before either writes; the loser then
 * breaks a unique key (a one-time form token, say) and its transaction, audit row included, is rolled back. Trying
 * once more lets the checks see the winner's row and answer as they would have. `work` must be a whole transaction.
 */
export async function onceMoreIfRaced<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) return work();
    throw error;
  }
}
