import { z } from 'zod';
import { parsePounds } from '../../core/money.ts';
import { requiredDate, withDates } from '../../core/http/date-fields.ts';
import { EXPIRED, blankAsMissing, formTokenField, optionalWords, requiredWords, versionField } from '../../core/http/fields.ts';
import { CONSENT_DECISIONS, CONSENT_HOWS, type ConsentDecision, type ConsentHow, type StoryStatus } from './tables.ts';

export const storyIdSchema = z.object({ id: z.uuid() });

/** The person a story is built from, in the query (/stories/new?person=…) or the form. */
export const personRefSchema = z.object({ person: z.uuid() });

export const DECISION_TEXT: Record<ConsentDecision, string> = {
  given: 'Consent given',
  not_given: 'Consent not given',
  withdrawn: 'Consent withdrawn',
};

/** The choices on the consent form, in words: which are offered depends on the decision in force. */
export const DECISION_OPTIONS: Record<ConsentDecision, { text: string; hint: string }> = {
  given: { text: 'They agree to an anonymised story being shared', hint: 'With the Leadership Group, in its report, without their name' },
  not_given: { text: 'They would rather not', hint: 'Nothing is shared; they can change their mind at any time' },
  withdrawn: { text: 'They no longer agree', hint: 'Any story written from their record is taken out of the report at once' },
};

export const HOW_TEXT: Record<ConsentHow, string> = { in_person: 'In person', in_writing: 'In writing', by_phone: 'By phone' };

export const STATUS_TEXT: Record<StoryStatus, string> = { draft: 'Draft', ready: 'Ready for the report', withdrawn: 'Withdrawn' };

/**
 * A decision about sharing a story. `basedOn` is how many decisions the form was opened with: if someone recorded
 * one since, this one was made without seeing it, and is refused.
 */
export function consentSchema(today: string) {
  return z.preprocess(
    withDates(['decidedOn']),
    z.object({
      formToken: formTokenField,
      basedOn: z.string(EXPIRED).regex(/^\d{1,9}$/, EXPIRED).transform(Number),
      decision: z.preprocess(blankAsMissing, z.enum(CONSENT_DECISIONS, 'Select what they decided')),
      decidedOn: requiredDate(
        {
          empty: 'Enter the date they decided',
          notReal: 'The date they decided must be a real date, like 27 3 2026',
          future: 'The date they decided must be today or in the past',
        },
        today,
      ),
      how: z.preprocess(blankAsMissing, z.enum(CONSENT_HOWS, 'Select how they told you')),
      note: optionalWords(1000, 'The note must be 1000 characters or fewer'),
    }),
  );
}
export type ConsentInput = z.output<ReturnType<typeof consentSchema>>;

const INITIAL = 'Enter one letter, like G';

/** What a story says. Everything is the manager's to edit; nothing identifying may be left in (checked on save). */
const storyFields = {
  initial: z
    .string(INITIAL)
    .trim()
    .regex(/^[A-Za-z]$/, INITIAL)
    .transform((v) => v.toUpperCase()),
  age: requiredWords(40, 'Enter their age, as a band or in years', 'Their age must be 40 characters or fewer'),
  whatMattered: requiredWords(3000, 'Enter what mattered to them', 'What mattered must be 3000 characters or fewer'),
  whatHappened: requiredWords(5000, 'Enter what happened', 'What happened must be 5000 characters or fewer'),
  costsAvoided: optionalWords(20, 'Enter the costs avoided in pounds, like 7,770 or 7770.50')
    .refine((v) => v === null || parsePounds(v) !== undefined, 'Enter the costs avoided in pounds, like 7,770 or 7770.50')
    .transform((v) => (v === null ? null : (parsePounds(v) ?? null))),
  costsText: optionalWords(1000, 'What the costs are must be 1000 characters or fewer'),
  status: z.preprocess(blankAsMissing, z.enum(['draft', 'ready'], 'Select whether the story is ready for the report')),
};

export const newStorySchema = z.object({ formToken: formTokenField, person: z.uuid(EXPIRED), ...storyFields });
export type NewStoryInput = z.output<typeof newStorySchema>;

export const storyChangeSchema = z.object({ version: versionField, ...storyFields });
export type StoryChangeInput = z.output<typeof storyChangeSchema>;
