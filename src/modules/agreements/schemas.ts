import { z } from 'zod';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';
import { STEP_QUESTIONS, STEP_STATUSES } from './tables.ts';

const EXPIRED = 'This form has expired. Reload the page and try again';

const ownWords = (max: number, empty: string, tooLong: string) => z.string().trim().min(1, empty).max(max, tooLong);

/** A GOV.UK date input joined by joinDateParts: '' when left blank, 'invalid:…' when not a real date. */
const realDate = (notReal: string) => z.string().refine((v) => !v.startsWith('invalid:'), notReal);

const withDates = (names: readonly string[]) => (values: unknown) => {
  const form = values as FormValues;
  return { ...form, ...Object.fromEntries(names.map((name) => [name, joinDateParts(form, name)])) };
};

/**
 * A new version of the shared agreement. `basedOn` is the version the form was filled in from (0 for the first):
 * if someone has agreed a newer one since, this one is not saved over it. `today` bounds the date agreed.
 */
export function agreementSchema(today: string) {
  return z.preprocess(
    withDates(['reviewOn', 'agreedOn']),
    // Fields in page order, so the error summary lists problems in that order too.
    z
      .object({
        workingOn: ownWords(5000, 'Enter what you will work on together', 'What you will work on together must be 5000 characters or fewer'),
        whoDoesWhat: ownWords(5000, 'Enter who does what', 'Who does what must be 5000 characters or fewer'),
        keepingInTouch: ownWords(5000, 'Enter how you will keep in touch', 'How you will keep in touch must be 5000 characters or fewer'),
        reviewOn: realDate('The date you will look at it again must be a real date, like 27 3 2027').transform((v) =>
          v === '' ? null : v,
        ),
        agreedOn: realDate('The date you agreed it must be a real date, like 27 3 2026')
          .refine((v) => v !== '', 'Enter the date you agreed it')
          .refine((v) => v <= today, 'The date you agreed it must be today or in the past'),
        basedOn: z.string().regex(/^\d{1,9}$/, EXPIRED).transform(Number),
        formToken: z.uuid(EXPIRED),
      })
      .refine((a) => a.reviewOn === null || a.reviewOn >= a.agreedOn, {
        message: 'The date you will look at it again must be on or after the date you agreed it',
        path: ['reviewOn'],
      }),
  );
}

export type AgreementInput = z.output<ReturnType<typeof agreementSchema>>;

const stepFields = {
  question: z.enum(STEP_QUESTIONS, 'Select which question this step answers'),
  what: ownWords(2000, 'Enter what the step is', 'What the step is must be 2000 characters or fewer'),
  owner: ownWords(200, 'Enter who will do it', 'Who will do it must be 200 characters or fewer'),
  status: z.enum(STEP_STATUSES, 'Select where the step is up to'),
  aimingFor: realDate('The date you are aiming for must be a real date, like 27 3 2027').transform((v) => (v === '' ? null : v)),
};

export const newStepSchema = z.preprocess(withDates(['aimingFor']), z.object({ ...stepFields, formToken: z.uuid(EXPIRED) }));

export type NewStepInput = z.output<typeof newStepSchema>;

/** Which step a change is for, and the version of it the form showed. Checked before the rest of the form. */
export const stepRefSchema = z.object({
  stepId: z.uuid('Choose the step to change from the list of steps'),
  version: z.string().regex(/^\d{1,9}$/, EXPIRED).transform(Number),
});

export const stepChangeSchema = z.preprocess(withDates(['aimingFor']), z.object(stepFields));

export type StepChangeInput = z.output<typeof stepChangeSchema>;

/** The address may ask for one version of the agreement, by its number. */
export const versionQuerySchema = z.object({ version: z.string().regex(/^[1-9]\d{0,8}$/).transform(Number).optional() });

export const questionQuerySchema = z.object({ question: z.enum(STEP_QUESTIONS).optional().catch(undefined) });

