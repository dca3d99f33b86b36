import { z } from 'zod';
import { dateParts, joinDateParts, type FormValues } from './forms.ts';

/**
 * GOV.UK date inputs in zod schemas: three boxes per date (name-day, name-month, name-year) joined into one value
 * before the schema reads it, and split again to show a stored date in a form.
 */

/** For z.preprocess: each named date joined by joinDateParts ('' when blank, 'invalid:…' when not a real date). */
export const withDates = (names: readonly string[]) => (values: unknown) => {
  const form = values as FormValues;
  return { ...form, ...Object.fromEntries(names.map((name) => [name, joinDateParts(form, name)])) };
};

interface DateWords {
  /** Shown when the date is left blank. */
  empty: string;
  /** Shown when it is not a real date. */
  notReal: string;
  /** Shown when it is after `notAfter`. */
  future?: string;
}

/** A date that must be given and be real, and (with `notAfter`, such as today) not be later than that. */
export function requiredDate(words: DateWords, notAfter?: string) {
  return z
    .string(words.empty)
    .min(1, words.empty)
    .refine((v) => !v.startsWith('invalid:'), words.notReal)
    .refine((v) => notAfter === undefined || v.startsWith('invalid:') || v <= notAfter, words.future ?? words.notReal);
}

/** A date that may be left blank (then null); if given, it must be real and not later than `notAfter`. */
export function optionalDate(words: Omit<DateWords, 'empty'>, notAfter?: string) {
  return z
    .string(words.notReal)
    .optional()
    .refine((v) => v === undefined || !v.startsWith('invalid:'), words.notReal)
    .refine((v) => notAfter === undefined || v === undefined || v === '' || v.startsWith('invalid:') || v <= notAfter, words.future ?? words.notReal)
    .transform((v) => (v === undefined || v === '' ? null : v));
}

/** A stored date ('YYYY-MM-DD', or none) as the three boxes of a date input. */
export function dateValues(name: string, iso: string | null): FormValues {
  if (iso === null) return {};
  const { day, month, year } = dateParts(iso);
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}
