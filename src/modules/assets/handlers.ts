import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dateValues } from '../../core/http/date-fields.ts';
import { EXPIRED } from '../../core/http/fields.ts';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { formValues, joinDateParts, parseForm, ukToday, type FormErrors, type FormResult, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import { MARKER_STYLE, markerShape } from './map.ts';
import {
  DIRECTORY_FILTERS,
  MOST_SCHEDULES,
  WITHIN_MILES,
  areaQuerySchema,
  assetChangeSchema,
  assetIdSchema,
  closeSchema,
  directoryFiltersSchema,
  lifeAssetEndSchema,
  lifeAssetQuerySchema,
  lifeAssetRefSchema,
  lifeAssetSchema,
  lifeAssetSearchSchema,
  newAssetSchema,
  postcodeImportSchema,
  scheduleRowCount,
  searchSchema,
  type SearchInput,
  staleMonthsSchema,
  verifySchema,
} from './schemas.ts';
import {
  DEFAULT_POSTCODE_SOURCE,
  addLifeAsset,
  changeAsset,
  closeAsset,
  reopenAsset,
  createAsset,
  endLifeAssetLink,
  findLifeAssets,
  getAsset,
  getAssetChangePage,
  getClosePage,
  getCommunitySettings,
  getLifeAssetEndPage,
  getLifeAssetForm,
  getLifeAssets,
  getMapPage,
  getNewAssetPage,
  importPostcodes,
  listStaleAssets,
  saveStaleMonths,
  searchDirectory,
  verifyAsset,
  type Asset,
  type AssetChoices,
  type Found,
  type LifeAsset,
  type LifeAssetFormPage,
  type LifeAssetsPage,
} from './service.ts';
import { ASSET_CATEGORIES, SCHEDULE_DAYS } from './tables.ts';
import { CATEGORY_OPTIONS, CATEGORY_TEXT, DAY_OPTIONS, DAY_TEXT, REPEATS, REPEAT_OPTIONS, parseTime, repeatOf, ruleOf, scheduleText } from './words.ts';
import { NO_PERSON, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/assets/views';
const NO_ASSET = 'There is no community asset at this address in your programme.';
const NOT_YOURS = 'You can see this community asset, but only a coordinator in its neighbourhood or a manager can change it.';
const NO_LINK = 'There is no such community asset in this person’s life.';

/** Each category's marker, as the map's legend and the lists beside it draw it. */
const LEGEND = ASSET_CATEGORIES.map((c) => ({ category: c, text: CATEGORY_TEXT[c], colour: MARKER_STYLE[c].colour, shape: markerShape(c, 10, 10, 16) }));

/** What every community page may show in words, and the shapes of the map's legend. */
const WORDS = {
  categoryOptions: CATEGORY_OPTIONS,
  categoryText: CATEGORY_TEXT,
  dayOptions: DAY_OPTIONS,
  repeatOptions: REPEAT_OPTIONS,
  legend: LEGEND,
  markerFor: Object.fromEntries(LEGEND.map((l) => [l.category, l])),
};

const today = (request: FastifyRequest) => ukToday(request.server.deps.clock.now());

/** The banner after a change: the address says which kind of change (?saved=1), nothing else. */
function noticeOf(request: FastifyRequest, notices: Record<string, string>): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(notices).find((k) => query[k] === '1');
  return key === undefined ? undefined : notices[key];
}

const assetPath = (id: string) => `/community/assets/${id}`;

function assetIdOf(request: FastifyRequest): string {
  const parsed = assetIdSchema.safeParse(request.params);
  if (!parsed.success) throw new HttpError(404, NO_ASSET);
  return parsed.data.id;
}

/** What the service found, or the not-found page, or (for a change by someone from another neighbourhood) 403. */
function foundAsset<T extends object>(result: Found<T>): Exclude<T, { kind: 'not-found' | 'refused' }> {
  const kind = (result as { kind?: unknown }).kind;
  if (kind === 'not-found') throw new HttpError(404, NO_ASSET);
  if (kind === 'refused') throw new HttpError(403, NOT_YOURS);
  return result as Exclude<T, { kind: 'not-found' | 'refused' }>;
}

// ---------------------------------------------------------------------------------------------------------------
// The directory

async function showDirectoryPage(request: FastifyRequest, reply: FastifyReply, form: FormResult<SearchInput>, values: FormValues) {
  const user = signedInUser(request);
  const page = await searchDirectory(request.server.deps, user, form, request.id);
  const searched = Object.values(values).some((v) => v !== '');
  return render(
    request,
    reply,
    `${VIEWS}/directory.njk`,
    { ...WORDS, ...page, values, searched, within: WITHIN_MILES, canAdd: user.role === 'coordinator' ? user.areaIds.length > 0 : true },
    page.errors === undefined ? 200 : 400,
  );
}

/** The directory, narrowed by the filters in its address. Words or a postcode there are ignored: they come by POST. */
export async function showDirectory(request: FastifyRequest, reply: FastifyReply) {
  const values = Object.fromEntries(Object.entries(formValues(request.query)).filter(([name]) => DIRECTORY_FILTERS.includes(name)));
  return showDirectoryPage(request, reply, parseForm(directoryFiltersSchema, values), values);
}

/** A search by words or distance from a postcode, sent as a form so that neither ends up in an address or a log. */
export async function searchDirectoryHandler(request: FastifyRequest, reply: FastifyReply) {
  const values = formValues(request.body);
  delete values._csrf;
  return showDirectoryPage(request, reply, parseForm(searchSchema, values), values);
}

const STALE_NOTICES = { verified: 'Recorded as checked today' };

export async function showStale(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(areaQuerySchema, request.query);
  const page = await listStaleAssets(request.server.deps, user, form, request.id);
  return render(
    request,
    reply,
    `${VIEWS}/stale.njk`,
    { ...WORDS, ...page, values: formValues(request.query), notice: noticeOf(request, STALE_NOTICES) },
    page.errors === undefined ? 200 : 400,
  );
}

export async function showMap(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(areaQuerySchema, request.query);
  const page = await getMapPage(request.server.deps, user, form, request.id);
  return render(
    request,
    reply,
    `${VIEWS}/map.njk`,
    {
      ...WORDS,
      ...page,
      // The legend and the list beside the map: each kind on the map, with its assets.
      groups: LEGEND.map((legend) => ({ legend, assets: page.located.filter((a) => a.category === legend.category) })).filter((g) => g.assets.length > 0),
      values: { area: page.area?.id ?? '', ...formValues(request.query) },
    },
    page.errors === undefined ? 200 : 400,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One asset

const ASSET_NOTICES = {
  created: 'Community asset added',
  saved: 'Changes saved',
  verified: 'Recorded as checked today',
  closed: 'Marked as no longer running. It stays in the records, but not in searches, the map or the public directory.',
  reopened: 'Running again. It is back in searches and on the map.',
};

interface AssetView {
  asset: Asset;
  errors?: FormErrors;
  /** "Checked today" or "Reopen" was pressed on a page showing an older version: which of them. */
  changedMeanwhile?: 'verify' | 'reopen';
}

function showAssetPage(request: FastifyRequest, reply: FastifyReply, view: AssetView, statusCode: number) {
  return render(
    request,
    reply,
    `${VIEWS}/asset.njk`,
    { ...WORDS, ...view, errorTargets: { version: view.asset.closedOn === null ? 'verify' : 'reopen' }, notice: noticeOf(request, ASSET_NOTICES), path: assetPath(view.asset.id) },
    statusCode,
  );
}

export async function showAsset(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = foundAsset(await getAsset(request.server.deps, user, assetIdOf(request), request.id));
  return showAssetPage(request, reply, { asset: page.asset }, 200);
}

/** The asset as the form shows it. */
function assetValues(asset: Asset): FormValues {
  const values: FormValues = {
    version: String(asset.version),
    category: asset.category,
    ...dateValues('personAgreedOn', asset.personAgreedOn),
    name: asset.name,
    description: asset.description,
    areaId: asset.areaId,
    addressLine1: asset.addressLine1 ?? '',
    addressTown: asset.addressTown ?? '',
    postcode: asset.postcode ?? '',
    latitude: asset.latitude === null ? '' : String(Number(asset.latitude)),
    longitude: asset.longitude === null ? '' : String(Number(asset.longitude)),
    whoItWelcomes: asset.whoItWelcomes ?? '',
    accessibility: asset.accessibility ?? '',
    free: asset.free ? 'yes' : '',
    cost: asset.cost ?? '',
    contactName: asset.contactName ?? '',
    contactPhone: asset.contactPhone ?? '',
    contactEmail: asset.contactEmail ?? '',
    website: asset.website ?? '',
    tags: asset.tags.join(', '),
    organisationId: asset.organisationId ?? '',
    public: asset.public ? 'yes' : 'no',
    // One blank row after the asset's own, for another time it meets.
    scheduleRows: String(Math.min(asset.schedules.length + 1, MOST_SCHEDULES)),
  };
  asset.schedules.forEach((s, i) => {
    values[`schedules.${i}.repeat`] = repeatOf(s.freq, s.weekOfMonth);
    values[`schedules.${i}.byday`] = s.byday;
    values[`schedules.${i}.opens`] = s.opensAt ?? '';
    values[`schedules.${i}.closes`] = s.closesAt ?? '';
    values[`schedules.${i}.description`] = s.description ?? '';
  });
  return values;
}

const textOf = (values: FormValues, key: string) => {
  const value = values[key];
  return typeof value === 'string' ? value : '';
};

/** The "when it meets" rows of a form, in words where they make sense and as typed where they do not. */
function schedulesInWords(values: FormValues): string {
  const rows: string[] = [];
  for (let i = 0; i < scheduleRowCount(values); i++) {
    const field = (f: string) => textOf(values, `schedules.${i}.${f}`).trim();
    const [repeat, byday, opens, closes, description] = ['repeat', 'byday', 'opens', 'closes', 'description'].map(field) as [string, string, string, string, string];
    if ([repeat, byday, opens, closes, description].every((v) => v === '')) continue;
    const known = (REPEATS as readonly string[]).includes(repeat) && (SCHEDULE_DAYS as readonly string[]).includes(byday);
    const opensAt = parseTime(opens) ?? null;
    const closesAt = parseTime(closes) ?? null;
    const when = known
      ? scheduleText({ ...ruleOf(repeat as (typeof REPEATS)[number]), byday: byday as (typeof SCHEDULE_DAYS)[number], opensAt, closesAt, description: null })
      : [repeat, (DAY_TEXT as Partial<Record<string, string>>)[byday] ?? byday, opens, closes].filter((v) => v !== '').join(', ');
    rows.push(description === '' ? when : `${when} (${description})`);
  }
  return rows.length === 0 ? 'Not recorded' : rows.join('\n');
}

/**
 * The two versions side by side, in words, for the edit-conflict banner: the name, and every question on which
 * they differ. What was typed may be anything: a value with no words for it is shown as it came.
 */
function conflictRows(theirs: FormValues, yours: FormValues, choices: AssetChoices) {
  const named = (options: { id: string; name: string }[]) => (v: string) => options.find((o) => o.id === v)?.name ?? v;
  const yesNo = (v: string) => (v === 'yes' ? 'Yes' : v === 'no' || v === '' ? 'No' : v);
  const agreedOn = (values: FormValues) => {
    if (textOf(values, 'category') !== 'gifts') return '';
    const joined = joinDateParts(values, 'personAgreedOn');
    return joined.startsWith('invalid:') ? joined.slice(8) : formatDate(joined);
  };
  const field = (label: string, key: string, words: (v: string) => string = (v) => v) => ({
    label,
    of: (values: FormValues) => words(textOf(values, key).trim()),
  });
  const questions = [
    field('What kind of asset', 'category', (v) => (CATEGORY_TEXT as Partial<Record<string, string>>)[v] ?? v),
    { label: 'The day they agreed to be listed', of: agreedOn },
    field('Name', 'name'),
    field('Description', 'description'),
    field('Neighbourhood', 'areaId', named(choices.areas)),
    field('Address', 'addressLine1'),
    field('Town', 'addressTown'),
    field('Postcode', 'postcode'),
    field('Latitude', 'latitude'),
    field('Longitude', 'longitude'),
    { label: 'When it meets or opens', of: schedulesInWords },
    field('Who it welcomes', 'whoItWelcomes'),
    field('Accessibility', 'accessibility'),
    field('Free', 'free', yesNo),
    field('Cost', 'cost'),
    field('Contact name', 'contactName'),
    field('Contact phone', 'contactPhone'),
    field('Contact email', 'contactEmail'),
    field('Website', 'website'),
    field('Tags', 'tags'),
    field('Run by', 'organisationId', named(choices.organisations)),
    field('In the public directory', 'public', yesNo),
  ];
  return questions
    .map((q) => ({ label: q.label, theirs: q.of(theirs) || 'Not recorded', yours: q.of(yours) || 'Not recorded' }))
    .filter((row) => row.label === 'Name' || row.theirs !== row.yours);
}

interface AssetFormView {
  choices: AssetChoices;
  values: FormValues;
  errors?: FormErrors | undefined;
  /** Present when changing: the asset as it is saved now. */
  asset?: Asset;
  conflict?: { changedBy: string; changedAt: Date; rows: ReturnType<typeof conflictRows> };
}

/** Where the error summary takes each field: a date's first box, a group's first choice. */
const FORM_TARGETS: Record<string, string> = {
  formToken: 'category',
  version: 'category',
  personAgreedOn: 'personAgreedOn-day',
};

function showAssetForm(request: FastifyRequest, reply: FastifyReply, view: AssetFormView, statusCode: number) {
  const rows = scheduleRowCount(view.values);
  return render(
    request,
    reply,
    `${VIEWS}/asset-form.njk`,
    { ...WORDS, ...view, scheduleRows: Array.from({ length: rows }, (_, i) => i), canAddSchedule: rows < MOST_SCHEDULES, errorTargets: FORM_TARGETS },
    statusCode,
  );
}

/** "Add another time" sends the form back with one more row, saving nothing. */
function wantsAnotherRow(request: FastifyRequest): FormValues | undefined {
  const values = formValues(request.body);
  if (values.addSchedule === undefined) return undefined;
  return { ...values, scheduleRows: String(Math.min(scheduleRowCount(values) + 1, MOST_SCHEDULES)) };
}

export async function newAsset(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const choices = await getNewAssetPage(request.server.deps, user);
  // A coordinator's asset starts in their neighbourhood when they have just one.
  const areaId = choices.areas.length === 1 ? (choices.areas[0]?.id ?? '') : '';
  return showAssetForm(request, reply, { choices, values: { formToken: randomUUID(), areaId, scheduleRows: '1' } }, 200);
}

export async function createAssetHandler(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const another = wantsAnotherRow(request);
  if (another !== undefined) return showAssetForm(request, reply, { choices: await getNewAssetPage(request.server.deps, user), values: another }, 200);
  const form = parseForm(newAssetSchema(today(request)), request.body);
  const result = await createAsset(request.server.deps, user, form, request.id);
  if (result.kind === 'created') return seeOther(reply, `${assetPath(result.assetId)}?created=1`);
  return showAssetForm(request, reply, { choices: result.choices, values: formValues(request.body), errors: result.errors ?? (form.ok ? {} : form.errors) }, 400);
}

export async function showAssetChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = foundAsset(await getAssetChangePage(request.server.deps, user, assetIdOf(request), request.id));
  return showAssetForm(request, reply, { choices: page.choices, asset: page.asset, values: assetValues(page.asset) }, 200);
}

export async function saveAssetChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const assetId = assetIdOf(request);
  const another = wantsAnotherRow(request);
  if (another !== undefined) {
    const page = foundAsset(await getAssetChangePage(request.server.deps, user, assetId, request.id));
    return showAssetForm(request, reply, { choices: page.choices, asset: page.asset, values: another }, 200);
  }
  const form = parseForm(assetChangeSchema(today(request)), request.body);
  const result = foundAsset(await changeAsset(request.server.deps, user, assetId, form, request.id));
  const yours = formValues(request.body);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `${assetPath(assetId)}?saved=1`);
    case 'invalid':
      return showAssetForm(request, reply, { ...result.page, values: yours, errors: result.errors ?? (form.ok ? {} : form.errors) }, 400);
    case 'conflict': {
      const { asset, choices } = result.page;
      return showAssetForm(
        request,
        reply,
        {
          choices,
          asset,
          // What this person typed, now against the version they have just been shown.
          values: { ...yours, version: String(asset.version) },
          conflict: { changedBy: asset.updatedByName, changedAt: asset.updatedAt, rows: conflictRows(assetValues(asset), yours, choices) },
        },
        409,
      );
    }
  }
}

export async function verifyAssetHandler(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const assetId = assetIdOf(request);
  const form = parseForm(verifySchema, request.body);
  const result = foundAsset(await verifyAsset(request.server.deps, user, assetId, form, request.id));
  switch (result.kind) {
    case 'verified':
      return seeOther(reply, form.ok && form.data.from === 'stale' ? `/community/stale?verified=1#asset-${assetId}` : `${assetPath(assetId)}?verified=1`);
    case 'invalid':
      return showAssetPage(request, reply, { asset: result.asset, errors: { version: EXPIRED } }, 400);
    case 'conflict':
      return showAssetPage(request, reply, { asset: result.asset, changedMeanwhile: 'verify' }, 409);
  }
}

export async function reopenAssetHandler(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const assetId = assetIdOf(request);
  const form = parseForm(verifySchema, request.body);
  const result = foundAsset(await reopenAsset(request.server.deps, user, assetId, form, request.id));
  switch (result.kind) {
    case 'reopened':
      return seeOther(reply, `${assetPath(assetId)}?reopened=1`);
    case 'invalid':
      return showAssetPage(request, reply, { asset: result.asset, errors: { version: EXPIRED } }, 400);
    case 'conflict':
      return showAssetPage(request, reply, { asset: result.asset, changedMeanwhile: 'reopen' }, 409);
  }
}

interface CloseView {
  asset: Asset;
  values: FormValues;
  errors?: FormErrors | undefined;
  changedMeanwhile?: boolean;
}

function showCloseForm(request: FastifyRequest, reply: FastifyReply, view: CloseView, statusCode: number) {
  return render(request, reply, `${VIEWS}/close.njk`, { ...view, errorTargets: { closedOn: 'closedOn-day', version: 'closedOn-day' }, path: assetPath(view.asset.id) }, statusCode);
}

export async function showClose(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = foundAsset(await getClosePage(request.server.deps, user, assetIdOf(request), request.id));
  if (page.asset.closedOn !== null) return seeOther(reply, assetPath(page.asset.id));
  return showCloseForm(request, reply, { asset: page.asset, values: { version: String(page.asset.version), ...dateValues('closedOn', today(request)) } }, 200);
}

export async function closeAssetHandler(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const assetId = assetIdOf(request);
  const form = parseForm(closeSchema(today(request)), request.body);
  const result = foundAsset(await closeAsset(request.server.deps, user, assetId, form, request.id));
  const values = formValues(request.body);
  switch (result.kind) {
    case 'closed':
      return seeOther(reply, `${assetPath(assetId)}?closed=1`);
    case 'invalid':
      return showCloseForm(request, reply, { asset: result.asset, values, errors: form.ok ? {} : form.errors }, 400);
    case 'conflict':
      return showCloseForm(request, reply, { asset: result.asset, values: { ...values, version: String(result.asset.version) }, changedMeanwhile: true }, 409);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Admin

/** The most a pasted postcode file may be: the route's own body limit, said on the page. */
export const POSTCODE_PASTE_LIMIT_BYTES = 5 * 1024 * 1024;

export async function showCommunitySettings(request: FastifyRequest, reply: FastifyReply) {
  const settings = await getCommunitySettings(request.server.deps, signedInUser(request));
  return render(request, reply, `${VIEWS}/admin-community.njk`, {
    ...settings,
    values: { months: String(settings.months) },
    notice: noticeOf(request, { saved: 'Saved' }),
  });
}

export async function saveCommunitySettings(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(staleMonthsSchema, request.body);
  const settings = await saveStaleMonths(request.server.deps, signedInUser(request), form, request.id);
  if (form.ok) return seeOther(reply, '/admin/community?saved=1');
  return render(request, reply, `${VIEWS}/admin-community.njk`, { ...settings, values: form.values, errors: form.errors }, 400);
}

const postcodePage = (extra: Record<string, unknown>) => ({
  limitMb: POSTCODE_PASTE_LIMIT_BYTES / (1024 * 1024),
  defaultSource: DEFAULT_POSTCODE_SOURCE,
  ...extra,
});

export async function showPostcodes(request: FastifyRequest, reply: FastifyReply) {
  const settings = await getCommunitySettings(request.server.deps, signedInUser(request));
  return render(request, reply, `${VIEWS}/admin-postcodes.njk`, postcodePage({ postcodes: settings.postcodes, values: {} }));
}

export async function importPostcodesHandler(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(postcodeImportSchema, request.body);
  const result = await importPostcodes(request.server.deps, user, form, request.id);
  const { postcodes } = await getCommunitySettings(request.server.deps, user);
  if (result.kind === 'imported') {
    // The summary is shown on this response; the pasted file is not shown again.
    return render(request, reply, `${VIEWS}/admin-postcodes.njk`, postcodePage({ postcodes, summary: result.summary, values: {} }));
  }
  return render(request, reply, `${VIEWS}/admin-postcodes.njk`, postcodePage({ postcodes, values: formValues(request.body), errors: result.errors }), 400);
}

// ---------------------------------------------------------------------------------------------------------------
// Community assets in a person's life

function foundPerson<T extends object>(result: T | undefined, notTheirs: string): Exclude<T, { kind: 'not-found' }> {
  if (result === undefined) throw new HttpError(404, NO_PERSON);
  if ('kind' in result && result.kind === 'not-found') throw new HttpError(404, notTheirs);
  return result as Exclude<T, { kind: 'not-found' }>;
}

const lifePath = (personId: string) => `/people/${personId}/assets`;

const LIFE_NOTICES = {
  added: 'Recorded. It shows on their timeline and circle of support.',
  ended: 'Recorded as no longer part of their life. It stays in their history.',
};

function showLifeAssetsPage(request: FastifyRequest, reply: FastifyReply, page: LifeAssetsPage, errors?: FormErrors) {
  return render(
    request,
    reply,
    `${VIEWS}/life.njk`,
    { ...WORDS, ...page, errors, errorTargets: { linkId: 'current' }, notice: noticeOf(request, LIFE_NOTICES), path: lifePath(page.person.id) },
    errors === undefined ? 200 : 400,
  );
}

export async function showLifeAssets(request: FastifyRequest, reply: FastifyReply) {
  const page = foundPerson(await getLifeAssets(request.server.deps, signedInUser(request), personIdOf(request), request.id), NO_PERSON);
  return showLifeAssetsPage(request, reply, page);
}

function showLifeAssetForm(request: FastifyRequest, reply: FastifyReply, page: LifeAssetFormPage, values: FormValues, errors: FormErrors | undefined) {
  return render(
    request,
    reply,
    `${VIEWS}/life-new.njk`,
    { ...WORDS, ...page, values, errors, errorTargets: { startedOn: 'startedOn-day', formToken: 'assetId' }, path: lifePath(page.person.id) },
    errors === undefined ? 200 : 400,
  );
}

/** Each form to choose an asset starts fresh: a new one-time token, and today as the day it started. */
function freshLifeValues(request: FastifyRequest, q?: string): FormValues {
  return { ...(q === undefined ? {} : { q }), formToken: randomUUID(), ...dateValues('startedOn', today(request)) };
}

export async function newLifeAsset(request: FastifyRequest, reply: FastifyReply) {
  const page = foundPerson(await getLifeAssetForm(request.server.deps, signedInUser(request), personIdOf(request), request.id), NO_PERSON);
  return showLifeAssetForm(request, reply, page, freshLifeValues(request), undefined);
}

export async function findLifeAsset(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(lifeAssetSearchSchema, request.body);
  const page = foundPerson(await findLifeAssets(request.server.deps, signedInUser(request), personIdOf(request), form, request.id), NO_PERSON);
  if (!form.ok) return showLifeAssetForm(request, reply, page, { ...freshLifeValues(request), ...form.values }, form.errors);
  return showLifeAssetForm(request, reply, page, freshLifeValues(request, form.data.q), undefined);
}

export async function createLifeAsset(request: FastifyRequest, reply: FastifyReply) {
  const personId = personIdOf(request);
  const search = lifeAssetSearchSchema.safeParse(formValues(request.body));
  const form = parseForm(lifeAssetSchema(today(request)), request.body);
  const result = foundPerson(await addLifeAsset(request.server.deps, signedInUser(request), personId, form, search.data?.q, request.id), NO_PERSON);
  if (result.kind === 'added') return seeOther(reply, `${lifePath(personId)}?added=1`);
  return showLifeAssetForm(request, reply, result.page, formValues(request.body), result.errors ?? (form.ok ? {} : form.errors));
}

function showEndForm(request: FastifyRequest, reply: FastifyReply, page: { person: LifeAssetsPage['person']; link: LifeAsset }, values: FormValues, errors: FormErrors | undefined) {
  return render(
    request,
    reply,
    `${VIEWS}/life-end.njk`,
    { ...WORDS, ...page, values, errors, errorTargets: { endedOn: 'endedOn-day' }, path: lifePath(page.person.id) },
    errors === undefined ? 200 : 400,
  );
}

export async function showLifeAssetEnd(request: FastifyRequest, reply: FastifyReply) {
  const asked = lifeAssetQuerySchema.safeParse(request.query);
  const linkId = asked.success ? asked.data.link : undefined;
  const page = foundPerson(await getLifeAssetEndPage(request.server.deps, signedInUser(request), personIdOf(request), linkId, request.id), NO_LINK);
  if (page.kind === 'list') return showLifeAssetsPage(request, reply, page);
  if (page.link.endedOn !== null) return seeOther(reply, lifePath(page.person.id));
  return showEndForm(request, reply, page, { linkId: page.link.id, ...dateValues('endedOn', today(request)) }, undefined);
}

export async function endLifeAssetHandler(request: FastifyRequest, reply: FastifyReply) {
  const personId = personIdOf(request);
  const ref = lifeAssetRefSchema.safeParse(formValues(request.body));
  const form = parseForm(lifeAssetEndSchema(today(request)), request.body);
  const result = foundPerson(
    await endLifeAssetLink(request.server.deps, signedInUser(request), personId, ref.data?.linkId, form, request.id),
    NO_LINK,
  );
  switch (result.kind) {
    case 'ended':
      return seeOther(reply, `${lifePath(personId)}?ended=1`);
    case 'choose':
      return showLifeAssetsPage(request, reply, result, { linkId: 'Select the community asset that is no longer part of their life' });
    case 'invalid':
      return showEndForm(request, reply, result, formValues(request.body), result.errors ?? (form.ok ? {} : form.errors));
  }
}
