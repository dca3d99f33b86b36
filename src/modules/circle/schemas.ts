import { z } from 'zod';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';

/** How close someone is, 1 the closest: the rings of the diagram, from the centre out. */
export const CLOSENESS = [
  { value: 1, text: 'Closest', hint: 'The people they turn to first' },
  { value: 2, text: 'Close', hint: 'People they see or hear from often' },
  { value: 3, text: 'Around them', hint: 'People and places that are part of their life' },
] as const;

export type Closeness = (typeof CLOSENESS)[number]['value'];

export const CLOSENESS_TEXT: Record<Closeness, string> = { 1: 'Closest', 2: 'Close', 3: 'Around them' };

/** The kinds of support, natural ones first: the model asks about family, friends and community before services. */
export const SUPPORT_KINDS = [
  { value: 'family', text: 'Family' },
  { value: 'friend', text: 'A friend' },
  { value: 'neighbour', text: 'A neighbour' },
  { value: 'community', text: 'Community: a group or a place' },
  { value: 'paid', text: 'Paid support or a service' },
] as const;

export type SupportKind = (typeof SUPPORT_KINDS)[number]['value'];

export const SUPPORT_KIND_TEXT = Object.fromEntries(SUPPORT_KINDS.map((k) => [k.value, k.text])) as Record<SupportKind, string>;

const kindValues = SUPPORT_KINDS.map((k) => k.value) as [SupportKind, ...SupportKind[]];

/** Someone in the circle as the coordinator describes them. Fields in the order the page shows them. */
const memberFields = {
  name: z.string().trim().min(1, 'Enter their name').max(200, 'Their name must be 200 characters or fewer'),
  relationship: z
    .string()
    .trim()
    .min(1, 'Enter who they are to the person, like brother-in-law, neighbour or walking group friend')
    .max(200, 'Who they are to the person must be 200 characters or fewer'),
  howTheyHelp: z
    .string()
    .trim()
    .max(2000, 'How they help must be 2000 characters or fewer')
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v)),
  closeness: z.enum(['1', '2', '3'], 'Select how close they are').transform((v) => Number(v) as Closeness),
  kind: z.enum(kindValues, 'Select the kind of support'),
};

export const memberSchema = z.object(memberFields);

export type MemberInput = z.output<typeof memberSchema>;

/** Adding someone: the one-time token makes a second submission of the same form land on the same person. */
export const newMemberSchema = z.object({
  ...memberFields,
  formToken: z.uuid('This form has expired. Reload the page and try again'),
});

export type NewMemberInput = z.output<typeof newMemberSchema>;

/** Which member a change or a leaving is about, and the version the coordinator was looking at. */
export const memberRefSchema = z.object({
  memberId: z.uuid(),
  version: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

export type MemberRef = z.output<typeof memberRefSchema>;

const uuid = z.uuid();

/** An id as typed into an address may be anything; only a well-formed one is worth asking the database about. */
export function isUuid(value: string): boolean {
  return uuid.safeParse(value).success;
}

/** The date to compare the circle with today. `today` bounds it: the circle of tomorrow is not known yet. */
export function compareSchema(today: string) {
  return z.preprocess(
    (values) => ({ on: joinDateParts(values as FormValues, 'on') }),
    z.object({
      on: z
        .string()
        .min(1, 'Enter the date to compare with')
        .refine((v) => !v.startsWith('invalid:'), 'The date to compare with must be a real date, like 27 3 2026')
        .refine((v) => v <= today, 'The date to compare with must be today or in the past'),
    }),
  );
}
