import type { FastifyReply, FastifyRequest } from 'fastify';
import { signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm, type FormErrors } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { poundsText } from '../../core/money.ts';
import { returnsQuerySchema } from './returns-schemas.ts';
import { costAvoided, financialYearPeriod, libraryPriceYears, socialReturn } from './returns-service.ts';
import { describeOutcomeRates, describeRates, percentText } from './scenario-handlers.ts';

const pounds = (amount: string | null) => (amount === null ? 'Not known' : poundsText(amount));

/** Cost avoided and the social return, for a manager: full figures, with the assumptions beside them. */
export async function showReturns(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const deps = request.server.deps;
  const programmeId = user.programme.id;
  const values = formValues(request.query);
  const form = parseForm(returnsQuerySchema, request.query);
  const { years, reportYear } = await libraryPriceYears(deps, programmeId);
  const errors: FormErrors = form.ok ? {} : { ...form.errors };
  // The programme's own price year unless the manager asks for another.
  const priceYear = form.ok ? (form.data.priceYear ?? reportYear) : reportYear;
  if (form.ok && !years.includes(priceYear)) errors.priceYear = `Choose a price year the deflator series covers: ${years[0] ?? ''} to ${years[years.length - 1] ?? ''}`;
  const usable = Object.keys(errors).length === 0;
  const chosenYear = usable && form.ok ? form.data.year : undefined;
  const options = { priceYear: usable ? priceYear : reportYear, ...(chosenYear === undefined ? {} : financialYearPeriod(chosenYear)) };
  const avoided = await costAvoided(deps, programmeId, options);
  const social = await socialReturn(deps, programmeId, { priceYear: options.priceYear });
  return render(
    request,
    reply,
    'modules/impact/views/returns.njk',
    {
      values,
      errors: usable ? undefined : errors,
      years,
      chosenYear,
      attributions: [...new Set([...avoided.attributions, ...social.attributions])].sort(),
      avoided: {
        ...avoided,
        totalText: pounds(avoided.total),
        byAgency: avoided.byAgency.map((a) => ({ ...a, text: pounds(a.amount) })),
        byFinancialYear: avoided.byFinancialYear.map((a) => ({ ...a, text: pounds(a.amount) })),
        byArea: avoided.byArea.map((a) => ({ ...a, text: pounds(a.amount) })),
        averageText: pounds(avoided.averagePerPerson),
        investmentText: pounds(avoided.investment),
        perPersonText: pounds(avoided.costPerPersonSupported),
      },
      social: {
        ...social,
        investmentByYear: social.investmentByYear.map((y) => ({ ...y, text: pounds(y.amount) })),
        scenarios: social.scenarios.map((s) => ({
          ...s,
          pvText: pounds(s.presentValue),
          npvText: pounds(s.netPresentValue),
          investmentText: pounds(s.investment),
          ratioText: s.ratio === null ? 'Not known' : `£${s.ratio} for every £1`,
          // Below zero, benefits would have to grow, not fall, to cover the investment: say so rather than print it.
          switchingText: s.switchingValue === null ? 'Not known' : s.switchingValue.startsWith('-') ? 'None: the benefits do not cover the investment' : percentText(s.switchingValue),
          rows: describeRates(s.assumptions),
          costRates: s.assumptions.costRates.map((c) => ({ ...c, rows: describeOutcomeRates(c) })),
        })),
      },
    },
    usable ? 200 : 400,
  );
}
