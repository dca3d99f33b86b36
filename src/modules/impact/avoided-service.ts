import { record } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormResult } from '../../core/http/forms.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import {
  insertAvoidedOutcome,
  selectAvoidedIdByFormToken,
  selectAvoidedOutcomes,
  selectAvoidedVersions,
  selectAwaitingVerification,
  updateAvoidedOutcome,
  type AvoidedContent,
  type AvoidedOutcomeRow,
  type CostSnapshot,
} from './avoided-queries.ts';
import type { AvoidedChangeInput, NewAvoidedInput, VerificationInput } from './avoided-schemas.ts';
import type { AvoidedStatus } from './avoided-tables.ts';
import { selectUnitCost, selectUnitCosts } from './unit-cost-queries.ts';
import { agencyText, libraryChoices } from './unit-cost-service.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export const STATUS_TEXT: Record<AvoidedStatus, string> = {
  awaiting_verification: 'Awaiting verification',
  verified: 'Verified',
  returned: 'Returned',
};

/** How many costs the picker lists for one search: enough to choose from, few enough to read. */
const PICKER_SIZE = 20;

export interface AvoidedVersion extends AvoidedContent {
  version: number;
  status: AvoidedStatus;
  returnedReason: string | null;
  recordedAt: Date;
  recordedByName: string;
}

export interface AvoidedOutcome extends AvoidedOutcomeRow {
  /** The agency bearing the cost: as overridden, or as the cost names it. */
  bearer: string;
  history: AvoidedVersion[];
}

export interface AvoidedPage {
  person: PersonInContext;
  outcomes: AvoidedOutcome[];
  canVerify: boolean;
}

async function loadOutcomes(tx: Tx, user: CurrentUser, person: PersonInContext): Promise<AvoidedPage> {
  const rows = await selectAvoidedOutcomes(tx, user.programme.id, person.id);
  const versions = await selectAvoidedVersions(tx, user.programme.id, person.id);
  const outcomes = rows.map((o) => ({ ...o, bearer: o.agencyOverride ?? o.agency, history: versions.filter((v) => v.outcomeId === o.id) }));
  return { person, outcomes, canVerify: can(user, 'avoided.verify') };
}

/** A person's avoided outcomes, each with its history and where it stands. */
export async function getAvoidedOutcomes(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<AvoidedPage | undefined> {
  return withPerson(deps, user, personId, { action: 'avoided.read', permission: 'person.read' }, requestId, async (tx, person, note) => {
    const page = await loadOutcomes(tx, user, person);
    note.add({ avoidedOutcomes: page.outcomes.length });
    return page;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The unit-cost picker: search, then choose. Reference data, read inside the person's audited access.

export interface CostChoice {
  id: string;
  code: string | null;
  description: string;
  unit: string;
  agency: string;
  /** The values it has, in words, each in its own price year. */
  values: string;
  own: boolean;
  /** What its library's licence asks to be shown with its figures (the GMCA's, CC BY 4.0). */
  attribution: string | null;
}

export interface NewAvoidedPage {
  person: PersonInContext;
  /** Costs matching the search, newest library versions only; null when nothing was searched for. */
  choices: CostChoice[] | null;
  /** The cost already chosen, shown even when the search no longer finds it. */
  chosen: CostChoice | null;
  /** The attributions of the libraries whose figures the picker shows. */
  attributions: string[];
  today: string;
}

function valuesText(c: { fiscal_value: string | null; fiscal_price_year: string | null; economic_value: string | null; economic_price_year: string | null; social_value: string | null; social_price_year: string | null }): string {
  const parts: string[] = [];
  if (c.fiscal_value !== null) parts.push(`fiscal £${c.fiscal_value} (${c.fiscal_price_year ?? ''})`);
  if (c.economic_value !== null) parts.push(`economic £${c.economic_value} (${c.economic_price_year ?? ''})`);
  if (c.social_value !== null) parts.push(`social £${c.social_value} (${c.social_price_year ?? ''})`);
  return parts.join(', ') || 'No values';
}

async function costChoices(tx: Tx, programmeId: string, words: string | null): Promise<CostChoice[] | null> {
  if (words === null) return null;
  const [first, ...rest] = (await libraryChoices(tx, programmeId)).filter((l) => l.latest).map((l) => l.id);
  if (first === undefined) return [];
  const rows = await selectUnitCosts(tx, programmeId, { libraryIds: [first, ...rest], text: words, agency: null, rag: null }, PICKER_SIZE, 0);
  const full = await Promise.all(rows.map((r) => selectUnitCost(tx, programmeId, r.id)));
  return full.filter((c) => c !== undefined).map(costChoice);
}

function costChoice(c: NonNullable<Awaited<ReturnType<typeof selectUnitCost>>>): CostChoice {
  return {
    id: c.id,
    code: c.code,
    description: c.description.replace(/\s+/g, ' ').trim(),
    unit: c.unit,
    agency: agencyText(c.agency_l1, c.agency_l2),
    values: valuesText(c),
    own: c.programme_id !== null,
    attribution: c.library_attribution,
  };
}

/** What the picker searched for, and the cost already chosen (if any). */
export interface CostSearch {
  words: string | null;
  chosen: string | null;
}

async function newAvoidedPage(tx: Tx, deps: Deps, user: CurrentUser, person: PersonInContext, search: CostSearch): Promise<NewAvoidedPage> {
  const chosenRow = search.chosen === null ? undefined : await selectUnitCost(tx, user.programme.id, search.chosen);
  const choices = await costChoices(tx, user.programme.id, search.words);
  const chosen = chosenRow === undefined ? null : costChoice(chosenRow);
  const shown = [...(choices ?? []), ...(chosen === null ? [] : [chosen])];
  return {
    person,
    choices,
    chosen,
    attributions: [...new Set(shown.flatMap((c) => (c.attribution === null ? [] : [c.attribution])))],
    today: ukToday(deps.clock.now()),
  };
}

/** The form to record an avoided outcome: the picker's results for `search`, and the cost chosen, if any. */
export async function getNewAvoidedPage(deps: Deps, user: CurrentUser, personId: string, search: CostSearch, requestId: string): Promise<NewAvoidedPage | undefined> {
  return withPerson(deps, user, personId, { action: 'avoided.read', permission: 'person.update' }, requestId, (tx, person) => newAvoidedPage(tx, deps, user, person, search));
}

/** A form with problems comes back with the page to show it on, read in the same access. */
export type RecordAvoidedResult = { kind: 'recorded'; outcomeId: string } | { kind: 'invalid'; errors: Record<string, string>; page: NewAvoidedPage };

const NO_SUCH_COST = 'Select the unit cost: search for it, then choose it from the list';
const NO_VALUES = 'This cost has no value to count: choose another';

/**
 * Records an avoided outcome, awaiting a manager's verification. The cost's library version and values are
 * copied now, so that importing the library again never changes this figure. The one-time token makes a double
 * submission one record.
 */
export async function recordAvoided(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<NewAvoidedInput>,
  search: CostSearch,
  requestId: string,
): Promise<RecordAvoidedResult | undefined> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    withPerson(deps, user, personId, { action: 'avoided.create', permission: 'person.update' }, requestId, async (tx, person, note): Promise<RecordAvoidedResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', errors: form.errors, page: await newAvoidedPage(tx, deps, user, person, search) };
      }
      const { formToken, unitCost, ...content } = form.data;
      const existing = await selectAvoidedIdByFormToken(tx, programmeId, personId, formToken);
      if (existing !== undefined) return { kind: 'recorded', outcomeId: existing };
      const cost = await selectUnitCost(tx, programmeId, unitCost);
      if (cost === undefined || (cost.fiscal_value === null && cost.economic_value === null && cost.social_value === null)) {
        note.failed({ reason: 'form had problems', fields: ['unitCost'] });
        return { kind: 'invalid', errors: { unitCost: cost === undefined ? NO_SUCH_COST : NO_VALUES }, page: await newAvoidedPage(tx, deps, user, person, search) };
      }
      const snapshot: CostSnapshot = {
        unitCostId: cost.id,
        libraryName: cost.library_name,
        libraryVersionLabel: cost.library_version_label,
        libraryVersion: cost.library_version,
        code: cost.code,
        description: cost.description.replace(/\s+/g, ' ').trim(),
        unit: cost.unit,
        agency: agencyText(cost.agency_l1, cost.agency_l2),
        fiscalValue: cost.fiscal_value,
        fiscalPriceYear: cost.fiscal_price_year,
        economicValue: cost.economic_value,
        economicPriceYear: cost.economic_price_year,
        socialValue: cost.social_value,
        socialPriceYear: cost.social_price_year,
      };
      const outcomeId = await insertAvoidedOutcome(tx, { programmeId, personId, formToken, cost: snapshot, content, by: user.id, at: deps.clock.now() });
      note.add({ avoidedOutcomeId: outcomeId, unitCostId: cost.id });
      return { kind: 'recorded', outcomeId };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Changing one, or resubmitting it after it was returned; a manager's decision

export interface AvoidedChangePage {
  person: PersonInContext;
  outcome: AvoidedOutcome;
  /** All the person's avoided outcomes, this one among them: a decision with problems shows them again. */
  outcomes: AvoidedOutcome[];
  today: string;
}

/** None of this person's avoided outcomes, or (when the form or query named none) no outcome given at all. */
type NoSuchOutcome = { kind: 'no-such-outcome' } | { kind: 'no-outcome-given' };

/** withPerson, then one of that person's avoided outcomes: another's (or none at all) is refused as not found. */
async function withOutcome<T>(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  outcomeId: string | undefined,
  access: { action: string; permission: 'person.read' | 'person.update' },
  requestId: string,
  work: (tx: Tx, page: AvoidedChangePage, note: AccessNote) => Promise<T>,
): Promise<T | NoSuchOutcome | undefined> {
  return withPerson(deps, user, personId, access, requestId, async (tx, person, note) => {
    if (outcomeId === undefined) {
      note.failed({ reason: 'no avoided outcome given' });
      return { kind: 'no-outcome-given' as const };
    }
    const page = await loadOutcomes(tx, user, person);
    const outcome = page.outcomes.find((o) => o.id === outcomeId);
    if (outcome === undefined) {
      note.denied({ avoidedOutcomeId: outcomeId, reason: 'not one of this person’s avoided outcomes' });
      return { kind: 'no-such-outcome' as const };
    }
    note.add({ avoidedOutcomeId: outcomeId });
    return work(tx, { person, outcome, outcomes: page.outcomes, today: ukToday(deps.clock.now()) }, note);
  });
}

export async function getAvoidedChangePage(deps: Deps, user: CurrentUser, personId: string, outcomeId: string | undefined, requestId: string) {
  return withOutcome(deps, user, personId, outcomeId, { action: 'avoided.read', permission: 'person.update' }, requestId, async (_tx, page) => page);
}

export type ChangeAvoidedResult =
  | { kind: 'saved' }
  | NoSuchOutcome
  | { kind: 'invalid'; page: AvoidedChangePage }
  /** Someone saved it (or decided on it) after this form was opened: nothing saved. */
  | { kind: 'conflict'; page: AvoidedChangePage; yours: AvoidedContent };

const contentKeys: (keyof AvoidedContent)[] = ['agencyOverride', 'quantity', 'duration', 'likelihood', 'evidence', 'note', 'likelyOn'];
const sameContent = (a: AvoidedContent, b: AvoidedContent) => contentKeys.every((k) => a[k] === b[k]);

/**
 * Saves a new version of what the coordinator says. Any change goes back to the manager to verify, so a figure
 * counts only as a manager last saw it; a returned one is resubmitted this way.
 */
export async function changeAvoided(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  outcomeId: string | undefined,
  form: FormResult<AvoidedChangeInput>,
  requestId: string,
): Promise<ChangeAvoidedResult | undefined> {
  return withOutcome(deps, user, personId, outcomeId, { action: 'avoided.update', permission: 'person.update' }, requestId, async (tx, page, note): Promise<ChangeAvoidedResult> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page };
    }
    const { version, ...yours } = form.data;
    const conflict = (): ChangeAvoidedResult => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, yours };
    };
    if (version !== page.outcome.version) return conflict();
    if (sameContent(page.outcome, yours) && page.outcome.status === 'awaiting_verification') return { kind: 'saved' };
    const content = { ...yours, status: 'awaiting_verification' as const, returnedReason: null };
    const saved = await updateAvoidedOutcome(tx, { programmeId: user.programme.id, personId, outcomeId: page.outcome.id, expectedVersion: version, content, reviewed: false, by: user.id, at: deps.clock.now() });
    if (!saved) return conflict();
    note.add({ version: version + 1, resubmitted: page.outcome.status === 'returned' });
    return { kind: 'saved' };
  });
}

export type VerifyResult =
  | { kind: 'decided'; decision: 'verify' | 'return' }
  | NoSuchOutcome
  | { kind: 'invalid'; page: AvoidedChangePage; errors: Record<string, string> }
  /** Changed since the manager read it, or no longer awaiting verification: nothing decided. */
  | { kind: 'conflict'; page: AvoidedChangePage };

/**
 * A manager verifies an avoided outcome, so it counts, or returns it with the reason for the coordinator to put
 * right. Only one awaiting verification, and only as the manager last read it.
 */
export async function decideAvoided(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  outcomeId: string | undefined,
  form: FormResult<VerificationInput>,
  requestId: string,
): Promise<VerifyResult | undefined> {
  return withOutcome(deps, user, personId, outcomeId, { action: 'avoided.verify', permission: 'person.update' }, requestId, async (tx, page, note): Promise<VerifyResult> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: form.errors };
    }
    const { version, decision, reason } = form.data;
    if (version !== page.outcome.version || page.outcome.status !== 'awaiting_verification') {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page };
    }
    const o = page.outcome;
    const content = {
      agencyOverride: o.agencyOverride,
      quantity: o.quantity,
      duration: o.duration,
      likelihood: o.likelihood,
      evidence: o.evidence,
      note: o.note,
      likelyOn: o.likelyOn,
      status: decision === 'verify' ? ('verified' as const) : ('returned' as const),
      returnedReason: decision === 'verify' ? null : reason,
    };
    const saved = await updateAvoidedOutcome(tx, { programmeId: user.programme.id, personId, outcomeId: page.outcome.id, expectedVersion: version, content, reviewed: true, by: user.id, at: deps.clock.now() });
    if (!saved) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page };
    }
    note.add({ decision, version: version + 1 });
    return { kind: 'decided', decision };
  });
}

export interface AwaitingOutcome extends AvoidedOutcomeRow {
  personName: string;
  areaName: string;
  bearer: string;
}

/**
 * Every avoided outcome awaiting verification across the programme, the longest waiting first: for a manager (the
 * route checks). Audited as one read of the list, with the count only.
 */
export async function listAwaitingVerification(deps: Deps, user: CurrentUser, requestId: string): Promise<AwaitingOutcome[]> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const rows = await selectAwaitingVerification(tx, user.programme.id);
    await record(tx, actorFor(deps, user, requestId), { action: 'avoided.list', detail: { awaiting: rows.length } });
    return rows.map((r) => ({ ...r, bearer: r.agencyOverride ?? r.agency }));
  });
}
