import { z } from 'zod';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';

const EXPIRED = 'This form has expired. Reload the page and try again';

/** Which concern a change is about: in the form (or, to open the change form, the query), never in the path. */
export const concernRefSchema = z.object({ concern: z.uuid() });

const words = (max: number, empty: string, tooLong: string) => z.string(empty).trim().min(1, empty).max(max, tooLong);

const optionalWords = (max: number, tooLong: string) =>
  z
    .string(tooLong)
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

/** A GOV.UK date input joined by joinDateParts: '' when left blank, 'invalid:…' when not a real date. */
const withDates = (names: readonly string[]) => (values: unknown) => {
  const form = values as FormValues;
  return { ...form, ...Object.fromEntries(names.map((name) => [name, joinDateParts(form, name)])) };
};

/** What is recorded about a concern, in the order the page asks. `today` bounds the date it was raised. */
function concernFields(today: string) {
  return {
    raisedOn: z
      .string()
      .min(1, 'Enter the date the concern was raised')
      .refine((v) => !v.startsWith('invalid:'), 'The date the concern was raised must be a real date, like 27 3 2026')
      .refine((v) => v <= today, 'The date the concern was raised must be today or in the past'),
    raisedBy: words(200, 'Enter who raised the concern', 'Who raised the concern must be 200 characters or fewer'),
    whatTheConcernIs: words(5000, 'Enter what the concern is', 'What the concern is must be 5000 characters or fewer'),
    whatWasDone: optionalWords(5000, 'What was done must be 5000 characters or fewer'),
    informedWho: optionalWords(500, 'Who was informed must be 500 characters or fewer'),
    informedOrganisation: optionalWords(200, 'The organisation must be 200 characters or fewer'),
  };
}

/** Recording a concern: the one-time token makes a second submission of the same form land on the same concern. */
export function newConcernSchema(today: string) {
  return z.preprocess(withDates(['raisedOn']), z.object({ formToken: z.uuid(EXPIRED), ...concernFields(today) }));
}

export type NewConcernInput = z.output<ReturnType<typeof newConcernSchema>>;

/**
 * Updating a concern, or closing it with the date and the outcome. The version is the one the form was opened
 * from: a save over someone else's is refused. The closing date and outcome are read only when it is closed.
 */
export function concernChangeSchema(today: string) {
  return z.preprocess(
    withDates(['raisedOn', 'closedOn']),
    z
      .object({
        version: z.string(EXPIRED).regex(/^[1-9]\d{0,8}$/, EXPIRED).transform(Number),
        ...concernFields(today),
        state: z.enum(['open', 'closed'], 'Select whether the concern is still open'),
        closedOn: z.string().optional(),
        outcome: z.string().optional(),
      })
      .superRefine((value, ctx) => {
        if (value.state !== 'closed') return;
        const closedOn = value.closedOn ?? '';
        const problem =
          closedOn === ''
            ? 'Enter the date the concern was closed'
            : closedOn.startsWith('invalid:')
              ? 'The date the concern was closed must be a real date, like 27 3 2026'
              : closedOn > today
                ? 'The date the concern was closed must be today or in the past'
                : closedOn < value.raisedOn
                  ? 'The date the concern was closed must be on or after the date it was raised'
                  : undefined;
        if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['closedOn'], message: problem });
        const outcome = (value.outcome ?? '').trim();
        if (outcome === '') ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'Enter the outcome' });
        else if (outcome.length > 5000) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'The outcome must be 5000 characters or fewer' });
      })
      .transform(({ state, closedOn, outcome, ...rest }) => ({
        ...rest,
        closedOn: state === 'closed' ? (closedOn ?? null) : null,
        outcome: state === 'closed' ? (outcome ?? '').trim() : null,
      })),
  );
}

export type ConcernChangeInput = z.output<ReturnType<typeof concernChangeSchema>>;
