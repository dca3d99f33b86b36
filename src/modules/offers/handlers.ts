import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { signedInUser, HttpError, seeOther } from '../../core/http/context.ts';
import { dateValues } from '../../core/http/date-fields.ts';
import { type FormErrors, formValues, type FormValues, parseForm, ukToday, UNREADABLE_FORM } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import type { PersonInContext } from '../people/access.ts';
import {
  CATEGORY_OPTIONS,
  CATEGORY_TEXT,
  KIND_TEXT,
  STATUS_TEXT,
  askRefSchema,
  itemChangeSchema,
  itemRefSchema,
  listFilterSchema,
  matchDoneSchema,
  matchUndoSchema,
  matchSchema,
  newAssetOfferSchema,
  newPersonItemSchema,
  newSchemeSchema,
  schemeChangeSchema,
  recordIdSchema,
} from './schemas.ts';
import {
  confirmMatch,
  createScheme,
  getAssetOfferChangePage,
  getMatchDonePage,
  getMatchUndoPage,
  getSchemeChangePage,
  changeScheme,
  getMatchPage,
  getNewAssetOfferPage,
  getNewPersonItemPage,
  getPersonItemChangePage,
  getPersonItems,
  getSchemePage,
  listItems,
  listSchemes,
  recordAssetOffer,
  recordMatchDone,
  undoMatch,
  recordPersonItem,
  saveAssetOfferChange,
  savePersonItemChange,
  type Item,
  type ItemChangePage,
  type ItemChoices,
  type MatchDonePage,
  type Scheme,
  type MatchPage,
} from './service.ts';
import { ITEM_KINDS, type ItemKind } from './tables.ts';
import { NO_PERSON, personIdOf } from '../people/paths.ts';

const VIEWS = 'modules/offers/views';
const NO_ITEM = 'There is no such offer or ask in this person’s record.';
const NO_MATCH = 'There is no such match in this person’s record.';
const NO_OFFER = 'There is no such offer from a community asset.';
const NO_SCHEME = 'There is no such scheme.';
/** The words every page of the module uses for categories, kinds and statuses. */
const LABELS = { categoryText: CATEGORY_TEXT, kindText: KIND_TEXT, statusText: STATUS_TEXT, categories: CATEGORY_OPTIONS };

function recordIdOf(request: FastifyRequest, notFound: string): string {
  const parsed = recordIdSchema.safeParse(request.params);
  if (!parsed.success) throw new HttpError(404, notFound);
  return parsed.data.id;
}

/** What the service found; undefined (no such person for this user) or a part that is not theirs: not found. */
function found<T extends object>(result: T | undefined, notTheirs: string): Exclude<T, { kind: 'not-found' }> {
  if (result === undefined) throw new HttpError(404, NO_PERSON);
  if ('kind' in result && result.kind === 'not-found') throw new HttpError(404, notTheirs);
  return result as Exclude<T, { kind: 'not-found' }>;
}

/** An id named in a query or form, if it names a well-formed one: the service decides whether it is this person's. */
function refIn(schema: z.ZodType<Record<string, string>>, source: unknown, key: string): string | undefined {
  const parsed = schema.safeParse(source);
  return parsed.success ? parsed.data[key] : undefined;
}

const today = (request: FastifyRequest) => ukToday(request.server.deps.clock.now());
const offersPath = (personId: string) => `/people/${personId}/offers`;

/** The banner after a change: the address says which kind of change (?recorded=1), nothing personal. */
function noticeOf(request: FastifyRequest, notices: Record<string, string>): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(notices).find((k) => query[k] === '1');
  return key === undefined ? undefined : notices[key];
}

// ---------------------------------------------------------------------------------------------------------------
// A person's offers and asks

const PERSON_NOTICES = {
  recorded: 'Recorded',
  saved: 'Changes saved',
  matched: 'Match confirmed: the offer and the ask are both matched now',
  done: 'Recorded as done',
  undone: 'Match undone: the offer and the ask are both open again',
};

export async function showPersonItems(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const page = found(await getPersonItems(request.server.deps, user, personIdOf(request), request.id), NO_PERSON);
  return render(request, reply, `${VIEWS}/person-items.njk`, { ...page, ...LABELS, notice: noticeOf(request, PERSON_NOTICES) });
}

interface ItemFormView {
  /** Where the form is sent. */
  action: string;
  back: string;
  kind: ItemKind;
  person?: PersonInContext;
  /** An asset's offer: the assets to choose from (new), or the asset it comes from (change). */
  assets?: { id: string; name: string; areaName: string }[];
  item?: Item;
  choices: ItemChoices;
  values: FormValues;
  errors?: FormErrors | undefined;
  conflict?: ReturnType<typeof itemConflict>;
}

function showItemForm(request: FastifyRequest, reply: FastifyReply, view: ItemFormView, statusCode: number) {
  return render(request, reply, `${VIEWS}/item-form.njk`, { ...view, ...LABELS }, statusCode);
}

/** The kind a new item's form is for: from the query (a link) or the form itself; an offer when neither says. */
function kindIn(source: unknown): ItemKind {
  const parsed = z.object({ kind: z.enum(ITEM_KINDS) }).safeParse(source);
  return parsed.success ? parsed.data.kind : 'offer';
}

export async function newPersonItem(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const page = found(await getNewPersonItemPage(request.server.deps, user, personId, request.id), NO_PERSON);
  const kind = kindIn(request.query);
  const values = { formToken: randomUUID(), kind, areaId: page.person.areaId, ...dateValues('availableFrom', today(request)) };
  return showItemForm(request, reply, { action: offersPath(personId), back: offersPath(personId), kind, person: page.person, choices: page.choices, values }, 200);
}

export async function createPersonItem(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const form = parseForm(newPersonItemSchema, request.body);
  const result = found(await recordPersonItem(request.server.deps, user, personId, form, request.id), NO_PERSON);
  if (result.kind === 'recorded') return seeOther(reply, `${offersPath(personId)}?recorded=1#item-${result.itemId}`);
  const view = { action: offersPath(personId), back: offersPath(personId), kind: kindIn(request.body), person: result.page.person, choices: result.page.choices };
  return showItemForm(request, reply, { ...view, values: formValues(request.body), errors: result.errors }, 400);
}

function itemValues(item: Item): FormValues {
  return {
    item: item.id,
    version: String(item.version),
    category: item.category,
    what: item.what ?? '',
    areaId: item.areaId,
    ...dateValues('availableFrom', item.availableFrom),
    ...dateValues('availableUntil', item.availableUntil),
    schemeId: item.schemeId ?? '',
    status: item.status,
  };
}

/** What an offer or ask says, one row per question, in words: for the edit-conflict banner. */
function describeItem(
  content: { category: Item['category']; what: string | null; areaId: string; availableFrom: string; availableUntil: string | null; schemeId: string | null; status: string },
  choices: ItemChoices,
) {
  const nameOf = (list: { id: string; name: string }[], id: string | null, none: string) => list.find((x) => x.id === id)?.name ?? none;
  return [
    { label: 'What kind of thing', text: CATEGORY_TEXT[content.category] },
    { label: 'What exactly', text: content.what ?? '' },
    { label: 'Neighbourhood', text: nameOf(choices.areas, content.areaId, '') },
    { label: 'From', text: formatDate(content.availableFrom) },
    { label: 'Until', text: content.availableUntil === null ? 'No end date' : formatDate(content.availableUntil) },
    { label: 'Scheme', text: nameOf(choices.schemes, content.schemeId, 'None') },
    { label: 'Open or withdrawn', text: content.status === 'withdrawn' ? 'Withdrawn' : 'Open' },
  ];
}

function itemConflict(page: ItemChangePage, yours: Parameters<typeof describeItem>[0]) {
  const theirs = describeItem(page.item, page.choices);
  const mine = describeItem(yours, page.choices);
  return {
    changedBy: page.item.updatedByName,
    changedAt: page.item.updatedAt,
    rows: theirs.map((row, i) => ({ label: row.label, theirs: row.text, yours: mine[i]?.text ?? '' })),
  };
}

export async function showPersonItemChange(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const itemId = refIn(itemRefSchema, request.query, 'item');
  const page = found(await getPersonItemChangePage(request.server.deps, user, personId, itemId, request.id), NO_ITEM);
  if (page.kind !== 'page') return seeOther(reply, offersPath(personId));
  const path = `${offersPath(personId)}/change`;
  const view = { action: path, back: `${offersPath(personId)}#item-${page.item.id}`, kind: page.item.kind, person: page.person, item: page.item, choices: page.choices };
  return showItemForm(request, reply, { ...view, values: itemValues(page.item) }, 200);
}

export async function savePersonItem(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const itemId = refIn(itemRefSchema, values, 'item');
  const form = parseForm(itemChangeSchema, request.body);
  const result = found(await savePersonItemChange(request.server.deps, user, personId, itemId, form, request.id), NO_ITEM);
  switch (result.kind) {
    case 'no-item-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'saved':
      return seeOther(reply, `${offersPath(personId)}?saved=1#item-${itemId ?? ''}`);
    case 'settled':
      return seeOther(reply, `${offersPath(personId)}#item-${itemId ?? ''}`);
    case 'invalid':
    case 'conflict': {
      const { page, person } = result;
      const view = { action: `${offersPath(personId)}/change`, back: `${offersPath(personId)}#item-${page.item.id}`, kind: page.item.kind, person, item: page.item, choices: page.choices };
      if (result.kind === 'invalid') return showItemForm(request, reply, { ...view, values, errors: result.errors }, 400);
      const conflict = itemConflict(page, result.yours);
      // What this person typed, now against the version they have just been shown.
      return showItemForm(request, reply, { ...view, values: { ...values, version: String(page.item.version) }, conflict }, 409);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

function showMatchPage(request: FastifyRequest, reply: FastifyReply, page: MatchPage, values: FormValues, errors: FormErrors | undefined, statusCode: number) {
  return render(request, reply, `${VIEWS}/match.njk`, { ...page, ...LABELS, values, errors }, statusCode);
}

export async function showMatch(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const askId = refIn(askRefSchema, request.query, 'ask');
  const page = found(await getMatchPage(request.server.deps, user, personId, askId, request.id), NO_ITEM);
  if (page.kind === 'choose') return seeOther(reply, offersPath(personId));
  return showMatchPage(request, reply, page, { formToken: randomUUID(), ask: page.ask.id, ...dateValues('matchedOn', today(request)) }, undefined, 200);
}

export async function createMatch(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const form = parseForm(matchSchema(today(request)), request.body);
  const result = found(await confirmMatch(request.server.deps, user, personId, refIn(askRefSchema, values, 'ask'), form, request.id), NO_ITEM);
  switch (result.kind) {
    case 'no-ask-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'matched':
      return seeOther(reply, `${offersPath(personId)}?matched=1#item-${refIn(askRefSchema, values, 'ask') ?? ''}`);
    case 'invalid':
      return showMatchPage(request, reply, result.page, values, result.errors, 400);
  }
}

function showDonePage(request: FastifyRequest, reply: FastifyReply, page: MatchDonePage, values: FormValues, errors: FormErrors | undefined, statusCode: number) {
  return render(request, reply, `${VIEWS}/match-done.njk`, { ...page, ...LABELS, values, errors }, statusCode);
}

const matchRefSchema = z.object({ match: z.uuid() });

export async function showMatchDone(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const matchId = refIn(matchRefSchema, request.query, 'match');
  const page = found(await getMatchDonePage(request.server.deps, user, personId, matchId, request.id), NO_MATCH);
  if (page.kind === 'choose') return seeOther(reply, offersPath(personId));
  return showDonePage(request, reply, page, { match: page.match.id, ...dateValues('doneOn', today(request)) }, undefined, 200);
}

export async function saveMatchDone(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const form = parseForm(matchDoneSchema(today(request)), request.body);
  const matchId = refIn(matchRefSchema, values, 'match');
  const result = found(await recordMatchDone(request.server.deps, user, personId, matchId, form, request.id), NO_MATCH);
  switch (result.kind) {
    case 'no-match-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'done':
      return seeOther(reply, `${offersPath(personId)}?done=1`);
    case 'invalid':
      return showDonePage(request, reply, result.page, values, result.errors, 400);
  }
}

function showUndoPage(request: FastifyRequest, reply: FastifyReply, page: MatchDonePage, values: FormValues, errors: FormErrors | undefined, statusCode: number) {
  return render(request, reply, `${VIEWS}/match-undo.njk`, { ...page, ...LABELS, values, errors }, statusCode);
}

export async function showMatchUndo(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const matchId = refIn(matchRefSchema, request.query, 'match');
  const page = found(await getMatchUndoPage(request.server.deps, user, personId, matchId, request.id), NO_MATCH);
  if (page.kind === 'choose') return seeOther(reply, offersPath(personId));
  return showUndoPage(request, reply, page, { match: page.match.id }, undefined, 200);
}

export async function saveMatchUndo(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const personId = personIdOf(request);
  const values = formValues(request.body);
  const form = parseForm(matchUndoSchema, request.body);
  const matchId = refIn(matchRefSchema, values, 'match');
  const result = found(await undoMatch(request.server.deps, user, personId, matchId, form, request.id), NO_MATCH);
  switch (result.kind) {
    case 'no-match-given':
      throw new HttpError(400, UNREADABLE_FORM);
    case 'undone':
      return seeOther(reply, `${offersPath(personId)}?undone=1`);
    case 'invalid':
      return showUndoPage(request, reply, result.page, values, result.errors, 400);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Offers from community assets

const ASSET_OFFERS = '/community/offers';

export async function newAssetOffer(request: FastifyRequest, reply: FastifyReply) {
  const page = await getNewAssetOfferPage(request.server.deps, signedInUser(request));
  const values = { formToken: randomUUID(), ...dateValues('availableFrom', today(request)) };
  return showItemForm(request, reply, { action: ASSET_OFFERS, back: ASSET_OFFERS, kind: 'offer', assets: page.assets, choices: page.choices, values }, 200);
}

export async function createAssetOffer(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(newAssetOfferSchema, request.body);
  const result = await recordAssetOffer(request.server.deps, signedInUser(request), form, request.id);
  if (result.kind === 'recorded') return seeOther(reply, `${ASSET_OFFERS}?recorded=1`);
  const view = { action: ASSET_OFFERS, back: ASSET_OFFERS, kind: 'offer' as const, assets: result.page.assets, choices: result.page.choices };
  return showItemForm(request, reply, { ...view, values: formValues(request.body), errors: result.errors }, 400);
}

export async function showAssetOfferChange(request: FastifyRequest, reply: FastifyReply) {
  const itemId = recordIdOf(request, NO_OFFER);
  const page = await getAssetOfferChangePage(request.server.deps, signedInUser(request), itemId);
  if (page === undefined) throw new HttpError(404, NO_OFFER);
  if (page.item.status !== 'open' && page.item.status !== 'withdrawn') return seeOther(reply, ASSET_OFFERS);
  const view = { action: `${ASSET_OFFERS}/${itemId}/change`, back: ASSET_OFFERS, kind: 'offer' as const, item: page.item, choices: page.choices };
  return showItemForm(request, reply, { ...view, values: itemValues(page.item) }, 200);
}

export async function saveAssetOffer(request: FastifyRequest, reply: FastifyReply) {
  const itemId = recordIdOf(request, NO_OFFER);
  const values = formValues(request.body);
  const form = parseForm(itemChangeSchema, request.body);
  const result = await saveAssetOfferChange(request.server.deps, signedInUser(request), itemId, form, request.id);
  switch (result.kind) {
    case 'not-found':
      throw new HttpError(404, NO_OFFER);
    case 'saved':
      return seeOther(reply, `${ASSET_OFFERS}?saved=1`);
    case 'settled':
      return seeOther(reply, ASSET_OFFERS);
    case 'invalid':
    case 'conflict': {
      const { page } = result;
      const view = { action: `${ASSET_OFFERS}/${itemId}/change`, back: ASSET_OFFERS, kind: 'offer' as const, item: page.item, choices: page.choices };
      if (result.kind === 'invalid') return showItemForm(request, reply, { ...view, values, errors: result.errors }, 400);
      return showItemForm(request, reply, { ...view, values: { ...values, version: String(page.item.version) }, conflict: itemConflict(page, result.yours) }, 409);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The programme-wide lists

const LIST_NOTICES = { recorded: 'Offer recorded', saved: 'Changes saved' };

function listHandler(kind: ItemKind) {
  return async function showList(request: FastifyRequest, reply: FastifyReply) {
    const form = parseForm(listFilterSchema, request.query);
    const page = await listItems(request.server.deps, signedInUser(request), kind, form, request.id);
    const values = { status: 'open', ...formValues(request.query) };
    const view = { ...page, ...LABELS, kind, values, notice: noticeOf(request, LIST_NOTICES) };
    return render(request, reply, `${VIEWS}/items-list.njk`, view, page.errors === undefined ? 200 : 400);
  };
}

export const showOffers = listHandler('offer');
export const showAsks = listHandler('ask');

// ---------------------------------------------------------------------------------------------------------------
// Schemes

export async function showSchemes(request: FastifyRequest, reply: FastifyReply) {
  const schemes = await listSchemes(request.server.deps, signedInUser(request), request.id);
  return render(request, reply, `${VIEWS}/schemes.njk`, { schemes, ...LABELS });
}

export async function newScheme(request: FastifyRequest, reply: FastifyReply) {
  return render(request, reply, `${VIEWS}/scheme-new.njk`, { values: { formToken: randomUUID() }, ...LABELS });
}

export async function createSchemeHandler(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(newSchemeSchema, request.body);
  const result = await createScheme(request.server.deps, signedInUser(request), form, request.id);
  if (result.kind === 'created') return seeOther(reply, `/community/schemes/${result.schemeId}?created=1`);
  return render(request, reply, `${VIEWS}/scheme-new.njk`, { values: formValues(request.body), errors: result.errors, ...LABELS }, 400);
}

export async function showScheme(request: FastifyRequest, reply: FastifyReply) {
  const schemeId = recordIdOf(request, NO_SCHEME);
  const page = await getSchemePage(request.server.deps, signedInUser(request), schemeId, request.id);
  if (page === undefined) throw new HttpError(404, NO_SCHEME);
  return render(request, reply, `${VIEWS}/scheme.njk`, { ...page, ...LABELS, notice: noticeOf(request, { created: 'Scheme started', saved: 'Changes saved' }) });
}

interface SchemeFormView {
  scheme: Scheme;
  values: FormValues;
  errors?: FormErrors | undefined;
  conflict?: { changedBy: string | null; changedAt: Date | null; rows: { label: string; theirs: string; yours: string }[] };
}

function showSchemeForm(request: FastifyRequest, reply: FastifyReply, view: SchemeFormView, statusCode: number) {
  return render(request, reply, `${VIEWS}/scheme-change.njk`, { ...view, ...LABELS }, statusCode);
}

const schemeValues = (scheme: Scheme): FormValues => ({ version: String(scheme.version), name: scheme.name, description: scheme.description ?? '' });

export async function showSchemeChange(request: FastifyRequest, reply: FastifyReply) {
  const scheme = await getSchemeChangePage(request.server.deps, signedInUser(request), recordIdOf(request, NO_SCHEME), request.id);
  if (scheme === undefined) throw new HttpError(404, NO_SCHEME);
  return showSchemeForm(request, reply, { scheme, values: schemeValues(scheme) }, 200);
}

export async function saveSchemeChange(request: FastifyRequest, reply: FastifyReply) {
  const schemeId = recordIdOf(request, NO_SCHEME);
  const values = formValues(request.body);
  const result = await changeScheme(request.server.deps, signedInUser(request), schemeId, parseForm(schemeChangeSchema, request.body), request.id);
  if (result === undefined) throw new HttpError(404, NO_SCHEME);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `/community/schemes/${schemeId}?saved=1`);
    case 'invalid':
      return showSchemeForm(request, reply, { scheme: result.scheme, values, errors: result.errors }, 400);
    case 'conflict': {
      const { scheme } = result;
      const typed = (key: string) => {
        const value = values[key];
        return typeof value === 'string' ? value.trim() : '';
      };
      const rows = [
        { label: 'Name', theirs: scheme.name, yours: typed('name') },
        { label: 'What the scheme does', theirs: scheme.description ?? '', yours: typed('description') },
      ];
      // What this person typed, now against the version they have just been shown.
      const conflict = { changedBy: scheme.updatedByName, changedAt: scheme.updatedAt, rows };
      return showSchemeForm(request, reply, { scheme, values: { ...values, version: String(scheme.version) }, conflict }, 409);
    }
  }
}
