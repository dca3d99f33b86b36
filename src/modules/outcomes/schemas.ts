import { z } from 'zod';
import { requiredDate, withDates } from '../../core/http/date-fields.ts';
import { blankAsMissing, formTokenField, optionalWords, requiredWords, versionField } from '../../core/http/fields.ts';
import {
  LONELY_VALUES,
  OCCASIONS,
  SCALE_QUESTIONS,
  SERVICE_KINDS,
  SIDES,
  SOURCES,
  UCLA_ITEMS,
  type CheckInAnswers,
  type QuestionKey,
  type ScaleKey,
  type ServiceCounts,
} from './measures.ts';

/** Which check-in or period a change is about: in the form (or, to open the change form, the query), never the path. */
export const checkInRefSchema = z.object({ checkIn: z.uuid() });
export const periodRefSchema = z.object({ period: z.uuid() });

export const DECLINED = 'declined';

/** Checkboxes send nothing, one value, or several: always a list here. */
const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value]);

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/** A whole number typed into a box, within its range; blank is no answer. */
function wholeNumber(min: number, max: number, message: string) {
  return z.preprocess(
    (v) => blankAsMissing(trimmed(v)),
    z
      .string(message)
      .regex(/^\d{1,5}$/, message)
      .transform(Number)
      .refine((n) => n >= min && n <= max, message)
      .optional(),
  );
}

const scaleKeys = SCALE_QUESTIONS.map((q) => q.key) as [ScaleKey, ...ScaleKey[]];

function checkInFields(today: string) {
  return {
    occasion: z.preprocess(blankAsMissing, z.enum(OCCASIONS, 'Select when this check-in was')),
    checkedOn: requiredDate(
      {
        empty: 'Enter the date of the check-in',
        notReal: 'The date of the check-in must be a real date, like 27 3 2026',
        future: 'The date of the check-in must be today or in the past',
      },
      today,
    ),
    recordedByName: requiredWords(200, 'Enter who recorded the check-in with them', 'Who recorded it must be 200 characters or fewer'),
    ...Object.fromEntries(
      SCALE_QUESTIONS.map((q) => [q.key, wholeNumber(0, 10, `${q.label.replace(/ \(lower is better\)$/, '')} must be a whole number from 0 to 10`)]),
    ),
    lonely: z.preprocess(blankAsMissing, z.enum([...LONELY_VALUES, DECLINED], 'Select how often they feel lonely from the list').optional()),
    ...Object.fromEntries(UCLA_ITEMS.map((i) => [i.key, z.preprocess(blankAsMissing, z.enum(['1', '2', '3', DECLINED], 'Select an answer from the list').optional())])),
    // One message for the list: a tampered form is one problem.
    declined: z.preprocess(asList, z.array(z.enum(scaleKeys, 'Select questions from the list'))),
  } as Record<string, z.ZodType>;
}

interface RawCheckIn {
  occasion: (typeof OCCASIONS)[number];
  checkedOn: string;
  recordedByName: string;
  lonely?: string;
  declined: ScaleKey[];
  [key: string]: unknown;
}

/** Both a number and "prefer not to say" for one question cannot both be meant. */
function notBoth(value: RawCheckIn, ctx: z.RefinementCtx) {
  for (const q of SCALE_QUESTIONS) {
    if (value.declined.includes(q.key) && value[q.key] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [q.key], message: 'Enter a number or select prefer not to say, not both' });
    }
  }
}

/** The form's answers as stored: numbers, or null; every declined question named once. */
function toAnswers(value: RawCheckIn): CheckInAnswers {
  const declined: QuestionKey[] = [...value.declined];
  const answers = { declined } as unknown as CheckInAnswers;
  for (const q of SCALE_QUESTIONS) answers[q.key] = (value[q.key] as number | undefined) ?? null;
  if (value.lonely === DECLINED) declined.push('lonely');
  answers.lonely = value.lonely === undefined || value.lonely === DECLINED ? null : (value.lonely as CheckInAnswers['lonely']);
  for (const item of UCLA_ITEMS) {
    const raw = value[item.key] as string | undefined;
    if (raw === DECLINED) declined.push(item.key);
    answers[item.key] = raw === undefined || raw === DECLINED ? null : Number(raw);
  }
  return answers;
}

function checkInSchema<Extra extends z.ZodRawShape>(today: string, extra: Extra) {
  return z.preprocess(
    withDates(['checkedOn']),
    z
      .object({ ...extra, ...checkInFields(today) })
      .superRefine((v, ctx) => {
        notBoth(v as unknown as RawCheckIn, ctx);
      })
      .transform((v) => {
        const raw = v as unknown as RawCheckIn & Record<keyof Extra, unknown>;
        const extras = Object.fromEntries(Object.keys(extra).map((k) => [k, raw[k]])) as { [K in keyof Extra]: z.output<Extra[K]> };
        return { ...extras, occasion: raw.occasion, checkedOn: raw.checkedOn, recordedByName: raw.recordedByName, answers: toAnswers(raw) };
      }),
  );
}

/** A new check-in: the one-time token makes a second submission of the same form land on the first. */
export function newCheckInSchema(today: string) {
  return checkInSchema(today, { formToken: formTokenField });
}
export type NewCheckInInput = z.output<ReturnType<typeof newCheckInSchema>>;

/** A correction, from the version the form showed. */
export function checkInChangeSchema(today: string) {
  return checkInSchema(today, { version: versionField });
}
export type CheckInChangeInput = z.output<ReturnType<typeof checkInChangeSchema>>;

// Service use ----------------------------------------------------------------------------------------------------

function periodFields(today: string) {
  return {
    side: z.preprocess(blankAsMissing, z.enum(SIDES, 'Select whether the period is before or since you met')),
    fromOn: requiredDate({ empty: 'Enter the date the period starts', notReal: 'The start of the period must be a real date, like 1 4 2026', future: 'The start of the period must be today or in the past' }, today),
    toOn: requiredDate({ empty: 'Enter the date the period ends', notReal: 'The end of the period must be a real date, like 30 9 2026', future: 'The end of the period must be today or in the past' }, today),
    description: optionalWords(200, 'What the period is must be 200 characters or fewer'),
    ...Object.fromEntries(
      SERVICE_KINDS.flatMap((k) => [
        [k.key, wholeNumber(0, 10000, `${k.label} must be a whole number from 0 to 10,000`)],
        [`${k.key}Source`, z.preprocess(blankAsMissing, z.enum(SOURCES, 'Select how this is known from the list').optional())],
      ]),
    ),
  } as Record<string, z.ZodType>;
}

interface RawPeriod {
  side: (typeof SIDES)[number];
  fromOn: string;
  toOn: string;
  description: string | null;
  [key: string]: unknown;
}

function periodSchema<Extra extends z.ZodRawShape>(today: string, extra: Extra) {
  return z.preprocess(
    withDates(['fromOn', 'toOn']),
    z
      .object({ ...extra, ...periodFields(today) })
      .superRefine((value, ctx) => {
        const v = value as unknown as RawPeriod;
        if (v.toOn < v.fromOn) ctx.addIssue({ code: 'custom', path: ['toOn'], message: 'The end of the period must be on or after its start' });
        for (const k of SERVICE_KINDS) {
          if (v[k.key] !== undefined && v[`${k.key}Source`] === undefined) {
            ctx.addIssue({ code: 'custom', path: [`${k.key}Source`], message: `Select how the number of ${k.noun} is known` });
          }
        }
      })
      .transform((value) => {
        const v = value as unknown as RawPeriod & Record<keyof Extra, unknown>;
        const extras = Object.fromEntries(Object.keys(extra).map((k) => [k, v[k]])) as { [K in keyof Extra]: z.output<Extra[K]> };
        // A source without a number says nothing: the count is not known.
        const counts = Object.fromEntries(
          SERVICE_KINDS.map((k) => {
            const count = (v[k.key] as number | undefined) ?? null;
            return [k.key, { count, source: count === null ? null : (v[`${k.key}Source`] ?? null) }];
          }),
        ) as ServiceCounts;
        return { ...extras, side: v.side, fromOn: v.fromOn, toOn: v.toOn, description: v.description, counts };
      }),
  );
}

export function newPeriodSchema(today: string) {
  return periodSchema(today, { formToken: formTokenField });
}
export type NewPeriodInput = z.output<ReturnType<typeof newPeriodSchema>>;

export function periodChangeSchema(today: string) {
  return periodSchema(today, { version: versionField });
}
export type PeriodChangeInput = z.output<ReturnType<typeof periodChangeSchema>>;
