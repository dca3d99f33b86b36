import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { optionalDate, requiredDate, withDates } from '../../core/http/date-fields.ts';
import { blankAsMissing, formTokenField, optionalWords, requiredWords, versionField } from '../../core/http/fields.ts';
import { parsePounds } from '../../core/money.ts';
import { HOW_HELPED, type HowHelped } from './tables.ts';

export const initiativeIdSchema = z.object({ id: z.uuid() });

export const HOW_HELPED_OPTIONS: readonly { value: HowHelped; text: string; hint: string }[] = [
  { value: 'started', text: 'Helped start it', hint: 'It began with the coordinator’s help' },
  { value: 'sustained', text: 'Helped keep it going', hint: 'It was already there; the coordinator helped it carry on or grow' },
];

export const HOW_HELPED_TEXT = Object.fromEntries(HOW_HELPED_OPTIONS.map((o) => [o.value, o.text])) as Record<HowHelped, string>;

/** Checkboxes send nothing, one value, or several: always a list here. */
function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
}

/** The most people an initiative can involve, as the database allows. */
const MOST_PEOPLE = 1_000_000;

/** What is recorded about an initiative, in the order the page asks. `today` bounds its dates. */
function initiativeFields(today: string) {
  return {
    name: requiredWords(200, 'Enter the name of the group or initiative', 'The name must be 200 characters or fewer'),
    description: optionalWords(2000, 'What it does must be 2000 characters or fewer'),
    areaId: z.preprocess(blankAsMissing, z.uuid('Select the neighbourhood')),
    howHelped: z.preprocess(blankAsMissing, z.enum(HOW_HELPED, 'Select how the coordinator helped')),
    startedOn: requiredDate(
      {
        empty: 'Enter the date it started',
        notReal: 'The date it started must be a real date, like 27 3 2026',
        future: 'The date it started must be today or in the past',
      },
      today,
    ),
    endedOn: optionalDate(
      { notReal: 'The date it ended must be a real date, like 27 3 2026', future: 'The date it ended must be today or in the past' },
      today,
    ),
    peopleInvolved: z
      .string('Enter how many people are involved, like 12')
      .trim()
      .min(1, 'Enter how many people are involved, like 12')
      .regex(/^\d{1,7}$/, 'Enter how many people are involved as a whole number, like 12')
      .transform(Number)
      .refine((n) => n <= MOST_PEOPLE, `The number of people must be ${MOST_PEOPLE.toLocaleString('en-GB')} or fewer`),
    assetIds: z.preprocess(
      asList,
      z
        .array(z.string())
        .max(200, 'Select community assets from the list')
        .refine((ids) => ids.every((id) => z.uuid().safeParse(id).success), 'Select community assets from the list'),
    ),
  };
}

function endedNotBeforeStarted(value: { startedOn: string; endedOn: string | null }, ctx: z.RefinementCtx) {
  if (value.endedOn !== null && value.endedOn < value.startedOn) {
    ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'The date it ended must be on or after the date it started' });
  }
}

/** A new initiative: the one-time token makes a second submission of the same form land on the first one's record. */
export function newInitiativeSchema(today: string) {
  return z.preprocess(
    withDates(['startedOn', 'endedOn']),
    z.object({ formToken: formTokenField, ...initiativeFields(today) }).superRefine(endedNotBeforeStarted),
  );
}
export type NewInitiativeInput = z.output<ReturnType<typeof newInitiativeSchema>>;

/** A change, from the version the form showed. */
export function initiativeChangeSchema(today: string) {
  return z.preprocess(
    withDates(['startedOn', 'endedOn']),
    z.object({ version: versionField, ...initiativeFields(today) }).superRefine(endedNotBeforeStarted),
  );
}
export type InitiativeChangeInput = z.output<ReturnType<typeof initiativeChangeSchema>>;

const MONEY_WORDS = 'Enter the amount in pounds, like 250 or 1,250.50';
/** numeric(12, 2) holds up to ten digits of pounds. */
const MOST_POUNDS = new Decimal('9999999999.99');

/** Funding found for an initiative: how much, from whom, when. Pounds and pence as exact text, never a float. */
function fundingFields(today: string) {
  return {
    amount: z
      .string(MONEY_WORDS)
      .trim()
      .min(1, MONEY_WORDS)
      .transform((v, ctx) => {
        const pounds = parsePounds(v);
        if (pounds === undefined) {
          ctx.addIssue({ code: 'custom', message: 'Enter the amount in pounds and pence, like 250 or 1,250.50' });
          return z.NEVER;
        }
        return pounds;
      })
      .refine((v) => new Decimal(v).gt(0), 'The amount must be more than £0')
      .refine((v) => new Decimal(v).lte(MOST_POUNDS), 'The amount must be less than £10,000,000,000'),
    funder: requiredWords(200, 'Enter who funded it', 'Who funded it must be 200 characters or fewer'),
    foundOn: requiredDate(
      {
        empty: 'Enter the date the funding was found',
        notReal: 'The date the funding was found must be a real date, like 27 3 2026',
        future: 'The date the funding was found must be today or in the past',
      },
      today,
    ),
  };
}

export function fundingSchema(today: string) {
  return z.preprocess(withDates(['foundOn']), z.object({ formToken: formTokenField, ...fundingFields(today) }));
}
export type FundingInput = z.output<ReturnType<typeof fundingSchema>>;

/** Which row of funding a correction is about: its id travels in the form, never the address (ADR 0006). */
export const fundingRowSchema = z.object({ row: z.uuid() });

/** A row of funding corrected, from the version the form was made from. */
export function fundingChangeSchema(today: string) {
  return z.preprocess(withDates(['foundOn']), z.object({ version: versionField, ...fundingFields(today) }));
}
export type FundingChangeInput = z.output<ReturnType<typeof fundingChangeSchema>>;

/** A row of funding taken out of the ledger (recorded by mistake, or twice): kept, with why. */
export const fundingRemoveSchema = z.object({
  version: versionField,
  reason: requiredWords(500, 'Say why this funding is being removed', 'Why it is being removed must be 500 characters or fewer'),
});
export type FundingRemoveInput = z.output<typeof fundingRemoveSchema>;

/** What happened, on a day: kept as a dated update, never changed. */
export function updateSchema(today: string) {
  return z.preprocess(
    withDates(['happenedOn']),
    z.object({
      formToken: formTokenField,
      happenedOn: requiredDate(
        {
          empty: 'Enter the date it happened',
          notReal: 'The date it happened must be a real date, like 27 3 2026',
          future: 'The date it happened must be today or in the past',
        },
        today,
      ),
      what: requiredWords(5000, 'Enter what happened', 'What happened must be 5000 characters or fewer'),
    }),
  );
}
export type UpdateInput = z.output<ReturnType<typeof updateSchema>>;
