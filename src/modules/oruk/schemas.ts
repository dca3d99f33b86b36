import { z } from 'zod';
import { blankAsMissing, formTokenField, normalisePostcode } from '../../core/http/fields.ts';
import { ASSET_CATEGORIES, SCHEDULE_DAYS } from '../assets/tables.ts';

// --- The public API's query strings ------------------------------------------------------------------------------
// Messages name the parameter, for the developer reading the 400. Parameters the profile does not define are
// ignored, as APIs usually do; the profile's own are checked.

export const PER_PAGE_DEFAULT = 50;
export const PER_PAGE_MAX = 200;
const PAGE_MAX = 100_000;

function wholeNumber(name: string, max: number) {
  const message = `${name} must be a whole number from 1 to ${max}`;
  return z.preprocess(blankAsMissing, z.string(message).regex(/^\d{1,9}$/, message).transform(Number).pipe(z.number().min(1, message).max(max, message)).optional());
}

const paging = {
  page: wholeNumber('page', PAGE_MAX),
  per_page: wholeNumber('per_page', PER_PAGE_MAX),
  // `size` is what the page calls its count: some clients send it back as the page size.
  size: wholeNumber('size', PER_PAGE_MAX),
};

type PagingQuery = { page?: number | undefined; per_page?: number | undefined; size?: number | undefined };

function pagingOf(query: PagingQuery) {
  return { page: query.page ?? 1, perPage: query.per_page ?? query.size ?? PER_PAGE_DEFAULT };
}

export const pageQuerySchema = z
  .object(paging)
  .refine((q) => q.per_page === undefined || q.size === undefined || q.per_page === q.size, 'per_page and size must agree when both are given')
  .transform(pagingOf);

const uuidParameter = (name: string) => z.preprocess(blankAsMissing, z.uuid(`${name} must be a uuid`).optional());

const timeParameter = (name: string) => {
  const message = `${name} must be a time of day, like 09:30`;
  return z.preprocess(
    blankAsMissing,
    z
      .string(message)
      .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, message)
      .transform((v) => (v.length === 5 ? `${v}:00` : v))
      .optional(),
  );
};

const DAY_NAMES: Record<string, (typeof SCHEDULE_DAYS)[number]> = {
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
  sunday: 'SU',
};

const ageParameter = (name: string) =>
  z.preprocess(blankAsMissing, z.string(`${name} must be a number`).regex(/^\d{1,3}(\.\d+)?$/, `${name} must be a number of years`).optional());

export const serviceQuerySchema = z
  .object({
    ...paging,
    search: z.preprocess(
      blankAsMissing,
      z
        .string('search must be given once')
        .max(200, 'search must be 200 characters or fewer')
        // PostgreSQL text cannot hold NUL, and no one searches for it.
        .refine((v) => !v.includes('\u0000'), 'search must be text')
        .optional(),
    ),
    taxonomy_term_id: uuidParameter('taxonomy_term_id'),
    taxonomy_id: uuidParameter('taxonomy_id'),
    postcode: z.preprocess(
      blankAsMissing,
      z
        .string('postcode must be a UK postcode, like BF1 1AA')
        .max(20, 'postcode must be a UK postcode, like BF1 1AA')
        .refine((v) => normalisePostcode(v) !== undefined, 'postcode must be a UK postcode, like BF1 1AA')
        .transform((v) => normalisePostcode(v) ?? v)
        .optional(),
    ),
    proximity: z.preprocess(
      blankAsMissing,
      z
        .string('proximity must be a number of metres')
        .regex(/^\d{1,7}(\.\d+)?$/, 'proximity must be a number of metres, up to 1000000')
        .transform(Number)
        .pipe(z.number().max(1_000_000, 'proximity must be a number of metres, up to 1000000'))
        .optional(),
    ),
    day: z.preprocess(
      blankAsMissing,
      z
        .string('day must be a day of the week, like MO or Monday')
        .transform((v) => v.trim().toUpperCase())
        .transform((v) => DAY_NAMES[v.toLowerCase()] ?? v)
        .pipe(z.enum(SCHEDULE_DAYS, 'day must be a day of the week, like MO or Monday'))
        .optional(),
    ),
    start_time: timeParameter('start_time'),
    end_time: timeParameter('end_time'),
    // Community assets keep no ages: Local Area Coordination has no eligibility criteria. The profile's age
    // filters are accepted (and checked) so clients that send them work, and every asset is for every age.
    minimum_age: ageParameter('minimum_age'),
    maximum_age: ageParameter('maximum_age'),
  })
  .refine((q) => q.per_page === undefined || q.size === undefined || q.per_page === q.size, 'per_page and size must agree when both are given')
  .refine((q) => q.proximity === undefined || q.postcode !== undefined, 'proximity needs a postcode to measure from')
  .transform((q) => ({
    paging: pagingOf(q),
    filters: {
      search: q.search?.trim(),
      taxonomyTermId: q.taxonomy_term_id,
      taxonomyId: q.taxonomy_id,
      postcode: q.postcode,
      proximityMetres: q.proximity,
      day: q.day,
      startTime: q.start_time,
      endTime: q.end_time,
    },
  }));

export const idParamsSchema = z.object({ id: z.uuid('The id in the address must be a uuid') });

// --- The import page ---------------------------------------------------------------------------------------------

/** Services can be imported as any kind of asset but a person's gifts: those need the person's own agreement. */
export const IMPORT_CATEGORIES = ASSET_CATEGORIES.filter((c): c is Exclude<(typeof ASSET_CATEGORIES)[number], 'gifts'> => c !== 'gifts');

export const NOT_JSON = 'The document is not valid JSON. Check you copied all of it, from the first { or [ to the last } or ]';

export const importSchema = z.object({
  formToken: formTokenField,
  areaId: z.preprocess(blankAsMissing, z.uuid('Select the neighbourhood the imported assets belong to')),
  category: z.preprocess(blankAsMissing, z.enum(IMPORT_CATEGORIES, 'Select what kind of community asset the services are')),
  public: z
    .string()
    .optional()
    .transform((v) => v === 'yes'),
  document: z
    .string('Paste an Open Referral UK document')
    .trim()
    .min(1, 'Paste an Open Referral UK document')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: NOT_JSON });
        return z.NEVER;
      }
    }),
});

export type ImportForm = z.output<typeof importSchema>;
