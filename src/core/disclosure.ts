/**
 * Disclosure control for the aggregate-only roles (SECURITY.md): the Leadership Group and evaluators never see a
 * count small enough to point at someone. Counts from 1 to 7 are shown as "fewer than 8"; others are rounded to the
 * nearest 5, so no figure can be recovered exactly from a total or a difference. Zero is shown as it is.
 */
export const SMALLEST_SHOWN = 8;

export const FEWER_THAN_SMALLEST = `fewer than ${SMALLEST_SHOWN}`;

export function disclosedCount(count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`not a count: ${count}`);
  if (count === 0) return '0';
  if (count < SMALLEST_SHOWN) return FEWER_THAN_SMALLEST;
  return String(Math.round(count / 5) * 5);
}
