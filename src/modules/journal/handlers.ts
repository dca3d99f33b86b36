import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, formValues, parseForm, ukToday, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import {
  HOW_OPTIONS,
  HOW_TEXT,
  KIND_OPTIONS,
  KIND_TEXT,
  TIMELINE_KINDS,
  TIMELINE_KIND_TEXT,
  TIMELINE_PAGE,
  connectionEndSchema,
  connectionQuerySchema,
  connectionRefSchema,
  connectionSchema,
  connectionSearchSchema,
  durationText,
  entryChangeSchema,
  entryQuerySchema,
  entryRefSchema,
  newEntrySchema,
  timelineQuerySchema,
} from './schemas.ts';
import {
  addJournalEntry,
  connectPeople,
  correctJournalEntry,
  endPersonConnection,
  findPeopleToConnect,
  getConnectionEndPage,
  getConnectionSearch,
  getConnections,
  getEntryChangePage,
  getNewEntryPage,
  getTimeline,
  type ConnectionEndPage,
  type ConnectionFormPage,
  type ConnectionsPage,
  type EntryContent,
  type EntryFormPage,
  type EntryLinks,
  type JournalEntry,
  type LinkChoices,
  type LinkedThings,
} from './service.ts';
import { NO_PERSON, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/journal/views';
const NO_ENTRY = 'There is no such entry in this person’s journal.';
const NO_LINK = 'Something the entry was to be linked to is not part of this person’s record. Nothing was saved.';
const NO_CONNECTION = 'There is no such connection in this person’s record.';

/** What the service found, or the not-found page: no such person for this user, or a part that is not theirs. */
function found<T extends object>(result: T | undefined, notTheirs: string): Exclude<T, { kind: 'not-found' }> {
  if (result === undefined) throw new HttpError(404, NO_PERSON);
  if ('kind' in result && result.kind === 'not-found') throw new HttpError(404, 'what' in result && result.what === 'link' ? NO_LINK : notTheirs);
  return result as Exclude<T, { kind: 'not-found' }>;
}

const today = (request: FastifyRequest) => ukToday(request.server.deps.clock.now());

const paths = (personId: string) => ({
  timeline: `/people/${personId}/timeline`,
  journal: `/people/${personId}/journal`,
  connections: `/people/${personId}/connections`,
});

/** The banner after a change: the address says which kind of change (?added=1), nothing personal. */
function noticeOf(request: FastifyRequest, notices: Record<string, string>): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(notices).find((k) => query[k] === '1');
  return key === undefined ? undefined : notices[key];
}

/** The date inputs of a form, from 'YYYY-MM-DD'. */
function dateValues(name: string, iso: string): FormValues {
  const { day, month, year } = dateParts(iso);
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

/** Checkboxes as a list, however many were ticked. */
function listOf(values: FormValues, name: string): string[] {
  const value = values[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// ---------------------------------------------------------------------------------------------------------------
// The timeline

const TIMELINE_NOTICES = {
  added: 'Added to the journal',
  corrected: 'Correction saved. The earlier version is kept with the entry.',
};

export async function showTimeline(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const query = parseForm(timelineQuerySchema, request.query);
  const page = found(await getTimeline(request.server.deps, user, personId, query, request.id), NO_PERSON);
  const timeline = page.timeline;
  // "Show earlier" keeps the kinds chosen and shows another page's worth.
  const earlier =
    timeline?.hasEarlier === true
      ? `${paths(personId).timeline}?${new URLSearchParams([...timeline.kinds.map((k) => ['kind', k]), ['show', String(timeline.show + TIMELINE_PAGE)]]).toString()}`
      : undefined;
  return render(
    request,
    reply,
    `${VIEWS}/timeline.njk`,
    {
      person: page.person,
      timeline,
      errors: page.errors,
      earlier,
      kinds: TIMELINE_KINDS.map((value) => ({ value, text: TIMELINE_KIND_TEXT[value] })),
      kindText: TIMELINE_KIND_TEXT,
      chosenKinds: listOf(formValues(request.query), 'kind'),
      notice: noticeOf(request, TIMELINE_NOTICES),
    },
    page.errors === undefined ? 200 : 400,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Journal entries

interface EntryFormView {
  page: EntryFormPage;
  values: FormValues;
  errors?: FormErrors | undefined;
  /** Present when correcting: the entry as it reads now. */
  entry?: JournalEntry;
  conflict?: ReturnType<typeof entryConflict>;
}

function showEntryForm(request: FastifyRequest, reply: FastifyReply, view: EntryFormView, statusCode: number) {
  const { page, values, entry } = view;
  return render(
    request,
    reply,
    `${VIEWS}/entry.njk`,
    {
      person: page.person,
      callName: page.callName,
      choices: page.choices,
      values,
      checked: {
        steps: listOf(values, 'steps'),
        circleMembers: listOf(values, 'circleMembers'),
        householdMembers: listOf(values, 'householdMembers'),
        assets: listOf(values, 'assets'),
      },
      errors: view.errors,
      entry,
      conflict: view.conflict,
      hows: HOW_OPTIONS,
      kinds: KIND_OPTIONS,
      howText: HOW_TEXT,
      kindText: KIND_TEXT,
      timelinePath: paths(page.person.id).timeline,
    },
    statusCode,
  );
}

export async function newEntry(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = found(await getNewEntryPage(request.server.deps, user, personIdOf(request), request.id), NO_PERSON);
  return showEntryForm(request, reply, { page, values: { formToken: randomUUID(), ...dateValues('happenedOn', today(request)) } }, 200);
}

export async function createEntry(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const form = parseForm(newEntrySchema(today(request)), request.body);
  const result = found(await addJournalEntry(request.server.deps, user, personId, form, request.id), NO_ENTRY);
  switch (result.kind) {
    case 'added':
      return seeOther(reply, `${paths(personId).timeline}?added=1#journal-${result.entryId}`);
    case 'invalid':
      return showEntryForm(request, reply, { page: result.page, values: formValues(request.body), errors: form.ok ? undefined : form.errors }, 400);
  }
}

function entryValues(entry: JournalEntry): FormValues {
  return {
    entryId: entry.id,
    version: String(entry.version),
    ...dateValues('happenedOn', entry.happenedOn),
    how: entry.how,
    kind: entry.kind,
    duration: entry.durationMinutes === null ? '' : String(entry.durationMinutes),
    notes: entry.notes,
    steps: entry.links.steps.map((s) => s.id),
    circleMembers: entry.links.circleMembers.map((m) => m.id),
    householdMembers: entry.links.householdMembers.map((m) => m.id),
    assets: entry.links.assets.map((a) => a.id),
  };
}

/** The two versions side by side, in words, for the edit-conflict banner. */
function entryConflict(entry: JournalEntry, yours: EntryContent & { links: EntryLinks }, choices: LinkChoices) {
  const names = (ids: readonly string[], options: { id: string; text: string }[]) =>
    ids.map((id) => options.find((o) => o.id === id)?.text ?? '').filter((t) => t !== '');
  const listed = (texts: string[]) => (texts.length === 0 ? 'None' : texts.join('\n'));
  const people = (links: { circleMembers: readonly string[]; householdMembers: readonly string[] }) =>
    listed([...names(links.circleMembers, choices.circleMembers), ...names(links.householdMembers, choices.householdMembers)]);
  const ids = (things: LinkedThings) => ({
    steps: things.steps.map((s) => s.id),
    circleMembers: things.circleMembers.map((m) => m.id),
    householdMembers: things.householdMembers.map((m) => m.id),
    assets: things.assets.map((a) => a.id),
  });
  const theirs = { ...entry, links: ids(entry.links) };
  const row = (label: string, words: (v: EntryContent & { links: EntryLinks }) => string) => ({ label, theirs: words(theirs), yours: words(yours) });
  return {
    changedBy: entry.recordedByName,
    changedAt: entry.recordedAt,
    rows: [
      row('When it happened', (v) => formatDate(v.happenedOn)),
      row('How', (v) => HOW_TEXT[v.how]),
      row('Conversation or practical action', (v) => KIND_TEXT[v.kind]),
      row('How long it took', (v) => (v.durationMinutes === null ? 'Not recorded' : durationText(v.durationMinutes))),
      row('What happened', (v) => v.notes),
      row('Steps', (v) => listed(names(v.links.steps, choices.steps))),
      row('People', (v) => people(v.links)),
      row('Community assets', (v) => listed(names(v.links.assets, choices.assets))),
    ],
  };
}

function showChooser(request: FastifyRequest, reply: FastifyReply, data: { person: EntryFormPage['person']; entries: JournalEntry[] }, errors?: FormErrors) {
  return render(
    request,
    reply,
    `${VIEWS}/choose-entry.njk`,
    // With nothing to choose from, the page says so itself rather than linking to a missing field.
    { ...data, errors: data.entries.length === 0 ? undefined : errors, howText: HOW_TEXT, kindText: KIND_TEXT, paths: paths(data.person.id) },
    errors === undefined ? 200 : 400,
  );
}

export async function showEntryChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const asked = entryQuerySchema.safeParse(request.query);
  const entryId = asked.success ? asked.data.entry : undefined;
  const page = found(await getEntryChangePage(request.server.deps, user, personIdOf(request), entryId, request.id), NO_ENTRY);
  if (page.kind === 'choose') return showChooser(request, reply, page);
  return showEntryForm(request, reply, { page, entry: page.entry, values: entryValues(page.entry) }, 200);
}

export async function saveEntryChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const ref = entryRefSchema.safeParse(formValues(request.body));
  const form = parseForm(entryChangeSchema(today(request)), request.body);
  const result = found(await correctJournalEntry(request.server.deps, user, personId, ref.data, form, request.id), NO_ENTRY);
  const values = formValues(request.body);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `${paths(personId).timeline}?corrected=1#journal-${result.entryId}`);
    case 'choose':
      return showChooser(request, reply, result, { entry: 'Select the entry to correct' });
    case 'invalid':
      return showEntryForm(request, reply, { page: result.page, entry: result.page.entry, values, errors: form.ok ? undefined : form.errors }, 400);
    case 'conflict': {
      const { page } = result;
      return showEntryForm(
        request,
        reply,
        {
          page,
          entry: page.entry,
          // What this person typed, now against the version they have just been shown.
          values: { ...values, version: String(page.entry.version) },
          conflict: entryConflict(page.entry, result.yours, page.choices),
        },
        409,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Connections

const CONNECTION_NOTICES = {
  connected: 'Connection recorded. It shows on both people’s timelines.',
  ended: 'Connection ended. It stays in both people’s history.',
};

function showConnectionsPage(request: FastifyRequest, reply: FastifyReply, page: ConnectionsPage, errors?: FormErrors) {
  return render(
    request,
    reply,
    `${VIEWS}/connections.njk`,
    {
      ...page,
      open: page.connections.filter((c) => c.endedOn === null),
      ended: page.connections.filter((c) => c.endedOn !== null),
      errors,
      errorTargets: { connectionId: 'connections-open' },
      notice: noticeOf(request, CONNECTION_NOTICES),
      paths: paths(page.person.id),
    },
    errors === undefined ? 200 : 400,
  );
}

export async function showConnections(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = found(await getConnections(request.server.deps, user, personIdOf(request), request.id), NO_PERSON);
  return showConnectionsPage(request, reply, page);
}

function showConnectionForm(request: FastifyRequest, reply: FastifyReply, page: ConnectionFormPage, values: FormValues, errors: FormErrors | undefined) {
  return render(
    request,
    reply,
    `${VIEWS}/connection-new.njk`,
    { ...page, values, errors, checkedAgreed: listOf(values, 'agreed'), paths: paths(page.person.id) },
    errors === undefined ? 200 : 400,
  );
}

/** A connection form starts fresh from each search: a new one-time token, and today as the day they agreed. */
function freshConnectionValues(request: FastifyRequest, q: string): FormValues {
  return { q, formToken: randomUUID(), ...dateValues('agreedOn', today(request)) };
}

export async function newConnection(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = found(await getConnectionSearch(request.server.deps, user, personIdOf(request), request.id), NO_PERSON);
  return showConnectionForm(request, reply, page, {}, undefined);
}

export async function findConnection(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(connectionSearchSchema, request.body);
  const page = found(await findPeopleToConnect(request.server.deps, user, personIdOf(request), form, request.id), NO_PERSON);
  if (!form.ok) return showConnectionForm(request, reply, page, form.values, form.errors);
  return showConnectionForm(request, reply, page, freshConnectionValues(request, form.data.q), undefined);
}

export async function createConnection(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const search = connectionSearchSchema.safeParse(formValues(request.body));
  const form = parseForm(connectionSchema(today(request)), request.body);
  const result = found(await connectPeople(request.server.deps, user, personId, form, search.data?.q, request.id), NO_PERSON);
  if (result.kind === 'connected') return seeOther(reply, `${paths(personId).connections}?connected=1`);
  // Without the search it came from there is nobody to choose: start again from the search.
  const errors =
    result.page.search === undefined ? { q: 'Search for the person they would like to be connected with' } : (result.errors ?? (form.ok ? undefined : form.errors));
  return showConnectionForm(request, reply, result.page, formValues(request.body), errors ?? {});
}

function showEndForm(request: FastifyRequest, reply: FastifyReply, page: ConnectionEndPage, values: FormValues, errors: FormErrors | undefined) {
  return render(
    request,
    reply,
    `${VIEWS}/connection-end.njk`,
    { ...page, values, errors, paths: paths(page.person.id) },
    errors === undefined ? 200 : 400,
  );
}

export async function showConnectionEnd(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const asked = connectionQuerySchema.safeParse(request.query);
  const connectionId = asked.success ? asked.data.connection : undefined;
  const page = found(await getConnectionEndPage(request.server.deps, user, personIdOf(request), connectionId, request.id), NO_CONNECTION);
  if (page.kind === 'choose') return showConnectionsPage(request, reply, page);
  if (page.connection.endedOn !== null) return seeOther(reply, paths(page.person.id).connections);
  return showEndForm(request, reply, page, { connectionId: page.connection.id, ...dateValues('endedOn', today(request)) }, undefined);
}

export async function endConnectionHandler(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const ref = connectionRefSchema.safeParse(formValues(request.body));
  const form = parseForm(connectionEndSchema(today(request)), request.body);
  const result = found(
    await endPersonConnection(request.server.deps, user, personId, ref.data?.connectionId, form, request.id),
    NO_CONNECTION,
  );
  switch (result.kind) {
    case 'ended':
      return seeOther(reply, `${paths(personId).connections}?ended=1`);
    case 'choose':
      return showConnectionsPage(request, reply, result, { connectionId: 'Select the connection to end' });
    case 'invalid':
      return showEndForm(request, reply, result.page, formValues(request.body), result.errors ?? (form.ok ? {} : form.errors));
  }
}
