import { z } from 'zod';
import { optionalDate, withDates } from '../../core/http/date-fields.ts';
import { blankAsMissing, formTokenField, optionalWords, requiredWords, versionField } from '../../core/http/fields.ts';
import { BARRIER_SERVICES, BARRIER_STATUSES, type BarrierService, type BarrierStatus } from './tables.ts';

export const barrierIdSchema = z.object({ id: z.uuid() });

export const SERVICE_TEXT: Record<BarrierService, string> = {
  adult_social_care: 'Adult social care',
  childrens_social_care: 'Children’s social care',
  public_health: 'Public health',
  housing: 'Housing',
  nhs: 'NHS',
  police: 'Police',
  dwp: 'DWP (benefits)',
  education: 'Education',
};

export const STATUS_OPTIONS: readonly { value: BarrierStatus; text: string; hint: string }[] = [
  { value: 'raised', text: 'Raised', hint: 'Recorded, and raised or to be raised with the Leadership Group' },
  { value: 'being_worked_on', text: 'Being worked on', hint: 'A service or the Leadership Group is looking at it' },
  { value: 'changed', text: 'Changed', hint: 'The service changed what it does' },
  { value: 'closed_without_change', text: 'Closed without change', hint: 'Nothing will change, for now' },
];

export const STATUS_TEXT = Object.fromEntries(STATUS_OPTIONS.map((o) => [o.value, o.text])) as Record<BarrierStatus, string>;

const isService = (value: string): value is BarrierService => (BARRIER_SERVICES as readonly string[]).includes(value);

/** Checkboxes send nothing, one value, or several: always a list here. */
function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
}

/** What the log says about a barrier, in the order the page asks. `today` bounds the date it was raised. */
function barrierFields(today: string) {
  return {
    summary: requiredWords(200, 'Enter the barrier in a line', 'The barrier in a line must be 200 characters or fewer'),
    whatHappened: requiredWords(5000, 'Enter what happened', 'What happened must be 5000 characters or fewer'),
    // One message for the list, not one per box: a tampered form is one problem.
    services: z.preprocess(
      asList,
      z
        .array(z.string())
        .refine((list) => list.every(isService), 'Select services from the list')
        .transform((list) => list.filter(isService)),
    ),
    otherServices: optionalWords(500, 'Other services must be 500 characters or fewer'),
    raisedWithLeadershipOn: optionalDate(
      {
        notReal: 'The date it was raised with the Leadership Group must be a real date, like 27 3 2026',
        future: 'The date it was raised with the Leadership Group must be today or in the past',
      },
      today,
    ),
    response: optionalWords(5000, 'The response must be 5000 characters or fewer'),
  };
}

function someService(value: { services: BarrierService[]; otherServices: string | null }, ctx: z.RefinementCtx) {
  if (value.services.length === 0 && value.otherServices === null) {
    ctx.addIssue({ code: 'custom', path: ['services'], message: 'Select the services involved, or name them under other services' });
  }
}

/** A new barrier: the one-time token makes a second submission of the same form land on the first one's record. */
export function newBarrierSchema(today: string) {
  return z.preprocess(withDates(['raisedWithLeadershipOn']), z.object({ formToken: formTokenField, ...barrierFields(today) }).superRefine(someService));
}
export type NewBarrierInput = z.output<ReturnType<typeof newBarrierSchema>>;

/** A change, from the version the form showed: what the log says, and where the barrier is up to. */
export function barrierChangeSchema(today: string) {
  return z.preprocess(
    withDates(['raisedWithLeadershipOn']),
    z
      .object({
        version: versionField,
        ...barrierFields(today),
        status: z.preprocess(blankAsMissing, z.enum(BARRIER_STATUSES, 'Select where the barrier is up to')),
        statusNote: optionalWords(2000, 'What changed must be 2000 characters or fewer'),
      })
      .superRefine(someService),
  );
}
export type BarrierChangeInput = z.output<ReturnType<typeof barrierChangeSchema>>;

/** The search for someone the barrier affected: by name or postcode, sent by POST so names stay out of addresses. */
export const personSearchSchema = z.object({
  q: requiredWords(100, 'Enter a name or postcode to search for', 'The search must be 100 characters or fewer'),
});

/** The person a link is about, in the form. */
export const personRefSchema = z.object({ person: z.uuid() });
