import { record } from '../../core/audit/audit.ts';
import { actorFor } from '../../core/auth/acting.ts';
import { can, type CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import type { FormErrors, FormResult } from '../../core/http/forms.ts';
import { STEP_STATUS_LABELS, callName, questionHeadings } from '../agreements/service.ts';
import { lifeAssetChoices } from '../assets/service.ts';
import { lockPerson, selectCaseload, selectPerson } from '../people/queries.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import {
  advanceEntryVersion,
  endConnection,
  insertConnection,
  insertEntry,
  insertEntryVersion,
  selectCircleChoices,
  selectConnection,
  selectConnectionByFormToken,
  selectConnections,
  selectEntryIdByFormToken,
  selectHouseholdChoices,
  selectOpenConnectionBetween,
  selectStepChoices,
  type EntryContent,
  type EntryLinks,
} from './queries.ts';
import type { ConnectionInput, EntryInput, EntryRef, NewEntryInput, TimelineQuery } from './schemas.ts';
import { isUuid } from './schemas.ts';
import { currentEntries, loadEntry, type JournalEntry, type LinkedThings } from './entries.ts';
import { buildTimeline, type Timeline } from './timeline.ts';

export type { EntryContent, EntryLinks, JournalEntry, LinkedThings };

type Deps = Pick<AppDeps, 'db' | 'clock'>;

// ---------------------------------------------------------------------------------------------------------------
// Journal entries

/** Something an entry can be linked to, as the form offers it. */
export interface LinkChoice {
  id: string;
  text: string;
  hint?: string;
}

/** What the person's entries can be linked to: their steps, the people in their circle, their household, and the community assets in their life. */
export interface LinkChoices {
  steps: LinkChoice[];
  circleMembers: LinkChoice[];
  householdMembers: LinkChoice[];
  assets: LinkChoice[];
}

export interface EntryFormPage {
  person: PersonInContext;
  callName: string;
  choices: LinkChoices;
}

const JOURNAL_READ = { action: 'journal.read', permission: 'person.read' } as const;
const JOURNAL_CREATE = { action: 'journal.create', permission: 'person.update' } as const;
const JOURNAL_UPDATE = { action: 'journal.update', permission: 'person.update' } as const;

/**
 * What an entry can be linked to. The circle offers the people in it now, and anyone an entry being corrected
 * is already linked to, even if they have left since: a correction does not quietly drop a link.
 */
async function linkChoices(tx: Tx, programmeId: string, person: PersonInContext, linked?: LinkedThings): Promise<LinkChoices> {
  const headings = questionHeadings(callName(person));
  const steps = await selectStepChoices(tx, programmeId, person.id);
  const circle = await selectCircleChoices(tx, programmeId, person.id);
  const household = await selectHouseholdChoices(tx, programmeId, person.id);
  const assets = await lifeAssetChoices(tx, programmeId, person.id);
  const alreadyLinked = new Set(linked?.circleMembers.map((m) => m.id) ?? []);
  const assetsLinked = new Set(linked?.assets.map((a) => a.id) ?? []);
  return {
    steps: steps.map((s) => ({ id: s.id, text: s.what, hint: `${headings[s.question]}. ${STEP_STATUS_LABELS[s.status]}` })),
    circleMembers: circle
      .filter((m) => m.leftOn === null || alreadyLinked.has(m.id))
      .map((m) => ({ id: m.id, text: m.name, ...(m.leftOn === null ? {} : { hint: 'No longer in the circle' }) })),
    householdMembers: household.map((h) => ({ id: h.id, text: h.name, hint: h.relationship })),
    assets: assets
      .filter((a) => a.current || assetsLinked.has(a.id))
      .map((a) => ({ id: a.id, text: a.text, ...(a.current ? {} : { hint: 'No longer part of their life' }) })),
  };
}

/**
 * The links a form asks for, if every one of them is this person's: a step, circle member or household member of
 * anyone else (or of no one) is refused. The whole record of the person is allowed, not only what the form
 * offered, so a form opened before someone left the circle can still be saved.
 */
async function linksAsked(tx: Tx, programmeId: string, personId: string, input: EntryInput): Promise<EntryLinks | undefined> {
  const steps = new Set((await selectStepChoices(tx, programmeId, personId)).map((s) => s.id));
  const circle = new Set((await selectCircleChoices(tx, programmeId, personId)).map((m) => m.id));
  const household = new Set((await selectHouseholdChoices(tx, programmeId, personId)).map((h) => h.id));
  const assets = new Set((await lifeAssetChoices(tx, programmeId, personId)).map((a) => a.id));
  // Ids as the database writes them, each once: a form may send the same box twice, or an id in capitals.
  const normal = (ids: readonly string[]) => [...new Set(ids.map((id) => id.toLowerCase()))];
  const links = {
    steps: normal(input.steps),
    circleMembers: normal(input.circleMembers),
    householdMembers: normal(input.householdMembers),
    assets: normal(input.assets),
  };
  const ours =
    links.steps.every((id) => steps.has(id)) &&
    links.circleMembers.every((id) => circle.has(id)) &&
    links.householdMembers.every((id) => household.has(id)) &&
    links.assets.every((id) => assets.has(id));
  return ours ? links : undefined;
}

const NOT_THIS_PERSONS = { kind: 'not-found' } as const;
/** Not found too, but what was not this person's was something the entry was to be linked to. */
const LINK_NOT_THIS_PERSONS = { kind: 'not-found', what: 'link' } as const;

function refuseLinks(note: AccessNote) {
  note.denied({ reason: 'linked to something that is not this person’s' });
  return LINK_NOT_THIS_PERSONS;
}

/** The form for a new entry. */
export async function getNewEntryPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<EntryFormPage | undefined> {
  return withPerson(deps, user, personId, JOURNAL_READ, requestId, async (tx, person) => ({
    person,
    callName: callName(person),
    choices: await linkChoices(tx, user.programme.id, person),
  }));
}

export type AddEntryResult = { kind: 'added'; entryId: string } | { kind: 'invalid'; page: EntryFormPage } | typeof LINK_NOT_THIS_PERSONS;

/**
 * A new journal entry. The person is found (and the access audited) before the form is judged, so someone who
 * may not see them learns nothing from its messages. The form's one-time token makes a second submission land on
 * the entry the first made.
 */
export async function addJournalEntry(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<NewEntryInput>,
  requestId: string,
): Promise<AddEntryResult | undefined> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    withPerson(deps, user, personId, JOURNAL_CREATE, requestId, async (tx, person, note): Promise<AddEntryResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page: { person, callName: callName(person), choices: await linkChoices(tx, programmeId, person) } };
      }
      const input = form.data;
      const already = await selectEntryIdByFormToken(tx, programmeId, person.id, input.formToken);
      if (already !== undefined) return { kind: 'added', entryId: already };
      const links = await linksAsked(tx, programmeId, person.id, input);
      if (links === undefined) return refuseLinks(note);
      const written = { programmeId, personId: person.id, by: user.id, at: deps.clock.now() };
      const entryId = await insertEntry(tx, { ...written, formToken: input.formToken });
      await insertEntryVersion(tx, { ...written, entryId, version: 1, content: contentOfInput(input), links });
      note.add({ entryId });
      return { kind: 'added', entryId };
    }),
  );
}

function contentOfInput(input: EntryInput): EntryContent {
  return { happenedOn: input.happenedOn, how: input.how, kind: input.kind, durationMinutes: input.duration, notes: input.notes };
}

/** How many entries the page for choosing one to correct offers: the latest. Older ones are reached from the timeline. */
const CHOOSE_FROM = 100;

export interface EntryChangePage extends EntryFormPage {
  entry: JournalEntry;
}

export type ChangePage =
  | { kind: 'choose'; person: PersonInContext; entries: JournalEntry[] }
  | ({ kind: 'entry' } & EntryChangePage)
  | typeof NOT_THIS_PERSONS;

async function choosePage(tx: Tx, programmeId: string, person: PersonInContext) {
  return { kind: 'choose' as const, person, entries: await currentEntries(tx, programmeId, person.id, CHOOSE_FROM) };
}

async function changePage(tx: Tx, programmeId: string, person: PersonInContext, entry: JournalEntry): Promise<EntryChangePage> {
  return { person, callName: callName(person), entry, choices: await linkChoices(tx, programmeId, person, entry.links) };
}

function refuseEntry(note: AccessNote, entryId: string) {
  // Only an id that is one could name a record; anything else is noted as not being an id, never as it came.
  note.denied({ reason: 'not an entry of this person’s', ...(isUuid(entryId) ? { entryId } : {}) });
  return NOT_THIS_PERSONS;
}

/** The correction page for one entry or, when none is named, the latest entries to choose from. */
export async function getEntryChangePage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  entryId: string | undefined,
  requestId: string,
): Promise<ChangePage | undefined> {
  const programmeId = user.programme.id;
  return withPerson(deps, user, personId, JOURNAL_READ, requestId, async (tx, person, note): Promise<ChangePage> => {
    if (entryId === undefined) return choosePage(tx, programmeId, person);
    const entry = await loadEntry(tx, programmeId, person.id, entryId);
    if (entry === undefined) return refuseEntry(note, entryId);
    return { kind: 'entry', ...(await changePage(tx, programmeId, person, entry)) };
  });
}

export type CorrectEntryResult =
  | { kind: 'saved'; entryId: string }
  | { kind: 'choose'; person: PersonInContext; entries: JournalEntry[] }
  | { kind: 'invalid'; page: EntryChangePage }
  /** Someone corrected the entry since the form was opened: nothing saved; `page.entry` is how it reads now. */
  | { kind: 'conflict'; page: EntryChangePage; yours: EntryContent & { links: EntryLinks } }
  | typeof NOT_THIS_PERSONS
  | typeof LINK_NOT_THIS_PERSONS;

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

function sameEntry(entry: JournalEntry, content: EntryContent, links: EntryLinks): boolean {
  return (
    entry.happenedOn === content.happenedOn &&
    entry.how === content.how &&
    entry.kind === content.kind &&
    entry.durationMinutes === content.durationMinutes &&
    entry.notes === content.notes &&
    sameIds(entry.links.steps.map((s) => s.id), links.steps) &&
    sameIds(entry.links.circleMembers.map((m) => m.id), links.circleMembers) &&
    sameIds(entry.links.householdMembers.map((m) => m.id), links.householdMembers) &&
    sameIds(entry.links.assets.map((a) => a.id), links.assets)
  );
}

/**
 * Corrects an entry: a new version, the earlier ones kept as they were. A form made from an older version is
 * refused (someone else corrected it first) unless it asks for exactly what the entry says now, which is also what
 * a second submission of a correction that went through looks like.
 */
export async function correctJournalEntry(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  ref: EntryRef | undefined,
  form: FormResult<EntryInput>,
  requestId: string,
): Promise<CorrectEntryResult | undefined> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    withPerson(deps, user, personId, JOURNAL_UPDATE, requestId, async (tx, person, note): Promise<CorrectEntryResult> => {
      if (ref === undefined) {
        note.failed({ reason: 'form had problems', fields: ['entryId'] });
        return choosePage(tx, programmeId, person);
      }
      const entry = await loadEntry(tx, programmeId, person.id, ref.entryId);
      if (entry === undefined) return refuseEntry(note, ref.entryId);
      const page = await changePage(tx, programmeId, person, entry);
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page };
      }
      const links = await linksAsked(tx, programmeId, person.id, form.data);
      if (links === undefined) return refuseLinks(note);
      const content = contentOfInput(form.data);
      if (sameEntry(entry, content, links)) return { kind: 'saved', entryId: entry.id };
      const written = { programmeId, personId: person.id, by: user.id, at: deps.clock.now() };
      const version = ref.version === entry.version ? await advanceEntryVersion(tx, { ...written, entryId: entry.id, expectedVersion: ref.version }) : undefined;
      if (version === undefined) {
        note.failed(CHANGED_MEANWHILE);
        return { kind: 'conflict', page, yours: { ...content, links } };
      }
      await insertEntryVersion(tx, { ...written, entryId: entry.id, version, content, links });
      note.add({ entryId: entry.id, version });
      return { kind: 'saved', entryId: entry.id };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The timeline

export interface TimelinePage {
  person: PersonInContext;
  /** Undefined when the query could not be used: then `errors` says why, and nothing was read. */
  timeline: Timeline | undefined;
  errors: FormErrors | undefined;
}

/** One timeline of everything recorded about the person, newest first, narrowed to the kinds asked for. */
export async function getTimeline(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  query: FormResult<TimelineQuery>,
  requestId: string,
): Promise<TimelinePage | undefined> {
  return withPerson(deps, user, personId, { action: 'timeline.read', permission: 'person.read' }, requestId, async (tx, person, note) => {
    if (!query.ok) {
      note.failed(formProblems(query));
      return { person, timeline: undefined, errors: query.errors };
    }
    const timeline = await buildTimeline(tx, user, person, query.data);
    note.add({ items: timeline.items.length, ...(query.data.kind.length > 0 ? { kinds: query.data.kind } : {}) });
    return { person, timeline, errors: undefined };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Connections between people the programme walks alongside

export interface Connection {
  id: string;
  why: string;
  agreedOn: string;
  recordedAt: Date;
  recordedByName: string;
  endedOn: string | null;
  endedAt: Date | null;
  endedByName: string | null;
  other: { id: string; name: string; areaName: string; /** May this user open the other person's record? */ visible: boolean };
}

type ConnectionRow = Awaited<ReturnType<typeof selectConnections>>[number];

export function toConnection(user: CurrentUser, r: ConnectionRow): Connection {
  return {
    id: r.id,
    why: r.why,
    agreedOn: r.agreedOn,
    recordedAt: r.recordedAt,
    recordedByName: r.recordedByName,
    endedOn: r.endedOn,
    endedAt: r.endedAt,
    endedByName: r.endedByName,
    other: {
      id: r.otherId,
      name: r.otherName,
      areaName: r.otherAreaName,
      visible: can(user, 'person.read', { programmeId: user.programme.id, areaId: r.otherAreaId }),
    },
  };
}

export interface ConnectionsPage {
  person: PersonInContext;
  connections: Connection[];
}

const CONNECTIONS_READ = { action: 'connections.read', permission: 'person.read' } as const;

async function connectionsPage(tx: Tx, user: CurrentUser, person: PersonInContext): Promise<ConnectionsPage> {
  return { person, connections: (await selectConnections(tx, user.programme.id, person.id)).map((r) => toConnection(user, r)) };
}

export async function getConnections(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<ConnectionsPage | undefined> {
  return withPerson(deps, user, personId, CONNECTIONS_READ, requestId, (tx, person) => connectionsPage(tx, user, person));
}

/** Someone the user might connect the person with. */
export interface Candidate {
  id: string;
  name: string;
  areaName: string;
}

/** How many people a search shows: more than this, and a longer name finds fewer. */
const MOST_CANDIDATES = 20;

export interface CandidateSearch {
  candidates: Candidate[];
  /** More people matched than are shown. */
  more: boolean;
}

/**
 * People the user may see (a coordinator: their neighbourhoods; a manager: the whole programme) whose name or
 * postcode matches, other than the person and anyone they are already connected with.
 */
async function searchCandidates(tx: Tx, user: CurrentUser, person: PersonInContext, q: string): Promise<CandidateSearch> {
  const programmeId = user.programme.id;
  const connected = new Set((await selectConnections(tx, programmeId, person.id)).filter((c) => c.endedOn === null).map((c) => c.otherId));
  const found = await selectCaseload(tx, { programmeId, areaIds: user.role === 'manager' ? null : user.areaIds, search: q });
  const candidates = found.filter((p) => p.id !== person.id && !connected.has(p.id)).map((p) => ({ id: p.id, name: p.name, areaName: p.area_name }));
  return { candidates: candidates.slice(0, MOST_CANDIDATES), more: candidates.length > MOST_CANDIDATES };
}

export interface ConnectionFormPage {
  person: PersonInContext;
  /** The people found, when a search was made (and could be). */
  search: CandidateSearch | undefined;
}

/** The page that starts a connection: a search for the other person. */
export async function getConnectionSearch(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<ConnectionFormPage | undefined> {
  return withPerson(deps, user, personId, CONNECTIONS_READ, requestId, async (_tx, person) => ({ person, search: undefined }));
}

/** A search for the other person, audited with how many were found, never the words searched for. */
export async function findPeopleToConnect(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<{ q: string }>,
  requestId: string,
): Promise<ConnectionFormPage | undefined> {
  return withPerson(deps, user, personId, { action: 'connection.find', permission: 'person.read' }, requestId, async (tx, person, note) => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { person, search: undefined };
    }
    const search = await searchCandidates(tx, user, person, form.data.q);
    note.add({ found: search.candidates.length });
    return { person, search };
  });
}

/**
 * withPerson for a change that touches two people's records. withPerson locks the person it opens only for a
 * change, and only that one; here it opens the person as for reading, the right to change their record is checked
 * in its place, and the change then locks both people itself (lockBoth), always in the same order, so two requests
 * about one pair started from either person queue behind each other instead of deadlocking.
 */
async function withPersonToChange<T>(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  action: 'connection.create' | 'connection.end',
  requestId: string,
  work: (tx: Tx, person: PersonInContext, note: AccessNote) => Promise<T>,
): Promise<T | undefined> {
  return withPerson(deps, user, personId, { action, permission: 'person.read' }, requestId, async (tx, person, note) => {
    if (!can(user, 'person.update', { programmeId: user.programme.id, areaId: person.areaId })) {
      note.denied({ reason: 'may not change this record' });
      return undefined;
    }
    return work(tx, person, note);
  });
}

/** Locks two people's records in one order (by id), whichever of them the request started from. */
async function lockBoth(tx: Tx, programmeId: string, a: string, b: string): Promise<void> {
  for (const id of [a, b].sort()) await lockPerson(tx, programmeId, id);
}

/** The other person's record is touched too: its own audit row, in the same transaction as the change. */
async function auditOther(tx: Tx, deps: Deps, user: CurrentUser, requestId: string, action: string, otherId: string, detail: Record<string, unknown>) {
  await record(tx, actorFor(deps, user, requestId), { action, recordType: 'person', recordId: otherId, detail });
}

export type ConnectResult =
  | { kind: 'connected' }
  | { kind: 'invalid'; page: ConnectionFormPage; errors?: FormErrors }
  | typeof NOT_THIS_PERSONS;

/**
 * Records a connection between the person and someone else the user may see, with the coordinator's word that
 * both agreed. Both records are locked (in a stable order) and both audited. The form's one-time token makes a
 * second submission land on the connection the first made.
 */
export async function connectPeople(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<ConnectionInput>,
  q: string | undefined,
  requestId: string,
): Promise<ConnectResult | undefined> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    withPersonToChange(deps, user, personId, 'connection.create', requestId, async (tx, person, note): Promise<ConnectResult> => {
      // The people to choose from again: the search the form came from, when it carries one.
      const again = async (): Promise<ConnectionFormPage> => ({ person, search: q === undefined ? undefined : await searchCandidates(tx, user, person, q) });
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page: await again() };
      }
      const input = form.data;
      const other = await selectPerson(tx, programmeId, input.otherPersonId);
      if (other === undefined || other.id === person.id || !can(user, 'person.update', { programmeId: other.programme_id, areaId: other.area_id })) {
        note.denied({ reason: 'not someone this user may connect them with', otherPersonId: input.otherPersonId });
        return NOT_THIS_PERSONS;
      }
      await lockBoth(tx, programmeId, person.id, other.id);
      const already = await selectConnectionByFormToken(tx, programmeId, input.formToken);
      if (already !== undefined) return { kind: 'connected' };
      if ((await selectOpenConnectionBetween(tx, programmeId, person.id, other.id)) !== undefined) {
        note.failed({ reason: 'already connected', fields: ['otherPersonId'] });
        return { kind: 'invalid', page: await again(), errors: { otherPersonId: `${person.name} and ${other.name} are already connected` } };
      }
      const connectionId = await insertConnection(tx, {
        programmeId,
        personId: person.id,
        otherPersonId: other.id,
        why: input.why,
        agreedOn: input.agreedOn,
        formToken: input.formToken,
        by: user.id,
        at: deps.clock.now(),
      });
      note.add({ connectionId, otherPersonId: other.id });
      await auditOther(tx, deps, user, requestId, 'connection.create', other.id, { connectionId, otherPersonId: person.id });
      return { kind: 'connected' };
    }),
  );
}

export interface ConnectionEndPage {
  person: PersonInContext;
  connection: Connection;
}

export type EndPage = ({ kind: 'choose' } & ConnectionsPage) | ({ kind: 'connection' } & ConnectionEndPage) | typeof NOT_THIS_PERSONS;

function refuseConnection(note: AccessNote, connectionId: string) {
  note.denied({ reason: 'not a connection of this person’s', ...(isUuid(connectionId) ? { connectionId } : {}) });
  return NOT_THIS_PERSONS;
}

async function loadConnection(tx: Tx, user: CurrentUser, personId: string, connectionId: string): Promise<Connection | undefined> {
  if (!isUuid(connectionId)) return undefined;
  const row = await selectConnection(tx, user.programme.id, personId, connectionId);
  return row === undefined ? undefined : toConnection(user, row);
}

/** The page to end one connection or, when none is named, the person's connections to choose from. */
export async function getConnectionEndPage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  connectionId: string | undefined,
  requestId: string,
): Promise<EndPage | undefined> {
  return withPerson(deps, user, personId, CONNECTIONS_READ, requestId, async (tx, person, note): Promise<EndPage> => {
    if (connectionId === undefined) return { kind: 'choose', ...(await connectionsPage(tx, user, person)) };
    const connection = await loadConnection(tx, user, person.id, connectionId);
    if (connection === undefined) return refuseConnection(note, connectionId);
    return { kind: 'connection', person, connection };
  });
}

export type EndResult =
  | { kind: 'ended' }
  | ({ kind: 'choose' } & ConnectionsPage)
  | { kind: 'invalid'; page: ConnectionEndPage; errors?: FormErrors }
  | typeof NOT_THIS_PERSONS;

/**
 * Ends a connection, from today or an earlier day, keeping it as history. The person's coordinator may end it
 * whoever the other person is: agreeing to a connection includes being free to end it. Ending one already ended
 * (a second click) is not an error and changes nothing.
 */
export async function endPersonConnection(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  connectionId: string | undefined,
  form: FormResult<{ endedOn: string }>,
  requestId: string,
): Promise<EndResult | undefined> {
  const programmeId = user.programme.id;
  return withPersonToChange(deps, user, personId, 'connection.end', requestId, async (tx, person, note): Promise<EndResult> => {
    if (connectionId === undefined) {
      note.failed({ reason: 'form had problems', fields: ['connectionId'] });
      return { kind: 'choose', ...(await connectionsPage(tx, user, person)) };
    }
    const seen = await loadConnection(tx, user, person.id, connectionId);
    if (seen === undefined) return refuseConnection(note, connectionId);
    await lockBoth(tx, programmeId, person.id, seen.other.id);
    // Read again now that both are held: someone may have ended it while this request waited.
    const connection = (await loadConnection(tx, user, person.id, seen.id)) ?? seen;
    if (connection.endedOn !== null) return { kind: 'ended' };
    const page = { person, connection };
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page };
    }
    if (form.data.endedOn < connection.agreedOn) {
      note.failed({ reason: 'form had problems', fields: ['endedOn'] });
      return { kind: 'invalid', page, errors: { endedOn: 'The date the connection ended must be on or after the date they agreed to it' } };
    }
    await endConnection(tx, { programmeId, connectionId: connection.id, endedOn: form.data.endedOn, by: user.id, at: deps.clock.now() });
    note.add({ connectionId: connection.id, otherPersonId: connection.other.id });
    await auditOther(tx, deps, user, requestId, 'connection.end', connection.other.id, { connectionId: connection.id, otherPersonId: person.id });
    return { kind: 'ended' };
  });
}

