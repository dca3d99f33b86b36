import { z } from 'zod';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';

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

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

/** The introduction form. `today` bounds the date: an introduction cannot have happened tomorrow. */
export function introductionSchema(today: string) {
  return z.preprocess(
    (values) => ({ ...(values as FormValues), introducedOn: joinDateParts(values as FormValues, 'introducedOn') }),
    // Fields in the order the page shows them, so the error summary lists problems in that order too.
    z.object({
      name: z.string().trim().min(1, "Enter the person's name").max(200, "The person's name must be 200 characters or fewer"),
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
      formToken: z.uuid('This form has expired. Reload the page and try again'),
    }),
  );
}

export type IntroductionInput = z.output<ReturnType<typeof introductionSchema>>;

export const personIdSchema = z.object({ id: z.uuid() });
