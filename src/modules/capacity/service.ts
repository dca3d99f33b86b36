import { audited, CHANGED_MEANWHILE, formProblems, type WorkNote } from '../../core/audit/audited.ts';
import { Decimal } from 'decimal.js';
import { scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormErrors, type FormResult } from '../../core/http/forms.ts';
import { poundsText, sumPounds } from '../../core/money.ts';
import { areasFor } from '../admin/service.ts';
import { runningAssets, type AssetChoice } from '../offers/service.ts';
import {
  insertFunding,
  insertInitiative,
  insertUpdate,
  lockFunding,
  markFundingRemoved,
  replaceInitiativeAssets,
  selectFunding,
  selectFundingIdByFormToken,
  selectInitiative,
  selectInitiativeAssets,
  selectInitiativeIdByFormToken,
  selectInitiatives,
  selectUpdateIdByFormToken,
  selectUpdates,
  updateFunding,
  updateInitiative,
  type FundingDbRow,
  type InitiativeContent,
  type InitiativeRow,
} from './queries.ts';
import type { FundingChangeInput, FundingInput, FundingRemoveInput, InitiativeChangeInput, NewInitiativeInput, UpdateInput } from './schemas.ts';
import type { HowHelped } from './tables.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export interface Initiative {
  id: string;
  areaId: string;
  areaName: string;
  name: string;
  description: string | null;
  howHelped: HowHelped;
  startedOn: string;
  endedOn: string | null;
  peopleInvolved: number;
  version: number;
  updatedAt: Date;
  updatedByName: string;
  /** Started by today and not yet ended. */
  active: boolean;
  assets: { id: string; name: string }[];
  /** All the funding found for it, exactly ('1250.00'), and in words (£1,250.00). */
  funding: string;
  fundingText: string;
}

const isActive = (i: { startedOn: string; endedOn: string | null }, today: string) => i.startedOn <= today && (i.endedOn === null || i.endedOn >= today);

/** The initiatives with their assets and funding, as the pages show them. */
async function initiativesFrom(tx: Tx, programmeId: string, rows: InitiativeRow[], today: string): Promise<Initiative[]> {
  const ids = rows.map((r) => r.id);
  const assets = await selectInitiativeAssets(tx, programmeId, ids);
  const funding = await selectFunding(tx, programmeId, ids);
  return rows.map((r) => {
    const total = sumPounds(funding.filter((f) => f.initiativeId === r.id && f.removedAt === null).map((f) => f.amount));
    return {
      ...r,
      active: isActive(r, today),
      assets: assets.filter((a) => a.initiativeId === r.id).map((a) => ({ id: a.id, name: a.name })),
      funding: total.toFixed(2),
      fundingText: poundsText(total),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The ledger, by neighbourhood

export interface Totals {
  /** Initiatives started by today and not yet ended. */
  active: number;
  /** People involved in the active initiatives, added up (someone in two is counted twice). */
  peopleInvolved: number;
  /** All the funding found, ever, in words. */
  fundingText: string;
}

export interface AreaLedger extends Totals {
  areaId: string;
  areaName: string;
  initiatives: Initiative[];
}

export interface LedgerPage {
  areas: AreaLedger[];
  total: Totals;
  today: string;
}

function totalsOf(initiatives: Initiative[]): Totals {
  const active = initiatives.filter((i) => i.active);
  const funding = sumPounds(initiatives.map((i) => i.funding));
  return { active: active.length, peopleInvolved: active.reduce((n, i) => n + i.peopleInvolved, 0), fundingText: poundsText(funding) };
}

/** Every neighbourhood's initiatives with its totals, and the programme's; audited once with the count. */
export async function getLedger(deps: Deps, user: CurrentUser, requestId: string): Promise<LedgerPage> {
  const areas = await areasFor(deps, user);
  const today = ukToday(deps.clock.now());
  return audited(deps, user, 'capacity.list', requestId, async (tx, note) => {
    const programmeId = user.programme.id;
    const initiatives = await initiativesFrom(tx, programmeId, await selectInitiatives(tx, programmeId), today);
    const byArea = areas.map((a) => {
      const own = initiatives.filter((i) => i.areaId === a.id);
      return { areaId: a.id, areaName: a.name, ...totalsOf(own), initiatives: own };
    });
    note.add({ initiatives: initiatives.length });
    return { areas: byArea, total: totalsOf(initiatives), today };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// One initiative

export interface FundingRow {
  id: string;
  /** Exactly, as stored ('1250.00'). */
  amount: string;
  amountText: string;
  funder: string;
  foundOn: string;
  version: number;
  recordedAt: Date;
  recordedByName: string;
  corrected: { at: Date; byName: string } | null;
  removed: { at: Date; byName: string; reason: string } | null;
}

function fundingRowOf(f: FundingDbRow): FundingRow {
  return {
    id: f.id,
    amount: f.amount,
    amountText: poundsText(f.amount),
    funder: f.funder,
    foundOn: f.foundOn,
    version: f.version,
    recordedAt: f.recordedAt,
    recordedByName: f.recordedByName,
    corrected: f.updatedAt === null ? null : { at: f.updatedAt, byName: f.updatedByName ?? '' },
    removed: f.removedAt === null ? null : { at: f.removedAt, byName: f.removedByName ?? '', reason: f.removedReason ?? '' },
  };
}

export interface InitiativePage {
  initiative: Initiative;
  /** The funding in the ledger, counted in its total. */
  funding: FundingRow[];
  /** Rows taken out of the ledger: kept, with who, when and why. */
  removedFunding: FundingRow[];
  updates: { id: string; happenedOn: string; what: string; recordedAt: Date; recordedByName: string }[];
  /** May this user change it (a coordinator of its neighbourhood, or a manager)? */
  mayChange: boolean;
}

const mayChange = (user: CurrentUser, areaId: string) => can(user, 'capacity.change', { programmeId: user.programme.id, areaId });

async function initiativePage(deps: Deps, tx: Tx, user: CurrentUser, initiativeId: string): Promise<InitiativePage | undefined> {
  const programmeId = user.programme.id;
  const row = await selectInitiative(tx, programmeId, initiativeId);
  if (row === undefined) return undefined;
  const [initiative] = await initiativesFrom(tx, programmeId, [row], ukToday(deps.clock.now()));
  if (initiative === undefined) return undefined;
  const all = (await selectFunding(tx, programmeId, [initiativeId])).map(fundingRowOf);
  return {
    initiative,
    funding: all.filter((f) => f.removed === null),
    removedFunding: all.filter((f) => f.removed !== null),
    updates: await selectUpdates(tx, programmeId, initiativeId),
    mayChange: mayChange(user, row.areaId),
  };
}

/** An initiative with its funding and what happened. Not anyone's record: a plain read. */
export async function getInitiativePage(deps: Deps, user: CurrentUser, initiativeId: string): Promise<InitiativePage | undefined> {
  return inTransaction(deps.db, scopeOf(user), (tx) => initiativePage(deps, tx, user, initiativeId));
}

// ---------------------------------------------------------------------------------------------------------------
// Recording and changing an initiative

export interface InitiativeChoices {
  /** The neighbourhoods the user may record in: a coordinator's own, a manager's every one. */
  areas: { id: string; name: string }[];
  assets: AssetChoice[];
}

async function areaChoices(deps: Deps, user: CurrentUser) {
  return (await areasFor(deps, user)).filter((a) => mayChange(user, a.id)).map((a) => ({ id: a.id, name: a.name }));
}

export async function getNewInitiativePage(deps: Deps, user: CurrentUser): Promise<InitiativeChoices> {
  const areas = await areaChoices(deps, user);
  return inTransaction(deps.db, scopeOf(user), async (tx) => ({ areas, assets: await runningAssets(tx, user.programme.id) }));
}

/** Problems with the choices: a neighbourhood or an asset that is not one offered (`keep`: assets already linked). */
function choiceErrors(input: { areaId: string; assetIds: string[] }, choices: InitiativeChoices, keep: readonly string[] = []): FormErrors {
  const errors: FormErrors = {};
  if (!choices.areas.some((a) => a.id === input.areaId)) errors.areaId = 'Select one of the neighbourhoods listed';
  if (!input.assetIds.every((id) => keep.includes(id) || choices.assets.some((a) => a.id === id))) errors.assetIds = 'Select community assets from the list';
  return errors;
}

function contentOf(input: NewInitiativeInput | InitiativeChangeInput): InitiativeContent {
  return {
    name: input.name,
    description: input.description,
    areaId: input.areaId,
    howHelped: input.howHelped,
    startedOn: input.startedOn,
    endedOn: input.endedOn,
    peopleInvolved: input.peopleInvolved,
  };
}

function failedChoices(note: WorkNote, errors: FormErrors): boolean {
  if (Object.keys(errors).length === 0) return false;
  note.failed({ reason: 'form had problems', fields: Object.keys(errors) });
  return true;
}

export type RecordInitiativeResult = { kind: 'recorded'; initiativeId: string } | { kind: 'invalid'; choices: InitiativeChoices; errors: FormErrors };

/** Records an initiative in one of the user's neighbourhoods. A double submission records it once. */
export async function recordInitiative(deps: Deps, user: CurrentUser, form: FormResult<NewInitiativeInput>, requestId: string): Promise<RecordInitiativeResult> {
  const areas = await areaChoices(deps, user);
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'initiative.create', requestId, async (tx, note): Promise<RecordInitiativeResult> => {
      const choices = { areas, assets: await runningAssets(tx, programmeId) };
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', choices, errors: form.errors };
      }
      const input = form.data;
      const existing = await selectInitiativeIdByFormToken(tx, programmeId, input.formToken);
      if (existing !== undefined) return { kind: 'recorded', initiativeId: existing };
      const errors = choiceErrors(input, choices);
      if (failedChoices(note, errors)) return { kind: 'invalid', choices, errors };
      const initiativeId = await insertInitiative(tx, { programmeId, content: contentOf(input), formToken: input.formToken, by: user.id, at: deps.clock.now() });
      await replaceInitiativeAssets(tx, programmeId, initiativeId, [...new Set(input.assetIds)]);
      note.add({ initiativeId, areaId: input.areaId });
      return { kind: 'recorded', initiativeId };
    }),
  );
}

/** Not there (or another programme's), and not the user's to change: the two ways a change is refused. */
const NOT_FOUND = { kind: 'not-found' } as const;
const REFUSED = { kind: 'refused' } as const;
type Refusal = typeof NOT_FOUND | typeof REFUSED;

/** The initiative, if there and the user's to change; otherwise the refusal, noted. */
async function initiativeToChange(deps: Deps, tx: Tx, user: CurrentUser, initiativeId: string, note: WorkNote): Promise<InitiativePage | Refusal> {
  const page = await initiativePage(deps, tx, user, initiativeId);
  if (page === undefined) {
    note.denied({ reason: 'no such initiative', initiativeId });
    return NOT_FOUND;
  }
  if (!page.mayChange) {
    note.denied({ reason: 'not in this user’s neighbourhoods', initiativeId });
    return REFUSED;
  }
  note.add({ initiativeId });
  return page;
}

export type InitiativeChangePage = { kind: 'page'; page: InitiativePage; choices: InitiativeChoices } | Refusal;

export async function getInitiativeChangePage(deps: Deps, user: CurrentUser, initiativeId: string): Promise<InitiativeChangePage> {
  const areas = await areaChoices(deps, user);
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const page = await initiativePage(deps, tx, user, initiativeId);
    if (page === undefined) return NOT_FOUND;
    if (!page.mayChange) return REFUSED;
    return { kind: 'page' as const, page, choices: { areas, assets: await runningAssets(tx, user.programme.id) } };
  });
}

export type ChangeInitiativeResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: InitiativePage; choices: InitiativeChoices; errors: FormErrors }
  /** Someone saved first: nothing saved; `page.initiative` is theirs, `yours` what this form would have saved. */
  | { kind: 'conflict'; page: InitiativePage; choices: InitiativeChoices; yours: InitiativeChangeInput }
  | Refusal;

/** Saves a change, unless invalid or someone else saved since the form was opened. */
export async function changeInitiative(
  deps: Deps,
  user: CurrentUser,
  initiativeId: string,
  form: FormResult<InitiativeChangeInput>,
  requestId: string,
): Promise<ChangeInitiativeResult> {
  const areas = await areaChoices(deps, user);
  const programmeId = user.programme.id;
  return audited(deps, user, 'initiative.update', requestId, async (tx, note): Promise<ChangeInitiativeResult> => {
    const page = await initiativeToChange(deps, tx, user, initiativeId, note);
    if ('kind' in page) return page;
    const choices = { areas, assets: await runningAssets(tx, programmeId) };
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, choices, errors: form.errors };
    }
    const input = form.data;
    const conflict = (): ChangeInitiativeResult => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, choices, yours: input };
    };
    if (input.version !== page.initiative.version) return conflict();
    const errors = choiceErrors(input, choices, page.initiative.assets.map((a) => a.id));
    if (failedChoices(note, errors)) return { kind: 'invalid', page, choices, errors };
    const saved = await updateInitiative(tx, { programmeId, initiativeId, expectedVersion: input.version, content: contentOf(input), by: user.id, at: deps.clock.now() });
    if (!saved) return conflict();
    await replaceInitiativeAssets(tx, programmeId, initiativeId, [...new Set(input.assetIds)]);
    note.add({ version: input.version + 1 });
    return { kind: 'saved' };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Funding found and what happened: each added once. Funding may be corrected or removed, with an audit trail.

export type AddToInitiativeResult = { kind: 'added' } | { kind: 'invalid'; page: InitiativePage; errors: FormErrors } | Refusal;

/** Adds a row of funding found. The one-time token makes a double submission add it once. */
export async function addFunding(deps: Deps, user: CurrentUser, initiativeId: string, form: FormResult<FundingInput>, requestId: string): Promise<AddToInitiativeResult> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'initiative.funding', requestId, async (tx, note): Promise<AddToInitiativeResult> => {
      const page = await initiativeToChange(deps, tx, user, initiativeId, note);
      if ('kind' in page) return page;
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page, errors: form.errors };
      }
      const input = form.data;
      if ((await selectFundingIdByFormToken(tx, programmeId, input.formToken)) !== undefined) return { kind: 'added' };
      const fundingId = await insertFunding(tx, { programmeId, initiativeId, ...input, by: user.id, at: deps.clock.now() });
      note.add({ fundingId });
      return { kind: 'added' };
    }),
  );
}

/** Adds what happened, on the day it happened. The one-time token makes a double submission add it once. */
export async function addUpdate(deps: Deps, user: CurrentUser, initiativeId: string, form: FormResult<UpdateInput>, requestId: string): Promise<AddToInitiativeResult> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'initiative.happened', requestId, async (tx, note): Promise<AddToInitiativeResult> => {
      const page = await initiativeToChange(deps, tx, user, initiativeId, note);
      if ('kind' in page) return page;
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page, errors: form.errors };
      }
      const input = form.data;
      if ((await selectUpdateIdByFormToken(tx, programmeId, input.formToken)) !== undefined) return { kind: 'added' };
      const updateId = await insertUpdate(tx, { programmeId, initiativeId, ...input, by: user.id, at: deps.clock.now() });
      note.add({ updateId });
      return { kind: 'added' };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Correcting the ledger: a row of funding changed, or taken out, from the version the form was made from

export interface FundingChangePage {
  initiative: Initiative;
  row: FundingRow;
}

/** No row named, or one that is not this initiative's or is already removed: back to the initiative. */
const NO_ROW = { kind: 'no-row' } as const;

/** The initiative (the user's to change) and one row of its funding still in the ledger. */
async function fundingToChange(
  deps: Deps,
  tx: Tx,
  user: CurrentUser,
  initiativeId: string,
  fundingId: string | undefined,
  note: WorkNote,
): Promise<FundingChangePage | Refusal | typeof NO_ROW> {
  const page = await initiativeToChange(deps, tx, user, initiativeId, note);
  if ('kind' in page) return page;
  const row = fundingId === undefined ? undefined : page.funding.find((f) => f.id === fundingId.toLowerCase());
  if (row === undefined) {
    note.failed({ reason: 'no such funding in the ledger', ...(fundingId === undefined ? {} : { fundingId }) });
    return NO_ROW;
  }
  note.add({ fundingId: row.id });
  return { initiative: page.initiative, row };
}

export type FundingChangePageResult = ({ kind: 'page' } & FundingChangePage) | Refusal | typeof NO_ROW;

export async function getFundingChangePage(deps: Deps, user: CurrentUser, initiativeId: string, fundingId: string | undefined, requestId: string): Promise<FundingChangePageResult> {
  return audited(deps, user, 'initiative.funding.read', requestId, async (tx, note) => {
    const found = await fundingToChange(deps, tx, user, initiativeId, fundingId, note);
    return 'kind' in found ? found : { kind: 'page' as const, ...found };
  });
}

export type CorrectFundingResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: FundingChangePage; errors: FormErrors }
  /** Someone corrected it first: nothing saved; `page.row` is how it reads now. */
  | { kind: 'conflict'; page: FundingChangePage }
  | Refusal
  | typeof NO_ROW;

/** What a row said, for the audit trail: the amount and date exactly, and whether the funder changed (not who). */
const fundingTrail = (row: { amount: string; foundOn: string }) => ({ amount: row.amount, foundOn: row.foundOn });

/**
 * A row of funding corrected: a new amount, funder or date, from the version the form was made from. The audit
 * row keeps what it said before and after. A second submission of the same correction changes nothing.
 */
export async function correctFunding(
  deps: Deps,
  user: CurrentUser,
  initiativeId: string,
  fundingId: string | undefined,
  form: FormResult<FundingChangeInput>,
  requestId: string,
): Promise<CorrectFundingResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, 'initiative.funding.change', requestId, async (tx, note): Promise<CorrectFundingResult> => {
    if (fundingId !== undefined) await lockFunding(tx, programmeId, fundingId.toLowerCase());
    const page = await fundingToChange(deps, tx, user, initiativeId, fundingId, note);
    if ('kind' in page) return page;
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: form.errors };
    }
    const input = form.data;
    const { row } = page;
    if (new Decimal(input.amount).eq(row.amount) && input.funder === row.funder && input.foundOn === row.foundOn) return { kind: 'saved' };
    const version =
      input.version === row.version
        ? await updateFunding(tx, { programmeId, fundingId: row.id, expectedVersion: row.version, ...input, by: user.id, at: deps.clock.now() })
        : undefined;
    if (version === undefined) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page };
    }
    note.add({ version, before: fundingTrail(row), after: fundingTrail(input), funderChanged: input.funder !== row.funder });
    return { kind: 'saved' };
  });
}

export type RemoveFundingResult = CorrectFundingResult;

/**
 * A row of funding taken out of the ledger (recorded by mistake, or twice): it no longer counts in any total, and
 * stays on the initiative's page as removed, with who, when and why. Removing it twice is once.
 */
export async function removeFunding(
  deps: Deps,
  user: CurrentUser,
  initiativeId: string,
  fundingId: string | undefined,
  form: FormResult<FundingRemoveInput>,
  requestId: string,
): Promise<RemoveFundingResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, 'initiative.funding.remove', requestId, async (tx, note): Promise<RemoveFundingResult> => {
    if (fundingId !== undefined) await lockFunding(tx, programmeId, fundingId.toLowerCase());
    const page = await fundingToChange(deps, tx, user, initiativeId, fundingId, note);
    if ('kind' in page) return page;
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: form.errors };
    }
    const { row } = page;
    const version =
      form.data.version === row.version
        ? await markFundingRemoved(tx, { programmeId, fundingId: row.id, expectedVersion: row.version, reason: form.data.reason, by: user.id, at: deps.clock.now() })
        : undefined;
    if (version === undefined) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page };
    }
    note.add({ version, before: fundingTrail(row) });
    return { kind: 'saved' };
  });
}
