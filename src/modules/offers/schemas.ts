import { z } from 'zod';
import { optionalDate, requiredDate, withDates } from '../../core/http/date-fields.ts';
import { EXPIRED, blankAsMissing, formTokenField, optionalWords, requiredWords, versionField } from '../../core/http/fields.ts';
import { ITEM_KINDS, ITEM_STATUSES, OFFER_CATEGORIES, type ItemKind, type OfferCategory } from './tables.ts';

export const recordIdSchema = z.object({ id: z.uuid() });

/** The categories in words, with the examples coordinators would give. */
export const CATEGORY_OPTIONS: readonly { value: OfferCategory; text: string; hint?: string }[] = [
  { value: 'item', text: 'An item', hint: 'Like a cooker, a microwave or a washing machine' },
  { value: 'furniture', text: 'Furniture', hint: 'Like a dining table, a bed or a sofa' },
  { value: 'time', text: 'Time', hint: 'Company, a chat, a walk together' },
  { value: 'skill', text: 'A skill', hint: 'Like plumbing, cooking or filling in forms' },
  { value: 'lift', text: 'A lift', hint: 'A car journey, like to the hospital or the shops' },
  { value: 'van', text: 'A van', hint: 'Moving something large' },
  { value: 'space', text: 'Space', hint: 'Like a garden, an allotment or a room' },
  { value: 'other', text: 'Something else' },
];

export const CATEGORY_TEXT = Object.fromEntries(CATEGORY_OPTIONS.map((o) => [o.value, o.text])) as Record<OfferCategory, string>;

export const KIND_TEXT: Record<ItemKind, string> = { offer: 'Offer', ask: 'Ask' };

export const STATUS_TEXT: Record<(typeof ITEM_STATUSES)[number], string> = {
  open: 'Open',
  matched: 'Matched',
  done: 'Done',
  withdrawn: 'Withdrawn',
};

const DATE_WORDS = {
  from: { empty: 'Enter the date it is available from', notReal: 'The date it is available from must be a real date, like 27 3 2026' },
  until: { notReal: 'The date it is available until must be a real date, like 27 3 2026' },
};

/** What an offer or ask says, in the order the form asks, with the "until" date not before the "from" date. */
const itemFields = {
  category: z.preprocess(blankAsMissing, z.enum(OFFER_CATEGORIES, 'Select what kind of thing it is')),
  what: requiredWords(2000, 'Enter what exactly it is', 'What exactly it is must be 2000 characters or fewer'),
  areaId: z.preprocess(blankAsMissing, z.uuid('Select the neighbourhood')),
  availableFrom: requiredDate(DATE_WORDS.from),
  availableUntil: optionalDate(DATE_WORDS.until),
  schemeId: z.preprocess(blankAsMissing, z.uuid('Select a scheme from the list').optional()).transform((v) => v ?? null),
};

function untilNotBeforeFrom(value: { availableFrom: string; availableUntil: string | null }, ctx: z.RefinementCtx) {
  if (value.availableUntil !== null && value.availableUntil < value.availableFrom) {
    ctx.addIssue({ code: 'custom', path: ['availableUntil'], message: 'The date it is available until must be on or after the date it is available from' });
  }
}

/** A person's new offer or ask. The one-time token makes a second submission land on the first one's record. */
export const newPersonItemSchema = z.preprocess(
  withDates(['availableFrom', 'availableUntil']),
  z.object({ formToken: formTokenField, kind: z.enum(ITEM_KINDS, EXPIRED), ...itemFields }).superRefine(untilNotBeforeFrom),
);
export type NewPersonItemInput = z.output<typeof newPersonItemSchema>;

/** A community asset's new offer. */
export const newAssetOfferSchema = z.preprocess(
  withDates(['availableFrom', 'availableUntil']),
  z
    .object({ formToken: formTokenField, assetId: z.preprocess(blankAsMissing, z.uuid('Select the community asset')), ...itemFields })
    .superRefine(untilNotBeforeFrom),
);
export type NewAssetOfferInput = z.output<typeof newAssetOfferSchema>;

/** A change to an offer or ask: what it says, and whether it is still open or withdrawn. */
export const itemChangeSchema = z.preprocess(
  withDates(['availableFrom', 'availableUntil']),
  z
    .object({
      version: versionField,
      ...itemFields,
      status: z.preprocess(blankAsMissing, z.enum(['open', 'withdrawn'], 'Select whether it is still open')),
    })
    .superRefine(untilNotBeforeFrom),
);
export type ItemChangeInput = z.output<typeof itemChangeSchema>;

/** Which offer or ask a page or form is about: in the query or the form, never in a person's address (ADR 0006). */
export const itemRefSchema = z.object({ item: z.uuid() });
export const askRefSchema = z.object({ ask: z.uuid() });

/** A coordinator confirming that an offer meets an ask, on the day they agreed. */
export function matchSchema(today: string) {
  return z.preprocess(
    withDates(['matchedOn']),
    z.object({
      formToken: formTokenField,
      ask: z.uuid(EXPIRED),
      offer: z.preprocess(blankAsMissing, z.uuid('Select the offer to match with')),
      matchedOn: requiredDate(
        {
          empty: 'Enter the date they agreed',
          notReal: 'The date they agreed must be a real date, like 27 3 2026',
          future: 'The date they agreed must be today or in the past',
        },
        today,
      ),
    }),
  );
}
export type MatchInput = z.output<ReturnType<typeof matchSchema>>;

/** A match that has happened: the cooker was carried over, the garden is being dug. */
export function matchDoneSchema(today: string) {
  return z.preprocess(
    withDates(['doneOn']),
    z.object({
      match: z.uuid(EXPIRED),
      doneOn: requiredDate(
        {
          empty: 'Enter the date it happened',
          notReal: 'The date it happened must be a real date, like 27 3 2026',
          future: 'The date it happened must be today or in the past',
        },
        today,
      ),
    }),
  );
}
export type MatchDoneInput = z.output<ReturnType<typeof matchDoneSchema>>;

/** Undoing a match that has not happened: why, in words both people's coordinators will read. */
export const matchUndoSchema = z.object({
  match: z.uuid(EXPIRED),
  reason: requiredWords(500, 'Say why the match is being undone', 'Why it is being undone must be 500 characters or fewer'),
});
export type MatchUndoInput = z.output<typeof matchUndoSchema>;

/** A scheme that pairs many offers with many asks of one kind. */
export const newSchemeSchema = z.object({
  formToken: formTokenField,
  name: requiredWords(200, 'Enter the name of the scheme', 'The name must be 200 characters or fewer'),
  category: z.preprocess(blankAsMissing, z.enum(OFFER_CATEGORIES, 'Select what kind of thing the scheme pairs')),
  description: optionalWords(2000, 'What the scheme does must be 2000 characters or fewer'),
});
export type NewSchemeInput = z.output<typeof newSchemeSchema>;

/** A scheme's new name and description, from the version the form was made from. */
export const schemeChangeSchema = z.object({
  version: versionField,
  name: newSchemeSchema.shape.name,
  description: newSchemeSchema.shape.description,
});
export type SchemeChangeInput = z.output<typeof schemeChangeSchema>;

/** The filters on the programme-wide lists: none of them personal, so they may sit in the address. */
export const listFilterSchema = z.object({
  category: z.preprocess(blankAsMissing, z.enum(OFFER_CATEGORIES, 'Select a kind of thing from the list').optional()),
  area: z.preprocess(blankAsMissing, z.uuid('Select a neighbourhood from the list').optional()),
  // Open ones unless asked otherwise: they are the ones to match.
  status: z
    .preprocess(blankAsMissing, z.enum([...ITEM_STATUSES, 'all'], 'Select a status from the list').optional())
    .transform((v) => v ?? 'open'),
});
export type ListFilters = z.output<typeof listFilterSchema>;
