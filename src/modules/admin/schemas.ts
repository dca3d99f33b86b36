import { z } from 'zod';
import { passwordProblem } from '../../core/auth/password.ts';
import { ROLES, type Role } from '../../core/db/schema.ts';

/** The roles as the admin chooses them, with what each one may do, in words. */
export const ROLE_OPTIONS: readonly { value: Role; text: string; hint: string }[] = [
  { value: 'coordinator', text: 'Coordinator', hint: 'Walks alongside people in the neighbourhoods chosen below' },
  { value: 'manager', text: 'Manager', hint: 'Sees everyone the programme walks alongside, in every neighbourhood' },
  { value: 'leadership', text: 'Leadership Group member', hint: "Sees figures for the programme as a whole, never a person's record" },
  { value: 'evaluator', text: 'Evaluator', hint: "Sees figures for evaluation, never a person's record" },
  { value: 'admin', text: 'Admin', hint: "Runs the programme: neighbourhoods and users. Does not see people's records" },
];

export const ROLE_LABELS = Object.fromEntries(ROLE_OPTIONS.map((r) => [r.value, r.text])) as Record<Role, string>;

/** The most people an area can be home to here: far above any neighbourhood, well inside the column's range. */
export const MAX_POPULATION = 10_000_000;

/** The first half of a UK postcode: A9, A99, AA9, AA99, A9A or AA9A (and the odd GIR). */
const OUTWARD_CODE = /^(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)$/;

const population = z
  .string('Enter the population as a whole number, like 10200')
  .max(20, 'Enter the population as a whole number, like 10200')
  .optional()
  .transform((raw, ctx) => {
    // People write large numbers with commas or spaces: 10,200 and 10 200 both mean 10200.
    const text = (raw ?? '').replace(/[\s,]/g, '');
    if (text === '') return null;
    if (/^-\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'The population must be 0 or more' });
      return z.NEVER;
    }
    if (!/^\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'Enter the population as a whole number, like 10200' });
      return z.NEVER;
    }
    const value = Number(text);
    if (value > MAX_POPULATION) {
      ctx.addIssue({ code: 'custom', message: 'The population must be 10,000,000 or fewer' });
      return z.NEVER;
    }
    return value;
  });

const postcodeDistricts = z
  .string('Enter postcode districts like BF1, BF2')
  .max(1000, 'The postcode districts must be 1000 characters or fewer')
  .optional()
  .transform((raw, ctx) => {
    const districts = (raw ?? '')
      .split(/[\s,;]+/)
      .map((d) => d.toUpperCase())
      .filter((d) => d !== '');
    const wrong = districts.find((d) => !OUTWARD_CODE.test(d));
    if (wrong !== undefined) {
      const shown = wrong.length <= 10 ? `"${wrong}" is not a postcode district. ` : '';
      ctx.addIssue({
        code: 'custom',
        message: `${shown}Enter the first half of each postcode, like BF1 or LS12, with a comma between them`,
      });
      return z.NEVER;
    }
    return [...new Set(districts)];
  });

/** A neighbourhood: the same form adds one and edits one. */
export const areaSchema = z.object({
  name: z
    .string('Enter the name of the neighbourhood')
    .trim()
    .min(1, 'Enter the name of the neighbourhood')
    .max(120, 'The name of the neighbourhood must be 120 characters or fewer'),
  population,
  postcodeDistricts,
});

export type AreaInput = z.output<typeof areaSchema>;

const role = z.enum(ROLES, 'Select their role');

const recordId = z.uuid();

/** Whether an id from the address could name a record at all. */
export function isRecordId(id: string): boolean {
  return recordId.safeParse(id).success;
}

/**
 * Checkboxes send nothing, one value or several: always a list here. Checked as a whole, so a problem is
 * reported on the question (areaIds), not on one box of it.
 */
const areaIds = z.preprocess(
  (value) => (value === undefined ? [] : [value].flat()),
  z
    .array(z.string(), 'Select neighbourhoods from the list')
    .max(100, 'Select neighbourhoods from the list')
    .refine((ids) => ids.every(isRecordId), 'Select neighbourhoods from the list'),
);

export const newUserSchema = z.object({
  name: z.string('Enter their full name').trim().min(1, 'Enter their full name').max(120, 'Their name must be 120 characters or fewer'),
  email: z
    .string('Enter their email address')
    .trim()
    .min(1, 'Enter their email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.org'))
    .transform((email) => email.toLowerCase()),
  role,
  areaIds,
  // Required only for a new account: someone who already has one keeps their own password. Never trimmed.
  password: z
    .string('Enter a password')
    .optional()
    .transform((password, ctx) => {
      if (password === undefined || password === '') return null;
      const problem = passwordProblem(password);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return password;
    }),
});

export type NewUserInput = z.output<typeof newUserSchema>;

export const userChangeSchema = z.object({ role, areaIds });

export type UserChangeInput = z.output<typeof userChangeSchema>;

/** Disabling or enabling an account needs a deliberate yes. */
export function confirmSchema(message: string) {
  return z.object({ confirm: z.literal('yes', message) });
}

/** The record id a manager gives an admin, to see who has looked at or changed that person's record. */
export const recordLookupSchema = z.object({
  personId: z
    .string()
    .trim()
    .min(1, "Enter the person's record id")
    .pipe(z.uuid("Enter the record id exactly as it was given to you, like 3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b")),
});
