import { z } from 'zod';
import { blankAsMissing, formTokenField, optionalWords, requiredWords, versionField } from '../../core/http/fields.ts';
import { parsePounds } from '../../core/money.ts';
import { RAG_RATINGS, type RagRating } from './unit-cost-tables.ts';

export const unitCostIdSchema = z.object({ id: z.uuid() });

export const RAG_TEXT: Record<RagRating, string> = { R: 'Red', A: 'Amber', G: 'Green' };

/** How many costs a page of the library shows. */
export const PAGE_SIZE = 25;

/** The library's search: words, an agency, a RAG rating, a library version and a page, each optional. */
export const librarySearchSchema = z.object({
  q: optionalWords(100, 'Search words must be 100 characters or fewer'),
  agency: optionalWords(200, 'Select an agency from the list'),
  rag: z.preprocess(blankAsMissing, z.enum(RAG_RATINGS, 'Select a RAG rating from the list').optional()).transform((v) => v ?? null),
  library: z.preprocess(blankAsMissing, z.uuid('Select a library from the list').optional()).transform((v) => v ?? null),
  page: z.preprocess(
    (v) => (v === undefined || v === '' ? '1' : v),
    z.coerce.number('Enter a page number, like 2').int('Enter a page number, like 2').min(1, 'Enter a page number, like 2').max(100_000, 'Enter a page number, like 2'),
  ),
});
export type LibrarySearch = z.output<typeof librarySearchSchema>;

const FINANCIAL_YEAR = /^(\d{4})\s*[/-]\s*(\d{2})$/;
const CALENDAR_YEAR = /^\d{4}$/;

/**
 * A price year as the series write them: a financial year '2015/16' (also typed 2015-16) or a calendar year
 * '2015'. The second half of a financial year must follow the first.
 */
export function priceYearField(empty: string, wrong: string) {
  return z
    .string(empty)
    .trim()
    .min(1, empty)
    .transform((text, ctx) => {
      const financial = FINANCIAL_YEAR.exec(text);
      if (financial !== null) {
        const [, start = '', end = ''] = financial;
        if ((Number(start) + 1) % 100 !== Number(end)) {
          ctx.addIssue({ code: 'custom', message: `A financial year runs into the next year, like ${start}/${String((Number(start) + 1) % 100).padStart(2, '0')}` });
          return z.NEVER;
        }
        return `${start}/${end}`;
      }
      if (CALENDAR_YEAR.test(text)) return text;
      ctx.addIssue({ code: 'custom', message: wrong });
      return z.NEVER;
    });
}

/** Which price year and series to show a cost's values in. Both blank: the page chooses (see the service). */
export const uprateSchema = z.object({
  year: z.preprocess(blankAsMissing, priceYearField('Enter the price year to show the values in, like 2015/16 or 2015', 'Enter the price year as a financial year, like 2015/16, or a calendar year, like 2015').optional()),
  series: z.preprocess(blankAsMissing, z.uuid('Select a price index series from the list').optional()),
});
export type UprateInput = z.output<typeof uprateSchema>;

/** A programme's own cost: where its figure comes from is required, as the workbook's costs all say. */
const localCostFields = {
  description: requiredWords(2000, 'Enter what the cost is', 'What the cost is must be 2000 characters or fewer'),
  unit: requiredWords(200, 'Enter what the cost is per, like per assessment or per week', 'What the cost is per must be 200 characters or fewer'),
  fiscalValue: z
    .string('Enter the cost in pounds, like 510 or 1,250.50')
    .trim()
    .min(1, 'Enter the cost in pounds, like 510 or 1,250.50')
    .transform((text, ctx) => {
      const pounds = parsePounds(text);
      if (pounds === undefined || pounds.length > 13) {
        ctx.addIssue({ code: 'custom', message: 'Enter the cost in pounds, like 510 or 1,250.50' });
        return z.NEVER;
      }
      return pounds;
    }),
  priceYear: priceYearField('Enter the price year of the cost, like 2015/16 or 2015', 'Enter the price year as a financial year, like 2015/16, or a calendar year, like 2015'),
  agencyL1: requiredWords(200, 'Enter the agency that bears the cost, like Local authority', 'The agency must be 200 characters or fewer'),
  agencyL2: optionalWords(200, 'The part of the agency must be 200 characters or fewer'),
  source: requiredWords(2000, 'Enter where the figure comes from', 'Where the figure comes from must be 2000 characters or fewer'),
  code: optionalWords(40, 'The code must be 40 characters or fewer'),
  comment: optionalWords(5000, 'The comment must be 5000 characters or fewer'),
};

export const newLocalCostSchema = z.object({ formToken: formTokenField, ...localCostFields });
export type NewLocalCostInput = z.output<typeof newLocalCostSchema>;

export const localCostChangeSchema = z.object({ version: versionField, ...localCostFields });
export type LocalCostChangeInput = z.output<typeof localCostChangeSchema>;
