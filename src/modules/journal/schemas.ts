import { z } from 'zod';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';
import { JOURNAL_HOWS, JOURNAL_KINDS, type JournalHow, type JournalKind } from './tables.ts';

const EXPIRED = 'This form has expired. Reload the page and try again';

const uuid = z.uuid();

/** An id as typed into an address may be anything; only a well-formed one is worth asking the database about. */
export function isUuid(value: string | undefined): value is string {
  return value !== undefined && uuid.safeParse(value).success;
}

/** How the contact happened, in the words the form uses. */
export const HOW_OPTIONS: readonly { value: JournalHow; text: string; hint?: string }[] = [
  { value: 'in_person', text: 'In person' },
  { value: 'home_visit', text: 'A home visit' },
  { value: 'phone', text: 'On the phone' },
  { value: 'video', text: 'A video call' },
  { value: 'community_venue', text: 'At a community venue', hint: 'A café, library, community centre or group' },
  { value: 'message', text: 'By message', hint: 'A text, email, letter or voice note' },
];

export const KIND_OPTIONS: readonly { value: JournalKind; text: string; hint: string }[] = [
  { value: 'conversation', text: 'A conversation', hint: 'Getting to know each other, talking things through' },
  {
    value: 'practical_action',
    text: 'A practical action',
    hint: 'Something done together or for them, like filling in a form, calling the housing association or fetching a cooker',
  },
];

export const HOW_TEXT = Object.fromEntries(HOW_OPTIONS.map((o) => [o.value, o.text])) as Record<JournalHow, string>;
export const KIND_TEXT = Object.fromEntries(KIND_OPTIONS.map((o) => [o.value, o.text])) as Record<JournalKind, string>;

/** How long something took, as people say it: "45 minutes", "1 hour 30 minutes". */
export function durationText(minutes: number): string {
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = unit(Math.floor(minutes / 60), 'hour');
  return minutes % 60 === 0 ? hours : `${hours} ${unit(minutes % 60, 'minute')}`;
}

/** A GOV.UK date input, joined: 'YYYY-MM-DD', '' when left blank, 'invalid:…' when not a real date. */
const withDates = (names: readonly string[]) => (values: unknown) => {
  const form = values as FormValues;
  return { ...form, ...Object.fromEntries(names.map((name) => [name, joinDateParts(form, name)])) };
};

/** A date that must be given, be real, and not be after `today`. */
function pastDate(today: string, words: { empty: string; notReal: string; future: string }) {
  return z
    .string()
    .min(1, words.empty)
    .refine((v) => !v.startsWith('invalid:'), words.notReal)
    .refine((v) => v.startsWith('invalid:') || v <= today, words.future);
}

/** Checkboxes send nothing, one value, or several: always a list here. */
function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
}

/** A list of ids from checkboxes. One message for the list, not one per box: a tampered form is one problem. */
const idList = (tampered: string) =>
  z.preprocess(
    asList,
    z
      .array(z.string())
      .max(100, tampered)
      .refine((ids) => ids.every(isUuid), tampered),
  );

/** What a journal entry says, in the order the page asks. `today` bounds the date: the journal is what happened. */
function entryFields(today: string) {
  return {
    happenedOn: pastDate(today, {
      empty: 'Enter the date it happened',
      notReal: 'The date it happened must be a real date, like 27 3 2026',
      future: 'The date it happened must be today or in the past',
    }),
    how: z.enum(JOURNAL_HOWS, 'Select how you were in touch'),
    kind: z.enum(JOURNAL_KINDS, 'Select whether it was a conversation or a practical action'),
    duration: z
      .string('Enter how long it took in minutes, like 45')
      .trim()
      .optional()
      .refine((v) => v === undefined || v === '' || /^\d{1,4}$/.test(v), 'Enter how long it took in minutes, like 45')
      .transform((v) => (v === undefined || v === '' ? null : Number(v)))
      .refine((v) => v === null || (v >= 1 && v <= 1440), 'How long it took must be between 1 minute and 1440 minutes (a day)'),
    notes: z
      .string('Enter what happened')
      .trim()
      .min(1, 'Enter what happened')
      .max(10000, 'What happened must be 10,000 characters or fewer'),
    steps: idList('Select steps from the list'),
    circleMembers: idList('Select people from the list'),
    householdMembers: idList('Select people from the list'),
    assets: idList('Select community assets from the list'),
  };
}

/** A new entry: the one-time token makes a second submission of the same form land on the entry the first made. */
export function newEntrySchema(today: string) {
  return z.preprocess(withDates(['happenedOn']), z.object({ formToken: z.uuid(EXPIRED), ...entryFields(today) }));
}

export type NewEntryInput = z.output<ReturnType<typeof newEntrySchema>>;

/** A correction: what the entry should say. Which entry, and which version of it, is read first (entryRefSchema). */
export function entryChangeSchema(today: string) {
  return z.preprocess(withDates(['happenedOn']), z.object(entryFields(today)));
}

export type EntryInput = z.output<ReturnType<typeof entryChangeSchema>>;

/** Which entry a correction is for, and the version the form showed. */
export const entryRefSchema = z.object({
  entryId: z.uuid('Select the entry to correct'),
  version: z.string(EXPIRED).regex(/^[1-9]\d{0,8}$/, EXPIRED).transform(Number),
});

export type EntryRef = z.output<typeof entryRefSchema>;

/** The entry the correction page is asked for in its query: ?entry=… */
export const entryQuerySchema = z.object({ entry: z.string().optional() });

// ---------------------------------------------------------------------------------------------------------------
// The timeline

/** What the timeline brings together, in the order the filter offers them. */
export const TIMELINE_KINDS = ['journal', 'introduction', 'status', 'agreement', 'step', 'circle', 'household', 'connection', 'asset'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TIMELINE_KIND_TEXT: Record<TimelineKind, string> = {
  journal: 'Journal',
  introduction: 'Introductions',
  status: 'Status changes',
  agreement: 'Shared agreement',
  step: 'Steps',
  circle: 'Circle of support',
  household: 'Household',
  connection: 'Connections',
  asset: 'Community assets',
};

/** How many items the timeline shows at first, and how many more each "Show earlier" adds. */
export const TIMELINE_PAGE = 100;
const TIMELINE_MOST = 5000;

/** The timeline's query: which kinds to show (none means all) and how many items. Anything else is ignored. */
export const timelineQuerySchema = z.object({
  kind: z
    .preprocess(asList, z.array(z.string()))
    .refine((kinds) => kinds.every((k) => (TIMELINE_KINDS as readonly string[]).includes(k)), 'Select kinds from the list')
    .transform((kinds) => TIMELINE_KINDS.filter((k) => kinds.includes(k))),
  show: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^\d{1,5}$/.test(v), 'Show a number of items, like 200')
    .transform((v) => (v === undefined ? TIMELINE_PAGE : Number(v)))
    .refine((v) => v >= 1 && v <= TIMELINE_MOST, `Show between 1 and ${TIMELINE_MOST} items`),
});

export type TimelineQuery = z.output<typeof timelineQuerySchema>;

// ---------------------------------------------------------------------------------------------------------------
// Connections

/** A search for the other person, by name: sent as a form so that names stay out of addresses and logs. */
export const connectionSearchSchema = z.object({
  q: z
    .string('Enter a name to search for')
    .trim()
    .min(1, 'Enter a name to search for')
    .max(100, 'Search for 100 characters or fewer'),
});

/** A connection, with the coordinator's word that both people agreed to it. `today` bounds the date they agreed. */
export function connectionSchema(today: string) {
  return z.preprocess(
    withDates(['agreedOn']),
    z.object({
      formToken: z.uuid(EXPIRED),
      otherPersonId: z.uuid('Select who they would like to be connected with'),
      why: z
        .string('Enter why they are being connected')
        .trim()
        .min(1, 'Enter why they are being connected, in a few words')
        .max(1000, 'Why they are being connected must be 1000 characters or fewer'),
      agreed: z
        .preprocess(asList, z.array(z.string()))
        .refine((v) => v.includes('person') && v.includes('other'), 'Confirm that both people agreed to be connected'),
      agreedOn: pastDate(today, {
        empty: 'Enter the date they agreed',
        notReal: 'The date they agreed must be a real date, like 27 3 2026',
        future: 'The date they agreed must be today or in the past',
      }),
    }),
  );
}

export type ConnectionInput = z.output<ReturnType<typeof connectionSchema>>;

/** Ending a connection: which one (from the form), and the date it ended. */
export const connectionRefSchema = z.object({ connectionId: z.uuid('Select the connection to end') });

export function connectionEndSchema(today: string) {
  return z.preprocess(
    withDates(['endedOn']),
    z.object({
      endedOn: pastDate(today, {
        empty: 'Enter the date the connection ended',
        notReal: 'The date the connection ended must be a real date, like 27 3 2026',
        future: 'The date the connection ended must be today or in the past',
      }),
    }),
  );
}

export const connectionQuerySchema = z.object({ connection: z.string().optional() });

