import type { CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import type { FormResult } from '../../core/http/forms.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import {
  beforeAndAfter,
  distributionOfChange,
  measureChanges,
  serviceUseTotals,
  startAndLatest,
  type MeasureDistribution,
  type PersonMeasureChange,
  type ServiceUseTotal,
} from './change.ts';
import {
  checkInDetailsOf,
  insertCheckIn,
  insertPeriod,
  periodDetailsOf,
  selectCheckInIdByFormToken,
  selectCheckIns,
  selectPeriodIdByFormToken,
  selectPeriods,
  selectProgrammeCheckInVersions,
  selectProgrammePeriodVersions,
  selectVersionStamps,
  updateCheckIn,
  updatePeriod,
  type CheckInDetails,
  type PeriodDetails,
  type SavedVersion,
} from './queries.ts';
import type { CheckInChangeInput, NewCheckInInput, NewPeriodInput, PeriodChangeInput } from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export type { CheckInDetails, PeriodDetails } from './queries.ts';
export type { MeasureDistribution, ServiceUseTotal } from './change.ts';

/** A check-in or a period as it stands: corrected as versions, like every part of a person's record. */
export interface Part<D> {
  id: string;
  version: number;
  updatedAt: Date;
  updatedByName: string;
  details: D;
  /** Every version, the one in force first: when and by whom. */
  history: { version: number; savedAt: Date; savedByName: string }[];
}

export interface OutcomesPage {
  person: PersonInContext;
  checkIns: Part<CheckInDetails>[];
  periods: Part<PeriodDetails>[];
  /** The check-ins compared, and each measure at both. */
  distance: { start?: Part<CheckInDetails>; latest?: Part<CheckInDetails>; changes: PersonMeasureChange[] };
  /** The periods compared. */
  serviceUse: { before?: Part<PeriodDetails>; after?: Part<PeriodDetails> };
}

async function loadParts(tx: Tx, programmeId: string, personId: string) {
  const stamps = await selectVersionStamps(tx, programmeId, personId);
  const historyOf = (id: string) => stamps.filter((s) => s.recordId === id).map(({ version, savedAt, savedByName }) => ({ version, savedAt, savedByName }));
  const part = <D>(row: { id: string; version: number; updated_at: Date; updated_by_name: string }, details: D): Part<D> => ({
    id: row.id,
    version: row.version,
    updatedAt: row.updated_at,
    updatedByName: row.updated_by_name,
    details,
    history: historyOf(row.id),
  });
  const checkIns = (await selectCheckIns(tx, programmeId, personId)).map((row) => part(row, checkInDetailsOf(row)));
  const periods = (await selectPeriods(tx, programmeId, personId)).map((row) => part(row, periodDetailsOf(row)));
  return { checkIns, periods };
}

/** The person's check-ins and service use, with the distance travelled between the starting point and the latest. */
export async function getOutcomesPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<OutcomesPage | undefined> {
  return withPerson(deps, user, personId, { action: 'outcomes.read', permission: 'person.read' }, requestId, async (tx, person, note) => {
    const { checkIns, periods } = await loadParts(tx, user.programme.id, person.id);
    note.add({ checkIns: checkIns.length, periods: periods.length });
    const compared = startAndLatest(checkIns.map((c) => ({ ...c, occasion: c.details.occasion, checkedOn: c.details.checkedOn })));
    const serviceUse = beforeAndAfter(periods.map((p) => ({ ...p, side: p.details.side, toOn: p.details.toOn, counts: p.details.counts })));
    return {
      person,
      checkIns,
      periods,
      distance: { ...compared, changes: measureChanges(compared.start?.details.answers, compared.latest?.details.answers) },
      serviceUse,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Recording and correcting: one way for check-ins and periods alike

interface PartKind<D> {
  /** Audit actions: 'check-in' → check-in.read, check-in.create, check-in.update. */
  action: string;
  /** The key its id is kept under in the audit row. */
  idKey: string;
  load(tx: Tx, programmeId: string, personId: string): Promise<Part<D>[]>;
  idByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<string | undefined>;
  insert(tx: Tx, row: { programmeId: string; personId: string; formToken: string; details: D; by: string; at: Date }): Promise<string>;
  update(tx: Tx, row: { programmeId: string; personId: string; id: string; expectedVersion: number; details: D; by: string; at: Date }): Promise<boolean>;
}

const CHECK_IN: PartKind<CheckInDetails> = {
  action: 'check-in',
  idKey: 'checkInId',
  load: async (tx, programmeId, personId) => (await loadParts(tx, programmeId, personId)).checkIns,
  idByFormToken: selectCheckInIdByFormToken,
  insert: insertCheckIn,
  update: (tx, { id, ...row }) => updateCheckIn(tx, { ...row, checkInId: id }),
};

const PERIOD: PartKind<PeriodDetails> = {
  action: 'service-use',
  idKey: 'periodId',
  load: async (tx, programmeId, personId) => (await loadParts(tx, programmeId, personId)).periods,
  idByFormToken: selectPeriodIdByFormToken,
  insert: insertPeriod,
  update: (tx, { id, ...row }) => updatePeriod(tx, { ...row, periodId: id }),
};

/** The same details, whatever order their keys were built in. */
function sameDetails(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, canonical(v)]))
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export type RecordResult = { kind: 'recorded'; id: string } | { kind: 'invalid'; person: PersonInContext };

async function recordPart<D>(
  kind: PartKind<D>,
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<{ formToken: string } & D>,
  requestId: string,
): Promise<RecordResult | undefined> {
  const programmeId = user.programme.id;
  const attempt = () =>
    withPerson(deps, user, personId, { action: `${kind.action}.create`, permission: 'person.update' }, requestId, async (tx, person, note): Promise<RecordResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', person };
      }
      const { formToken, ...details } = form.data;
      const existing = await kind.idByFormToken(tx, programmeId, personId, formToken);
      const id = existing ?? (await kind.insert(tx, { programmeId, personId, formToken, details: details as D, by: user.id, at: deps.clock.now() }));
      note.add({ [kind.idKey]: id });
      return { kind: 'recorded', id };
    });
  return onceMoreIfRaced(attempt);
}

export interface PartPage<D> {
  person: PersonInContext;
  part: Part<D>;
}

type NoSuchPart = { kind: 'no-such-part' };

/** withPerson, then one of that person's check-ins or periods: another's (or none at all) is refused as not found. */
async function withPart<D, T>(
  kind: PartKind<D>,
  deps: Deps,
  user: CurrentUser,
  personId: string,
  partId: string,
  access: { action: string; permission: 'person.update' },
  requestId: string,
  work: (tx: Tx, page: PartPage<D>, note: AccessNote) => Promise<T>,
): Promise<T | NoSuchPart | undefined> {
  return withPerson(deps, user, personId, access, requestId, async (tx, person, note) => {
    const part = (await kind.load(tx, user.programme.id, person.id)).find((p) => p.id === partId);
    if (part === undefined) {
      note.denied({ [kind.idKey]: partId, reason: 'not part of this person’s record' });
      return { kind: 'no-such-part' as const };
    }
    note.add({ [kind.idKey]: partId });
    return work(tx, { person, part }, note);
  });
}

async function getPartChangePage<D>(
  kind: PartKind<D>,
  deps: Deps,
  user: CurrentUser,
  personId: string,
  partId: string | undefined,
  requestId: string,
): Promise<PartPage<D> | NoSuchPart | { kind: 'choose' } | undefined> {
  const access = { action: `${kind.action}.read`, permission: 'person.update' } as const;
  if (partId === undefined) return withPerson(deps, user, personId, access, requestId, async () => ({ kind: 'choose' as const }));
  return withPart(kind, deps, user, personId, partId, access, requestId, async (_tx, page) => page);
}

export type ChangeResult<D> =
  | { kind: 'saved' }
  /** The form did not say which one: nothing to change. */
  | { kind: 'none-given' }
  | NoSuchPart
  | { kind: 'invalid'; page: PartPage<D> }
  /** Someone saved after this form was opened: nothing saved; `page.part` is theirs, as it is now. */
  | { kind: 'conflict'; page: PartPage<D>; yours: D };

async function changePart<D>(
  kind: PartKind<D>,
  deps: Deps,
  user: CurrentUser,
  personId: string,
  partId: string | undefined,
  form: FormResult<{ version: number } & D>,
  requestId: string,
): Promise<ChangeResult<D> | undefined> {
  const access = { action: `${kind.action}.update`, permission: 'person.update' } as const;
  if (partId === undefined) {
    return withPerson(deps, user, personId, access, requestId, async (_tx, _person, note) => {
      note.failed({ reason: 'none given' });
      return { kind: 'none-given' as const };
    });
  }
  return withPart(kind, deps, user, personId, partId, access, requestId, async (tx, page, note): Promise<ChangeResult<D>> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page };
    }
    const { version, ...rest } = form.data;
    const yours = rest as D;
    const conflict = (): ChangeResult<D> => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, yours };
    };
    if (version !== page.part.version) return conflict();
    if (sameDetails(page.part.details, yours)) return { kind: 'saved' };
    const saved = await kind.update(tx, { programmeId: user.programme.id, personId, id: page.part.id, expectedVersion: version, details: yours, by: user.id, at: deps.clock.now() });
    if (!saved) return conflict();
    note.add({ version: version + 1 });
    return { kind: 'saved' };
  });
}

/** The form for a new check-in or period: only the person is needed. */
export async function getNewPartPage(deps: Deps, user: CurrentUser, personId: string, which: 'check-in' | 'service-use', requestId: string) {
  return withPerson(deps, user, personId, { action: `${which}.read`, permission: 'person.update' }, requestId, async (_tx, person) => person);
}

export const recordCheckIn = (deps: Deps, user: CurrentUser, personId: string, form: FormResult<NewCheckInInput>, requestId: string) =>
  recordPart(CHECK_IN, deps, user, personId, form, requestId);
export const getCheckInChangePage = (deps: Deps, user: CurrentUser, personId: string, checkInId: string | undefined, requestId: string) =>
  getPartChangePage(CHECK_IN, deps, user, personId, checkInId, requestId);
export const changeCheckIn = (deps: Deps, user: CurrentUser, personId: string, checkInId: string | undefined, form: FormResult<CheckInChangeInput>, requestId: string) =>
  changePart(CHECK_IN, deps, user, personId, checkInId, form, requestId);

export const recordPeriod = (deps: Deps, user: CurrentUser, personId: string, form: FormResult<NewPeriodInput>, requestId: string) =>
  recordPart(PERIOD, deps, user, personId, form, requestId);
export const getPeriodChangePage = (deps: Deps, user: CurrentUser, personId: string, periodId: string | undefined, requestId: string) =>
  getPartChangePage(PERIOD, deps, user, personId, periodId, requestId);
export const changePeriod = (deps: Deps, user: CurrentUser, personId: string, periodId: string | undefined, form: FormResult<PeriodChangeInput>, requestId: string) =>
  changePart(PERIOD, deps, user, personId, periodId, form, requestId);

// ---------------------------------------------------------------------------------------------------------------
// For the Leadership Group's dashboard: a programme's figures, with no names and no ids. The dashboard decides who
// may see them and applies disclosure control (src/core/disclosure.ts) before showing any count.

/**
 * Each check-in or period as it stood at the end of a reporting period, so that a past month's figures stay as they
 * were reported. Records are corrected as versions, each stamped when it was saved: a record counts in the version in
 * force at the end of the period, and a later correction shows only in later periods. One written up after the period
 * ended (a check-in taken on the 30th and typed up on the 2nd) had no version then; it still counts, as first
 * written, because what counts is when it was taken, not when it was typed. With no period, every record as it is now.
 */
function asTheyStood<D>(versions: readonly SavedVersion<D>[]): SavedVersion<D>[] {
  // Any version saved by then outranks every later one, the latest of them first; failing those, the first written.
  const rank = (v: SavedVersion<D>) => (v.knownBy ? v.version : -v.version);
  const chosen = new Map<string, SavedVersion<D>>();
  for (const v of versions) {
    const held = chosen.get(v.recordId);
    if (held === undefined || rank(v) > rank(held)) chosen.set(v.recordId, v);
  }
  return [...chosen.values()];
}

/** Groups records by person, each person's in order of the given date, then as they were first recorded. */
function byPerson<D>(records: readonly SavedVersion<D>[], dateOf: (details: D) => string): D[][] {
  const ordered = [...records].sort((a, b) => {
    const [x, y] = [dateOf(a.details), dateOf(b.details)];
    return x < y ? -1 : x > y ? 1 : a.createdAt.getTime() - b.createdAt.getTime();
  });
  const groups = new Map<string, D[]>();
  for (const record of ordered) groups.set(record.personId, [...(groups.get(record.personId) ?? []), record.details]);
  return [...groups.values()];
}

/** A record's own date is on or before the period's last day; every date is, with no period. */
const byThen = (date: string, to: string | undefined) => to === undefined || date <= to;

/**
 * Per measure, how many people have an answer at their starting point and at a later check-in, how many are better,
 * the same or worse, and the mean change (one decimal, decimal arithmetic). `areaId` narrows to the people who live
 * in one neighbourhood now; `to` (a day, inclusive) to the check-ins taken by then, as they stood at its end.
 */
export async function programmeOutcomeChange(deps: Pick<AppDeps, 'db'>, programmeId: string, options: { areaId?: string; to?: string } = {}): Promise<MeasureDistribution[]> {
  const versions = await inTransaction(deps.db, { programmeId, userId: null }, (tx) => selectProgrammeCheckInVersions(tx, programmeId, options));
  const taken = asTheyStood(versions).filter((c) => byThen(c.details.checkedOn, options.to));
  const pairs = byPerson(taken, (c) => c.checkedOn).flatMap((checkIns) => {
    const { start, latest } = startAndLatest(checkIns);
    return start === undefined || latest === undefined ? [] : [{ start: start.answers, latest: latest.answers }];
  });
  return distributionOfChange(pairs);
}

/**
 * Service use before and after, per kind: totals over the people who have a period on both sides (the latest of each),
 * counting a kind only for people whose number is known on both sides. `people` is how many have both periods. `to`
 * (a day, inclusive) narrows to the periods that had ended by then, as they stood at its end.
 */
export async function programmeServiceUse(deps: Pick<AppDeps, 'db'>, programmeId: string, options: { to?: string } = {}): Promise<{ people: number; kinds: ServiceUseTotal[] }> {
  const versions = await inTransaction(deps.db, { programmeId, userId: null }, (tx) => selectProgrammePeriodVersions(tx, programmeId, options));
  const ended = asTheyStood(versions).filter((p) => byThen(p.details.toOn, options.to));
  const pairs = byPerson(ended, (p) => p.toOn).flatMap((periods) => {
    const { before, after } = beforeAndAfter(periods);
    return before === undefined || after === undefined ? [] : [{ before: before.counts, after: after.counts }];
  });
  return { people: pairs.length, kinds: serviceUseTotals(pairs) };
}
