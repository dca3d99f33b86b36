import { record, type AuditEvent } from '../../core/audit/audit.ts';
import { CHANGED_MEANWHILE, formProblems, noteTaker, type WorkNote } from '../../core/audit/audited.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import type { Db } from '../../core/db/database.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import { distanceKm, distanceText, type Point } from '../../core/geo.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormErrors, type FormResult } from '../../core/http/forms.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import { layoutMap, type MapLayout } from './map.ts';
import { BATCH_SIZE, oncePerPostcode, readPostcodeText, PostcodeCsvError, type ImportSummary, type PostcodeRow } from './postcodes.ts';
import {
  countPostcodes,
  endLifeAsset,
  insertAsset,
  insertLifeAsset,
  lockAsset,
  replaceSchedules,
  searchAssets,
  selectAreas,
  selectMappedAreaIds,
  selectAsset,
  selectAssetChoices,
  selectAssetIdByFormToken,
  selectLifeAssetIdByFormToken,
  selectLifeAssets,
  selectOrganisations,
  selectPostcode,
  selectRunningAsset,
  selectSchedules,
  selectStaleAssets,
  selectStaleMonths,
  selectTagsInUse,
  updateAsset,
  updateClosed,
  updateReopened,
  updateStaleMonths,
  updateVerified,
  upsertPostcodes,
  type AssetContent,
  type AssetListRow,
  type AssetRow,
  type ScheduleContent,
} from './queries.ts';
import { lifeAssetOf, type LifeAsset } from './person-assets.ts';
import { isUuid, type AssetInput, type LifeAssetInput, type NewAssetInput, type SearchInput } from './schemas.ts';
import type { AssetCategory } from './tables.ts';
import { scheduleText } from './words.ts';

export type { AssetContent, ScheduleContent };
// The journal reads a person's community assets through this module's service, as modules do.
export { currentLifeAssets, lifeAssetChoices, lifeAssetEvents, type LifeAsset, type LifeAssetEvent } from './person-assets.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

function inProgramme<T>(deps: Deps, user: CurrentUser, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(deps.db, scopeOf(user), work);
}

function audit(tx: Tx, deps: Deps, user: CurrentUser, requestId: string, event: AuditEvent): Promise<void> {
  return record(tx, actorFor(deps, user, requestId), event);
}

const assetEvent = (action: string, assetId: string): AuditEvent => ({ action, recordType: 'asset', ...(isUuid(assetId) ? { recordId: assetId } : {}) });

// ---------------------------------------------------------------------------------------------------------------
// An asset as pages show it

export interface Schedule extends ScheduleContent {
  text: string;
}

export interface Asset extends AssetContent {
  id: string;
  version: number;
  areaName: string;
  organisationName: string | null;
  closedOn: string | null;
  lastVerified: { on: string; byName: string } | null;
  updatedByName: string;
  updatedAt: Date;
  createdAt: Date;
  schedules: Schedule[];
  /** Not checked for the programme's number of months (or never): time to check it is still as recorded. */
  stale: boolean;
  /** May this user change it: a coordinator in its neighbourhood, or a manager. */
  canChange: boolean;
}

/** 'HH:MM' from the database's 'HH:MM:SS'. */
const hhmm = (time: string | null) => (time === null ? null : time.slice(0, 5));

type ScheduleRow = Awaited<ReturnType<typeof selectSchedules>>[number];

function scheduleOf(row: ScheduleRow): Schedule {
  const rule = { freq: row.freq, byday: row.byday, weekOfMonth: row.week_of_month, opensAt: hhmm(row.opens_at), closesAt: hhmm(row.closes_at), description: row.description };
  return { ...rule, text: scheduleText(rule) };
}

function contentOf(row: AssetRow): AssetContent {
  return {
    category: row.category,
    personAgreedOn: row.person_agreed_on,
    name: row.name,
    description: row.description,
    areaId: row.area_id,
    addressLine1: row.address_line_1,
    addressTown: row.address_town,
    postcode: row.postcode,
    latitude: row.latitude,
    longitude: row.longitude,
    whoItWelcomes: row.who_it_welcomes,
    accessibility: row.accessibility,
    free: row.free,
    cost: row.cost,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    contactEmail: row.contact_email,
    website: row.website,
    tags: row.tags,
    organisationId: row.organisation_id,
    public: row.public,
  };
}

/** The day `months` calendar months before `today` (the 31st becoming the month's last day where it must). */
export function monthsBefore(today: string, months: number): string {
  const [y = 0, m = 1, d = 1] = today.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

async function staleBefore(tx: Tx, deps: Deps, programmeId: string): Promise<{ months: number; before: string }> {
  const months = await selectStaleMonths(tx, programmeId);
  return { months, before: monthsBefore(ukToday(deps.clock.now()), months) };
}

async function loadAsset(tx: Tx, deps: Deps, user: CurrentUser, assetId: string): Promise<Asset | undefined> {
  if (!isUuid(assetId)) return undefined;
  const row = await selectAsset(tx, user.programme.id, assetId);
  if (row === undefined) return undefined;
  const schedules = (await selectSchedules(tx, user.programme.id, [row.id])).map(scheduleOf);
  const { before } = await staleBefore(tx, deps, user.programme.id);
  return {
    ...contentOf(row),
    id: row.id,
    version: row.version,
    areaName: row.area_name,
    organisationName: row.organisation_name,
    closedOn: row.closed_on,
    lastVerified: row.last_verified_on === null ? null : { on: row.last_verified_on, byName: row.verified_by_name ?? '' },
    updatedByName: row.updated_by_name,
    updatedAt: row.updated_at,
    createdAt: row.created_at,
    schedules,
    // As on the stale list: an asset never checked is due when the time since it was recorded has run out.
    stale: row.closed_on === null && (row.last_verified_on ?? ukToday(row.created_at)) < before,
    canChange: can(user, 'asset.update', { programmeId: row.programme_id, areaId: row.area_id }),
  };
}

const NOT_FOUND = { kind: 'not-found' } as const;
/** The user may see the asset but not change it: a coordinator from another neighbourhood. */
const REFUSED = { kind: 'refused' } as const;

/** One asset of the user's programme, audited as `action`; undefined ids, other programmes' and made-up ones alike are not found. */
async function withAsset<T>(
  deps: Deps,
  user: CurrentUser,
  assetId: string,
  access: { action: string; change: boolean },
  requestId: string,
  work: (tx: Tx, asset: Asset, note: WorkNote) => Promise<T>,
): Promise<T | typeof NOT_FOUND | typeof REFUSED> {
  return inProgramme(deps, user, async (tx) => {
    if (access.change && isUuid(assetId)) await lockAsset(tx, user.programme.id, assetId);
    const asset = await loadAsset(tx, deps, user, assetId);
    const event = assetEvent(access.action, assetId);
    if (asset === undefined) {
      await audit(tx, deps, user, requestId, { ...event, outcome: 'denied', detail: { reason: 'no such asset' } });
      return NOT_FOUND;
    }
    if (access.change && !asset.canChange) {
      await audit(tx, deps, user, requestId, { ...event, outcome: 'denied', detail: { reason: 'not in their neighbourhoods' } });
      return REFUSED;
    }
    const { note, outcome, detail } = noteTaker();
    const result = await work(tx, asset, note);
    await audit(tx, deps, user, requestId, { ...event, outcome: outcome(), detail });
    return result;
  });
}

export type Found<T> = T | typeof NOT_FOUND | typeof REFUSED;

export async function getAsset(deps: Deps, user: CurrentUser, assetId: string, requestId: string): Promise<Found<{ kind: 'asset'; asset: Asset }>> {
  return withAsset(deps, user, assetId, { action: 'asset.read', change: false }, requestId, async (_tx, asset) => ({ kind: 'asset' as const, asset }));
}

// ---------------------------------------------------------------------------------------------------------------
// Creating and changing an asset

export interface AssetChoices {
  /** The neighbourhoods the user may put an asset in: a coordinator's own, or all of a manager's programme. */
  areas: { id: string; name: string }[];
  /** Organisations that may run it: running ones, and the one that runs it now even if it has closed. */
  organisations: { id: string; name: string }[];
}

async function choicesFor(tx: Tx, user: CurrentUser, asset?: Asset): Promise<AssetChoices> {
  const programmeId = user.programme.id;
  const areas = (await selectAreas(tx, programmeId)).filter((a) => can(user, 'asset.update', { programmeId, areaId: a.id }));
  const organisations = (await selectOrganisations(tx, programmeId))
    .filter((o) => o.id !== asset?.id && (o.closed_on === null || o.id === asset?.organisationId))
    .map((o) => ({ id: o.id, name: o.name }));
  return { areas, organisations };
}

export async function getNewAssetPage(deps: Deps, user: CurrentUser): Promise<AssetChoices> {
  return inProgramme(deps, user, (tx) => choicesFor(tx, user));
}

/**
 * What the form asks for, checked against the programme: a neighbourhood the user may use, an organisation of
 * the programme (not the asset itself). Problems come back as form errors.
 */
async function checkChoices(tx: Tx, user: CurrentUser, input: AssetInput, asset?: Asset): Promise<{ choices: AssetChoices; errors: FormErrors | undefined }> {
  const choices = await choicesFor(tx, user, asset);
  const errors: FormErrors = {};
  if (!choices.areas.some((a) => a.id === input.areaId.toLowerCase())) errors.areaId = 'Select a neighbourhood from the list';
  if (input.organisationId !== null && !choices.organisations.some((o) => o.id === input.organisationId?.toLowerCase())) {
    errors.organisationId = 'Select an organisation from the list';
  }
  return { choices, errors: Object.keys(errors).length === 0 ? undefined : errors };
}

/**
 * Where the asset is: the coordinates typed, or else the middle of its postcode when the postcode is known. On a
 * change, coordinates that were only carried over while the postcode changed follow the new postcode.
 */
async function located(tx: Tx, input: AssetInput, before?: Asset): Promise<{ latitude: string | null; longitude: string | null }> {
  const typed = input.latitude !== null && input.longitude !== null;
  const carriedOver =
    before !== undefined &&
    typed &&
    input.postcode !== before.postcode &&
    Number(input.latitude) === Number(before.latitude) &&
    Number(input.longitude) === Number(before.longitude);
  if (typed && !carriedOver) return { latitude: input.latitude, longitude: input.longitude };
  if (input.postcode === null) return { latitude: null, longitude: null };
  const found = await selectPostcode(tx, input.postcode);
  return found === undefined ? { latitude: null, longitude: null } : { latitude: found.latitude, longitude: found.longitude };
}

async function contentOfInput(tx: Tx, input: AssetInput, before?: Asset): Promise<AssetContent> {
  return {
    category: input.category,
    personAgreedOn: input.category === 'gifts' ? input.personAgreedOn : null,
    name: input.name,
    description: input.description,
    areaId: input.areaId.toLowerCase(),
    addressLine1: input.addressLine1,
    addressTown: input.addressTown,
    postcode: input.postcode,
    ...(await located(tx, input, before)),
    whoItWelcomes: input.whoItWelcomes,
    accessibility: input.accessibility,
    free: input.free,
    cost: input.cost,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
    contactEmail: input.contactEmail,
    website: input.website,
    tags: input.tags,
    organisationId: input.organisationId?.toLowerCase() ?? null,
    public: input.public,
  };
}

const schedulesOf = (input: AssetInput): ScheduleContent[] =>
  input.schedules.map((s) => ({ freq: s.freq, byday: s.byday, weekOfMonth: s.weekOfMonth, opensAt: s.opensAt, closesAt: s.closesAt, description: s.description }));

export type CreateAssetResult = { kind: 'created'; assetId: string } | { kind: 'invalid'; choices: AssetChoices; errors: FormErrors | undefined };

/** A new asset. The form's one-time token makes a second submission land on the asset the first made. */
export async function createAsset(deps: Deps, user: CurrentUser, form: FormResult<NewAssetInput>, requestId: string): Promise<CreateAssetResult> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    inProgramme(deps, user, async (tx): Promise<CreateAssetResult> => {
      const event = { action: 'asset.create', recordType: 'asset' as const };
      if (!form.ok) {
        await audit(tx, deps, user, requestId, { ...event, outcome: 'failed', detail: formProblems(form) });
        return { kind: 'invalid', choices: await choicesFor(tx, user), errors: undefined };
      }
      const already = await selectAssetIdByFormToken(tx, programmeId, form.data.formToken);
      if (already !== undefined) return { kind: 'created', assetId: already };
      const checked = await checkChoices(tx, user, form.data);
      if (checked.errors !== undefined) {
        await audit(tx, deps, user, requestId, { ...event, outcome: 'failed', detail: formProblems({ ok: false, errors: checked.errors }) });
        return { kind: 'invalid', choices: checked.choices, errors: checked.errors };
      }
      const at = deps.clock.now();
      const content = await contentOfInput(tx, form.data);
      const assetId = await insertAsset(tx, { programmeId, content, formToken: form.data.formToken, by: user.id, at });
      await replaceSchedules(tx, programmeId, assetId, schedulesOf(form.data));
      await audit(tx, deps, user, requestId, { ...event, recordId: assetId, detail: { category: content.category, areaId: content.areaId } });
      return { kind: 'created', assetId };
    }),
  );
}

export interface ChangePage {
  kind: 'asset';
  asset: Asset;
  choices: AssetChoices;
}

/** The change form, for someone who may change the asset. */
export async function getAssetChangePage(deps: Deps, user: CurrentUser, assetId: string, requestId: string): Promise<Found<ChangePage>> {
  return withAsset(deps, user, assetId, { action: 'asset.read', change: true }, requestId, async (tx, asset) => ({
    kind: 'asset' as const,
    asset,
    choices: await choicesFor(tx, user, asset),
  }));
}

const sameNumber = (a: string | null, b: string | null) => (a === null ? b === null : b !== null && Number(a) === Number(b));

const scheduleKey = (s: ScheduleContent) => [s.freq, s.byday, s.weekOfMonth, hhmm(s.opensAt), hhmm(s.closesAt), s.description].join('|');

/** Does the asset already say exactly this? Then a save from an older version (a second submission) changes nothing. */
function sameAsset(asset: Asset, content: AssetContent, schedules: readonly ScheduleContent[]): boolean {
  const { latitude, longitude, tags, ...rest } = content;
  const simple = Object.entries(rest).every(([key, value]) => asset[key as keyof typeof rest] === value);
  return (
    simple &&
    sameNumber(asset.latitude, latitude) &&
    sameNumber(asset.longitude, longitude) &&
    asset.tags.join(',') === tags.join(',') &&
    asset.schedules.map(scheduleKey).sort().join('\n') === schedules.map(scheduleKey).sort().join('\n')
  );
}

export type ChangeAssetResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: ChangePage; errors: FormErrors | undefined }
  /** Someone saved a change first: nothing saved; `page.asset` is how it reads now. */
  | { kind: 'conflict'; page: ChangePage };

/**
 * Saves a change made from `version`. A form made from an older version is refused (someone else changed it
 * first) unless it asks for exactly what the asset says now, which is also what a second submission looks like.
 */
export async function changeAsset(
  deps: Deps,
  user: CurrentUser,
  assetId: string,
  form: FormResult<AssetInput & { version: number }>,
  requestId: string,
): Promise<Found<ChangeAssetResult>> {
  const programmeId = user.programme.id;
  return withAsset(deps, user, assetId, { action: 'asset.update', change: true }, requestId, async (tx, asset, note): Promise<ChangeAssetResult> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page: { kind: 'asset', asset, choices: await choicesFor(tx, user, asset) }, errors: undefined };
    }
    const checked = await checkChoices(tx, user, form.data, asset);
    const page: ChangePage = { kind: 'asset', asset, choices: checked.choices };
    if (checked.errors !== undefined) {
      note.failed(formProblems({ ok: false, errors: checked.errors }));
      return { kind: 'invalid', page, errors: checked.errors };
    }
    const content = await contentOfInput(tx, form.data, asset);
    const schedules = schedulesOf(form.data);
    if (sameAsset(asset, content, schedules)) return { kind: 'saved' };
    const version =
      form.data.version === asset.version
        ? await updateAsset(tx, { programmeId, assetId: asset.id, expectedVersion: asset.version, content, by: user.id, at: deps.clock.now() })
        : undefined;
    if (version === undefined) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page };
    }
    await replaceSchedules(tx, programmeId, asset.id, schedules);
    note.add({ version });
    return { kind: 'saved' };
  });
}

export type VerifyResult = { kind: 'verified' } | { kind: 'invalid'; asset: Asset } | { kind: 'conflict'; asset: Asset };

/**
 * "Checked today": the asset is as recorded, as of today, by this user. The form carries the version the person
 * looked at: if the asset changed since, they have not checked what it says now, and are shown it again.
 */
export async function verifyAsset(
  deps: Deps,
  user: CurrentUser,
  assetId: string,
  form: FormResult<{ version: number }>,
  requestId: string,
): Promise<Found<VerifyResult>> {
  return withAsset(deps, user, assetId, { action: 'asset.verify', change: true }, requestId, async (tx, asset, note): Promise<VerifyResult> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', asset };
    }
    if (form.data.version !== asset.version) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', asset };
    }
    const on = ukToday(deps.clock.now());
    await updateVerified(tx, { programmeId: user.programme.id, assetId: asset.id, on, by: user.id });
    note.add({ on });
    return { kind: 'verified' };
  });
}

export async function getClosePage(deps: Deps, user: CurrentUser, assetId: string, requestId: string): Promise<Found<{ kind: 'asset'; asset: Asset }>> {
  return withAsset(deps, user, assetId, { action: 'asset.read', change: true }, requestId, async (_tx, asset) => ({ kind: 'asset' as const, asset }));
}

export type CloseResult = { kind: 'closed' } | { kind: 'invalid'; asset: Asset } | { kind: 'conflict'; asset: Asset };

/** No longer running: kept, marked closed from a day, out of searches and the public directory. */
export async function closeAsset(
  deps: Deps,
  user: CurrentUser,
  assetId: string,
  form: FormResult<{ version: number; closedOn: string }>,
  requestId: string,
): Promise<Found<CloseResult>> {
  return withAsset(deps, user, assetId, { action: 'asset.close', change: true }, requestId, async (tx, asset, note): Promise<CloseResult> => {
    // Already closed: a second submission of the same form, or someone else closed it. Either way it is done.
    if (asset.closedOn !== null) return { kind: 'closed' };
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', asset };
    }
    const version =
      form.data.version === asset.version
        ? await updateClosed(tx, { programmeId: user.programme.id, assetId: asset.id, expectedVersion: asset.version, on: form.data.closedOn, by: user.id, at: deps.clock.now() })
        : undefined;
    if (version === undefined) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', asset };
    }
    note.add({ closedOn: form.data.closedOn, version });
    return { kind: 'closed' };
  });
}

export type ReopenResult = { kind: 'reopened' } | { kind: 'invalid'; asset: Asset } | { kind: 'conflict'; asset: Asset };

/**
 * Running again, after being marked as no longer running (by mistake, or it started up again): back in searches,
 * the map and, if public, the public directory. The audit row keeps the day it had been marked as stopped.
 */
export async function reopenAsset(
  deps: Deps,
  user: CurrentUser,
  assetId: string,
  form: FormResult<{ version: number }>,
  requestId: string,
): Promise<Found<ReopenResult>> {
  return withAsset(deps, user, assetId, { action: 'asset.reopen', change: true }, requestId, async (tx, asset, note): Promise<ReopenResult> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', asset };
    }
    // Already running: a second submission of the same form, or someone else reopened it. Either way it is done.
    if (asset.closedOn === null) return { kind: 'reopened' };
    const version =
      form.data.version === asset.version
        ? await updateReopened(tx, { programmeId: user.programme.id, assetId: asset.id, expectedVersion: asset.version, by: user.id, at: deps.clock.now() })
        : undefined;
    if (version === undefined) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', asset };
    }
    note.add({ wasClosedOn: asset.closedOn, version });
    return { kind: 'reopened' };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The directory: search, distance, the stale list and the map

export interface AssetListItem {
  id: string;
  name: string;
  category: AssetCategory;
  description: string;
  areaName: string;
  addressLine1: string | null;
  postcode: string | null;
  tags: string[];
  public: boolean;
  free: boolean;
  closedOn: string | null;
  /** From the searched postcode, when there was one and the asset has a location. */
  distanceKm: number | null;
  distanceText: string | null;
}

export interface DirectoryPage {
  areas: { id: string; name: string }[];
  tags: string[];
  /** Null when the search could not be used: then `errors` says why, and nothing was searched. */
  results: AssetListItem[] | null;
  errors: FormErrors | undefined;
  /** The postcode distances are from. */
  from: string | null;
  /** More matched than are shown. */
  more: boolean;
}

/** The most a search shows; a narrower search finds the rest. */
export const MOST_RESULTS = 300;

const MILES_KM = 1.609344;

function pointOf(latitude: string | null, longitude: string | null): Point | null {
  return latitude === null || longitude === null ? null : { latitude: Number(latitude), longitude: Number(longitude) };
}

function listItem(row: AssetListRow, origin: Point | null): AssetListItem {
  const at = pointOf(row.latitude, row.longitude);
  const km = origin === null || at === null ? null : distanceKm(origin, at);
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    description: row.description,
    areaName: row.area_name,
    addressLine1: row.address_line_1,
    postcode: row.postcode,
    tags: row.tags,
    public: row.public,
    free: row.free,
    closedOn: row.closed_on,
    distanceKm: km,
    distanceText: km === null ? null : distanceText(km),
  };
}

/** Nearest first; those with no location after, by name, as found. */
function nearestFirst(a: AssetListItem, b: AssetListItem): number {
  if (a.distanceKm === null || b.distanceKm === null) return Number(a.distanceKm === null) - Number(b.distanceKm === null);
  return a.distanceKm - b.distanceKm;
}

/**
 * The programme's community assets, narrowed by words (name, description, tags), kind, tag and neighbourhood, and
 * put in order of distance from a postcode when one is given. One audit row with the count and which filters were
 * used, never the words or the postcode (a search near someone's home says where they live).
 */
export async function searchDirectory(deps: Deps, user: CurrentUser, form: FormResult<SearchInput>, requestId: string): Promise<DirectoryPage> {
  const programmeId = user.programme.id;
  return inProgramme(deps, user, async (tx) => {
    const areas = await selectAreas(tx, programmeId);
    const tags = await selectTagsInUse(tx, programmeId);
    const page = { areas, tags, results: null, from: null, more: false };
    const event = { action: 'assets.list' };
    if (!form.ok) {
      await audit(tx, deps, user, requestId, { ...event, outcome: 'failed', detail: formProblems(form) });
      return { ...page, errors: form.errors };
    }
    const s = form.data;
    const origin = s.postcode === undefined ? undefined : await selectPostcode(tx, s.postcode);
    if (s.postcode !== undefined && origin === undefined) {
      const errors = { postcode: `${s.postcode} is not in the postcode list. Check it, or search without a postcode` };
      await audit(tx, deps, user, requestId, { ...event, outcome: 'failed', detail: formProblems({ ok: false, errors }) });
      return { ...page, errors };
    }
    const rows = await searchAssets(tx, {
      programmeId,
      q: s.q,
      category: s.category,
      tag: s.tag,
      areaId: s.area,
      includeClosed: s.closed === 'yes',
      // With a distance to keep within, only assets with a location can be in it.
      located: s.within !== undefined,
      limit: s.postcode === undefined ? MOST_RESULTS + 1 : 5000,
    });
    const point = origin === undefined ? null : pointOf(origin.latitude, origin.longitude);
    let results = rows.map((r) => listItem(r, point));
    if (point !== null) {
      const withinKm = s.within === undefined ? Infinity : Number(s.within) * MILES_KM;
      results = results.filter((r) => r.distanceKm === null || r.distanceKm <= withinKm).sort(nearestFirst);
    }
    const more = results.length > MOST_RESULTS;
    results = results.slice(0, MOST_RESULTS);
    await audit(tx, deps, user, requestId, {
      ...event,
      detail: {
        assets: results.length,
        ...(s.category === undefined ? {} : { category: s.category }),
        ...(s.area === undefined ? {} : { areaId: s.area }),
        words: s.q !== undefined,
        tag: s.tag !== undefined,
        byDistance: point !== null,
        closed: s.closed === 'yes',
      },
    });
    return { ...page, results, from: origin?.postcode ?? null, more, errors: undefined };
  });
}

export interface StaleAsset {
  id: string;
  name: string;
  category: AssetCategory;
  areaName: string;
  version: number;
  lastVerified: { on: string; byName: string } | null;
  recordedOn: string;
  canChange: boolean;
}

export interface StalePage {
  months: number;
  areas: { id: string; name: string }[];
  area: string | undefined;
  assets: StaleAsset[] | null;
  errors: FormErrors | undefined;
}

/** Running assets not checked for the programme's number of months, or never: the longest unchecked first. */
export async function listStaleAssets(deps: Deps, user: CurrentUser, form: FormResult<{ area?: string | undefined }>, requestId: string): Promise<StalePage> {
  const programmeId = user.programme.id;
  return inProgramme(deps, user, async (tx) => {
    const areas = await selectAreas(tx, programmeId);
    const { months, before } = await staleBefore(tx, deps, programmeId);
    const area = form.ok ? form.data.area : undefined;
    const errors = !form.ok ? form.errors : area !== undefined && !areas.some((a) => a.id === area) ? { area: 'Select a neighbourhood from the list' } : undefined;
    if (errors !== undefined) {
      await audit(tx, deps, user, requestId, { action: 'assets.stale', outcome: 'failed', detail: formProblems({ ok: false, errors }) });
      return { months, areas, area: undefined, assets: null, errors };
    }
    const rows = await selectStaleAssets(tx, { programmeId, before, areaId: area });
    await audit(tx, deps, user, requestId, { action: 'assets.stale', detail: { assets: rows.length, ...(area === undefined ? {} : { areaId: area }) } });
    return {
      months,
      areas,
      area,
      errors: undefined,
      assets: rows.map((r) => ({
        id: r.id,
        name: r.name,
        category: r.category,
        areaName: r.area_name,
        version: r.version,
        lastVerified: r.last_verified_on === null ? null : { on: r.last_verified_on, byName: r.verified_by_name ?? '' },
        recordedOn: ukToday(r.created_at),
        canChange: can(user, 'asset.update', { programmeId, areaId: r.area_id }),
      })),
    };
  });
}

export interface MapPage {
  areas: { id: string; name: string }[];
  area: { id: string; name: string } | undefined;
  errors: FormErrors | undefined;
  map: MapLayout | undefined;
  /** Running assets of the neighbourhood with no location: listed, not drawn. */
  unlocated: AssetListItem[];
  /** By category, in the order of the legend: what the map shows, as a list. */
  located: AssetListItem[];
}

/**
 * The map of one neighbourhood's running assets, with the same assets listed. A coordinator starts with their own
 * neighbourhood, a manager with the first.
 */
export async function getMapPage(deps: Deps, user: CurrentUser, form: FormResult<{ area?: string | undefined }>, requestId: string): Promise<MapPage> {
  const programmeId = user.programme.id;
  return inProgramme(deps, user, async (tx) => {
    const areas = await selectAreas(tx, programmeId);
    const asked = form.ok ? form.data.area : undefined;
    // A coordinator's map opens on their own neighbourhood; anyone else's on the one with most to show, not on an
    // empty one that happens to come first in the alphabet.
    const mapped = asked === undefined ? await selectMappedAreaIds(tx, programmeId) : [];
    const area =
      asked === undefined
        ? (areas.find((a) => user.areaIds.includes(a.id)) ?? areas.find((a) => a.id === mapped[0]) ?? areas[0])
        : areas.find((a) => a.id === asked);
    const errors = !form.ok ? form.errors : area === undefined && asked !== undefined ? { area: 'Select a neighbourhood from the list' } : undefined;
    const empty = { areas, area: undefined, map: undefined, unlocated: [], located: [] };
    if (errors !== undefined || area === undefined) {
      await audit(tx, deps, user, requestId, { action: 'assets.map', outcome: errors === undefined ? 'allowed' : 'failed', detail: errors === undefined ? { assets: 0 } : formProblems({ ok: false, errors }) });
      return { ...empty, errors };
    }
    const rows = await searchAssets(tx, { programmeId, areaId: area.id, includeClosed: false, limit: 2000 });
    const items = rows.map((r) => listItem(r, null));
    const located = rows.filter((r) => r.latitude !== null && r.longitude !== null);
    const map = layoutMap(located.map((r) => ({ id: r.id, name: r.name, category: r.category, latitude: Number(r.latitude), longitude: Number(r.longitude) })));
    const locatedIds = new Set(located.map((r) => r.id));
    await audit(tx, deps, user, requestId, { action: 'assets.map', detail: { areaId: area.id, assets: located.length } });
    return {
      areas,
      area,
      errors: undefined,
      map,
      located: items.filter((i) => locatedIds.has(i.id)),
      unlocated: items.filter((i) => !locatedIds.has(i.id)),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Admin: when an asset goes stale, and the postcode table

export interface CommunitySettings {
  months: number;
  postcodes: number;
}

export async function getCommunitySettings(deps: Deps, user: CurrentUser): Promise<CommunitySettings> {
  return inProgramme(deps, user, async (tx) => ({ months: await selectStaleMonths(tx, user.programme.id), postcodes: await countPostcodes(tx) }));
}

export async function saveStaleMonths(deps: Deps, user: CurrentUser, form: FormResult<{ months: number }>, requestId: string): Promise<CommunitySettings> {
  return inProgramme(deps, user, async (tx) => {
    const event = { action: 'assets.settings', recordType: 'programme' as const, recordId: user.programme.id };
    if (form.ok) {
      await updateStaleMonths(tx, user.programme.id, form.data.months);
      await audit(tx, deps, user, requestId, { ...event, detail: { staleMonths: form.data.months } });
    } else {
      await audit(tx, deps, user, requestId, { ...event, outcome: 'failed', detail: formProblems(form) });
    }
    return { months: await selectStaleMonths(tx, user.programme.id), postcodes: await countPostcodes(tx) };
  });
}

/** Writes postcode rows in batches, each batch's postcodes once. The same for the admin's page and the command line. */
export async function writePostcodes(
  db: Tx | Db,
  rows: readonly PostcodeRow[],
  source: string,
  at: Date,
): Promise<{ added: number; updated: number; repeated: number }> {
  const total = { added: 0, updated: 0, repeated: 0 };
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const batch = oncePerPostcode(rows.slice(start, start + BATCH_SIZE));
    const written = await upsertPostcodes(db, batch.rows, source, at);
    total.added += written.added;
    total.updated += written.updated;
    total.repeated += batch.repeated;
  }
  return total;
}

export const DEFAULT_POSTCODE_SOURCE = 'ONS Postcode Directory';

export type PostcodeImportResult = { kind: 'imported'; summary: ImportSummary } | { kind: 'invalid'; errors: FormErrors };

/** An admin's pasted CSV: read whole, written in one transaction, audited with the counts. */
export async function importPostcodes(
  deps: Deps,
  user: CurrentUser,
  form: FormResult<{ csv: string; source: string | null }>,
  requestId: string,
): Promise<PostcodeImportResult> {
  const event = { action: 'postcodes.import' };
  let read: ReturnType<typeof readPostcodeText> | undefined;
  let errors: FormErrors | undefined = form.ok ? undefined : form.errors;
  if (form.ok) {
    try {
      read = readPostcodeText(form.data.csv);
    } catch (error) {
      if (!(error instanceof PostcodeCsvError)) throw error;
      errors = { csv: error.message };
    }
  }
  return inProgramme(deps, user, async (tx): Promise<PostcodeImportResult> => {
    if (!form.ok || read === undefined || errors !== undefined) {
      await audit(tx, deps, user, requestId, { ...event, outcome: 'failed', detail: formProblems({ ok: false, errors: errors ?? {} }) });
      return { kind: 'invalid', errors: errors ?? {} };
    }
    const written = await writePostcodes(tx, read.rows, form.data.source ?? DEFAULT_POSTCODE_SOURCE, deps.clock.now());
    const summary: ImportSummary = { ...written, skipped: read.reader.skipped, reasons: read.reader.reasons };
    await audit(tx, deps, user, requestId, { ...event, detail: { added: summary.added, updated: summary.updated, skipped: summary.skipped, repeated: summary.repeated } });
    return { kind: 'imported', summary };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Community assets in a person's life

export interface LifeAssetsPage {
  person: PersonInContext;
  current: LifeAsset[];
  ended: LifeAsset[];
}

const LIFE_READ = { action: 'person-assets.read', permission: 'person.read' } as const;
const LIFE_FORM = { action: 'person-asset.read', permission: 'person.update' } as const;
const LIFE_FIND = { action: 'person-asset.find', permission: 'person.update' } as const;
const LIFE_CREATE = { action: 'person-asset.create', permission: 'person.update' } as const;
const LIFE_END = { action: 'person-asset.end', permission: 'person.update' } as const;

async function lifeAssetsPage(tx: Tx, programmeId: string, person: PersonInContext): Promise<LifeAssetsPage> {
  const all = (await selectLifeAssets(tx, programmeId, person.id)).map(lifeAssetOf);
  return { person, current: all.filter((l) => l.endedOn === null), ended: all.filter((l) => l.endedOn !== null) };
}

export async function getLifeAssets(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<LifeAssetsPage | undefined> {
  return withPerson(deps, user, personId, LIFE_READ, requestId, (tx, person) => lifeAssetsPage(tx, user.programme.id, person));
}

export interface AssetChoice {
  id: string;
  name: string;
  category: AssetCategory;
  areaName: string;
}

export interface LifeAssetFormPage {
  person: PersonInContext;
  /** Running assets in their neighbourhood, to choose from without searching. */
  nearby: AssetChoice[];
  /** What a search by name found, when there was one. */
  search: { q: string; found: AssetChoice[]; more: boolean } | undefined;
}

/** How many assets a list of choices shows: more than this, and a longer name finds fewer. */
const MOST_CHOICES = 30;

const choiceOf = (r: Awaited<ReturnType<typeof selectAssetChoices>>[number]): AssetChoice => ({ id: r.id, name: r.name, category: r.category, areaName: r.area_name });

async function lifeAssetForm(tx: Tx, programmeId: string, person: PersonInContext, q?: string): Promise<LifeAssetFormPage> {
  const nearby = (await selectAssetChoices(tx, { programmeId, areaId: person.areaId, limit: MOST_CHOICES })).map(choiceOf);
  if (q === undefined) return { person, nearby, search: undefined };
  const found = (await selectAssetChoices(tx, { programmeId, q, limit: MOST_CHOICES + 1 })).map(choiceOf);
  return { person, nearby, search: { q, found: found.slice(0, MOST_CHOICES), more: found.length > MOST_CHOICES } };
}

export async function getLifeAssetForm(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<LifeAssetFormPage | undefined> {
  return withPerson(deps, user, personId, LIFE_FORM, requestId, (tx, person) => lifeAssetForm(tx, user.programme.id, person));
}

/** A search by name, audited with how many were found, never the words. */
export async function findLifeAssets(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<{ q: string }>,
  requestId: string,
): Promise<LifeAssetFormPage | undefined> {
  return withPerson(deps, user, personId, LIFE_FIND, requestId, async (tx, person, note) => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return lifeAssetForm(tx, user.programme.id, person);
    }
    const page = await lifeAssetForm(tx, user.programme.id, person, form.data.q);
    note.add({ found: page.search?.found.length ?? 0 });
    return page;
  });
}

export type AddLifeAssetResult = { kind: 'added' } | { kind: 'invalid'; page: LifeAssetFormPage; errors: FormErrors | undefined };

/** An asset becomes part of the person's life. The one-time token makes a second submission land on the first. */
export async function addLifeAsset(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<LifeAssetInput>,
  q: string | undefined,
  requestId: string,
): Promise<AddLifeAssetResult | undefined> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    withPerson(deps, user, personId, LIFE_CREATE, requestId, async (tx, person, note): Promise<AddLifeAssetResult> => {
      const invalid = async (errors: FormErrors | undefined, problems: Record<string, unknown>): Promise<AddLifeAssetResult> => {
        note.failed(problems);
        return { kind: 'invalid', page: await lifeAssetForm(tx, programmeId, person, q), errors };
      };
      if (!form.ok) return invalid(undefined, formProblems(form));
      const input = form.data;
      const already = await selectLifeAssetIdByFormToken(tx, programmeId, input.formToken);
      if (already !== undefined) return { kind: 'added' };
      const asset = await selectRunningAsset(tx, programmeId, input.assetId.toLowerCase());
      if (asset === undefined) {
        const errors = { assetId: 'Select a community asset from the list' };
        return invalid(errors, formProblems({ ok: false, errors }));
      }
      const current = await selectLifeAssets(tx, programmeId, person.id);
      if (current.some((l) => l.asset_id === asset.id && l.ended_on === null)) {
        const errors = { assetId: `${asset.name} is already part of their life` };
        return invalid(errors, formProblems({ ok: false, errors }));
      }
      const linkId = await insertLifeAsset(tx, {
        programmeId,
        personId: person.id,
        assetId: asset.id,
        what: input.what,
        startedOn: input.startedOn,
        formToken: input.formToken,
        by: user.id,
        at: deps.clock.now(),
      });
      note.add({ linkId, assetId: asset.id });
      return { kind: 'added' };
    }),
  );
}

export type LifeAssetEndPage = { kind: 'link'; person: PersonInContext; link: LifeAsset } | ({ kind: 'list' } & LifeAssetsPage);

const NOT_THIS_PERSONS = { kind: 'not-found' } as const;

async function lifeAssetOfPerson(tx: Tx, programmeId: string, personId: string, linkId: string): Promise<LifeAsset | undefined> {
  if (!isUuid(linkId)) return undefined;
  return (await selectLifeAssets(tx, programmeId, personId)).map(lifeAssetOf).find((l) => l.id === linkId.toLowerCase());
}

function refuseLink(note: AccessNote, linkId: string) {
  note.denied({ reason: 'not a community asset in this person’s life', ...(isUuid(linkId) ? { linkId } : {}) });
  return NOT_THIS_PERSONS;
}

/** The form to record that an asset is no longer part of their life; with none named, the list to choose from. */
export async function getLifeAssetEndPage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  linkId: string | undefined,
  requestId: string,
): Promise<LifeAssetEndPage | typeof NOT_THIS_PERSONS | undefined> {
  const programmeId = user.programme.id;
  return withPerson(deps, user, personId, LIFE_FORM, requestId, async (tx, person, note) => {
    if (linkId === undefined) return { kind: 'list' as const, ...(await lifeAssetsPage(tx, programmeId, person)) };
    const link = await lifeAssetOfPerson(tx, programmeId, person.id, linkId);
    if (link === undefined) return refuseLink(note, linkId);
    return { kind: 'link' as const, person, link };
  });
}

export type EndLifeAssetResult =
  | { kind: 'ended' }
  | ({ kind: 'choose' } & LifeAssetsPage)
  | { kind: 'invalid'; person: PersonInContext; link: LifeAsset; errors: FormErrors | undefined };

export async function endLifeAssetLink(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  linkId: string | undefined,
  form: FormResult<{ endedOn: string }>,
  requestId: string,
): Promise<EndLifeAssetResult | typeof NOT_THIS_PERSONS | undefined> {
  const programmeId = user.programme.id;
  return withPerson(deps, user, personId, LIFE_END, requestId, async (tx, person, note) => {
    if (linkId === undefined) {
      note.failed({ reason: 'form had problems', fields: ['linkId'] });
      return { kind: 'choose' as const, ...(await lifeAssetsPage(tx, programmeId, person)) };
    }
    const link = await lifeAssetOfPerson(tx, programmeId, person.id, linkId);
    if (link === undefined) return refuseLink(note, linkId);
    if (link.endedOn !== null) return { kind: 'ended' as const };
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid' as const, person, link, errors: undefined };
    }
    if (form.data.endedOn < link.startedOn) {
      const errors = { endedOn: 'The date it ended must be on or after the date it started' };
      note.failed(formProblems({ ok: false, errors }));
      return { kind: 'invalid' as const, person, link, errors };
    }
    await endLifeAsset(tx, { programmeId, linkId: link.id, endedOn: form.data.endedOn, by: user.id, at: deps.clock.now() });
    note.add({ linkId: link.id, assetId: link.assetId });
    return { kind: 'ended' as const };
  });
}
