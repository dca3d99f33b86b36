import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { blankAsMissing, formTokenField, optionalWords, versionField } from '../../core/http/fields.ts';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';
import { EVIDENCE_TYPES, type EvidenceType } from './avoided-tables.ts';

/** Which avoided outcome a change is about: in the form (or, to open the change form, the query), never the path. */
export const outcomeRefSchema = z.object({ outcome: z.uuid() });

export const EVIDENCE_TEXT: Record<EvidenceType, { text: string; hint: string }> = {
  practitioner_judgement: { text: 'Practitioner judgement', hint: 'What you, knowing them, judged was likely' },
  agency_confirmed: { text: 'Confirmed by the agency', hint: 'The agency that would have borne the cost said so' },
  record: { text: 'From a record', hint: 'A letter, notice or record shows it, like a notice seeking possession' },
};

/** The picker's search: words to find a unit cost by. */
export const costSearchSchema = z.object({ q: optionalWords(100, 'Search words must be 100 characters or fewer') });

/** A positive decimal typed in a form, kept as decimal text: never a float. */
function positiveDecimal(empty: string, wrong: string, max: number) {
  return z
    .string(empty)
    .trim()
    .min(1, empty)
    .refine((v) => /^\d{1,9}(\.\d{1,4})?$/.test(v) && new Decimal(v).gt(0) && new Decimal(v).lte(max), wrong)
    .transform((v) => new Decimal(v).toString());
}

const withDate = (values: unknown) => {
  const form = values as FormValues;
  return { ...form, likelyOn: joinDateParts(form, 'likelyOn') };
};

function contentFields(today: string) {
  return {
    quantity: positiveDecimal('Enter how many, like 1', 'Enter how many as a number above 0, like 1 or 2.5', 100_000),
    duration: z.preprocess(
      blankAsMissing,
      positiveDecimal('', 'Enter how long as a number above 0, like 12, or leave it blank for a one-off cost', 10_000).optional(),
    ).transform((v) => v ?? null),
    likelihood: z
      .string('Enter how likely it was, as a percentage from 1 to 100')
      .trim()
      .transform((v) => v.replace(/%$/, '').trim())
      .refine((v) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && new Decimal(v).gt(0) && new Decimal(v).lte(100), 'Enter how likely it was, as a percentage from 1 to 100')
      // Stored as a share, 0 to 1, as the calculations take it.
      .transform((v) => new Decimal(v).dividedBy(100).toString()),
    evidence: z.enum(EVIDENCE_TYPES, 'Select what the evidence is'),
    agencyOverride: optionalWords(200, 'The agency must be 200 characters or fewer'),
    note: optionalWords(5000, 'The note must be 5000 characters or fewer'),
    likelyOn: z
      .string()
      .min(1, 'Enter the date it was likely to happen')
      .refine((v) => !v.startsWith('invalid:'), 'The date must be a real date, like 27 3 2026')
      .refine((v) => v <= today, 'The date must be today or in the past'),
  };
}

/** Recording an avoided outcome: the cost chosen in the picker, and what was likely. */
export function newAvoidedSchema(today: string) {
  return z.preprocess(
    withDate,
    z.object({ formToken: formTokenField, unitCost: z.uuid('Select the unit cost: search for it, then choose it from the list'), ...contentFields(today) }),
  );
}
export type NewAvoidedInput = z.output<ReturnType<typeof newAvoidedSchema>>;

/** Changing one (or resubmitting a returned one): the cost stays as chosen, with its values as they were. */
export function avoidedChangeSchema(today: string) {
  return z.preprocess(withDate, z.object({ version: versionField, ...contentFields(today) }));
}
export type AvoidedChangeInput = z.output<ReturnType<typeof avoidedChangeSchema>>;

/** A manager's decision: verified, or returned to the coordinator with the reason. */
export const verificationSchema = z
  .object({
    version: versionField,
    decision: z.enum(['verify', 'return'], 'Select whether to verify it or return it'),
    reason: optionalWords(2000, 'The reason must be 2000 characters or fewer'),
  })
  .superRefine((value, ctx) => {
    if (value.decision === 'return' && value.reason === null) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why you are returning it, so the coordinator can put it right' });
  });
export type VerificationInput = z.output<typeof verificationSchema>;
