import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { formTokenField, optionalWords, versionField } from '../../core/http/fields.ts';
import { parsePounds } from '../../core/money.ts';
import { PARTNERS, type Partner } from './investment-tables.ts';
import { priceYearField } from './unit-cost-schemas.ts';

export const PARTNER_TEXT: Record<Partner, string> = {
  adult_social_care: 'Adult social care',
  public_health: 'Public health',
  nhs: 'The NHS',
  housing: 'Housing',
  police: 'Police',
  other: 'Another partner',
};

/** Which funding line a change is about: in the form, or the query to open it. */
export const lineRefSchema = z.object({ line: z.uuid() });

const YEAR_EMPTY = 'Enter the financial year, like 2025/26';

const fields = {
  partner: z.enum(PARTNERS, 'Select the partner'),
  partnerName: optionalWords(200, 'The partner’s name must be 200 characters or fewer'),
  financialYear: priceYearField(YEAR_EMPTY, YEAR_EMPTY).refine((v) => v.includes('/'), YEAR_EMPTY),
  amount: z
    .string('Enter the amount in pounds, like 150,000')
    .trim()
    .min(1, 'Enter the amount in pounds, like 150,000')
    .transform((text, ctx) => {
      const pounds = parsePounds(text);
      if (pounds === undefined || pounds.length > 15 || !new Decimal(pounds).gt(0)) {
        ctx.addIssue({ code: 'custom', message: 'Enter the amount in pounds above £0, like 150,000 or 28,500.50' });
        return z.NEVER;
      }
      return pounds;
    }),
  note: optionalWords(2000, 'The note must be 2000 characters or fewer'),
};

/** A partner named 'other' must be named; a partner from the list keeps no name of its own. */
function partnerNamed(value: { partner: Partner; partnerName: string | null }, ctx: z.RefinementCtx) {
  if (value.partner === 'other' && value.partnerName === null) ctx.addIssue({ code: 'custom', path: ['partnerName'], message: 'Enter the name of the partner' });
}
const tidy = <T extends { partner: Partner; partnerName: string | null }>(value: T): T => ({ ...value, partnerName: value.partner === 'other' ? value.partnerName : null });

export const newInvestmentSchema = z.object({ formToken: formTokenField, ...fields }).superRefine(partnerNamed).transform(tidy);
export type NewInvestmentInput = z.output<typeof newInvestmentSchema>;

export const investmentChangeSchema = z.object({ version: versionField, ...fields }).superRefine(partnerNamed).transform(tidy);
export type InvestmentChangeInput = z.output<typeof investmentChangeSchema>;

/** Deleting a line: only when the box saying so is ticked. */
export const investmentDeleteSchema = z.object({ version: versionField, confirm: z.preprocess((v) => v ?? '', z.literal('yes', 'Select yes to delete this funding line')) });
export type InvestmentDeleteInput = z.output<typeof investmentDeleteSchema>;
