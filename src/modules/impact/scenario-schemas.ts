import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { requiredWords, versionField } from '../../core/http/fields.ts';
import { SCENARIO_KINDS } from './scenario-tables.ts';

export const scenarioKindSchema = z.object({ kind: z.enum(SCENARIO_KINDS) });

/** A percentage from 0 to 100 as typed ('20', '3.5', '20%'), kept as a share from 0 to 1 in decimal text. */
function percentField(what: string) {
  const message = `Enter ${what} as a percentage from 0 to 100, like 20`;
  return z
    .string(message)
    .trim()
    .transform((v) => v.replace(/%$/, '').trim())
    .refine((v) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && new Decimal(v).lte(100), message)
    .transform((v) => new Decimal(v).dividedBy(100).toString());
}

const yesNo = (message: string) => z.enum(['yes', 'no'], message).transform((v) => v === 'yes');

/** The rates that can differ for one cost: what would have happened anyway, elsewhere, or is owed to others; how long it lasts. */
const outcomeRateFields = {
  deadweight: percentField('deadweight'),
  displacement: percentField('displacement'),
  attribution: percentField('attribution'),
  dropOff: percentField('drop-off'),
  years: z
    .string('Enter how many years the benefit lasts, from 1 to 30')
    .trim()
    .regex(/^\d{1,2}$/, 'Enter how many years the benefit lasts, from 1 to 30')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 30, 'Enter how many years the benefit lasts, from 1 to 30'),
};

export const scenarioSchema = z.object({
  version: versionField,
  ...outcomeRateFields,
  discountRate: percentField('the discount rate'),
  discountFirstYear: yesNo('Select whether the first year is discounted'),
  useLikelihood: yesNo('Select whether each outcome counts by its likelihood'),
  basis: requiredWords(2000, 'Enter where these rates come from, or what they assume', 'Where the rates come from must be 2000 characters or fewer'),
});
export type ScenarioInput = z.output<typeof scenarioSchema>;

export const costRatesSchema = z.object({ unitCost: z.uuid('Select the unit cost'), ...outcomeRateFields });
export type CostRatesInput = z.output<typeof costRatesSchema>;

export const costRatesRemoveSchema = z.object({ unitCost: z.uuid('Select the unit cost') });
