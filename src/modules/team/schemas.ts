import { z } from 'zod';

/** The manager's choice of how long without contact to look for: whole weeks, from one to two years. */
export const noContactSchema = z.object({
  weeks: z.preprocess(
    (value) => (value === undefined || value === '' ? '4' : value),
    z.coerce
      .number('Enter a number of weeks, such as 4')
      .int('Enter a whole number of weeks, such as 4')
      .min(1, 'Enter a number of weeks from 1 to 104')
      .max(104, 'Enter a number of weeks from 1 to 104'),
  ),
});

export type NoContactInput = z.output<typeof noContactSchema>;
