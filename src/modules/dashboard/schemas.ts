import { z } from 'zod';
import { isMonth } from './period.ts';

/** The month a reader chose; blank means the default. Checked against the months offered by the service. */
export const monthQuerySchema = z.object({
  month: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || isMonth(v), 'Choose a month from the list'),
});

/** A table's CSV: its id, as in the page's anchors, with the .csv ending. */
export const tableParamsSchema = z.object({ table: z.string().regex(/^[a-z-]{1,60}\.csv$/) });
