import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { blankAsMissing, requiredWords } from '../../core/http/fields.ts';
import { parsePounds } from '../../core/money.ts';
import type { Rounding } from './calculations.ts';

/** The roundings a projection offers: to the penny, or down to the whole pound as published tables do. */
export const PROJECTION_ROUNDINGS = ['penny', 'pound-down'] as const satisfies readonly Rounding[];
export type ProjectionRounding = (typeof PROJECTION_ROUNDINGS)[number];

/** All the programme's funding, rather than one partner's. */
export const ALL_FUNDING = 'all';

/** A published figure's field, one per financial year: '2024/25' → 'published-2024-25' (an id a link can name). */
export const publishedField = (year: string) => `published-${year.replace('/', '-')}`;

const RATIO = 'Enter the evidence ratio as a number above 0 with up to 4 decimal places, like 3.65';
const RATIO_TOO_BIG = 'The evidence ratio must be less than 1,000';
const RATIO_SHAPE = /^£?\s*(\d{1,9}(\.\d{1,4})?)$/;

const ratioField = z
  .string(RATIO)
  .trim()
  .min(1, RATIO)
  .transform((text, ctx) => {
    const number = RATIO_SHAPE.exec(text)?.[1];
    if (number === undefined || !new Decimal(number).gt(0)) {
      ctx.addIssue({ code: 'custom', message: RATIO });
      return z.NEVER;
    }
    // An evidence ratio is pounds of value per pound invested: a four-figure one is a typing slip, not evidence.
    if (new Decimal(number).gte(1000)) {
      ctx.addIssue({ code: 'custom', message: RATIO_TOO_BIG });
      return z.NEVER;
    }
    return new Decimal(number).toString();
  });

function publishedFigure(year: string) {
  const message = `Enter the published figure for ${year} in pounds, like 4,658,516, or leave it blank`;
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string(message)
      .transform((text, ctx) => {
        const pounds = parsePounds(text);
        if (pounds === undefined || pounds.length > 18) {
          ctx.addIssue({ code: 'custom', message });
          return z.NEVER;
        }
        return pounds;
      })
      .optional(),
  );
}

/**
 * The projection's choices, asked in the query so a projection can be bookmarked and shared (it holds no person).
 * The programme's financial years and funding decide which published figures and which funding may be named.
 */
export function projectionQuerySchema(years: readonly string[], fundings: readonly string[]) {
  const published = Object.fromEntries(years.map((year) => [publishedField(year), publishedFigure(year)]));
  return z
    .object({
      ratio: ratioField,
      source: requiredWords(500, 'Enter where the evidence ratio comes from, like the evaluation that found it', 'Where the evidence ratio comes from must be 500 characters or fewer'),
      rounding: z.preprocess(blankAsMissing, z.enum(PROJECTION_ROUNDINGS, 'Select how to round the projected values')),
      funding: z.preprocess((v) => blankAsMissing(v) ?? ALL_FUNDING, z.enum([ALL_FUNDING, ...fundings] as [string, ...string[]], 'Select the funding to project from the list')),
      ...published,
    })
    .transform(({ ratio, source, rounding, funding, ...rest }) => {
      const figures = rest as Record<string, string | undefined>;
      const publishedByYear = new Map<string, string>();
      for (const year of years) {
        const figure = figures[publishedField(year)];
        if (figure !== undefined) publishedByYear.set(year, figure);
      }
      return { ratio, source, rounding, funding, published: publishedByYear };
    });
}
export type ProjectionQuery = z.output<ReturnType<typeof projectionQuerySchema>>;
