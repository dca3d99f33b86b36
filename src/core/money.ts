import { Decimal } from 'decimal.js';

/**
 * Pounds and pence, never floats: amounts come from the database as numeric text, are added with decimal.js and
 * are rounded only to be shown.
 */

/** The sum of amounts given as numeric text ('1250.50'), exactly. */
export function sumPounds(amounts: readonly string[]): Decimal {
  return amounts.reduce((total, amount) => total.plus(amount), new Decimal(0));
}

/** An amount as people write it: £1,250.50 (pence always shown, so columns of figures line up). */
export function poundsText(amount: Decimal | string): string {
  const fixed = new Decimal(amount).toFixed(2, Decimal.ROUND_HALF_UP);
  const negative = fixed.startsWith('-');
  const [whole = '0', pence = '00'] = (negative ? fixed.slice(1) : fixed).split('.');
  return `${negative ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${pence}`;
}

const GROUPED = /^\d{1,3}(,\d{3})+(\.\d{1,2})?$/;
const PLAIN = /^\d+(\.\d{1,2})?$/;

/**
 * An amount typed into a form ('£1,250.50', '1250.5', '250') as numeric text ('1250.50'), or undefined when it is not
 * pounds and pence: a leading £ and correctly placed thousands commas are allowed, nothing else.
 */
export function parsePounds(text: string): string | undefined {
  const compact = text.trim().replace(/^£\s*/, '');
  if (!GROUPED.test(compact) && !PLAIN.test(compact)) return undefined;
  return new Decimal(compact.replace(/,/g, '')).toFixed(2);
}
