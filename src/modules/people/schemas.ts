import { z } from 'zod';
import { PERSON_STATUSES } from '../../core/db/schema.ts';
import {
  blankAsMissing,
  emailField,
  formTokenField,
  optionalWords,
  phoneField,
  postcodeField,
  requiredWords,
  versionField,
} from '../../core/http/fields.ts';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';
import { wholeYearsBetween } from './dates.ts';

/** Who can introduce someone: anyone at all. The list only helps the programme see where introductions come from. */
export const INTRODUCERS = [
  { value: 'self', text: 'The person themselves' },
  { value: 'family_or_friend', text: 'Family or a friend' },
  { value: 'neighbour', text: 'A neighbour' },
  { value: 'someone_we_walk_alongside', text: 'Someone we already walk alongside' },
  { value: 'community_group', text: 'A community group' },
  { value: 'gp_primary_care', text: 'GP or primary care' },
  { value: 'social_prescribing', text: 'Social prescribing link worker' },
  { value: 'housing', text: 'Housing or a housing association' },
  { value: 'police', text: 'Police or PCSO' },
  { value: 'mental_health', text: 'A mental health service' },
  { value: 'hospital', text: 'Hospital' },
  { value: 'adult_social_care', text: 'Adult social care' },
  { value: 'childrens_services', text: "Children's services" },
  { value: 'charity', text: 'A charity' },
  { value: 'school_or_college', text: 'School or college' },
  { value: 'dwp_jobcentre', text: 'DWP or Jobcentre' },
  { value: 'other', text: 'Someone else' },
] as const;

const introducerValues = INTRODUCERS.map((i) => i.value) as [string, ...string[]];

/** Whether the person knows about, and agrees to, being introduced: asked of every introduction, and no bar to one. */
export const PERSON_KNOWS = [
  { value: 'knows_and_agrees', text: 'Yes, they know and agree' },
  { value: 'knows_not_agreed', text: 'They know, but have not agreed yet' },
  { value: 'does_not_know', text: 'They do not know yet' },
] as const;
export type PersonKnows = (typeof PERSON_KNOWS)[number]['value'];
const personKnowsValues = PERSON_KNOWS.map((k) => k.value) as [PersonKnows, ...PersonKnows[]];

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

/**
 * The introduction form. `today` bounds the dates: an introduction cannot have happened tomorrow. What is known of
 * the person's age and their postcode is optional, and helps notice someone the programme already knows.
 */
export function introductionSchema(today: string) {
  return z.preprocess(
    (values) => ({ ...withAgeAnswer(values as FormValues), introducedOn: joinDateParts(values as FormValues, 'introducedOn') }),
    // Fields in the order the page shows them, so the error summary lists problems in that order too.
    z.object({
      name: z.string().trim().min(1, "Enter the person's name").max(200, "The person's name must be 200 characters or fewer"),
      ...ageFields(today),
      postcode: postcodeField(),
      areaId: z.uuid('Select the neighbourhood the person lives in'),
      introducedBy: z.enum(introducerValues, 'Select who introduced the person'),
      introducerName: optionalText(200, "The introducer's name must be 200 characters or fewer"),
      introducerOrganisation: optionalText(200, 'The organisation must be 200 characters or fewer'),
      introducedOn: z
        .string()
        .min(1, 'Enter the date of the introduction')
        .refine((v) => !v.startsWith('invalid:'), 'The date of the introduction must be a real date, like 27 3 2026')
        .refine((v) => v <= today, 'The date of the introduction must be today or in the past'),
      whatTheyWouldLikeToChange: z
        .string()
        .trim()
        .min(1, 'Enter what the person would like to change, in their own words')
        .max(5000, 'What the person would like to change must be 5000 characters or fewer'),
      personKnows: z.enum(personKnowsValues, 'Select whether they know about and agree to this introduction'),
      formToken: z.uuid('This form has expired. Reload the page and try again'),
    }),
  );
}

export type IntroductionInput = z.output<ReturnType<typeof introductionSchema>>;

/**
 * The answer to "Is this someone already known?": one of the people offered (by id), someone new, or back to the
 * form to change what was typed.
 */
export const introductionDecisionSchema = z.object({
  decision: z.union([z.enum(['new', 'edit']), z.uuid()], 'Select whether this is someone already known or someone new'),
});

export const personIdSchema = z.object({ id: z.uuid() });











/**
 * What is known about someone's age: a date of birth, or (when that is not known) an age. Both are optional; both
 * at once is a question for the coordinator to settle, not for the service to guess. The age is read together
 * with whether a date was given, so that its message sits with it, in page order.
 */
function withAgeAnswer(values: FormValues): Record<string, unknown> {
  const dateOfBirth = joinDateParts(values, 'dateOfBirth');
  const age = values.age ?? '';
  return { ...values, dateOfBirth, age: { text: typeof age === 'string' ? age : age.join(','), withDate: dateOfBirth !== '' } };
}

function ageFields(today: string) {
  return {
    dateOfBirth: z
      .string()
      .refine((v) => !v.startsWith('invalid:'), 'Their date of birth must be a real date, like 27 3 1961')
      .refine((v) => v === '' || v.startsWith('invalid:') || v <= today, 'Their date of birth must be in the past')
      .refine(
        (v) => v === '' || v.startsWith('invalid:') || v > today || wholeYearsBetween(v, today) <= 130,
        'Check the year of their date of birth: it makes them older than 130',
      )
      .transform((v) => (v === '' ? null : v)),
    age: z
      .object({ text: z.string(), withDate: z.boolean() })
      .superRefine(({ text, withDate }, ctx) => {
        const age = text.trim();
        if (age === '') return;
        if (!/^\d{1,3}$/.test(age)) ctx.addIssue({ code: 'custom', message: 'Enter their age as a whole number, like 45' });
        else if (Number(age) > 130) ctx.addIssue({ code: 'custom', message: 'Their age must be 130 or less' });
        else if (withDate) ctx.addIssue({ code: 'custom', message: 'Enter their date of birth or their age, not both' });
      })
      .transform(({ text }) => (text.trim() === '' ? null : Number(text.trim()))),
  };
}

export const LANGUAGES = [
  { value: 'english', text: 'English' },
  { value: 'welsh', text: 'Welsh (Cymraeg)' },
  { value: 'other', text: 'Another language' },
] as const;
const languageValues = LANGUAGES.map((l) => l.value) as ['english', 'welsh', 'other'];

/** The person's details. `today` bounds the date of birth. Fields in the order the page shows them. */
export function personDetailsSchema(today: string) {
  return z.preprocess(
    (raw) => {
      const values = withAgeAnswer(raw as FormValues);
      // The language box is read only when "another language" is chosen.
      const { preferredLanguageOther, ...rest } = values;
      return values.preferredLanguage === 'other' ? { ...rest, preferredLanguageOther: preferredLanguageOther ?? '' } : rest;
    },
    z.object({
      version: versionField,
      name: requiredWords(200, "Enter the person's name", "The person's name must be 200 characters or fewer"),
      preferredName: optionalWords(200, 'The name they like to be called must be 200 characters or fewer'),
      pronouns: optionalWords(60, 'Pronouns must be 60 characters or fewer'),
      ...ageFields(today),
      phone: phoneField(),
      email: emailField(),
      addressLine1: optionalWords(200, 'Address line 1 must be 200 characters or fewer'),
      addressLine2: optionalWords(200, 'Address line 2 must be 200 characters or fewer'),
      town: optionalWords(100, 'The town or city must be 100 characters or fewer'),
      postcode: postcodeField(),
      preferredLanguage: z
        .preprocess(blankAsMissing, z.enum(languageValues, 'Select their preferred language').optional())
        .transform((v) => v ?? null),
      preferredLanguageOther: z
        .string('Their preferred language must be 100 characters or fewer')
        .trim()
        .max(100, 'Their preferred language must be 100 characters or fewer')
        .optional()
        .refine((v) => v !== '', 'Enter their preferred language')
        .transform((v) => v ?? null),
      interpreterNeeded: z
        .preprocess(blankAsMissing, z.enum(['yes', 'no'], 'Select yes if they need an interpreter').optional())
        .transform((v) => (v === undefined ? null : v === 'yes')),
    }),
  );
}

export type PersonDetailsInput = z.output<ReturnType<typeof personDetailsSchema>>;

function householdMemberFields(today: string) {
  return {
    name: requiredWords(200, 'Enter their name', 'Their name must be 200 characters or fewer'),
    relationship: requiredWords(
      100,
      'Enter who they are to the person, like daughter, partner or lodger',
      'Who they are to the person must be 100 characters or fewer',
    ),
    ...ageFields(today),
    notes: optionalWords(2000, 'Notes must be 2000 characters or fewer'),
  };
}

/** Adding someone to the household: the one-time token makes a double submission add them once. */
export function householdAddSchema(today: string) {
  return z.preprocess(
    (raw) => withAgeAnswer(raw as FormValues),
    z.object({ formToken: formTokenField, ...householdMemberFields(today) }),
  );
}

/** Changing a household member's details: the version refuses a save over someone else's. */
export function householdChangeSchema(today: string) {
  return z.preprocess(
    (raw) => withAgeAnswer(raw as FormValues),
    z.object({ version: versionField, ...householdMemberFields(today) }),
  );
}

export type HouseholdMemberInput = z.output<ReturnType<typeof householdAddSchema>>;
export type HouseholdChangeInput = z.output<ReturnType<typeof householdChangeSchema>>;

/** Which household member a change or removal is about: sent in the form or the query, never in the path. */
export const memberIdSchema = z.object({ member: z.uuid() });

/** What a coordinator can choose: a status, or (for someone resting or moved on) a re-introduction. */
export const STATUS_CHOICES = ['re_introduced', 'getting_to_know', 'walking_alongside', 'resting', 'moved_on'] as const;
export type StatusChoice = (typeof STATUS_CHOICES)[number];

export const statusChangeSchema = z
  .object({
    formToken: formTokenField,
    version: versionField,
    choice: z.enum(STATUS_CHOICES, 'Select where things are now'),
    reason: optionalWords(5000, 'The reason must be 5000 characters or fewer'),
  })
  .superRefine((value, ctx) => {
    if (value.choice === 'moved_on' && value.reason === null) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: "Enter the person's reason for moving on, in their own words" });
    }
  });

export type StatusChangeInput = z.output<typeof statusChangeSchema>;

/** A manager's choice of coordinator for someone, made from the version of their record the form showed. */
export const coordinatorSchema = z.object({
  version: versionField,
  coordinatorId: z.preprocess(blankAsMissing, z.uuid('Select a coordinator')),
});

export type CoordinatorInput = z.output<typeof coordinatorSchema>;

/** The caseload's filters, from the query string. Anything else in the query is ignored. */
export const caseloadFiltersSchema = z.object({
  status: z.preprocess(blankAsMissing, z.enum(PERSON_STATUSES, 'Choose a status from the list').optional()),
  area: z.preprocess(blankAsMissing, z.uuid('Choose a neighbourhood from the list').optional()),
});

export type CaseloadFilters = z.output<typeof caseloadFiltersSchema>;

/** A search by name or postcode. Sent as a form, not in the address: names must not end up in URLs or logs. */
export const caseloadSearchSchema = z.object({
  q: requiredWords(100, 'Enter a name or postcode to search for', 'Search for 100 characters or fewer'),
});
