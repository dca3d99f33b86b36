import { record, type Actor } from '../../core/audit/audit.ts';
import type { Insertable, Updateable } from 'kysely';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday } from '../../core/http/forms.ts';
import { distanceKm, type Point } from '../../core/geo.ts';
import type { AssetCategory, CommunityAssetsTable, ScheduleDay } from '../assets/tables.ts';
import { readDocument, type AssetDetails, type AssetDraft, type ImportItem } from './document.ts';
import {
  fullOrganization,
  fullService,
  fullServiceAtLocation,
  hasLocation,
  organizationListItem,
  serviceAtLocationListItem,
  serviceListItem,
} from './mapping.ts';
import {
  insertAsset,
  replaceSchedules,
  selectArea,
  selectAreaByName,
  selectAssetsBySource,
  selectDirectoryAssets,
  selectDirectoryIdsRunBy,
  selectDirectoryKeys,
  selectDirectoryOrganisationIds,
  selectDirectorySchedules,
  selectDirectoryTags,
  selectManagers,
  selectPostcodes,
  selectProgrammeByName,
  updateAsset,
  type DirectoryAssetRow,
  type DirectoryFilters,
} from './queries.ts';
import {
  CATEGORIES_TAXONOMY,
  CATEGORY_TERMS,
  TAGS_TAXONOMY,
  TAXONOMIES,
  categoryOfTermId,
  nameBasedId,
  tagTerm,
  tagTermId,
  type Taxonomy,
  type TaxonomyTerm,
} from './taxonomy.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;
type Json = Record<string, unknown>;

// --- The public directory ----------------------------------------------------------------------------------------

/**
 * Every read of the public directory: no programme and no user, so row-level security shows exactly the assets
 * marked public and not closed (the public_directory policies). Nothing here is personal data, so nothing is
 * audited.
 */
function inPublicDirectory<T>(deps: Pick<AppDeps, 'db'>, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(deps.db, { programmeId: null, userId: null }, work);
}

export interface Paging {
  page: number;
  perPage: number;
}

/** The profile's page: its counts and flags around the page's contents. */
export interface Page<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

/** The slice of `all` on the page asked for, and how to wrap that slice's contents as the profile's page. */
function paginate<T>(all: readonly T[], paging: Paging) {
  const start = (paging.page - 1) * paging.perPage;
  const totalPages = Math.ceil(all.length / paging.perPage);
  return {
    slice: all.slice(start, start + paging.perPage),
    page: <U>(contents: U[]): Page<U> => ({
      total_items: all.length,
      total_pages: totalPages,
      page_number: paging.page,
      // "The number of entities in the current page", as the profile defines it.
      size: contents.length,
      first_page: paging.page === 1,
      last_page: paging.page >= totalPages,
      empty: all.length === 0,
      contents,
    }),
  };
}

export interface ServiceFilters {
  search: string | undefined;
  taxonomyTermId: string | undefined;
  taxonomyId: string | undefined;
  /** A postcode, already in its stored shape; with `proximityMetres`, only assets that near it. */
  postcode: string | undefined;
  proximityMetres: number | undefined;
  day: ScheduleDay | undefined;
  startTime: string | undefined;
  endTime: string | undefined;
}

export type ListResult<T> = { kind: 'page'; page: Page<T> } | { kind: 'unknown-postcode' };

/** The taxonomy filters in the terms of our tables; null when the id is none of ours, so nothing can match. */
async function taxonomyFilters(tx: Tx, filters: ServiceFilters): Promise<Partial<DirectoryFilters> | null> {
  const result: Partial<DirectoryFilters> = {};
  if (filters.taxonomyId !== undefined) {
    if (filters.taxonomyId === TAGS_TAXONOMY.id) result.tagged = true;
    else if (filters.taxonomyId !== CATEGORIES_TAXONOMY.id) return null;
  }
  if (filters.taxonomyTermId !== undefined) {
    const category = categoryOfTermId(filters.taxonomyTermId);
    if (category !== undefined) {
      result.category = category;
    } else {
      const tag = (await selectDirectoryTags(tx)).find((t) => tagTermId(t) === filters.taxonomyTermId);
      if (tag === undefined) return null;
      result.tag = tag;
    }
  }
  return result;
}

function pointOf(row: { latitude: string | null; longitude: string | null }): Point | null {
  return row.latitude === null || row.longitude === null ? null : { latitude: Number(row.latitude), longitude: Number(row.longitude) };
}

/**
 * The ids of the public assets that match, in order: by name, or nearest first from a postcode (those with no
 * position last, by name), within the proximity if one is given.
 */
async function matchingIds(tx: Tx, filters: ServiceFilters, located: boolean): Promise<string[] | 'unknown-postcode'> {
  let origin: Point | null = null;
  if (filters.postcode !== undefined) {
    const [found] = await selectPostcodes(tx, [filters.postcode]);
    if (found === undefined) return 'unknown-postcode';
    origin = { latitude: Number(found.latitude), longitude: Number(found.longitude) };
  }
  const taxonomy = await taxonomyFilters(tx, filters);
  if (taxonomy === null) return [];
  const schedule =
    filters.day === undefined && filters.startTime === undefined && filters.endTime === undefined
      ? undefined
      : {
          ...(filters.day === undefined ? {} : { day: filters.day }),
          ...(filters.startTime === undefined ? {} : { opensFrom: filters.startTime }),
          ...(filters.endTime === undefined ? {} : { closesBy: filters.endTime }),
        };
  const keys = await selectDirectoryKeys(tx, {
    words: (filters.search ?? '').split(/\s+/).filter((w) => w !== ''),
    ...taxonomy,
    located,
    ...(schedule === undefined ? {} : { schedule }),
  });
  if (origin === null) return keys.map((k) => k.id);
  const from = origin;
  const measured = keys.map((k) => {
    const point = pointOf(k);
    return { id: k.id, km: point === null ? null : distanceKm(from, point) };
  });
  const near =
    filters.proximityMetres === undefined
      ? measured
      : measured.filter((m) => m.km !== null && m.km * 1000 <= (filters.proximityMetres ?? 0));
  // Array.prototype.sort is stable: equal distances (and every asset with no position) stay in name order.
  return near.sort((a, b) => (a.km ?? Infinity) - (b.km ?? Infinity)).map((m) => m.id);
}

/** The public assets with these ids, in this order, with their schedules. */
async function assetsInOrder(tx: Tx, ids: readonly string[]) {
  const rows = await selectDirectoryAssets(tx, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const assets = ids.map((id) => byId.get(id)).filter((r): r is DirectoryAssetRow => r !== undefined);
  const schedules = await selectDirectorySchedules(tx, ids);
  return { assets, schedules };
}

async function listMatching<T>(
  deps: Pick<AppDeps, 'db'>,
  filters: ServiceFilters,
  paging: Paging,
  located: boolean,
  item: (asset: DirectoryAssetRow) => T,
): Promise<ListResult<T>> {
  return inPublicDirectory(deps, async (tx) => {
    const ids = await matchingIds(tx, filters, located);
    if (ids === 'unknown-postcode') return { kind: 'unknown-postcode' } as const;
    const { slice, page } = paginate(ids, paging);
    return { kind: 'page', page: page((await assetsInOrder(tx, slice)).assets.map(item)) } as const;
  });
}

export function listServices(deps: Pick<AppDeps, 'db'>, filters: ServiceFilters, paging: Paging): Promise<ListResult<Json>> {
  return listMatching(deps, filters, paging, false, serviceListItem);
}

export function listServicesAtLocations(deps: Pick<AppDeps, 'db'>, filters: ServiceFilters, paging: Paging): Promise<ListResult<Json>> {
  return listMatching(deps, filters, paging, true, serviceAtLocationListItem);
}

export async function findService(deps: Pick<AppDeps, 'db'>, id: string): Promise<Json | undefined> {
  return inPublicDirectory(deps, async (tx) => {
    const { assets, schedules } = await assetsInOrder(tx, [id]);
    const asset = assets[0];
    return asset === undefined ? undefined : fullService(asset, schedules, { withLocations: true, withOrganization: true });
  });
}

/** A service at a location has the asset's id; an asset with nowhere to go has none. */
export async function findServiceAtLocation(deps: Pick<AppDeps, 'db'>, id: string): Promise<Json | undefined> {
  return inPublicDirectory(deps, async (tx) => {
    const { assets, schedules } = await assetsInOrder(tx, [id]);
    const asset = assets[0];
    return asset === undefined || !hasLocation(asset) ? undefined : fullServiceAtLocation(asset, schedules);
  });
}

export async function listOrganizations(deps: Pick<AppDeps, 'db'>, paging: Paging): Promise<Page<Json>> {
  return inPublicDirectory(deps, async (tx) => {
    const { slice, page } = paginate(await selectDirectoryOrganisationIds(tx), paging);
    return page((await assetsInOrder(tx, slice)).assets.map(organizationListItem));
  });
}

export async function findOrganization(deps: Pick<AppDeps, 'db'>, id: string): Promise<Json | undefined> {
  return inPublicDirectory(deps, async (tx) => {
    const [organisation] = (await assetsInOrder(tx, [id])).assets;
    if (organisation?.category !== 'organisation') return undefined;
    const { assets, schedules } = await assetsInOrder(tx, await selectDirectoryIdsRunBy(tx, id));
    const services = assets.map((a) => fullService(a, schedules, { withLocations: true, withOrganization: false }));
    return fullOrganization(organisation, services);
  });
}

/** Our two taxonomies, with their terms: every category, and the tags on public assets. */
async function termsOfTaxonomy(tx: Tx, taxonomy: Taxonomy): Promise<TaxonomyTerm[]> {
  return taxonomy.id === CATEGORIES_TAXONOMY.id ? [...CATEGORY_TERMS] : (await selectDirectoryTags(tx)).map(tagTerm);
}

export function listTaxonomies(paging: Paging): Page<Taxonomy> {
  const { slice, page } = paginate(TAXONOMIES, paging);
  return page(slice);
}

export async function findTaxonomy(deps: Pick<AppDeps, 'db'>, id: string): Promise<Json | undefined> {
  const taxonomy = TAXONOMIES.find((t) => t.id === id);
  if (taxonomy === undefined) return undefined;
  return inPublicDirectory(deps, async (tx) => ({ ...taxonomy, taxonomy_terms: await termsOfTaxonomy(tx, taxonomy) }));
}

async function allTerms(tx: Tx): Promise<TaxonomyTerm[]> {
  return [...CATEGORY_TERMS, ...(await selectDirectoryTags(tx)).map(tagTerm)];
}

export async function listTaxonomyTerms(deps: Pick<AppDeps, 'db'>, paging: Paging): Promise<Page<TaxonomyTerm>> {
  return inPublicDirectory(deps, async (tx) => {
    const { slice, page } = paginate(await allTerms(tx), paging);
    return page(slice);
  });
}

export async function findTaxonomyTerm(deps: Pick<AppDeps, 'db'>, id: string): Promise<TaxonomyTerm | undefined> {
  return inPublicDirectory(deps, async (tx) => (await allTerms(tx)).find((t) => t.id === id));
}

// --- Import --------------------------------------------------------------------------------------------------------

/** Who imports, into which programme: a manager at the import page, or the one named on the command line. */
export interface Importer {
  userId: string;
  programmeId: string;
  requestId: string | null;
}

export interface ImportInput {
  /** The parsed JSON document. */
  document: unknown;
  areaId: string;
  /** The category of services whose document does not give one of ours. */
  category: Exclude<AssetCategory, 'gifts'>;
  public: boolean;
  formToken: string;
}

export interface ImportLine {
  label: string;
  kind: 'service' | 'organization' | 'other';
  outcome: 'created' | 'updated' | 'skipped';
  /** Why it was skipped, or what was left out or changed. */
  notes: string[];
}

export interface ImportSummary {
  areaName: string;
  created: number;
  updated: number;
  skipped: number;
  lines: ImportLine[];
}

export type ImportResult =
  | { kind: 'imported'; summary: ImportSummary }
  | { kind: 'not-a-document'; message: string }
  | { kind: 'unknown-area' }
  | { kind: 'already-imported' };

/**
 * The one-time token of each asset an import creates, from the form's token and the asset's source id: sending the
 * same form twice finds its own assets, and the database's unique token stops a race making two.
 */
function assetFormToken(formToken: string, sourceId: string): string {
  return nameBasedId(`asset:${sourceId}`, formToken);
}

/** Each part of an asset's details, and its column. */
const DETAIL_COLUMNS = {
  addressLine1: 'address_line_1',
  addressTown: 'address_town',
  postcode: 'postcode',
  latitude: 'latitude',
  longitude: 'longitude',
  accessibility: 'accessibility',
  contactName: 'contact_name',
  contactPhone: 'contact_phone',
  contactEmail: 'contact_email',
  website: 'website',
  cost: 'cost',
  free: 'free',
  tags: 'tags',
} as const satisfies Record<keyof AssetDetails, keyof CommunityAssetsTable>;

/**
 * The columns an imported asset takes from its document and the importer's choices: only the parts the document
 * gives (see AssetDraft), so a compact list page does not empty what a full document filled in before.
 */
function assetColumns(draft: AssetDraft, input: ImportInput, organisationId: string | null | undefined): Updateable<CommunityAssetsTable> {
  const details = Object.fromEntries(
    Object.entries(draft.details).map(([part, value]) => [DETAIL_COLUMNS[part as keyof AssetDetails], value]),
  ) as Updateable<CommunityAssetsTable>;
  return {
    ...details,
    area_id: input.areaId,
    name: draft.name,
    description: draft.description,
    public: input.public,
    ...(organisationId === undefined ? {} : { organisation_id: organisationId }),
  };
}

/** Positions for drafts with a postcode we know but no position of their own. */
async function fillPositions(tx: Tx, drafts: AssetDraft[]): Promise<void> {
  const wanted = drafts.filter((d) => d.details.latitude === null && typeof d.details.postcode === 'string');
  const found = new Map((await selectPostcodes(tx, [...new Set(wanted.map((d) => d.details.postcode ?? ''))])).map((p) => [p.postcode, p]));
  for (const draft of wanted) {
    const place = found.get(draft.details.postcode ?? '');
    if (place === undefined) continue;
    draft.details.latitude = Number(place.latitude);
    draft.details.longitude = Number(place.longitude);
  }
}

/** What one import knows as it goes: who, when, and the assets it has found or made, by source id. */
interface ImportRun {
  tx: Tx;
  importer: Importer;
  input: ImportInput;
  at: Date;
  existing: Map<string, { id: string; closed_on: string | null }>;
}

/** Writes one service or organization as an asset, new or updated, with its schedules: what happened to it. */
async function importItem(run: ImportRun, item: Exclude<ImportItem, { kind: 'skipped' }>): Promise<ImportLine> {
  const { tx, importer, input, at } = run;
  const { draft, notes } = item;
  const before = run.existing.get(draft.sourceId);
  if (before === undefined && draft.notRunning !== null) {
    return { label: item.label, kind: item.kind, outcome: 'skipped', notes: [`its status is “${draft.notRunning}”, so it is not running`, ...notes] };
  }
  let organisationId: string | null | undefined = draft.organisationSourceId === undefined ? undefined : null;
  if (typeof draft.organisationSourceId === 'string') {
    organisationId = run.existing.get(draft.organisationSourceId)?.id ?? null;
    if (organisationId === null) notes.push('The organisation that runs it was not imported, so it is not linked');
  }
  const columns = assetColumns(draft, input, organisationId);
  let assetId: string;
  if (before === undefined) {
    assetId = await insertAsset(tx, {
      ...(columns as Omit<Insertable<CommunityAssetsTable>, 'programme_id' | 'category' | 'form_token'>),
      programme_id: importer.programmeId,
      category: draft.category ?? input.category,
      source_id: draft.sourceId,
      form_token: assetFormToken(input.formToken, draft.sourceId),
      created_by: importer.userId,
      created_at: at,
      updated_by: importer.userId,
      updated_at: at,
    });
    run.existing.set(draft.sourceId, { id: assetId, closed_on: null });
  } else {
    assetId = before.id;
    // The document is the record of whether it runs: closed when it says so, open again when it says active.
    if (draft.notRunning !== null) notes.push(`Marked as closed: its status is “${draft.notRunning}”`);
    else if (before.closed_on !== null) notes.push('Open again: the document says it is active');
    await updateAsset(tx, importer.programmeId, assetId, {
      ...columns,
      // A category the document does not give stays as it was (a coordinator may have set it).
      ...(draft.category === null ? {} : { category: draft.category }),
      closed_on: draft.notRunning === null ? null : (before.closed_on ?? ukToday(at)),
      updated_by: importer.userId,
      updated_at: at,
    });
  }
  if (draft.schedules !== null) {
    const rows = draft.schedules.map((s) => ({
      freq: s.freq,
      byday: s.byday,
      week_of_month: s.weekOfMonth,
      opens_at: s.opensAt,
      closes_at: s.closesAt,
      description: s.description,
    }));
    await replaceSchedules(tx, importer.programmeId, assetId, rows);
  }
  return { label: item.label, kind: item.kind, outcome: before === undefined ? 'created' : 'updated', notes };
}

/**
 * Imports an Open Referral UK document into a programme's community assets, in one transaction with one audit
 * row (counts only). Each service or organization is an asset found again by its source id, so importing the same
 * document again updates rather than duplicates. A service the document says is not running closes the asset
 * imported before, and is not created if it is new.
 */
export async function importOpenReferral(deps: Deps, importer: Importer, input: ImportInput): Promise<ImportResult> {
  const read = readDocument(input.document);
  if (!read.ok) return { kind: 'not-a-document', message: read.message };
  const scope = { programmeId: importer.programmeId, userId: importer.userId };
  return onceMoreIfRaced(() =>
    inTransaction(deps.db, scope, async (tx): Promise<ImportResult> => {
      const area = await selectArea(tx, importer.programmeId, input.areaId);
      if (area === undefined) return { kind: 'unknown-area' };
      // Copies: what this attempt fills in (positions from postcodes, notes) must not leak into a retry.
      const items = read.items.map((i): ImportItem => (i.kind === 'skipped' ? i : { ...i, draft: { ...i.draft, details: { ...i.draft.details } }, notes: [...i.notes] }));
      const drafts = items.flatMap((i) => (i.kind === 'skipped' ? [] : [i.draft]));
      const sourceIds = drafts.flatMap((d) => (typeof d.organisationSourceId === 'string' ? [d.sourceId, d.organisationSourceId] : [d.sourceId]));
      const found = await selectAssetsBySource(tx, importer.programmeId, [...new Set(sourceIds)]);
      // Sent before: an asset this form made is among them. Checked in the same statement that finds them, so a
      // first sending that commits in between is either seen here or stops this one at the unique token.
      const madeHere = new Set(drafts.map((d) => assetFormToken(input.formToken, d.sourceId)));
      if (found.some((a) => madeHere.has(a.form_token))) return { kind: 'already-imported' };
      await fillPositions(tx, drafts);
      const run: ImportRun = { tx, importer, input, at: deps.clock.now(), existing: new Map(found.map((a) => [a.source_id ?? '', a])) };

      const lines: ImportLine[] = [];
      for (const item of items) {
        lines.push(item.kind === 'skipped' ? { label: item.label, kind: 'other', outcome: 'skipped', notes: [item.reason] } : await importItem(run, item));
      }
      const count = (outcome: ImportLine['outcome']) => lines.filter((l) => l.outcome === outcome).length;
      const summary = { areaName: area.name, created: count('created'), updated: count('updated'), skipped: count('skipped'), lines };
      const actor: Actor = { userId: importer.userId, programmeId: importer.programmeId, requestId: importer.requestId, at: run.at };
      await record(tx, actor, { action: 'assets.import', detail: { created: summary.created, updated: summary.updated, skipped: summary.skipped } });
      return { kind: 'imported', summary };
    }),
  );
}

// --- The command line ------------------------------------------------------------------------------------------------

export interface CommandLineTarget {
  programmeName: string;
  areaName: string;
  /** The manager to import as; without one, the programme's only manager. */
  byEmail: string | undefined;
}

export class ImportTargetError extends Error {}

/**
 * Who and where for `npm run import:oruk`, looked up by name as the database owner (no one is signed in yet). The
 * import itself then runs as that manager, like the page, row-level security and audit included.
 */
export async function commandLineImporter(deps: Pick<AppDeps, 'db'>, target: CommandLineTarget) {
  const programmes = await selectProgrammeByName(deps.db, target.programmeName);
  const programme = programmes[0];
  if (programme === undefined || programmes.length > 1) throw new ImportTargetError(`There is no programme called “${target.programmeName}”`);
  const area = await selectAreaByName(deps.db, programme.id, target.areaName);
  if (area === undefined) throw new ImportTargetError(`${programme.name} has no neighbourhood called “${target.areaName}”`);
  const managers = await selectManagers(deps.db, programme.id, target.byEmail);
  const manager = managers[0];
  if (manager === undefined) {
    throw new ImportTargetError(
      target.byEmail === undefined ? `${programme.name} has no manager to import as` : `${target.byEmail} is not a manager of ${programme.name}`,
    );
  }
  if (managers.length > 1) throw new ImportTargetError(`${programme.name} has several managers: say which to import as with --by <email>`);
  return { importer: { userId: manager.id, programmeId: programme.id, requestId: null }, areaId: area.id, manager, programme, area };
}

