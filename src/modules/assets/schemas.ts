import { z } from 'zod';
import {
  blankAsMissing,
  emailField,
  formTokenField,
  normalisePostcode,
  optionalWords,
  phoneField,
  postcodeField,
  requiredWords,
  versionField,
} from '../../core/http/fields.ts';
import { requiredDate, withDates } from '../../core/http/date-fields.ts';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';
import { ASSET_CATEGORIES, SCHEDULE_DAYS } from './tables.ts';
import { REPEATS, cleanTags, parseTime, ruleOf } from './words.ts';

const uuid = z.uuid();

/** An id as typed into an address or a form may be anything; only a well-formed one is worth asking about. */
export function isUuid(value: string | undefined): value is string {
  return value !== undefined && uuid.safeParse(value).success;
}

/** The asset named in the address: /community/assets/:id. */
export const assetIdSchema = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------------------------------------------
// An asset

/** How many "when it meets" rows a form may have. */
export const MOST_SCHEDULES = 10;

const SCHEDULE_FIELDS = ['repeat', 'byday', 'opens', 'closes', 'description'] as const;

const TIME_MESSAGES = {
  opens: 'Enter the time it starts, like 10:00 or 2:30pm',
  closes: 'Enter the time it finishes, like 12:00 or 4:30pm',
};
const DESCRIPTION_TOO_LONG = 'What to know about this time must be 500 characters or fewer';

/**
 * One "when it meets" row. A row left wholly blank is no schedule (null); otherwise how often and the day are
 * needed, times must be times, and a finishing time must come after the starting time. Checked in one place, so
 * the messages come in the order of the page.
 */
const scheduleRow = z
  .object({ repeat: z.string(), byday: z.string(), opens: z.string(), closes: z.string(), description: z.string() })
  .transform((row) => ({
    repeat: row.repeat,
    byday: row.byday,
    opens: row.opens.trim(),
    closes: row.closes.trim(),
    description: row.description.trim(),
  }))
  .superRefine((row, ctx) => {
    if (Object.values(row).every((v) => v === '')) return;
    const problem = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (!(REPEATS as readonly string[]).includes(row.repeat)) problem('repeat', 'Select how often it meets');
    if (!(SCHEDULE_DAYS as readonly string[]).includes(row.byday)) problem('byday', 'Select the day it meets');
    const opens = row.opens === '' ? null : parseTime(row.opens);
    const closes = row.closes === '' ? null : parseTime(row.closes);
    if (opens === undefined) problem('opens', TIME_MESSAGES.opens);
    if (closes === undefined) problem('closes', TIME_MESSAGES.closes);
    else if (opens != null && closes !== null && closes <= opens) problem('closes', 'The time it finishes must be after the time it starts');
    if (row.description.length > 500) problem('description', DESCRIPTION_TOO_LONG);
  })
  .transform((row) => {
    if (Object.values(row).every((v) => v === '')) return null;
    const rule = ruleOf(row.repeat as (typeof REPEATS)[number]);
    return {
      ...rule,
      byday: row.byday as (typeof SCHEDULE_DAYS)[number],
      opensAt: row.opens === '' ? null : (parseTime(row.opens) ?? null),
      closesAt: row.closes === '' ? null : (parseTime(row.closes) ?? null),
      description: row.description === '' ? null : row.description,
    };
  });

export type ScheduleInput = NonNullable<z.output<typeof scheduleRow>>;

/** How many schedule rows the form had: from its hidden field, between 1 and MOST_SCHEDULES. */
export function scheduleRowCount(form: FormValues): number {
  const n = Number(form.scheduleRows);
  return Number.isInteger(n) && n >= 1 && n <= MOST_SCHEDULES ? n : 1;
}

const text = (value: string | string[] | undefined) => (typeof value === 'string' ? value : '');

/** Both coordinates or neither: one alone is replaced by a marker its field refuses. */
const MISSING_PAIR = 'missing-pair';

/**
 * The form as the schema reads it: the date they agreed joined (and not asked for unless it is a person with gifts),
 * the schedule rows gathered into a list, and a coordinate without its pair marked as such.
 */
function prepareAsset(values: unknown): unknown {
  const form = values as FormValues;
  const schedules = Array.from({ length: scheduleRowCount(form) }, (_, i) =>
    Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, text(form[`schedules.${i}.${f}`])])),
  );
  const latitude = text(form.latitude).trim();
  const longitude = text(form.longitude).trim();
  return {
    ...form,
    personAgreedOn: form.category === 'gifts' ? joinDateParts(form, 'personAgreedOn') : null,
    latitude: latitude === '' && longitude !== '' ? MISSING_PAIR : latitude,
    longitude: longitude === '' && latitude !== '' ? MISSING_PAIR : longitude,
    schedules,
  };
}

function coordinateField(name: 'latitude' | 'longitude', limit: number, example: string) {
  const shape = `Enter the ${name} as a number like ${example}, with up to 6 decimal places`;
  return z
    .string(shape)
    .refine((v) => v !== MISSING_PAIR, `Enter the ${name} as well, or leave both blank`)
    .refine((v) => v === '' || v === MISSING_PAIR || /^-?\d{1,3}(\.\d{1,6})?$/.test(v), shape)
    .refine((v) => !/^-?\d/.test(v) || Math.abs(Number(v)) <= limit, `The ${name} must be between -${limit} and ${limit}`)
    .transform((v) => (v === '' ? null : v));
}

const websiteMessage = 'Enter a web address, like https://www.example.org';

/** A web address: https:// is added when it was left off, and only http and https addresses are kept. */
function websiteField() {
  return optionalWords(490, 'The web address must be 490 characters or fewer')
    .transform((v) => (v === null || /^https?:\/\//i.test(v) ? v : `https://${v}`))
    .refine((v) => {
      if (v === null) return true;
      try {
        const url = new URL(v);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.') && !/\s/.test(v);
      } catch {
        return false;
      }
    }, websiteMessage);
}

/** Tags typed with commas between them, kept as a clean lower-case list. */
function tagsField() {
  return z
    .string('Separate tags with commas, like walking, outdoors')
    .optional()
    .transform((v) => cleanTags(v ?? ''))
    .refine((tags) => tags.length <= 20, 'Enter 20 tags or fewer')
    .refine((tags) => tags.every((t) => t.length <= 40), 'Each tag must be 40 characters or fewer');
}

/** What an asset says, in the order the form asks. `today` bounds the day a person with gifts agreed. */
function assetFields(today: string) {
  return {
    category: z.preprocess(blankAsMissing, z.enum(ASSET_CATEGORIES, 'Select what kind of community asset it is')),
    // Asked (and needed) only for a person with gifts to share; null otherwise.
    personAgreedOn: requiredDate(
      {
        empty: 'Enter the date they agreed to be listed',
        notReal: 'The date they agreed must be a real date, like 27 3 2026',
        future: 'The date they agreed must be today or in the past',
      },
      today,
    ).nullable(),
    name: requiredWords(200, 'Enter its name', 'The name must be 200 characters or fewer'),
    description: requiredWords(5000, 'Describe it in a sentence or two', 'The description must be 5,000 characters or fewer'),
    areaId: z.preprocess(blankAsMissing, z.uuid('Select its neighbourhood')),
    addressLine1: optionalWords(200, 'The address must be 200 characters or fewer'),
    addressTown: optionalWords(100, 'The town must be 100 characters or fewer'),
    postcode: postcodeField(),
    latitude: coordinateField('latitude', 90, '53.4012'),
    longitude: coordinateField('longitude', 180, '-2.1487'),
    schedules: z.array(scheduleRow).transform((rows) => rows.filter((r): r is ScheduleInput => r !== null)),
    whoItWelcomes: optionalWords(2000, 'Who it welcomes must be 2,000 characters or fewer'),
    accessibility: optionalWords(2000, 'Accessibility must be 2,000 characters or fewer'),
    free: z
      .string()
      .optional()
      .transform((v) => v === 'yes'),
    cost: optionalWords(500, 'The cost must be 500 characters or fewer'),
    contactName: optionalWords(200, 'The contact’s name must be 200 characters or fewer'),
    contactPhone: phoneField(),
    contactEmail: emailField(),
    website: websiteField(),
    tags: tagsField(),
    organisationId: z.preprocess(
      blankAsMissing,
      z
        .uuid('Select an organisation from the list')
        .optional()
        .transform((v) => v ?? null),
    ),
    public: z.preprocess(blankAsMissing, z.enum(['yes', 'no'], 'Select whether it may appear in the public directory')).transform((v) => v === 'yes'),
  };
}

/** A new asset: the one-time token makes a second submission of the form land on the asset the first made. */
export function newAssetSchema(today: string) {
  return z.preprocess(prepareAsset, z.object({ formToken: formTokenField, ...assetFields(today) }));
}

/** A change: what the asset should say, from the version the form showed. */
export function assetChangeSchema(today: string) {
  return z.preprocess(prepareAsset, z.object({ version: versionField, ...assetFields(today) }));
}

export type AssetInput = Omit<z.output<ReturnType<typeof newAssetSchema>>, 'formToken'>;
export type NewAssetInput = z.output<ReturnType<typeof newAssetSchema>>;
export type AssetChangeInput = z.output<ReturnType<typeof assetChangeSchema>>;

/** "Checked today": the version the person looked at, and where they were (so they go back there). */
export const verifySchema = z.object({
  version: versionField,
  from: z.enum(['asset', 'stale']).optional().catch(undefined),
});

/** No longer running: the day it stopped, from the version the person looked at. */
export function closeSchema(today: string) {
  return z.preprocess(
    withDates(['closedOn']),
    z.object({
      version: versionField,
      closedOn: requiredDate(
        {
          empty: 'Enter the date it stopped running',
          notReal: 'The date it stopped must be a real date, like 27 3 2026',
          future: 'The date it stopped must be today or in the past',
        },
        today,
      ),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Searching the directory

/** How far from a postcode a search may be narrowed to, in miles. */
export const WITHIN_MILES = ['0.5', '1', '2', '5'] as const;

/**
 * The directory's filters: kind, tag, neighbourhood and whether to include closed assets. They say nothing about
 * anyone, so they may travel in the address (a link to "places in Marsh End" works). Blank means "any".
 */
export const directoryFiltersSchema = z.object({
  category: z.preprocess(blankAsMissing, z.enum(ASSET_CATEGORIES, 'Select a kind of asset from the list').optional()),
  tag: z.preprocess(
    blankAsMissing,
    z
      .string('Select a tag from the list')
      .trim()
      .toLowerCase()
      .max(40, 'Select a tag from the list')
      .optional(),
  ),
  area: z.preprocess(blankAsMissing, z.uuid('Select a neighbourhood from the list').optional()),
  closed: z.preprocess(blankAsMissing, z.enum(['yes'], 'Select whether to include assets that have closed').optional()),
});

/**
 * The whole directory search, sent as a form (POST), never in the address: the words may be the name of a person
 * with gifts to share, and a postcode to search near is often someone's home (ADR 0005, as for the caseload).
 */
export const searchSchema = directoryFiltersSchema.extend({
  q: z.preprocess(blankAsMissing, z.string('Search for 100 characters or fewer').trim().max(100, 'Search for 100 characters or fewer').optional()),
  postcode: z.preprocess(
    blankAsMissing,
    z
      .string('Enter a full UK postcode, like BF1 2AB')
      .max(20, 'Enter a full UK postcode, like BF1 2AB')
      .refine((v) => normalisePostcode(v) !== undefined, 'Enter a full UK postcode, like BF1 2AB')
      .transform((v) => normalisePostcode(v) ?? v)
      .optional(),
  ),
  within: z.preprocess(blankAsMissing, z.enum(WITHIN_MILES, 'Select a distance from the list').optional()),
});

/** The fields of the directory that may be in its address. */
export const DIRECTORY_FILTERS: readonly string[] = Object.keys(directoryFiltersSchema.shape);

export type SearchInput = z.output<typeof searchSchema>;

/** The neighbourhood a map or the stale list is for, from the query string. */
export const areaQuerySchema = z.object({
  area: z.preprocess(blankAsMissing, z.uuid('Select a neighbourhood from the list').optional()),
});

// ---------------------------------------------------------------------------------------------------------------
// Admin: how long until an asset is stale, and the postcode table

export const staleMonthsSchema = z.object({
  months: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string('Enter a number of months, like 12')
      .regex(/^\d{1,4}$/, 'Enter a whole number of months, like 12')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 120, 'Enter a number of months from 1 to 120'),
  ),
});

export const postcodeImportSchema = z.object({
  source: optionalWords(200, 'Where the file came from must be 200 characters or fewer'),
  csv: z.string('Paste the CSV file’s contents').refine((v) => v.trim() !== '', 'Paste the CSV file’s contents'),
});

// ---------------------------------------------------------------------------------------------------------------
// Community assets in a person's life

/** A search for an asset by name: sent as a form, like every search on a person's record. */
export const lifeAssetSearchSchema = z.object({
  q: requiredWords(100, 'Enter the name of the community asset to search for', 'Search for 100 characters or fewer'),
});

export function lifeAssetSchema(today: string) {
  return z.preprocess(
    withDates(['startedOn']),
    z.object({
      formToken: formTokenField,
      assetId: z.uuid('Select the community asset'),
      what: requiredWords(500, 'Enter what it means to them, in a few words', 'What it means to them must be 500 characters or fewer'),
      startedOn: requiredDate(
        {
          empty: 'Enter the date it became part of their life',
          notReal: 'The date it started must be a real date, like 27 3 2026',
          future: 'The date it started must be today or in the past',
        },
        today,
      ),
    }),
  );
}

export type LifeAssetInput = z.output<ReturnType<typeof lifeAssetSchema>>;

/** Which asset in their life has ended: from the form, never the address. */
export const lifeAssetRefSchema = z.object({ linkId: z.uuid('Select the community asset that is no longer part of their life') });

export function lifeAssetEndSchema(today: string) {
  return z.preprocess(
    withDates(['endedOn']),
    z.object({
      endedOn: requiredDate(
        {
          empty: 'Enter the date it ended',
          notReal: 'The date it ended must be a real date, like 27 3 2026',
          future: 'The date it ended must be today or in the past',
        },
        today,
      ),
    }),
  );
}

export const lifeAssetQuerySchema = z.object({ link: z.string().optional() });
