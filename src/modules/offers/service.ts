import { audited, CHANGED_MEANWHILE, formProblems, type WorkNote } from '../../core/audit/audited.ts';
import { record } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import { can, type CurrentUser, type ProgrammeRecord } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import { distanceKm, distanceText, type Point } from '../../core/geo.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormErrors, type FormResult } from '../../core/http/forms.ts';
import { areasFor } from '../admin/service.ts';
import { lockPerson } from '../people/queries.ts';
import { withPerson, type PersonInContext } from '../people/access.ts';
import {
  insertItem,
  insertMatch,
  insertScheme,
  lockScheme,
  markMatchDone,
  markMatchUndone,
  selectItemIdByFormToken,
  selectItems,
  selectMatch,
  selectMatchIdByFormToken,
  selectMatchesOf,
  selectRunningAssets,
  selectScheme,
  selectSchemeIdByFormToken,
  selectSchemeIdByName,
  selectSchemes,
  setItemsStatus,
  updateItem,
  updateScheme,
  type ItemContent,
  type ItemFilter,
  type ItemRow,
} from './queries.ts';
import {
  CATEGORY_TEXT,
  type ItemChangeInput,
  type ListFilters,
  type MatchDoneInput,
  type MatchInput,
  type MatchUndoInput,
  type NewAssetOfferInput,
  type NewPersonItemInput,
  type NewSchemeInput,
  type SchemeChangeInput,
} from './schemas.ts';
import type { ItemKind, ItemStatus, OfferCategory } from './tables.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

// ---------------------------------------------------------------------------------------------------------------
// Offers and asks as the pages show them: a person's name and words only to those who may read their record.

export interface Owner {
  kind: 'person' | 'asset';
  id: string;
  /** The asset's name, or the person's when the user may read their record; otherwise null. */
  name: string | null;
  /** The person's own neighbourhood, or the asset's. */
  areaId: string | null;
  areaName: string | null;
  /** For someone the user may not see: the coordinator to talk to. */
  coordinatorName: string | null;
  /** Who or what it comes from, in words, as far as this user may be told. */
  label: string;
}

export interface Item {
  id: string;
  kind: ItemKind;
  category: OfferCategory;
  /** What exactly is offered or asked for; null when the user may not read the person's record. */
  what: string | null;
  areaId: string;
  areaName: string;
  availableFrom: string;
  availableUntil: string | null;
  status: ItemStatus;
  schemeId: string | null;
  schemeName: string | null;
  version: number;
  updatedAt: Date;
  updatedByName: string;
  owner: Owner;
  /** May the user read who this comes from (always, for an asset's offer)? */
  visible: boolean;
  /** Where the person lives (their postcode's location) or where the asset is; null when not known. */
  location: Point | null;
}

export interface Match {
  id: string;
  matchedOn: string;
  confirmedAt: Date;
  confirmedByName: string;
  doneOn: string | null;
  doneByName: string | null;
  /** Undone (it fell through, or was a mistake): kept in both sides' history, no longer holding either. */
  undone: { at: Date; byName: string; reason: string } | null;
  ask: Item;
  offer: Item;
}

export interface ItemWithMatch extends Item {
  /** The match in force, if any. */
  match: Match | null;
  /** Matches of this item that were undone, the earliest first. */
  undoneMatches: Match[];
}

function personRecord(user: CurrentUser, areaId: string | null): ProgrammeRecord {
  return areaId === null ? { programmeId: user.programme.id } : { programmeId: user.programme.id, areaId };
}

function toItem(user: CurrentUser, r: ItemRow): Item {
  const visible = r.personId === null || (r.personAreaId !== null && can(user, 'person.read', personRecord(user, r.personAreaId)));
  const owner: Owner =
    r.personId !== null
      ? {
          kind: 'person',
          id: r.personId,
          name: visible ? r.personName : null,
          areaId: r.personAreaId,
          areaName: r.personAreaName,
          coordinatorName: visible ? null : r.personCoordinatorName,
          label: visible
            ? (r.personName ?? '')
            : `Someone walked alongside in ${r.personAreaName ?? 'the programme'}${r.personCoordinatorName === null ? '' : ` (their coordinator: ${r.personCoordinatorName})`}`,
        }
      : {
          kind: 'asset',
          id: r.assetId ?? '',
          name: r.assetName,
          areaId: null,
          areaName: r.assetAreaName,
          coordinatorName: null,
          label: `${r.assetName ?? ''} (community asset)`,
        };
  return {
    id: r.id,
    kind: r.kind,
    category: r.category,
    what: visible ? r.what : null,
    areaId: r.areaId,
    areaName: r.areaName,
    availableFrom: r.availableFrom,
    availableUntil: r.availableUntil,
    status: r.status,
    schemeId: r.schemeId,
    schemeName: r.schemeName,
    version: r.version,
    updatedAt: r.updatedAt,
    updatedByName: r.updatedByName,
    owner,
    visible,
    location: r.latitude === null || r.longitude === null ? null : { latitude: Number(r.latitude), longitude: Number(r.longitude) },
  };
}

async function readItems(tx: Tx, user: CurrentUser, filter: ItemFilter): Promise<Item[]> {
  return (await selectItems(tx, user.programme.id, filter)).map((r) => toItem(user, r));
}

/** The items with the match each is part of, and the other side of it (read as this user may see it). */
async function withMatches(tx: Tx, user: CurrentUser, items: Item[]): Promise<ItemWithMatch[]> {
  const matches = await selectMatchesOf(
    tx,
    user.programme.id,
    items.map((i) => i.id),
  );
  const known = new Map(items.map((i) => [i.id, i]));
  const others = [...new Set(matches.flatMap((m) => [m.askId, m.offerId]))].filter((id) => !known.has(id));
  for (const other of await readItems(tx, user, { ids: others })) known.set(other.id, other);
  const byItem = new Map<string, Match>();
  const undone = new Map<string, Match[]>();
  const keep = (itemId: string, match: Match) => {
    if (match.undone === null) byItem.set(itemId, match);
    else undone.set(itemId, [...(undone.get(itemId) ?? []), match]);
  };
  for (const m of matches) {
    const ask = known.get(m.askId);
    const offer = known.get(m.offerId);
    if (ask === undefined || offer === undefined) continue;
    const match: Match = {
      id: m.id,
      matchedOn: m.matchedOn,
      confirmedAt: m.confirmedAt,
      confirmedByName: m.confirmedByName,
      doneOn: m.doneOn,
      doneByName: m.doneByName,
      undone: m.undoneAt === null ? null : { at: m.undoneAt, byName: m.undoneByName ?? '', reason: m.undoneReason ?? '' },
      ask,
      offer,
    };
    keep(m.askId, match);
    keep(m.offerId, match);
  }
  return items.map((i) => ({ ...i, match: byItem.get(i.id) ?? null, undoneMatches: undone.get(i.id) ?? [] }));
}

/** Changes touching two people queue behind each other in one order (by id), so two of them never deadlock. */
async function lockPeople(tx: Tx, programmeId: string, personIds: readonly (string | null)[]): Promise<void> {
  const ids = [...new Set(personIds.filter((id): id is string => id !== null))].sort();
  for (const id of ids) await lockPerson(tx, programmeId, id);
}

/** Another person's record touched by the change: its own audit row, in the same transaction. */
async function auditOtherPerson(tx: Tx, deps: Deps, user: CurrentUser, requestId: string, action: string, personId: string, detail: Record<string, unknown>) {
  await record(tx, actorFor(deps, user, requestId), { action, recordType: 'person', recordId: personId, detail });
}

// ---------------------------------------------------------------------------------------------------------------
// The choices an offer or ask form offers, and the checks that what was chosen is one of them.

export interface SchemeChoice {
  id: string;
  name: string;
  category: OfferCategory;
}

export interface ItemChoices {
  areas: { id: string; name: string }[];
  schemes: SchemeChoice[];
}

async function schemeChoices(tx: Tx, user: CurrentUser): Promise<SchemeChoice[]> {
  return (await selectSchemes(tx, user.programme.id)).map((s) => ({ id: s.id, name: s.name, category: s.category }));
}

/** Neighbourhoods come first, outside any transaction: PGlite has one connection, which a transaction holds. */
async function areaChoices(deps: Deps, user: CurrentUser) {
  return (await areasFor(deps, user)).map((a) => ({ id: a.id, name: a.name }));
}

function choiceErrors(content: ItemContent, choices: ItemChoices): FormErrors {
  const errors: FormErrors = {};
  if (!choices.areas.some((a) => a.id === content.areaId)) errors.areaId = 'Select the neighbourhood';
  if (content.schemeId !== null) {
    const scheme = choices.schemes.find((s) => s.id === content.schemeId);
    if (scheme === undefined) errors.schemeId = 'Select a scheme from the list';
    else if (scheme.category !== content.category) {
      errors.schemeId = `${scheme.name} is for ${CATEGORY_TEXT[scheme.category].toLowerCase()}: choose that kind of thing, or no scheme`;
    }
  }
  return errors;
}

function contentOf(input: ItemContent): ItemContent {
  return {
    category: input.category,
    what: input.what,
    areaId: input.areaId,
    availableFrom: input.availableFrom,
    availableUntil: input.availableUntil,
    schemeId: input.schemeId,
  };
}

const NOT_FOUND = { kind: 'not-found' } as const;
type NotFound = typeof NOT_FOUND;

function refuseItem(note: WorkNote, itemId: string): void {
  note.denied({ reason: 'not an offer or ask of this person’s', itemId });
}

// ---------------------------------------------------------------------------------------------------------------
// A person's offers and asks: part of their record.

export interface PersonItemsPage {
  person: PersonInContext;
  offers: ItemWithMatch[];
  asks: ItemWithMatch[];
}

export async function getPersonItems(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<PersonItemsPage | undefined> {
  return withPerson(deps, user, personId, { action: 'offers.read', permission: 'person.read' }, requestId, async (tx, person, note) => {
    const items = await withMatches(tx, user, await readItems(tx, user, { personId }));
    const page = { person, offers: items.filter((i) => i.kind === 'offer'), asks: items.filter((i) => i.kind === 'ask') };
    note.add({ offers: page.offers.length, asks: page.asks.length });
    return page;
  });
}

export interface PersonItemFormPage {
  person: PersonInContext;
  choices: ItemChoices;
}

/** The form for a new offer or ask of the person. */
export async function getNewPersonItemPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<PersonItemFormPage | undefined> {
  const areas = await areaChoices(deps, user);
  return withPerson(deps, user, personId, { action: 'offer.read', permission: 'person.update' }, requestId, async (tx, person) => ({
    person,
    choices: { areas, schemes: await schemeChoices(tx, user) },
  }));
}

export type RecordItemResult<Page> = { kind: 'recorded'; itemId: string } | { kind: 'invalid'; page: Page; errors: FormErrors };

/** Records a person's offer or ask. The form's one-time token makes a double submission record it once. */
export async function recordPersonItem(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<NewPersonItemInput>,
  requestId: string,
): Promise<RecordItemResult<PersonItemFormPage> | undefined> {
  const areas = await areaChoices(deps, user);
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    withPerson(deps, user, personId, { action: 'offer.create', permission: 'person.update' }, requestId, async (tx, person, note): Promise<RecordItemResult<PersonItemFormPage>> => {
      const page = { person, choices: { areas, schemes: await schemeChoices(tx, user) } };
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page, errors: form.errors };
      }
      const input = form.data;
      const existing = await selectItemIdByFormToken(tx, programmeId, input.formToken);
      if (existing !== undefined) return { kind: 'recorded', itemId: existing };
      const errors = choiceErrors(input, page.choices);
      if (Object.keys(errors).length > 0) {
        note.failed({ reason: 'form had problems', fields: Object.keys(errors) });
        return { kind: 'invalid', page, errors };
      }
      const itemId = await insertItem(tx, {
        programmeId,
        kind: input.kind,
        personId: person.id,
        assetId: null,
        content: contentOf(input),
        formToken: input.formToken,
        by: user.id,
        at: deps.clock.now(),
      });
      note.add({ itemId, kind: input.kind });
      return { kind: 'recorded', itemId };
    }),
  );
}

export interface ItemChangePage {
  item: Item;
  choices: ItemChoices;
}

export type ItemChangeResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: ItemChangePage; errors: FormErrors }
  /** Matched or done: what was agreed stays as it was. */
  | { kind: 'settled' }
  /** Someone saved first: nothing saved; `page.item` is theirs, `yours` what this form would have saved. */
  | { kind: 'conflict'; page: ItemChangePage; yours: ItemChangeInput };

const changeable = (item: Item) => item.status === 'open' || item.status === 'withdrawn';

/** A change to an offer or ask, whoever it comes from: the checks and the save are the same. */
async function changeItem(
  deps: Deps,
  tx: Tx,
  user: CurrentUser,
  page: ItemChangePage,
  form: FormResult<ItemChangeInput>,
  note: WorkNote,
): Promise<ItemChangeResult> {
  if (!changeable(page.item)) {
    note.failed({ reason: 'matched or done: no longer changed', itemId: page.item.id });
    return { kind: 'settled' };
  }
  if (!form.ok) {
    note.failed(formProblems(form));
    return { kind: 'invalid', page, errors: form.errors };
  }
  const input = form.data;
  const conflict = (): ItemChangeResult => {
    note.failed(CHANGED_MEANWHILE);
    return { kind: 'conflict', page, yours: input };
  };
  if (input.version !== page.item.version) return conflict();
  const errors = choiceErrors(input, page.choices);
  if (Object.keys(errors).length > 0) {
    note.failed({ reason: 'form had problems', fields: Object.keys(errors) });
    return { kind: 'invalid', page, errors };
  }
  const saved = await updateItem(tx, {
    programmeId: user.programme.id,
    itemId: page.item.id,
    expectedVersion: input.version,
    content: contentOf(input),
    status: input.status,
    by: user.id,
    at: deps.clock.now(),
  });
  if (!saved) return conflict();
  note.add({ itemId: page.item.id, version: input.version + 1, status: input.status });
  return { kind: 'saved' };
}

/** One of this person's offers or asks; undefined (the refusal noted) when it is not. */
async function ownItem(tx: Tx, user: CurrentUser, person: PersonInContext, itemId: string, note: WorkNote): Promise<Item | undefined> {
  const [item] = await readItems(tx, user, { ids: [itemId], personId: person.id });
  if (item === undefined) refuseItem(note, itemId);
  return item;
}

export type PersonItemChange = ({ kind: 'page' } & ItemChangePage & { person: PersonInContext }) | { kind: 'choose' } | { kind: 'settled' } | NotFound;

/** The form to change one of the person's offers or asks; none named: their list; matched or done: their list too. */
export async function getPersonItemChangePage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  itemId: string | undefined,
  requestId: string,
): Promise<PersonItemChange | undefined> {
  const areas = await areaChoices(deps, user);
  return withPerson(deps, user, personId, { action: 'offer.read', permission: 'person.update' }, requestId, async (tx, person, note): Promise<PersonItemChange> => {
    if (itemId === undefined) return { kind: 'choose' };
    const item = await ownItem(tx, user, person, itemId, note);
    if (item === undefined) return NOT_FOUND;
    if (!changeable(item)) return { kind: 'settled' };
    return { kind: 'page', person, item, choices: { areas, schemes: await schemeChoices(tx, user) } };
  });
}

export async function savePersonItemChange(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  itemId: string | undefined,
  form: FormResult<ItemChangeInput>,
  requestId: string,
): Promise<(ItemChangeResult & { person: PersonInContext }) | { kind: 'no-item-given' } | NotFound | undefined> {
  const areas = await areaChoices(deps, user);
  return withPerson(deps, user, personId, { action: 'offer.update', permission: 'person.update' }, requestId, async (tx, person, note) => {
    if (itemId === undefined) {
      note.failed({ reason: 'no offer or ask given' });
      return { kind: 'no-item-given' as const };
    }
    const item = await ownItem(tx, user, person, itemId, note);
    if (item === undefined) return NOT_FOUND;
    const result = await changeItem(deps, tx, user, { item, choices: { areas, schemes: await schemeChoices(tx, user) } }, form, note);
    return { ...result, person };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Matching an ask with an offer

export interface Suggestion extends Item {
  /** How far the offer is from the person asking, in words; null when either place is not known. */
  distance: string | null;
  km: number | null;
  /** May this user confirm it? Only with people whose records they may change (any asset's offer). */
  mayMatch: boolean;
}

export interface MatchPage {
  person: PersonInContext;
  ask: ItemWithMatch;
  /** Open offers of the same kind, nearest first; null when the ask is no longer open. */
  suggestions: Suggestion[] | null;
}

/**
 * Open offers of the ask's category, still available today, that are not the person's own: nearest first by where
 * the person and the offer are; those with no known place after the located ones (the ask's own neighbourhood
 * first, then the longest offered).
 */
async function suggestionsFor(tx: Tx, user: CurrentUser, ask: Item, today: string): Promise<Suggestion[]> {
  const offers = await readItems(tx, user, { kind: 'offer', category: ask.category, status: 'open' });
  const from = ask.location;
  const suggestions = offers
    .filter((o) => !(o.owner.kind === 'person' && o.owner.id === ask.owner.id))
    .filter((o) => o.availableUntil === null || o.availableUntil >= today)
    .map((o): Suggestion => {
      const km = from === null || o.location === null ? null : distanceKm(from, o.location);
      return {
        ...o,
        km,
        distance: km === null ? null : distanceText(km),
        mayMatch: o.owner.kind === 'asset' || can(user, 'person.update', personRecord(user, o.owner.areaId)),
      };
    });
  const rank = (s: Suggestion): [number, number] => (s.km === null ? [1, s.areaId === ask.areaId ? 0 : 1] : [0, s.km]);
  // A stable sort: among equals, the order the query gave (the longest offered first).
  return suggestions.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1];
  });
}

async function matchPage(tx: Tx, user: CurrentUser, person: PersonInContext, ask: Item, today: string): Promise<MatchPage> {
  const [withMatch] = await withMatches(tx, user, [ask]);
  const current = withMatch ?? { ...ask, match: null, undoneMatches: [] };
  return { person, ask: current, suggestions: current.status === 'open' ? await suggestionsFor(tx, user, current, today) : null };
}

/** One of the person's asks (not an offer); undefined (the refusal noted) when it is not. */
async function ownAsk(tx: Tx, user: CurrentUser, person: PersonInContext, askId: string, note: WorkNote): Promise<Item | undefined> {
  const item = await ownItem(tx, user, person, askId, note);
  if (item === undefined || item.kind === 'ask') return item;
  refuseItem(note, askId);
  return undefined;
}

export type MatchPageResult = ({ kind: 'page' } & MatchPage) | { kind: 'choose' } | NotFound;

/** Suggestions for one of the person's asks; audited with how many were shown. */
export async function getMatchPage(deps: Deps, user: CurrentUser, personId: string, askId: string | undefined, requestId: string): Promise<MatchPageResult | undefined> {
  return withPerson(deps, user, personId, { action: 'match.read', permission: 'person.read' }, requestId, async (tx, person, note): Promise<MatchPageResult> => {
    if (askId === undefined) return { kind: 'choose' };
    const ask = await ownAsk(tx, user, person, askId, note);
    if (ask === undefined) return NOT_FOUND;
    const page = await matchPage(tx, user, person, ask, ukToday(deps.clock.now()));
    note.add({ askId, suggestions: page.suggestions?.length ?? 0 });
    return { kind: 'page', ...page };
  });
}

export type ConfirmMatchResult = { kind: 'matched' } | { kind: 'invalid'; page: MatchPage; errors: FormErrors } | { kind: 'no-ask-given' } | NotFound;

/**
 * A coordinator confirms that an offer meets the person's ask, on the day both agreed: the match is kept with who
 * confirmed it, and both sides become matched. Both people (if the offer is a person's) are locked in one order and
 * both audited. The one-time token makes a second submission land on the first one's match; an offer matched by
 * someone else meanwhile is refused with the suggestions shown again.
 */
export async function confirmMatch(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  askId: string | undefined,
  form: FormResult<MatchInput>,
  requestId: string,
): Promise<ConfirmMatchResult | undefined> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    withPerson(deps, user, personId, { action: 'match.confirm', permission: 'person.read' }, requestId, async (tx, person, note): Promise<ConfirmMatchResult | undefined> => {
      if (!can(user, 'person.update', personRecord(user, person.areaId))) {
        note.denied({ reason: 'may not change this record' });
        return undefined;
      }
      if (askId === undefined) {
        note.failed({ reason: 'no ask given' });
        return { kind: 'no-ask-given' };
      }
      const ask = await ownAsk(tx, user, person, askId, note);
      if (ask === undefined) return NOT_FOUND;
      const today = ukToday(deps.clock.now());
      let page = await matchPage(tx, user, person, ask, today);
      const invalid = (errors: FormErrors): ConfirmMatchResult => {
        note.failed({ reason: 'form had problems', fields: Object.keys(errors) });
        return { kind: 'invalid', page, errors };
      };
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page, errors: form.errors };
      }
      const input = form.data;
      const chosen = page.suggestions?.find((s) => s.id === input.offer);
      if (chosen !== undefined && !chosen.mayMatch) {
        note.denied({ reason: 'not someone this user may match with', offerId: chosen.id });
        return { kind: 'invalid', page, errors: { offer: `Ask ${chosen.owner.coordinatorName ?? 'their coordinator'} or a manager to confirm a match with an offer from ${chosen.owner.areaName ?? 'another neighbourhood'}` } };
      }
      await lockPeople(tx, programmeId, [person.id, chosen?.owner.kind === 'person' ? chosen.owner.id : null]);
      // Held now: a copy of this very form saved meanwhile is this form's match, not a reason to refuse it.
      if ((await selectMatchIdByFormToken(tx, programmeId, input.formToken)) !== undefined) return { kind: 'matched' };
      page = await matchPage(tx, user, person, ask, today);
      if (page.suggestions === null) return invalid({ offer: 'This ask has already been matched' });
      const offer = page.suggestions.find((s) => s.id === input.offer);
      if (offer === undefined) return invalid({ offer: 'Select one of the offers shown: the one chosen is no longer open' });
      const at = deps.clock.now();
      const matchId = await insertMatch(tx, { programmeId, askId: ask.id, offerId: offer.id, matchedOn: input.matchedOn, formToken: input.formToken, by: user.id, at });
      await setItemsStatus(tx, { programmeId, itemIds: [ask.id, offer.id], status: 'matched', by: user.id, at });
      note.add({ matchId, askId: ask.id, offerId: offer.id });
      if (offer.owner.kind === 'person') {
        await auditOtherPerson(tx, deps, user, requestId, 'match.confirm', offer.owner.id, { matchId, askId: ask.id, offerId: offer.id });
      }
      return { kind: 'matched' };
    }),
  );
}

export interface MatchDonePage {
  person: PersonInContext;
  match: Match;
}

/** One match of this person's (as the one asking or the one offering, in force or undone), or a refusal noted as not found. */
async function ownMatch(tx: Tx, user: CurrentUser, person: PersonInContext, matchId: string, note: WorkNote): Promise<Match | NotFound> {
  const row = await selectMatch(tx, user.programme.id, matchId);
  const items = row === undefined ? [] : await withMatches(tx, user, await readItems(tx, user, { ids: [row.askId, row.offerId] }));
  const mine = items.find((i) => i.owner.kind === 'person' && i.owner.id === person.id);
  const match = mine === undefined ? undefined : [mine.match, ...mine.undoneMatches].find((m) => m?.id === matchId);
  if (match === undefined || match === null) {
    note.denied({ reason: 'not a match of this person’s', matchId });
    return NOT_FOUND;
  }
  return match;
}

/** The other person in a match, if the other side is a person's (not an asset's). */
const otherPersonIn = (match: Match, personId: string) => [match.ask.owner, match.offer.owner].find((o) => o.kind === 'person' && o.id !== personId);

const MATCH_UNDONE = 'This match has been undone, so it cannot be recorded as done';

export type MatchDonePageResult = ({ kind: 'page' } & MatchDonePage) | { kind: 'choose' } | NotFound;

/** The form to say a match has happened. */
export async function getMatchDonePage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  matchId: string | undefined,
  requestId: string,
): Promise<MatchDonePageResult | undefined> {
  return withPerson(deps, user, personId, { action: 'match.read', permission: 'person.update' }, requestId, async (tx, person, note): Promise<MatchDonePageResult> => {
    if (matchId === undefined) return { kind: 'choose' };
    const match = await ownMatch(tx, user, person, matchId, note);
    if ('kind' in match) return match;
    // Undone meanwhile: nothing to record; their list says what happened.
    if (match.undone !== null) return { kind: 'choose' };
    note.add({ matchId });
    return { kind: 'page', person, match };
  });
}

/** Who a change to a match is about, read with both people held: the change itself decides and writes. */
interface MatchInHand {
  tx: Tx;
  person: PersonInContext;
  match: Match;
  /** The other person in the match, when the other side is a person's. */
  other: { id: string } | undefined;
  note: WorkNote;
}

/**
 * A change to a confirmed match (it happened; it is undone), made from one person's record. Either person's
 * coordinator may make it. Both people are held before the match is read again, since the other side may have
 * changed it meanwhile; `change` then sees the match as it stands and says what to do.
 */
async function changeMatch<R>(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  matchId: string | undefined,
  action: 'match.done' | 'match.undo',
  requestId: string,
  change: (m: MatchInHand) => Promise<R>,
): Promise<R | { kind: 'no-match-given' } | NotFound | undefined> {
  return withPerson(deps, user, personId, { action, permission: 'person.update' }, requestId, async (tx, person, note) => {
    if (matchId === undefined) {
      note.failed({ reason: 'no match given' });
      return { kind: 'no-match-given' as const };
    }
    const seen = await ownMatch(tx, user, person, matchId, note);
    if ('kind' in seen) return seen;
    const other = otherPersonIn(seen, person.id);
    await lockPeople(tx, user.programme.id, [person.id, other?.id ?? null]);
    const match = await ownMatch(tx, user, person, matchId, note);
    if ('kind' in match) return match;
    note.add({ matchId });
    return change({ tx, person, match, other, note });
  });
}

export type MatchDoneResult = { kind: 'done' } | { kind: 'invalid'; page: MatchDonePage; errors: FormErrors } | { kind: 'no-match-given' } | NotFound;

/** Records that a match happened: both sides become done. Saying it twice (a second click) changes nothing. */
export async function recordMatchDone(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  matchId: string | undefined,
  form: FormResult<MatchDoneInput>,
  requestId: string,
): Promise<MatchDoneResult | undefined> {
  const programmeId = user.programme.id;
  return changeMatch(deps, user, personId, matchId, 'match.done', requestId, async ({ tx, person, match, other, note }): Promise<MatchDoneResult> => {
    if (match.doneOn !== null) return { kind: 'done' };
    const page = { person, match };
    if (match.undone !== null) {
      note.failed({ reason: 'match undone' });
      return { kind: 'invalid', page, errors: { match: MATCH_UNDONE } };
    }
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: form.errors };
    }
    if (form.data.doneOn < match.matchedOn) {
      note.failed({ reason: 'form had problems', fields: ['doneOn'] });
      return { kind: 'invalid', page, errors: { doneOn: 'The date it happened must be on or after the date they were matched' } };
    }
    const at = deps.clock.now();
    await markMatchDone(tx, { programmeId, matchId: match.id, doneOn: form.data.doneOn, by: user.id, at });
    await setItemsStatus(tx, { programmeId, itemIds: [match.ask.id, match.offer.id], status: 'done', by: user.id, at });
    if (other !== undefined) await auditOtherPerson(tx, deps, user, requestId, 'match.done', other.id, { matchId: match.id });
    return { kind: 'done' };
  });
}

export type MatchUndoPageResult = ({ kind: 'page' } & MatchDonePage) | { kind: 'choose' } | NotFound;

/** The form to undo a match still in force; a match done or already undone: their list, which says so. */
export async function getMatchUndoPage(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  matchId: string | undefined,
  requestId: string,
): Promise<MatchUndoPageResult | undefined> {
  return withPerson(deps, user, personId, { action: 'match.read', permission: 'person.update' }, requestId, async (tx, person, note): Promise<MatchUndoPageResult> => {
    if (matchId === undefined) return { kind: 'choose' };
    const match = await ownMatch(tx, user, person, matchId, note);
    if ('kind' in match) return match;
    note.add({ matchId });
    if (match.undone !== null || match.doneOn !== null) return { kind: 'choose' };
    return { kind: 'page', person, match };
  });
}

export type UndoMatchResult = { kind: 'undone' } | { kind: 'invalid'; page: MatchDonePage; errors: FormErrors } | { kind: 'no-match-given' } | NotFound;

/**
 * Undoes a confirmed match that has not happened (it fell through, or the wrong offer was chosen): the match is kept,
 * marked undone with who, when and why, and the ask and the offer are both open again. The other person's record
 * gets its own audit row. Undoing it twice is once.
 */
export async function undoMatch(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  matchId: string | undefined,
  form: FormResult<MatchUndoInput>,
  requestId: string,
): Promise<UndoMatchResult | undefined> {
  const programmeId = user.programme.id;
  return changeMatch(deps, user, personId, matchId, 'match.undo', requestId, async ({ tx, person, match, other, note }): Promise<UndoMatchResult> => {
    if (match.undone !== null) return { kind: 'undone' };
    const page = { person, match };
    if (match.doneOn !== null) {
      note.failed({ reason: 'match done' });
      return { kind: 'invalid', page, errors: { reason: 'This match has happened and is recorded as done, so it cannot be undone' } };
    }
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: form.errors };
    }
    const at = deps.clock.now();
    await markMatchUndone(tx, { programmeId, matchId: match.id, reason: form.data.reason, by: user.id, at });
    await setItemsStatus(tx, { programmeId, itemIds: [match.ask.id, match.offer.id], status: 'open', by: user.id, at });
    note.add({ askId: match.ask.id, offerId: match.offer.id });
    if (other !== undefined) await auditOtherPerson(tx, deps, user, requestId, 'match.undo', other.id, { matchId: match.id, askId: match.ask.id, offerId: match.offer.id });
    return { kind: 'undone' };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Offers from community assets: not anyone's record, so audited as programme records.

export interface AssetChoice {
  id: string;
  name: string;
  areaName: string;
}

export interface AssetOfferFormPage {
  choices: ItemChoices;
  assets: AssetChoice[];
}

/** The programme's community assets still running, by neighbourhood and name: the choices wherever one is linked. */
export async function runningAssets(tx: Tx, programmeId: string): Promise<AssetChoice[]> {
  return selectRunningAssets(tx, programmeId);
}

async function assetOfferChoices(tx: Tx, user: CurrentUser, areas: ItemChoices['areas']): Promise<AssetOfferFormPage> {
  return { choices: { areas, schemes: await schemeChoices(tx, user) }, assets: await runningAssets(tx, user.programme.id) };
}

export async function getNewAssetOfferPage(deps: Deps, user: CurrentUser): Promise<AssetOfferFormPage> {
  const areas = await areaChoices(deps, user);
  return inTransaction(deps.db, scopeOf(user), (tx) => assetOfferChoices(tx, user, areas));
}

/** Records an offer from a community asset still running. The one-time token makes a double submission one offer. */
export async function recordAssetOffer(
  deps: Deps,
  user: CurrentUser,
  form: FormResult<NewAssetOfferInput>,
  requestId: string,
): Promise<RecordItemResult<AssetOfferFormPage>> {
  const areas = await areaChoices(deps, user);
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'asset-offer.create', requestId, async (tx, note): Promise<RecordItemResult<AssetOfferFormPage>> => {
      const page = await assetOfferChoices(tx, user, areas);
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', page, errors: form.errors };
      }
      const input = form.data;
      const existing = await selectItemIdByFormToken(tx, programmeId, input.formToken);
      if (existing !== undefined) return { kind: 'recorded', itemId: existing };
      const errors: FormErrors = page.assets.some((a) => a.id === input.assetId) ? {} : { assetId: 'Select the community asset' };
      Object.assign(errors, choiceErrors(input, page.choices));
      if (Object.keys(errors).length > 0) {
        note.failed({ reason: 'form had problems', fields: Object.keys(errors) });
        return { kind: 'invalid', page, errors };
      }
      const itemId = await insertItem(tx, {
        programmeId,
        kind: 'offer',
        personId: null,
        assetId: input.assetId,
        content: contentOf(input),
        formToken: input.formToken,
        by: user.id,
        at: deps.clock.now(),
      });
      note.add({ itemId, assetId: input.assetId });
      return { kind: 'recorded', itemId };
    }),
  );
}

/** An asset's offer; a person's offer or ask (changed on their record), or none, is not found. */
async function assetOffer(tx: Tx, user: CurrentUser, itemId: string): Promise<ItemWithMatch | undefined> {
  const [item] = await withMatches(tx, user, await readItems(tx, user, { ids: [itemId], kind: 'offer' }));
  return item?.owner.kind === 'asset' ? item : undefined;
}

export async function getAssetOfferChangePage(deps: Deps, user: CurrentUser, itemId: string): Promise<(ItemChangePage & { item: ItemWithMatch }) | undefined> {
  const areas = await areaChoices(deps, user);
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const item = await assetOffer(tx, user, itemId);
    return item === undefined ? undefined : { item, choices: { areas, schemes: await schemeChoices(tx, user) } };
  });
}

export async function saveAssetOfferChange(
  deps: Deps,
  user: CurrentUser,
  itemId: string,
  form: FormResult<ItemChangeInput>,
  requestId: string,
): Promise<ItemChangeResult | NotFound> {
  const areas = await areaChoices(deps, user);
  return audited(deps, user, 'asset-offer.update', requestId, async (tx, note): Promise<ItemChangeResult | NotFound> => {
    const item = await assetOffer(tx, user, itemId);
    if (item === undefined) {
      note.denied({ reason: 'not an asset’s offer', itemId });
      return NOT_FOUND;
    }
    return changeItem(deps, tx, user, { item, choices: { areas, schemes: await schemeChoices(tx, user) } }, form, note);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The programme-wide lists: a coordinator's neighbourhoods' people and every asset; a manager's whole programme.

export interface ItemListPage {
  areas: { id: string; name: string }[];
  /** Null when the filters could not be used: then `errors` says why, and nothing was read. */
  items: Item[] | null;
  errors: FormErrors | undefined;
}

/** Offers or asks across the programme, narrowed by the filters; audited once, with the count and the filters. */
export async function listItems(deps: Deps, user: CurrentUser, kind: ItemKind, form: FormResult<ListFilters>, requestId: string): Promise<ItemListPage> {
  const areas = await areaChoices(deps, user);
  return audited(deps, user, `${kind}s.list`, requestId, async (tx, note): Promise<ItemListPage> => {
    const errors: FormErrors = form.ok ? {} : { ...form.errors };
    if (form.ok && form.data.area !== undefined && !areas.some((a) => a.id === form.data.area)) errors.area = 'Select a neighbourhood from the list';
    if (!form.ok || Object.keys(errors).length > 0) {
      note.failed({ reason: 'form had problems', fields: Object.keys(errors) });
      return { areas, items: null, errors };
    }
    const { category, area, status } = form.data;
    const items = await readItems(tx, user, {
      kind,
      ownerAreaIds: user.role === 'manager' ? null : user.areaIds,
      ...(category === undefined ? {} : { category }),
      ...(area === undefined ? {} : { areaId: area }),
      ...(status === 'all' ? {} : { status }),
    });
    note.add({ items: items.length, status, ...(category === undefined ? {} : { category }), ...(area === undefined ? {} : { areaId: area }) });
    return { areas, items, errors: undefined };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Schemes that pair many

export interface SchemeSummary {
  id: string;
  name: string;
  category: OfferCategory;
  description: string | null;
  offers: number;
  asks: number;
  pairs: number;
}

export async function listSchemes(deps: Deps, user: CurrentUser, requestId: string): Promise<SchemeSummary[]> {
  return audited(deps, user, 'schemes.list', requestId, async (tx, note) => {
    const schemes = (await selectSchemes(tx, user.programme.id)).map((s) => ({
      id: s.id,
      name: s.name,
      category: s.category,
      description: s.description,
      offers: Number(s.offers ?? 0),
      asks: Number(s.asks ?? 0),
      pairs: Number(s.pairs ?? 0),
    }));
    note.add({ schemes: schemes.length });
    return schemes;
  });
}

export type CreateSchemeResult = { kind: 'created'; schemeId: string } | { kind: 'invalid'; errors: FormErrors };

/** A new scheme; its name is its own in the programme. The one-time token makes a double submission one scheme. */
export async function createScheme(deps: Deps, user: CurrentUser, form: FormResult<NewSchemeInput>, requestId: string): Promise<CreateSchemeResult> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'scheme.create', requestId, async (tx, note): Promise<CreateSchemeResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', errors: form.errors };
      }
      const input = form.data;
      const existing = await selectSchemeIdByFormToken(tx, programmeId, input.formToken);
      if (existing !== undefined) return { kind: 'created', schemeId: existing };
      if ((await selectSchemeIdByName(tx, programmeId, input.name)) !== undefined) {
        note.failed({ reason: 'form had problems', fields: ['name'] });
        return { kind: 'invalid', errors: { name: `There is already a scheme called ${input.name}` } };
      }
      const schemeId = await insertScheme(tx, { programmeId, ...input, by: user.id, at: deps.clock.now() });
      note.add({ schemeId });
      return { kind: 'created', schemeId };
    }),
  );
}

export interface Scheme {
  id: string;
  name: string;
  category: OfferCategory;
  description: string | null;
  version: number;
  createdAt: Date;
  createdByName: string;
  /** Null until someone first changes it. */
  updatedAt: Date | null;
  updatedByName: string | null;
}

export interface SchemePage {
  scheme: Scheme;
  offers: ItemWithMatch[];
  asks: ItemWithMatch[];
  /** Every match of an ask in the scheme, the earliest first. */
  pairs: Match[];
}

/** A scheme with its offers, asks and pairs; audited once, with the counts. */
export async function getSchemePage(deps: Deps, user: CurrentUser, schemeId: string, requestId: string): Promise<SchemePage | undefined> {
  return audited(deps, user, 'scheme.read', requestId, async (tx, note): Promise<SchemePage | undefined> => {
    const scheme = await selectScheme(tx, user.programme.id, schemeId);
    if (scheme === undefined) {
      note.denied({ reason: 'no such scheme', schemeId });
      return undefined;
    }
    const items = await withMatches(tx, user, await readItems(tx, user, { schemeId }));
    const offers = items.filter((i) => i.kind === 'offer');
    const asks = items.filter((i) => i.kind === 'ask');
    const pairs = asks.flatMap((a) => (a.match === null ? [] : [a.match])).sort((a, b) => a.matchedOn.localeCompare(b.matchedOn));
    note.add({ schemeId, offers: offers.length, asks: asks.length, pairs: pairs.length });
    return { scheme, offers, asks, pairs };
  });
}

/** The form to change a scheme's name and description; undefined when there is no such scheme. */
export async function getSchemeChangePage(deps: Deps, user: CurrentUser, schemeId: string, requestId: string): Promise<Scheme | undefined> {
  return audited(deps, user, 'scheme.read', requestId, async (tx, note) => {
    const scheme = await selectScheme(tx, user.programme.id, schemeId);
    if (scheme === undefined) note.denied({ reason: 'no such scheme', schemeId });
    else note.add({ schemeId });
    return scheme;
  });
}

export type ChangeSchemeResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; scheme: Scheme; errors: FormErrors }
  /** Someone saved a change first: nothing saved; `scheme` is how it reads now. */
  | { kind: 'conflict'; scheme: Scheme };

/**
 * A new name or description for a scheme, from the version the form was made from. What kind of thing it pairs is
 * not changed here: its offers and asks are of that kind. A second submission of the same save changes nothing.
 */
export async function changeScheme(
  deps: Deps,
  user: CurrentUser,
  schemeId: string,
  form: FormResult<SchemeChangeInput>,
  requestId: string,
): Promise<ChangeSchemeResult | undefined> {
  const programmeId = user.programme.id;
  return audited(deps, user, 'scheme.update', requestId, async (tx, note): Promise<ChangeSchemeResult | undefined> => {
    await lockScheme(tx, programmeId, schemeId);
    const scheme = await selectScheme(tx, programmeId, schemeId);
    if (scheme === undefined) {
      note.denied({ reason: 'no such scheme', schemeId });
      return undefined;
    }
    note.add({ schemeId });
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', scheme, errors: form.errors };
    }
    const { name, description, version } = form.data;
    if (name === scheme.name && description === scheme.description) return { kind: 'saved' };
    if (version !== scheme.version) {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', scheme };
    }
    const sameName = await selectSchemeIdByName(tx, programmeId, name);
    if (sameName !== undefined && sameName !== scheme.id) {
      note.failed({ reason: 'form had problems', fields: ['name'] });
      return { kind: 'invalid', scheme, errors: { name: `There is already a scheme called ${name}` } };
    }
    const saved = await updateScheme(tx, { programmeId, schemeId: scheme.id, expectedVersion: scheme.version, name, description, by: user.id, at: deps.clock.now() });
    note.add({ version: saved });
    return { kind: 'saved' };
  });
}
