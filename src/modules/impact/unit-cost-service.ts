import { audited, CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import type { Db } from '../../core/db/database.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import type { FormErrors, FormResult } from '../../core/http/forms.ts';
import { poundsText } from '../../core/money.ts';
import { roundAmount } from './calculations.ts';
import { selectReportPriceYear } from './scenario-queries.ts';
import { PRICE_SERIES } from './unit-cost-import.ts';
import {
  countUnitCosts,
  insertCostVersion,
  insertLibrary,
  insertLocalCost,
  localCodeTaken,
  selectAgencies,
  selectCostVersions,
  selectIndexValues,
  selectLibraries,
  selectLocalCostIdByFormToken,
  selectLocalLibrary,
  selectSeries,
  selectUnitCost,
  selectUnitCosts,
  updateLocalCost,
  type LocalCostContent,
  type UnitCostRow,
} from './unit-cost-queries.ts';
import { PAGE_SIZE, RAG_TEXT, type LibrarySearch, type LocalCostChangeInput, type NewLocalCostInput, type UprateInput } from './unit-cost-schemas.ts';
import type { IndexBasis, RagRating } from './unit-cost-tables.ts';
import { uprateToYear, type PriceSeries, type Uprated } from './uprating.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

/**
 * The series every figure uprates with unless someone chooses another: the workbook's own deflators to 2015/16,
 * joined to HM Treasury's for later years (ADR 0012).
 */
export const REPORT_SERIES_NAME = PRICE_SERIES[2]?.name;

// ---------------------------------------------------------------------------------------------------------------
// Libraries and price series

export interface LibraryChoice {
  id: string;
  name: string;
  /** Name, the publisher's label and the import's number, in words. */
  label: string;
  /** The programme's own costs, rather than a shared library. */
  own: boolean;
  latest: boolean;
  attribution: string | null;
  licence: string | null;
  source: string;
  importedAt: Date;
  costs: number;
}

export async function libraryChoices(tx: Tx, programmeId: string): Promise<LibraryChoice[]> {
  const rows = await selectLibraries(tx, programmeId);
  const seen = new Set<string>();
  return rows.map((l) => {
    const key = `${l.programme_id ?? ''}|${l.name}`;
    // Rows come newest version first within each library.
    const latest = !seen.has(key);
    seen.add(key);
    const own = l.programme_id !== null;
    return {
      id: l.id,
      name: l.name,
      label: own ? l.name : `${l.name} ${l.version_label} (import ${l.version}, ${l.imported_at.toISOString().slice(0, 10)})`,
      own,
      latest,
      attribution: l.attribution,
      licence: l.licence,
      source: l.source,
      importedAt: l.imported_at,
      costs: Number(l.costs ?? 0),
    };
  });
}

export interface SeriesChoice {
  id: string;
  name: string;
  label: string;
  basis: IndexBasis;
  source: string;
  licence: string | null;
}

async function seriesChoices(tx: Tx, programmeId: string): Promise<SeriesChoice[]> {
  const rows = await selectSeries(tx, programmeId);
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    label: `${s.name}, ${s.version_label}${s.version > 1 ? ` (import ${s.version})` : ''}: ${s.basis === 'financial-year' ? 'financial years' : 'calendar years'}`,
    basis: s.basis,
    source: s.source,
    licence: s.licence,
  }));
}

/** A series with all its years, for uprating. Reads through row-level security like everything else. */
export async function loadPriceSeries(tx: Db, series: { id: string; name: string; basis: IndexBasis }): Promise<PriceSeries> {
  const values = await selectIndexValues(tx, series.id);
  return { id: series.id, name: series.name, basis: series.basis, values: new Map(values.map((v) => [v.year, v.index_value])) };
}

// ---------------------------------------------------------------------------------------------------------------
// The library page

export interface CostLine {
  id: string;
  code: string | null;
  /** The description on one line: the workbook breaks lines inside its cells. */
  description: string;
  unit: string;
  agency: string;
  fiscal: string | null;
  fiscalPriceYear: string | null;
  rag: RagRating | null;
  own: boolean;
}

export interface LibraryPage {
  libraries: LibraryChoice[];
  /** The libraries listed: the one chosen, or the newest version of each. */
  shown: LibraryChoice[];
  agencies: string[];
  costs: CostLine[];
  total: number;
  page: number;
  pages: number;
  /** The licence words each shown library asks to be displayed with its figures. */
  attributions: string[];
  errors: FormErrors | undefined;
  canManage: boolean;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function agencyText(l1: string | null, l2: string | null): string {
  return [l1, l2].filter((a): a is string => a !== null).join(': ') || 'Not given';
}

/** The library, searched and filtered, a page at a time. Reference data, not about anyone: not audited. */
export async function getLibraryPage(deps: Deps, user: CurrentUser, form: FormResult<LibrarySearch>): Promise<LibraryPage> {
  const programmeId = user.programme.id;
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const libraries = await libraryChoices(tx, programmeId);
    const search = form.ok ? form.data : { q: null, agency: null, rag: null, library: null, page: 1 };
    const errors: FormErrors = form.ok ? {} : { ...form.errors };
    let shown = libraries.filter((l) => (search.library === null ? l.latest : l.id === search.library));
    if (search.library !== null && shown.length === 0) {
      errors.library = 'Select a library from the list';
      shown = libraries.filter((l) => l.latest);
    }
    const agencies = await selectAgencies(tx, programmeId, shown.map((l) => l.id));
    const base = {
      libraries,
      shown,
      agencies,
      attributions: [...new Set(shown.map((l) => l.attribution).filter((a): a is string => a !== null))],
      canManage: can(user, 'unit-costs.manage'),
    };
    const [first, ...rest] = shown.map((l) => l.id);
    if (first === undefined) return { ...base, costs: [], total: 0, page: 1, pages: 1, errors: Object.keys(errors).length > 0 ? errors : undefined };
    const useFilters = Object.keys(errors).length === 0;
    const filter = { libraryIds: [first, ...rest] as const, text: useFilters ? search.q : null, agency: useFilters ? search.agency : null, rag: useFilters ? search.rag : null };
    const total = await countUnitCosts(tx, programmeId, filter);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(useFilters ? search.page : 1, pages);
    const rows = await selectUnitCosts(tx, programmeId, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    const costs = rows.map((r) => ({
      id: r.id,
      code: r.code,
      description: oneLine(r.description),
      unit: r.unit,
      agency: agencyText(r.agency_l1, r.agency_l2),
      fiscal: r.fiscal_value === null ? null : poundsText(r.fiscal_value),
      fiscalPriceYear: r.fiscal_price_year,
      rag: r.rag,
      own: r.programme_id !== null,
    }));
    return { ...base, costs, total, page, pages, errors: useFilters ? undefined : errors };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// One cost, its values uprated

export const VALUE_KINDS = ['fiscal', 'economic', 'social'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export const VALUE_KIND_TEXT: Record<ValueKind, string> = { fiscal: 'Fiscal', economic: 'Economic', social: 'Social' };

export interface CostValue {
  kind: ValueKind;
  /** Decimal text, as published. */
  amount: string;
  text: string;
  priceYear: string;
}

/** A cost's values that it has, fiscal first: the cost to public services, then the wider economic and social ones. */
export function valuesOf(row: Pick<UnitCostRow, 'fiscal_value' | 'fiscal_price_year' | 'economic_value' | 'economic_price_year' | 'social_value' | 'social_price_year'>): CostValue[] {
  const pairs: [ValueKind, string | null, string | null][] = [
    ['fiscal', row.fiscal_value, row.fiscal_price_year],
    ['economic', row.economic_value, row.economic_price_year],
    ['social', row.social_value, row.social_price_year],
  ];
  return pairs.flatMap(([kind, amount, priceYear]) => (amount === null || priceYear === null ? [] : [{ kind, amount, text: poundsText(amount), priceYear }]));
}

export interface UpratedValue extends CostValue {
  uprated: Uprated;
  /** The uprated value to the penny, when the series could say. */
  upratedText: string | null;
}

export interface CostPage {
  cost: UnitCostRow;
  rag: string | null;
  agency: string;
  own: boolean;
  values: CostValue[];
  series: SeriesChoice[];
  /** The year and series the values are shown in; null when none could be chosen. */
  chosen: { year: string; series: SeriesChoice } | null;
  uprated: UpratedValue[];
  /** Why the chosen series could not uprate the values, when it could not. */
  refusal: string | null;
  errors: FormErrors | undefined;
  /** The year and series as typed, to show the form again. */
  asked: { year: string; series: string };
  /** Outcome category and detail, as the workbook groups its costs. */
  outcome: string | null;
  /** Every version of a programme's own cost, newest first. */
  versions: { version: number; description: string; valueText: string; priceYear: string; savedByName: string; savedAt: Date }[];
  canChange: boolean;
}

/**
 * A cost with its values, each in its own price year, and uprated to the year and series asked for. When nothing is
 * asked the workbook's own choice is shown (2015/16 prices, its Budget 2015 deflators). A series that has no index
 * for the price year or the year asked for is refused in words, never guessed: an error on the form when the person
 * asked for it, a note when it was the page's own choice.
 */
export async function getCostPage(
  deps: Deps,
  user: CurrentUser,
  costId: string,
  form: FormResult<UprateInput>,
  asked: { year: string; series: string },
): Promise<CostPage | undefined> {
  const programmeId = user.programme.id;
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const cost = await selectUnitCost(tx, programmeId, costId);
    if (cost === undefined) return undefined;
    const series = await seriesChoices(tx, programmeId);
    const values = valuesOf(cost);
    const errors: FormErrors = form.ok ? {} : { ...form.errors };
    const input = form.ok ? form.data : {};
    const askedAnything = input.year !== undefined || input.series !== undefined;
    // Unasked, a cost shows in the prices the programme reports in, with the series its reports use.
    const year = input.year ?? (askedAnything ? undefined : await selectReportPriceYear(tx, programmeId));
    const seriesId = input.series ?? (askedAnything ? undefined : series.find((s) => s.name === REPORT_SERIES_NAME)?.id);
    const chosenSeries = series.find((s) => s.id === seriesId);
    if (form.ok && askedAnything) {
      if (input.year === undefined) errors.year = 'Enter the price year to show the values in, like 2015/16 or 2015';
      if (chosenSeries === undefined) errors.series = 'Select a price index series from the list';
    }
    const own = cost.programme_id !== null;
    const page = {
      cost,
      rag: cost.rag === null ? null : RAG_TEXT[cost.rag],
      agency: agencyText(cost.agency_l1, cost.agency_l2),
      own,
      values,
      series,
      asked: askedAnything || !form.ok ? asked : { year: year ?? '', series: seriesId ?? '' },
      outcome: [cost.category, cost.detail].filter((t) => t !== null).join(': ') || null,
      versions: own
        ? (await selectCostVersions(tx, programmeId, cost.id)).map((v) => ({
            version: v.version,
            description: oneLine(v.description),
            valueText: poundsText(v.fiscal_value),
            priceYear: v.fiscal_price_year,
            savedByName: v.saved_by_name,
            savedAt: v.saved_at,
          }))
        : [],
      canChange: own && can(user, 'unit-costs.manage'),
    };
    if (Object.keys(errors).length > 0 || year === undefined || chosenSeries === undefined) {
      return { ...page, chosen: null, uprated: [], refusal: null, errors: Object.keys(errors).length > 0 ? errors : undefined };
    }
    const loaded = await loadPriceSeries(tx, chosenSeries);
    const uprated = values.map((v) => {
      const result = uprateToYear(v.amount, v.priceYear, year, loaded);
      return { ...v, uprated: result, upratedText: result.ok ? poundsText(roundAmount(result.value, 'penny')) : null };
    });
    const refused = uprated.map((u) => u.uprated).find((u): u is Extract<Uprated, { ok: false }> => !u.ok);
    if (refused !== undefined && askedAnything) {
      // The person asked: say which of their choices the series cannot meet, beside that field.
      const field = refused.missing === 'target-year' ? 'year' : 'series';
      return { ...page, chosen: null, uprated: [], refusal: null, errors: { [field]: refused.message } };
    }
    return { ...page, chosen: { year, series: chosenSeries }, uprated, refusal: refused?.message ?? null, errors: undefined };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A programme's own costs

/** The library a programme's own costs live in, made the first time a manager adds one. */
async function localLibrary(tx: Tx, user: CurrentUser, at: Date): Promise<string> {
  const existing = await selectLocalLibrary(tx, user.programme.id);
  if (existing !== undefined) return existing.id;
  return insertLibrary(tx, {
    programmeId: user.programme.id,
    name: `${user.programme.name}: local costs`,
    versionLabel: 'Local',
    version: 1,
    source: `Costs ${user.programme.name} added itself, each with its own source`,
    attribution: null,
    licence: null,
    importedAt: at,
    importedBy: user.id,
  });
}

function contentOf(input: NewLocalCostInput | LocalCostChangeInput): LocalCostContent {
  return {
    code: input.code,
    description: input.description,
    unit: input.unit,
    agencyL1: input.agencyL1,
    agencyL2: input.agencyL2,
    fiscalValue: input.fiscalValue,
    priceYear: input.priceYear,
    source: input.source,
    comment: input.comment,
  };
}

const CODE_TAKEN = 'Another of your programme’s own costs has this code: give this one another code, or none';

export type AddLocalCostResult = { kind: 'added'; costId: string } | { kind: 'invalid'; errors: FormErrors };

/** Adds a programme's own cost, with its source. The one-time token makes a double submission one cost. */
export async function addLocalCost(deps: Deps, user: CurrentUser, form: FormResult<NewLocalCostInput>, requestId: string): Promise<AddLocalCostResult> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'unit-cost.create', requestId, async (tx, note): Promise<AddLocalCostResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', errors: form.errors };
      }
      const input = form.data;
      const existing = await selectLocalCostIdByFormToken(tx, programmeId, input.formToken);
      if (existing !== undefined) return { kind: 'added', costId: existing };
      const at = deps.clock.now();
      const libraryId = await localLibrary(tx, user, at);
      if (input.code !== null && (await localCodeTaken(tx, libraryId, input.code, null))) {
        note.failed({ reason: 'form had problems', fields: ['code'] });
        return { kind: 'invalid', errors: { code: CODE_TAKEN } };
      }
      const content = contentOf(input);
      const written = { programmeId, by: user.id, at };
      const costId = await insertLocalCost(tx, { ...written, libraryId, formToken: input.formToken, content });
      await insertCostVersion(tx, { ...written, costId, version: 1, content });
      note.add({ unitCostId: costId, version: 1 });
      return { kind: 'added', costId };
    }),
  );
}

/** A programme's own cost, to change; shared costs (and other programmes') are not found. */
export async function getLocalCost(deps: Deps, user: CurrentUser, costId: string): Promise<UnitCostRow | undefined> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const cost = await selectUnitCost(tx, user.programme.id, costId);
    return cost?.programme_id === user.programme.id ? cost : undefined;
  });
}

export type ChangeLocalCostResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; cost: UnitCostRow; errors: FormErrors }
  /** Someone saved the cost since the form was opened: nothing saved; `cost` is how it reads now. */
  | { kind: 'conflict'; cost: UnitCostRow; yours: LocalCostContent }
  | { kind: 'not-found' };

function sameContent(cost: UnitCostRow, content: LocalCostContent): boolean {
  return (
    cost.code === content.code &&
    cost.description === content.description &&
    cost.unit === content.unit &&
    cost.agency_l1 === content.agencyL1 &&
    cost.agency_l2 === content.agencyL2 &&
    cost.fiscal_value !== null &&
    poundsText(cost.fiscal_value) === poundsText(content.fiscalValue) &&
    cost.fiscal_price_year === content.priceYear &&
    cost.source === content.source &&
    cost.comment === content.comment
  );
}

/**
 * Saves a new version of a programme's own cost; every earlier version is kept. A form made from an older version is
 * refused (someone else saved first) unless it asks for exactly what the cost says now, which is also what a second
 * submission of a save that went through looks like.
 */
export async function changeLocalCost(
  deps: Deps,
  user: CurrentUser,
  costId: string,
  form: FormResult<LocalCostChangeInput>,
  requestId: string,
): Promise<ChangeLocalCostResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, 'unit-cost.update', requestId, async (tx, note): Promise<ChangeLocalCostResult> => {
    const cost = await selectUnitCost(tx, programmeId, costId);
    if (cost?.programme_id !== programmeId) {
      note.denied({ reason: 'not this programme’s own cost', unitCostId: costId });
      return { kind: 'not-found' };
    }
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', cost, errors: form.errors };
    }
    const content = contentOf(form.data);
    if (sameContent(cost, content)) return { kind: 'saved' };
    if (content.code !== null && content.code !== cost.code && (await localCodeTaken(tx, cost.library_id, content.code, cost.id))) {
      note.failed({ reason: 'form had problems', fields: ['code'] });
      return { kind: 'invalid', cost, errors: { code: CODE_TAKEN } };
    }
    const written = { programmeId, by: user.id, at: deps.clock.now() };
    const version = form.data.version === cost.version ? await updateLocalCost(tx, { ...written, costId, expectedVersion: form.data.version, content }) : undefined;
    if (version === undefined) {
      note.failed({ ...CHANGED_MEANWHILE, unitCostId: costId });
      // Read again: a save that raced this one has committed by now, and the page shows what it saved.
      return { kind: 'conflict', cost: (await selectUnitCost(tx, programmeId, costId)) ?? cost, yours: content };
    }
    await insertCostVersion(tx, { ...written, costId, version, content });
    note.add({ unitCostId: costId, version });
    return { kind: 'saved' };
  });
}
