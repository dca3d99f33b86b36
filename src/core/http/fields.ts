import { z } from 'zod';

/**
 * The form fields every module's schemas are made of, with the GOV.UK wording of their messages: the same field
 * behaves and explains itself the same way on every page.
 */

export const EXPIRED = 'This form has expired. Reload the page and try again';

/** The one-time token that makes a double submission one record. Hidden fields' messages come first. */
export const formTokenField = z.uuid(EXPIRED);

/** The version a change was made from, so a save over someone else's is refused. */
export const versionField = z.string(EXPIRED).regex(/^[1-9]\d{0,8}$/, EXPIRED).transform(Number);

/** Radios and selects that were not chosen send nothing, or (if the page was tampered with) an empty string. */
export const blankAsMissing = (value: unknown) => (value === '' ? undefined : value);

/** Optional words: trimmed, empty is null. One message for too long and for anything that is not text. */
export const optionalWords = (max: number, tooLong: string) =>
  z
    .string(tooLong)
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

export const requiredWords = (max: number, empty: string, tooLong: string) => z.string(empty).trim().min(1, empty).max(max, tooLong);

const POSTCODE_SHAPE = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/;

/** A UK postcode as it is stored: upper-case, one space before the last three characters. Undefined if not one. */
export function normalisePostcode(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  return POSTCODE_SHAPE.test(compact) ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : undefined;
}

/** An optional UK postcode, stored in its one shape (see normalisePostcode). */
export function postcodeField() {
  return optionalWords(20, 'Enter a full UK postcode, like AB1 2CD')
    .refine((v) => v === null || normalisePostcode(v) !== undefined, 'Enter a full UK postcode, like AB1 2CD')
    .transform((v) => (v === null ? null : (normalisePostcode(v) ?? null)));
}

const PHONE_CHARACTERS = /^\+?[0-9 ()-]+$/;

function looksLikePhoneNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return PHONE_CHARACTERS.test(text) && digits >= 7 && digits <= 15;
}

/** An optional phone number: digits, spaces, brackets and dashes, with a leading + allowed. */
export function phoneField() {
  return optionalWords(40, 'The phone number must be 40 characters or fewer').refine(
    (v) => v === null || looksLikePhoneNumber(v),
    'Enter a phone number, like 01632 960 001 or 07700 900 982',
  );
}

/** An optional email address. */
export function emailField() {
  return optionalWords(254, 'The email address must be 254 characters or fewer').refine(
    (v) => v === null || z.regexes.email.test(v),
    'Enter an email address in the correct format, like name@example.com',
  );
}
