import { record } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormResult } from '../../core/http/forms.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import {
  countOpenConcerns as countOpenConcernsOf,
  insertConcern,
  selectConcernIdByFormToken,
  selectConcernVersions,
  selectConcerns,
  selectOpenConcerns,
  updateConcern,
  type ConcernDetails,
} from './queries.ts';
import type { ConcernChangeInput, NewConcernInput } from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export type { ConcernDetails } from './queries.ts';

// ---------------------------------------------------------------------------------------------------------------
// For other modules: how many concerns are open. A concern never blocks the record; it is only said.

/**
 * How many safeguarding concerns about this person are open, for a short notice on their record. The caller has
 * already decided the user may see the person (and audits that): this only counts.
 */
export async function countOpenConcerns(tx: Tx, programmeId: string, personId: string): Promise<number> {
  return (await openConcernCounts(tx, programmeId, [personId])).get(personId) ?? 0;
}

/** The same for many people at once, for lists. Every id asked about has an answer, 0 when none is open. */
export async function openConcernCounts(tx: Tx, programmeId: string, personIds: readonly string[]): Promise<Map<string, number>> {
  const rows = personIds.length === 0 ? [] : await countOpenConcernsOf(tx, programmeId, personIds);
  const counted = new Map(rows.map((r) => [r.person_id, Number(r.open)]));
  return new Map(personIds.map((id) => [id, counted.get(id) ?? 0]));
}

// ---------------------------------------------------------------------------------------------------------------
// A person's concerns

export interface ConcernVersion extends ConcernDetails {
  version: number;
  recordedAt: Date;
  recordedByName: string;
}

export interface Concern extends ConcernDetails {
  id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedByName: string;
  /** Every version, the one in force first: what was known and done, and when. */
  history: ConcernVersion[];
}

export interface ConcernsPage {
  person: PersonInContext;
  /** Open concerns first, then closed ones, the most recently raised first. */
  concerns: Concern[];
  open: number;
}

async function loadConcerns(tx: Tx, programmeId: string, person: PersonInContext): Promise<ConcernsPage> {
  const rows = await selectConcerns(tx, programmeId, person.id);
  const versions = await selectConcernVersions(tx, programmeId, person.id);
  const concerns = rows.map((c) => ({ ...c, history: versions.filter((v) => v.concernId === c.id) }));
  return { person, concerns, open: concerns.filter((c) => c.closedOn === null).length };
}

/** The person's concerns, open and closed, each with its history. */
export async function getConcerns(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<ConcernsPage | undefined> {
  return withPerson(deps, user, personId, { action: 'concerns.read', permission: 'person.read' }, requestId, async (tx, person, note) => {
    const page = await loadConcerns(tx, user.programme.id, person);
    note.add({ concerns: page.concerns.length });
    return page;
  });
}

/** The form to record a concern: only the person is needed. */
export async function getNewConcernPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<PersonInContext | undefined> {
  return withPerson(deps, user, personId, { action: 'concern.read', permission: 'person.update' }, requestId, async (_tx, person) => person);
}

export type RaiseConcernResult = { kind: 'recorded'; concernId: string } | { kind: 'invalid'; person: PersonInContext };

/**
 * Records a concern. The person is looked up (and the access audited) before the form is judged, so a refused
 * user learns nothing from its problems. The one-time form token makes a double submission record it once.
 */
export async function raiseConcern(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<NewConcernInput>,
  requestId: string,
): Promise<RaiseConcernResult | undefined> {
  const programmeId = user.programme.id;
  const attempt = () =>
    withPerson(deps, user, personId, { action: 'concern.create', permission: 'person.update' }, requestId, async (tx, person, note): Promise<RaiseConcernResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', person };
      }
      const { formToken, ...details } = form.data;
      const existing = await selectConcernIdByFormToken(tx, programmeId, personId, formToken);
      const concernId =
        existing ?? (await insertConcern(tx, { programmeId, personId, formToken, details: { ...details, closedOn: null, outcome: null }, by: user.id, at: deps.clock.now() }));
      note.add({ concernId });
      return { kind: 'recorded', concernId };
    });
  return onceMoreIfRaced(attempt);
}

export interface ConcernChangePage {
  person: PersonInContext;
  concern: Concern;
  today: string;
}

type NoSuchConcern = { kind: 'no-such-concern' };

/** withPerson, then one of that person's concerns: another's (or none at all) is refused as not found. */
async function withConcern<T>(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  concernId: string,
  access: { action: string; permission: 'person.update' },
  requestId: string,
  work: (tx: Tx, page: ConcernChangePage, note: AccessNote) => Promise<T>,
): Promise<T | NoSuchConcern | undefined> {
  return withPerson(deps, user, personId, access, requestId, async (tx, person, note) => {
    const page = await loadConcerns(tx, user.programme.id, person);
    const concern = page.concerns.find((c) => c.id === concernId);
    if (concern === undefined) {
      note.denied({ concernId, reason: 'not one of this person’s concerns' });
      return { kind: 'no-such-concern' as const };
    }
    note.add({ concernId });
    return work(tx, { person, concern, today: ukToday(deps.clock.now()) }, note);
  });
}

/**
 * The form to update a concern, or close it. No concern named: the person's list of concerns instead
 * ('choose'); a concern that is not this person's: not found.
 */
export async function getConcernChangePage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  concernId: string | undefined,
  requestId: string,
): Promise<ConcernChangePage | NoSuchConcern | { kind: 'choose' } | undefined> {
  const access = { action: 'concern.read', permission: 'person.update' } as const;
  if (concernId === undefined) return withPerson(deps, user, personId, access, requestId, async () => ({ kind: 'choose' as const }));
  return withConcern(deps, user, personId, concernId, access, requestId, async (_tx, page) => page);
}

export type ChangeConcernResult =
  | { kind: 'saved' }
  /** The form did not say which concern: nothing to change. */
  | { kind: 'no-concern-given' }
  | NoSuchConcern
  | { kind: 'invalid'; page: ConcernChangePage }
  /** Someone saved the concern after this form was opened: nothing saved; `page.concern` is theirs, as it is now. */
  | { kind: 'conflict'; page: ConcernChangePage; yours: ConcernDetails };

const sameDetails = (a: ConcernDetails, b: ConcernDetails) =>
  (Object.keys(b) as (keyof ConcernDetails)[]).every((key) => a[key] === b[key]);

/**
 * Updates what is recorded about a concern (what was done, who was informed), or closes it with the date and
 * outcome, as a new version: earlier versions stay in its history. A form opened from an older version than the
 * one saved now is refused, with both shown.
 */
export async function changeConcern(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  concernId: string | undefined,
  form: FormResult<ConcernChangeInput>,
  requestId: string,
): Promise<ChangeConcernResult | undefined> {
  const access = { action: 'concern.update', permission: 'person.update' } as const;
  if (concernId === undefined) {
    return withPerson(deps, user, personId, access, requestId, async (_tx, _person, note) => {
      note.failed({ reason: 'no concern given' });
      return { kind: 'no-concern-given' as const };
    });
  }
  return withConcern(deps, user, personId, concernId, access, requestId, async (tx, page, note): Promise<ChangeConcernResult> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page };
    }
    const { version, ...yours } = form.data;
    const conflict = (): ChangeConcernResult => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, yours };
    };
    if (version !== page.concern.version) return conflict();
    if (sameDetails(page.concern, yours)) return { kind: 'saved' };
    const programmeId = user.programme.id;
    const saved = await updateConcern(tx, { programmeId, personId, concernId, expectedVersion: version, details: yours, by: user.id, at: deps.clock.now() });
    if (!saved) return conflict();
    note.add({ version: version + 1, closed: yours.closedOn !== null });
    return { kind: 'saved' };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A manager's view across the programme

export interface OpenConcern {
  id: string;
  personId: string;
  personName: string;
  areaName: string;
  raisedOn: string;
  updatedAt: Date;
}

/**
 * Every open concern in the programme, the longest open first: for a manager (the route checks). Audited as one
 * read of the list ('concerns.list'), with the count only.
 */
export async function listOpenConcerns(deps: Deps, user: CurrentUser, requestId: string): Promise<OpenConcern[]> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const concerns = await selectOpenConcerns(tx, user.programme.id);
    await record(tx, actorFor(deps, user, requestId), { action: 'concerns.list', detail: { concerns: concerns.length } });
    return concerns;
  });
}
