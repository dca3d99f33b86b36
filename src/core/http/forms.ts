import type { z } from 'zod';

/** Field name → the message shown beside it and in the error summary, in the order the fields appear. */
export type FormErrors = Record<string, string>;

/** What a form sent, as text, kept so the page can show it again exactly as typed. */
export type FormValues = Record<string, string | string[]>;

/** For a form whose fields cannot be told apart (a handler's last resort): nothing was saved, and how to go on. */
export const UNREADABLE_FORM = 'The form could not be read. Go back, reload the page and try again: nothing was saved.';

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors; values: FormValues };

export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body === null || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') values[key] = value;
    else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return values;
}

/** Validates a submitted form; on failure keeps one message per field (the first) and everything the person typed. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values = formValues(body);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FormErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

const MAX_FIELDS = 200;

export class BadFormBody extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

function decodeComponent(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/**
 * Parses application/x-www-form-urlencoded strictly: invalid UTF-8 or broken percent-encoding is refused rather
 * than silently turned into replacement characters, and a body with an absurd number of fields is refused.
 * Repeated names (checkboxes) become arrays.
 */
export function parseFormBody(raw: Buffer): Record<string, string | string[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new BadFormBody('The form could not be read because it contained characters that are not valid text', 400);
  }
  const body: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (text === '') return body;
  const pairs = text.split('&');
  if (pairs.length > MAX_FIELDS) throw new BadFormBody('The form had too many fields', 413);
  for (const pair of pairs) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeComponent(at === -1 ? pair : pair.slice(0, at));
      value = at === -1 ? '' : decodeComponent(pair.slice(at + 1));
    } catch {
      throw new BadFormBody('The form could not be read because it was not encoded properly', 400);
    }
    // PostgreSQL text cannot hold NUL, and no person types one: refuse it here rather than fail at the database.
    if (key.includes('\u0000') || value.includes('\u0000')) {
      throw new BadFormBody('The form could not be read because it contained characters that are not valid text', 400);
    }
    const existing = body[key];
    if (existing === undefined) body[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else body[key] = [existing, value];
  }
  return body;
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar date in the UK, 'YYYY-MM-DD', from the app's clock. */
export function ukToday(now: Date): string {
  return londonDate.format(now);
}

/**
 * GOV.UK date inputs send three fields (name-day, name-month, name-year). This joins them into one value,
 * 'YYYY-MM-DD' when the parts make a real date and the raw parts otherwise, so one schema field can validate it.
 */
export function joinDateParts(values: FormValues, name: string): string {
  const part = (suffix: string) => {
    const value = values[`${name}-${suffix}`];
    return typeof value === 'string' ? value.trim() : '';
  };
  const [day, month, year] = [part('day'), part('month'), part('year')];
  if (day === '' && month === '' && year === '') return '';
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return `invalid:${year}-${month}-${day}`;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : `invalid:${iso}`;
}

/** The parts of a 'YYYY-MM-DD' date for re-showing a GOV.UK date input. */
export function dateParts(iso: string): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}
