import { z } from 'zod';
import { blankAsMissing } from '../../core/http/fields.ts';
import { priceYearField } from './unit-cost-schemas.ts';

const YEAR = 'Enter a financial year, like 2025/26';
const PRICE_YEAR = 'Enter the price year as a financial year, like 2015/16';

/** The returns page's choices: the price year to show figures in, and one financial year or all. */
export const returnsQuerySchema = z.object({
  priceYear: z.preprocess(blankAsMissing, priceYearField(PRICE_YEAR, PRICE_YEAR).refine((v) => v.includes('/'), PRICE_YEAR).optional()),
  year: z.preprocess(blankAsMissing, priceYearField(YEAR, YEAR).refine((v) => v.includes('/'), YEAR).optional()),
});
export type ReturnsQuery = z.output<typeof returnsQuerySchema>;

/** The price year an admin chooses for the programme's figures; checked against the series by the service. */
export const reportPriceYearSchema = z.object({
  priceYear: z
    .string('Choose the price year to show the programme’s figures in')
    .trim()
    .regex(/^\d{4}\/\d{2}$/, 'Choose the price year to show the programme’s figures in'),
});
