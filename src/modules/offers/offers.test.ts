import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { addAsset, addPostcode } from '../../../test/community-work-fixtures.ts';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import type { OfferCategory } from './tables.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let hollins: Client;
let manager: Client;
let recorder: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  hollins = await signedInClient(t.app, HOLLINS);
  manager = await signedInClient(t.app, MANAGER);
  recorder = await ids.user(MARSH);
  // Fictional places a short walk apart, north of one another: 0.01 degrees of latitude is about 1.1 km.
  await addPostcode(t.db, 'BF1 4QT', 53.5, -2.2);
  await addPostcode(t.db, 'BF1 2AB', 53.505, -2.2);
  await addPostcode(t.db, 'BF2 9ZZ', 53.52, -2.2);
  await addPostcode(t.db, 'BF3 1AA', 53.55, -2.2);
});
after(async () => {
  await t.close();
});

/** Someone walked alongside, living at `postcode` (or nowhere known). */
async function person(name: string, areaId = ids.marshEnd, postcode: string | null = null): Promise<string> {
  const id = await addPerson(t.db, ids.brookfield, areaId, name, recorder);
  const coordinatorId = await ids.user(areaId === ids.hollinsPark ? HOLLINS : MARSH);
  await t.db.updateTable('people').set({ postcode, coordinator_id: coordinatorId }).where('id', '=', id).execute();
  return id;
}

const offersOf = (personId: string) => `/people/${personId}/offers`;

/** A complete, valid offer or ask form; fields can be replaced. */
function itemFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'offer',
    category: 'item',
    what: 'A working gas cooker & a microwave',
    areaId: ids.marshEnd,
    'availableFrom-day': '1',
    'availableFrom-month': '11',
    'availableFrom-year': '2026',
    ...overrides,
  };
}

/** Opens the form as a person would and sends it; the response, and the form's one-time token. */
async function sendItem(client: Client, personId: string, overrides: Record<string, string> = {}) {
  const form = await client.get(`${offersOf(personId)}/new?kind=${overrides.kind ?? 'offer'}`);
  assert.equal(form.statusCode, 200, form.body);
  const formToken = hiddenField(form.body, 'formToken') ?? '';
  return { response: await client.post(offersOf(personId), { formToken, ...itemFields(overrides) }), formToken };
}

async function addItem(client: Client, personId: string, overrides: Record<string, string> = {}): Promise<string> {
  const { response, formToken } = await sendItem(client, personId, overrides);
  assert.equal(response.statusCode, 303, response.body);
  const row = await t.db.selectFrom('offers_and_asks').select('id').where('form_token', '=', formToken).executeTakeFirstOrThrow();
  assert.equal(response.headers.location, `${offersOf(personId)}?recorded=1#item-${row.id}`);
  return row.id;
}

async function itemRow(itemId: string) {
  return t.db
    .selectFrom('offers_and_asks')
    .select(['kind', 'category', 'what', 'status', 'version', 'available_from', 'available_until', 'scheme_id'])
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
}

async function assetOffer(assetId: string, overrides: { category?: OfferCategory; until?: string } = {}): Promise<string> {
  const { id } = await t.db
    .insertInto('offers_and_asks')
    .values({
      programme_id: ids.brookfield,
      kind: 'offer',
      asset_id: assetId,
      category: overrides.category ?? 'item',
      what: 'From the tool library',
      area_id: ids.marshEnd,
      available_from: '2026-10-01',
      available_until: overrides.until ?? null,
      form_token: randomUUID(),
      created_by: recorder,
      created_at: new Date('2026-10-01T10:00:00Z'),
      updated_by: recorder,
      updated_at: new Date('2026-10-01T10:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The offers a match page suggests, in order, by the value of each radio. */
function suggested(html: string): string[] {
  return [...html.matchAll(/name="offer" type="radio" value="([^"]+)"/g)].map((m) => m[1] ?? '');
}

function matchForm(askId: string, offerId: string, formToken: string, overrides: Record<string, string> = {}) {
  return { formToken, ask: askId, offer: offerId, 'matchedOn-day': '2', 'matchedOn-month': '11', 'matchedOn-year': '2026', ...overrides };
}

describe("offers and asks on a person's record", () => {
  test('an offer and an ask are recorded, listed, audited once each, and a double submission records one', async () => {
    const gaz = await person('Gareth Offer');
    const mark = await auditMark(t.db);
    const { response, formToken } = await sendItem(marsh, gaz);
    assert.equal(response.statusCode, 303);
    const again = await marsh.post(offersOf(gaz), { formToken, ...itemFields() });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, response.headers.location);
    const rows = await t.db.selectFrom('offers_and_asks').select(['id', 'kind']).where('person_id', '=', gaz).execute();
    assert.equal(rows.length, 1);
    const offerId = rows[0]?.id ?? '';
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_type, r.record_id, r.detail]),
      [
        ['offer.read', 'allowed', 'person', gaz, {}],
        ['offer.create', 'allowed', 'person', gaz, { itemId: offerId, kind: 'offer' }],
        ['offer.create', 'allowed', 'person', gaz, {}],
      ],
    );
    const askId = await addItem(marsh, gaz, { kind: 'ask', category: 'lift', what: 'A lift to the hospital on Fridays' });
    const page = await marsh.get(offersOf(gaz));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Offer: An item/);
    assert.match(page.body, /A working gas cooker &amp; a microwave/);
    assert.match(page.body, /Ask: A lift/);
    assert.match(page.body, new RegExp(`href="/people/${gaz}/offers/match\\?ask=${askId}"`));
    assert.match(page.body, /aria-current="page">Offers and asks</);
  });

  test('bad input is explained with the input kept, never a 500, and nothing is written', async () => {
    const someone = await person('Bad Input');
    const mark = await auditMark(t.db);
    const cases: [Record<string, string>, string, string][] = [
      [{ category: '' }, 'category', 'Select what kind of thing it is'],
      [{ category: 'spaceship' }, 'category', 'Select what kind of thing it is'],
      [{ what: '   ' }, 'what', 'Enter what exactly it is'],
      [{ what: 'x'.repeat(2001) }, 'what', 'What exactly it is must be 2000 characters or fewer'],
      [{ areaId: '' }, 'areaId', 'Select the neighbourhood'],
      [{ areaId: ids.eastmoorMarshEnd }, 'areaId', 'Select the neighbourhood'],
      [{ 'availableFrom-day': '31', 'availableFrom-month': '2' }, 'availableFrom-day', 'The date it is available from must be a real date, like 27 3 2026'],
      [
        { 'availableUntil-day': '1', 'availableUntil-month': '10', 'availableUntil-year': '2026' },
        'availableUntil-day',
        'The date it is available until must be on or after the date it is available from',
      ],
      [{ schemeId: 'not-an-id' }, 'schemeId', 'Select a scheme from the list'],
      [{ schemeId: randomUUID() }, 'schemeId', 'Select a scheme from the list'],
      [{ formToken: 'x' }, 'category', 'This form has expired. Reload the page and try again'],
    ];
    for (const [overrides, target, message] of cases) {
      const response = await marsh.post(offersOf(someone), { formToken: randomUUID(), ...itemFields(overrides) });
      assert.equal(response.statusCode, 400, JSON.stringify(overrides));
      assert.match(response.body, new RegExp(`<a href="#${target}">${message}</a>`), JSON.stringify(overrides));
    }
    const kept = await marsh.post(offersOf(someone), { formToken: randomUUID(), ...itemFields({ category: '', what: 'A sofa, <b>blue</b>' }) });
    assert.match(kept.body, /A sofa, &lt;b&gt;blue&lt;\/b&gt;<\/textarea>/);
    assert.equal((await t.db.selectFrom('offers_and_asks').select('id').where('person_id', '=', someone).execute()).length, 0);
    const audit = await auditSince(t.db, mark);
    assert.ok(audit.every((r) => r.action === 'offer.create' && r.outcome === 'failed' && r.record_id === someone));
    assert.ok(audit.every((r) => !JSON.stringify(r.detail).includes('sofa')), 'the audit names fields, never what was typed');
  });

  test('a change is saved as a new version; a stale save is refused with both versions shown; withdrawn is kept', async () => {
    const someone = await person('Carol Change');
    const itemId = await addItem(marsh, someone);
    const form = await marsh.get(`${offersOf(someone)}/change?item=${itemId}`);
    assert.equal(form.statusCode, 200);
    assert.equal(hiddenField(form.body, 'version'), '1');
    const change = { item: itemId, version: '1', ...itemFields({ what: 'A gas cooker, collected only' }), status: 'open' };
    const saved = await manager.post(`${offersOf(someone)}/change`, change);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `${offersOf(someone)}?saved=1#item-${itemId}`);
    const mark = await auditMark(t.db);
    const stale = await marsh.post(`${offersOf(someone)}/change`, { ...change, what: 'My own words', status: 'withdrawn' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /A gas cooker, collected only/);
    assert.match(stale.body, /My own words/);
    assert.equal(hiddenField(stale.body, 'version'), '2', 'the form now carries the version just shown');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail.reason]),
      [['offer.update', 'failed', 'changed by someone else first']],
    );
    const withdrawn = await marsh.post(`${offersOf(someone)}/change`, { ...change, version: '2', status: 'withdrawn' });
    assert.equal(withdrawn.statusCode, 303);
    assert.deepEqual(await itemRow(itemId), {
      kind: 'offer',
      category: 'item',
      what: 'A gas cooker, collected only',
      status: 'withdrawn',
      version: 3,
      available_from: '2026-11-01',
      available_until: null,
      scheme_id: null,
    });
  });

  test("someone else's item, another neighbourhood, another programme and the Leadership Group are refused", async () => {
    const mine = await person('Mina Own');
    const other = await person('Otto Other');
    const itemId = await addItem(marsh, mine);
    const mark = await auditMark(t.db);
    const crossed = await marsh.get(`${offersOf(other)}/change?item=${itemId}`);
    assert.equal(crossed.statusCode, 404);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [['offer.read', 'denied', other, { reason: 'not an offer or ask of this person’s', itemId }]],
    );
    const posted = await marsh.post(`${offersOf(other)}/change`, { item: itemId, version: '1', ...itemFields({ what: 'Tampered' }), status: 'open' });
    assert.equal(posted.statusCode, 404);
    assert.equal((await itemRow(itemId)).what, 'A working gas cooker & a microwave');
    for (const client of [hollins, await signedInClient(t.app, 'manager@eastmoor.example')]) {
      for (const path of [offersOf(mine), `${offersOf(mine)}/new`, `${offersOf(mine)}/change?item=${itemId}`]) {
        const response = await client.get(path);
        assert.equal(response.statusCode, 404, path);
        assert.doesNotMatch(response.body, /gas cooker/);
      }
    }
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.get(offersOf(mine))).statusCode, 403);
    assert.equal((await leadership.get('/community/offers')).statusCode, 403);
  });
});

describe('matching an ask with an offer', () => {
  test('open offers of the same kind, nearest first, the unlocated after; names only for those who may read them', async () => {
    const asker = await person('Asha Asker', ids.marshEnd, 'BF1 4QT');
    const near = await person('Nell Near', ids.marshEnd, 'BF1 2AB');
    const far = await person('Fergus Far', ids.hollinsPark, 'BF3 1AA');
    const nowhere = await person('Noor Nowhere', ids.marshEnd);
    const libraryId = await addAsset(t.db, { programmeId: ids.brookfield, areaId: ids.marshEnd, by: recorder, name: 'Tannery tool library', postcode: 'BF2 9ZZ' });
    // Time is offered and asked for only in this test, so the suggestions are these alone.
    const time = { category: 'time' } as const;
    const askId = await addItem(marsh, asker, { ...time, kind: 'ask', what: 'Company on a walk' });
    const nearOffer = await addItem(marsh, near, { ...time, what: 'Walks most mornings' });
    const farOffer = await addItem(manager, far, { ...time, what: 'Fergus walks his dog daily' });
    const nowhereOffer = await addItem(marsh, nowhere, { ...time, what: 'A cup of tea and a chat' });
    const libraryOffer = await assetOffer(libraryId, time);
    // Not suggested: the asker's own offer, another kind, an offer that has ended, one withdrawn, an ask.
    await addItem(marsh, asker, { ...time, what: 'My own time' });
    await addItem(marsh, near, { category: 'van', what: 'A van' });
    await assetOffer(libraryId, { ...time, until: '2026-10-31' });
    const withdrawn = await addItem(marsh, nowhere, { ...time, what: 'Withdrawn time' });
    await t.db.updateTable('offers_and_asks').set({ status: 'withdrawn' }).where('id', '=', withdrawn).execute();
    await addItem(marsh, near, { ...time, kind: 'ask', what: 'Someone else asking for time' });

    const mark = await auditMark(t.db);
    const page = await marsh.get(`${offersOf(asker)}/match?ask=${askId}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.deepEqual(suggested(page.body), [nearOffer, libraryOffer, farOffer, nowhereOffer]);
    assert.match(page.body, /Nell Near/);
    assert.match(page.body, /560 m \(0\.3 miles\) away/);
    assert.match(page.body, /Tannery tool library \(community asset\)/);
    // Hollins Park's person: neither their name nor their words reach a Marsh End coordinator, and only their
    // coordinator or a manager may confirm.
    assert.doesNotMatch(page.body, /Fergus/);
    assert.match(page.body, /Someone walked alongside in Hollins Park \(their coordinator: Tom Hughes\)/);
    assert.match(page.body, new RegExp(`value="${farOffer}" disabled`));
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [['match.read', 'allowed', asker, { askId, suggestions: 4 }]],
    );
    const managerPage = await manager.get(`${offersOf(asker)}/match?ask=${askId}`);
    assert.match(managerPage.body, /Fergus Far/);
    assert.doesNotMatch(managerPage.body, /disabled/);
    // An offer named as an ask is not this person's ask.
    assert.equal((await marsh.get(`${offersOf(near)}/match?ask=${nearOffer}`)).statusCode, 404);
  });

  test('a confirmed match is recorded on both sides, audited for both people, and once however often it is sent', async () => {
    const asker = await person('Bea Match', ids.marshEnd, 'BF1 4QT');
    const giver = await person('Gil Giver', ids.marshEnd, 'BF1 2AB');
    const askId = await addItem(marsh, asker, { kind: 'ask', category: 'furniture', what: 'A dining table' });
    const offerId = await addItem(marsh, giver, { category: 'furniture', what: 'A table for six' });
    const form = await marsh.get(`${offersOf(asker)}/match?ask=${askId}`);
    const formToken = hiddenField(form.body, 'formToken') ?? '';
    const mark = await auditMark(t.db);
    const first = await marsh.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, formToken));
    assert.equal(first.statusCode, 303, first.body);
    assert.equal(first.headers.location, `${offersOf(asker)}?matched=1#item-${askId}`);
    const second = await marsh.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, formToken));
    assert.equal(second.statusCode, 303);
    const matches = await t.db.selectFrom('offer_matches').select(['id', 'offer_id', 'matched_on', 'confirmed_by', 'done_on']).where('ask_id', '=', askId).execute();
    assert.equal(matches.length, 1);
    const matchId = matches[0]?.id ?? '';
    assert.deepEqual(matches, [{ id: matchId, offer_id: offerId, matched_on: '2026-11-02', confirmed_by: recorder, done_on: null }]);
    assert.equal((await itemRow(askId)).status, 'matched');
    assert.equal((await itemRow(offerId)).status, 'matched');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [
        ['match.confirm', 'allowed', giver, { matchId, askId, offerId }],
        ['match.confirm', 'allowed', asker, { matchId, askId, offerId }],
        ['match.confirm', 'allowed', asker, {}],
      ],
    );
    // Shown on both records, with the other side and who confirmed it.
    const askerPage = await marsh.get(offersOf(asker));
    assert.match(askerPage.body, /Offer from <a class="govuk-link" href="\/people\/[^"]+\/offers#item-[^"]+">Gil Giver<\/a>: A table for six/);
    assert.match(askerPage.body, /Matched on 2 November 2026, confirmed by Amara Okafor\./);
    const giverPage = await marsh.get(offersOf(giver));
    assert.match(giverPage.body, /Ask from <a[^>]*>Bea Match<\/a>: A dining table/);
    // Matched: no longer changed, and no longer suggested to anyone else.
    assert.equal((await marsh.get(`${offersOf(giver)}/change?item=${offerId}`)).headers.location, offersOf(giver));
    const other = await person('Ola Other', ids.marshEnd, 'BF1 4QT');
    const otherAsk = await addItem(marsh, other, { kind: 'ask', category: 'furniture', what: 'A table too' });
    const late = await marsh.post(`${offersOf(other)}/match`, matchForm(otherAsk, offerId, randomUUID()));
    assert.equal(late.statusCode, 400);
    assert.match(late.body, /Select one of the offers shown: the one chosen is no longer open/);
    assert.equal((await itemRow(otherAsk)).status, 'open');
  });

  test("a match with someone the coordinator may not see is refused; bad dates are explained", async () => {
    const asker = await person('Cai Cross', ids.marshEnd, 'BF1 4QT');
    const hollinsGiver = await person('Hal Hollins', ids.hollinsPark, 'BF3 1AA');
    const askId = await addItem(marsh, asker, { kind: 'ask', category: 'skill', what: 'Help with forms' });
    const offerId = await addItem(manager, hollinsGiver, { category: 'skill', what: 'Good with forms' });
    const mark = await auditMark(t.db);
    const refused = await marsh.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, randomUUID()));
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Ask Tom Hughes or a manager to confirm a match with an offer from Hollins Park/);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail.reason]),
      [['match.confirm', 'denied', 'not someone this user may match with']],
    );
    for (const [overrides, message] of [
      [{ 'matchedOn-day': '3', 'matchedOn-month': '11' }, 'The date they agreed must be today or in the past'],
      [{ 'matchedOn-day': '' , 'matchedOn-month': '', 'matchedOn-year': '' }, 'Enter the date they agreed'],
      [{ offer: '' }, 'Select the offer to match with'],
    ] as const) {
      const response = await manager.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, randomUUID(), overrides));
      assert.equal(response.statusCode, 400);
      assert.match(response.body, new RegExp(message));
    }
    assert.equal((await t.db.selectFrom('offer_matches').select('id').where('ask_id', '=', askId).execute()).length, 0);
    const byManager = await manager.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, randomUUID()));
    assert.equal(byManager.statusCode, 303);
    // The match is on Hal's record too, where Amara sees only that someone in Hollins Park offered.
    const askerPage = await marsh.get(offersOf(asker));
    assert.match(askerPage.body, /Offer from Someone walked alongside in Hollins Park \(their coordinator: Tom Hughes\): Only those who may see their record can read what it is/);
    assert.doesNotMatch(askerPage.body, /Hal Hollins|Good with forms/);
  });

  test('a match is recorded as done on both sides, once; a date before the match is refused', async () => {
    const asker = await person('Dot Done', ids.marshEnd, 'BF1 4QT');
    const libraryId = await addAsset(t.db, { programmeId: ids.brookfield, areaId: ids.marshEnd, by: recorder, name: 'Done library', latitude: 53.51, longitude: -2.2 });
    const askId = await addItem(marsh, asker, { kind: 'ask', category: 'space', what: 'Somewhere to grow vegetables' });
    const offerId = await assetOffer(libraryId, { category: 'space' });
    assert.equal((await marsh.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, randomUUID(), { 'matchedOn-day': '1' }))).statusCode, 303);
    const matchId = (await t.db.selectFrom('offer_matches').select('id').where('ask_id', '=', askId).executeTakeFirstOrThrow()).id;
    const form = await marsh.get(`${offersOf(asker)}/done?match=${matchId}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Done library \(community asset\)/);
    const early = await marsh.post(`${offersOf(asker)}/done`, { match: matchId, 'doneOn-day': '31', 'doneOn-month': '10', 'doneOn-year': '2026' });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /The date it happened must be on or after the date they were matched/);
    const done = { match: matchId, 'doneOn-day': '2', 'doneOn-month': '11', 'doneOn-year': '2026' };
    assert.equal((await marsh.post(`${offersOf(asker)}/done`, done)).statusCode, 303);
    assert.equal((await marsh.post(`${offersOf(asker)}/done`, { ...done, 'doneOn-day': '1' })).statusCode, 303);
    const row = await t.db.selectFrom('offer_matches').select(['done_on', 'done_by']).where('id', '=', matchId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { done_on: '2026-11-02', done_by: recorder });
    assert.equal((await itemRow(askId)).status, 'done');
    assert.equal((await itemRow(offerId)).status, 'done');
    // Someone else's match named against this person: not found.
    const stranger = await person('Sid Stranger');
    assert.equal((await marsh.get(`${offersOf(stranger)}/done?match=${matchId}`)).statusCode, 404);
    assert.equal((await marsh.post(`${offersOf(stranger)}/done`, done)).statusCode, 404);
  });

  test('a match undone goes back to open on both sides, stays in both histories, is audited for both, and may be matched again', async () => {
    const asker = await person('Uma Undo', ids.marshEnd, 'BF1 4QT');
    const giver = await person('Vic Van', ids.marshEnd, 'BF1 2AB');
    const askId = await addItem(marsh, asker, { kind: 'ask', category: 'van', what: 'A van to move a sofa' });
    const offerId = await addItem(marsh, giver, { category: 'van', what: 'A transit van on Saturdays' });
    assert.equal((await marsh.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, randomUUID()))).statusCode, 303);
    const matchId = (await t.db.selectFrom('offer_matches').select('id').where('ask_id', '=', askId).executeTakeFirstOrThrow()).id;
    // Offered from the record of either side.
    assert.match((await marsh.get(offersOf(giver))).body, new RegExp(`href="/people/${giver}/offers/undo\\?match=${matchId}"`));
    const form = await marsh.get(`${offersOf(asker)}/undo?match=${matchId}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Why is it being undone\?/);
    const blank = await marsh.post(`${offersOf(asker)}/undo`, { match: matchId, reason: ' ' });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /<a href="#reason">Say why the match is being undone<\/a>/);
    assert.equal((await itemRow(askId)).status, 'matched');

    const mark = await auditMark(t.db);
    const undone = await marsh.post(`${offersOf(giver)}/undo`, { match: matchId, reason: 'The van was sold before the move' });
    assert.equal(undone.statusCode, 303);
    assert.equal(undone.headers.location, `${offersOf(giver)}?undone=1`);
    // Sent again: already undone, nothing more.
    assert.equal((await marsh.post(`${offersOf(giver)}/undo`, { match: matchId, reason: 'Again' })).statusCode, 303);
    const row = await t.db.selectFrom('offer_matches').select(['undone_by', 'undone_reason', 'done_on']).where('id', '=', matchId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { undone_by: recorder, undone_reason: 'The van was sold before the move', done_on: null });
    assert.equal((await itemRow(askId)).status, 'open');
    assert.equal((await itemRow(offerId)).status, 'open');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [
        ['match.undo', 'allowed', asker, { matchId, askId, offerId }],
        ['match.undo', 'allowed', giver, { matchId, askId, offerId }],
        ['match.undo', 'allowed', giver, { matchId }],
      ],
    );
    // Both records still show it, as undone, with who, when and why; neither offers it as done any more.
    for (const who of [asker, giver]) {
      const page = await marsh.get(offersOf(who));
      assert.match(page.body, /Match undone/);
      assert.match(page.body, /Undone on 2 November 2026 by Amara Okafor: The van was sold before the move/);
      assert.doesNotMatch(page.body, /offers\/done\?match=/);
    }
    // Not done once undone; the done form sends them back to the list.
    assert.equal((await marsh.get(`${offersOf(asker)}/done?match=${matchId}`)).headers.location, offersOf(asker));
    const lateDone = await marsh.post(`${offersOf(asker)}/done`, { match: matchId, 'doneOn-day': '2', 'doneOn-month': '11', 'doneOn-year': '2026' });
    assert.equal(lateDone.statusCode, 400);
    assert.match(lateDone.body, /This match has been undone, so it cannot be recorded as done/);
    // Open again: matched again, with a new match; the undone one is kept.
    assert.equal((await marsh.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, randomUUID()))).statusCode, 303);
    assert.equal((await t.db.selectFrom('offer_matches').select('id').where('ask_id', '=', askId).execute()).length, 2);
    assert.equal((await itemRow(offerId)).status, 'matched');
  });

  test('a match that has happened cannot be undone; nor can someone else\'s', async () => {
    const asker = await person('Wyn Went', ids.marshEnd, 'BF1 4QT');
    const giver = await person('Xan Gave', ids.marshEnd, 'BF1 2AB');
    const askId = await addItem(marsh, asker, { kind: 'ask', category: 'lift', what: 'A lift to the clinic' });
    const offerId = await addItem(marsh, giver, { category: 'lift', what: 'Lifts on weekdays' });
    assert.equal((await marsh.post(`${offersOf(asker)}/match`, matchForm(askId, offerId, randomUUID()))).statusCode, 303);
    const matchId = (await t.db.selectFrom('offer_matches').select('id').where('ask_id', '=', askId).executeTakeFirstOrThrow()).id;
    const stranger = await person('Yas Stranger');
    assert.equal((await marsh.get(`${offersOf(stranger)}/undo?match=${matchId}`)).statusCode, 404);
    assert.equal((await marsh.post(`${offersOf(stranger)}/undo`, { match: matchId, reason: 'No' })).statusCode, 404);
    assert.equal((await hollins.post(`${offersOf(asker)}/undo`, { match: matchId, reason: 'No' })).statusCode, 404);
    assert.equal((await marsh.post(`${offersOf(asker)}/done`, { match: matchId, 'doneOn-day': '2', 'doneOn-month': '11', 'doneOn-year': '2026' })).statusCode, 303);
    assert.equal((await marsh.get(`${offersOf(asker)}/undo?match=${matchId}`)).headers.location, offersOf(asker));
    const late = await marsh.post(`${offersOf(asker)}/undo`, { match: matchId, reason: 'Changed our minds' });
    assert.equal(late.statusCode, 400);
    assert.match(late.body, /This match has happened and is recorded as done, so it cannot be undone/);
    assert.equal((await itemRow(askId)).status, 'done');
  });
});

describe('the programme-wide lists', () => {
  test("a coordinator sees their neighbourhoods' people and every asset; a manager everyone; audited once with counts", async () => {
    const marshPerson = await person('Lia List');
    const hollinsPerson = await person('Hugo List', ids.hollinsPark);
    const libraryId = await addAsset(t.db, { programmeId: ids.brookfield, areaId: ids.hollinsPark, by: recorder, name: 'Hollins shed' });
    // Something else is offered only in this test, so the lists hold these alone.
    await addItem(marsh, marshPerson, { category: 'other', what: 'Lia has a van' });
    await addItem(manager, hollinsPerson, { category: 'other', what: 'Hugo has a van', areaId: ids.hollinsPark });
    await assetOffer(libraryId, { category: 'other' });
    const mark = await auditMark(t.db);
    const coordinatorList = await marsh.get('/community/offers?category=other');
    assert.equal(coordinatorList.statusCode, 200);
    assert.match(coordinatorList.body, /Lia has a van/);
    assert.match(coordinatorList.body, /Hollins shed/);
    assert.doesNotMatch(coordinatorList.body, /Hugo/);
    assert.match(coordinatorList.body, /2 offers/);
    const managerList = await manager.get('/community/offers?category=other');
    assert.match(managerList.body, /Hugo has a van/);
    assert.match(managerList.body, /3 offers/);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [
        ['offers.list', 'allowed', null, { items: 2, status: 'open', category: 'other' }],
        ['offers.list', 'allowed', null, { items: 3, status: 'open', category: 'other' }],
      ],
    );
    const inHollins = await manager.get(`/community/offers?category=other&area=${ids.hollinsPark}&status=all`);
    assert.match(inHollins.body, /Hugo has a van/);
    assert.doesNotMatch(inHollins.body, /Lia has a van/);
    const asks = await marsh.get('/community/asks');
    assert.equal(asks.statusCode, 200);
    assert.doesNotMatch(asks.body, /has a van/);
    for (const query of ['category=rocket', `area=${ids.eastmoorMarshEnd}`, 'status=lost', "area=1' OR '1'='1"]) {
      const response = await marsh.get(`/community/offers?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.match(response.body, /There is a problem/);
    }
  });

  test("an asset's offer is recorded, listed and changed, with a stale change refused", async () => {
    const assetId = await addAsset(t.db, { programmeId: ids.brookfield, areaId: ids.marshEnd, by: recorder, name: 'Mill Lane café' });
    const form = await hollins.get('/community/offers/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Mill Lane café \(Marsh End\)/);
    const formToken = hiddenField(form.body, 'formToken') ?? '';
    const fields = { formToken, assetId, ...itemFields({ category: 'space', what: 'The back room, Monday evenings' }) };
    const mark = await auditMark(t.db);
    assert.equal((await hollins.post('/community/offers', fields)).headers.location, '/community/offers?recorded=1');
    assert.equal((await hollins.post('/community/offers', fields)).statusCode, 303);
    const rows = await t.db.selectFrom('offers_and_asks').select(['id', 'person_id', 'kind']).where('asset_id', '=', assetId).execute();
    assert.deepEqual(rows.map((r) => [r.kind, r.person_id]), [['offer', null]]);
    const offerId = rows[0]?.id ?? '';
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [
        ['asset-offer.create', 'allowed', { itemId: offerId, assetId }],
        ['asset-offer.create', 'allowed', {}],
      ],
    );
    const bad = await hollins.post('/community/offers', { ...fields, formToken: randomUUID(), assetId: randomUUID() });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<a href="#assetId">Select the community asset<\/a>/);
    const change = { version: '1', ...itemFields({ category: 'space', what: 'The back room, Tuesday evenings' }), status: 'open' };
    assert.equal((await manager.post(`/community/offers/${offerId}/change`, change)).statusCode, 303);
    const stale = await hollins.post(`/community/offers/${offerId}/change`, { ...change, what: 'Mine' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /The back room, Tuesday evenings/);
    // A person's offer is changed on their record, not here.
    const someone = await person('Pat Person');
    const personal = await addItem(marsh, someone);
    assert.equal((await marsh.get(`/community/offers/${personal}/change`)).statusCode, 404);
    assert.equal((await marsh.post(`/community/offers/${personal}/change`, change)).statusCode, 404);
    assert.equal((await marsh.get('/community/offers/not-an-id/change')).statusCode, 404);
  });
});

describe('schemes that pair many', () => {
  test('a scheme is started once, its name its own; offers and asks of its kind join it and its pairs are listed', async () => {
    const form = await marsh.get('/community/schemes/new');
    const formToken = hiddenField(form.body, 'formToken') ?? '';
    const scheme = { formToken, name: 'Grow Together', category: 'space', description: 'Garden owners and people who want to garden' };
    const created = await marsh.post('/community/schemes', scheme);
    assert.equal(created.statusCode, 303);
    assert.equal((await marsh.post('/community/schemes', scheme)).headers.location, created.headers.location);
    const schemeId = (await t.db.selectFrom('offer_schemes').select('id').where('name', '=', 'Grow Together').executeTakeFirstOrThrow()).id;
    const duplicate = await manager.post('/community/schemes', { ...scheme, formToken: randomUUID(), name: 'grow together' });
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /There is already a scheme called grow together/);

    const gardener = await person('Gwen Gardener', ids.marshEnd, 'BF1 4QT');
    const owner = await person('Owen Owner', ids.hollinsPark, 'BF3 1AA');
    const wrongKind = await marsh.post(offersOf(gardener), { formToken: randomUUID(), ...itemFields({ kind: 'ask', category: 'time', schemeId }) });
    assert.equal(wrongKind.statusCode, 400);
    assert.match(wrongKind.body, /Grow Together is for space: choose that kind of thing, or no scheme/);
    const askId = await addItem(marsh, gardener, { kind: 'ask', category: 'space', what: 'A patch to grow beans', schemeId });
    const offerId = await addItem(manager, owner, { category: 'space', what: 'Half my garden', areaId: ids.hollinsPark, schemeId });
    assert.equal((await manager.post(`${offersOf(gardener)}/match`, matchForm(askId, offerId, randomUUID()))).statusCode, 303);

    const list = await marsh.get('/community/schemes');
    assert.match(list.body, /Grow Together/);
    const mark = await auditMark(t.db);
    const page = await marsh.get(`/community/schemes/${schemeId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /1 pair/);
    assert.match(page.body, /Gwen Gardener/);
    assert.doesNotMatch(page.body, /Owen Owner|Half my garden/);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.detail]),
      [['scheme.read', { schemeId, offers: 1, asks: 1, pairs: 1 }]],
    );
    assert.match((await manager.get(`/community/schemes/${schemeId}`)).body, /Owen Owner/);
    assert.equal((await marsh.get(`/community/schemes/${randomUUID()}`)).statusCode, 404);
    assert.equal((await signedInClient(t.app, 'manager@eastmoor.example').then((c) => c.get(`/community/schemes/${schemeId}`))).statusCode, 404);
  });

  test('a scheme is changed from its version: a stale save is refused with both versions shown, nothing lost', async () => {
    const form = await marsh.get('/community/schemes/new');
    const created = await marsh.post('/community/schemes', { formToken: hiddenField(form.body, 'formToken') ?? '', name: 'Big Up My Street', category: 'time' });
    const schemeId = (created.headers.location ?? '').split('/')[3]?.split('?')[0] ?? '';
    await marsh.post('/community/schemes', { formToken: randomUUID(), name: 'Street Pairs', category: 'time' });
    const change = await marsh.get(`/community/schemes/${schemeId}/change`);
    assert.equal(change.statusCode, 200);
    assert.match(change.body, /name="version" value="1"/);
    assert.match(change.body, /name="name"[^>]*value="Big Up My Street"/);

    const mark = await auditMark(t.db);
    const saved = await manager.post(`/community/schemes/${schemeId}/change`, { version: '1', name: 'Big Up Our Street', description: 'Neighbours who want company, paired with neighbours keen to help' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/community/schemes/${schemeId}?saved=1`);
    const row = await t.db.selectFrom('offer_schemes').select(['name', 'category', 'version', 'updated_by']).where('id', '=', schemeId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: 'Big Up Our Street', category: 'time', version: 2, updated_by: await ids.user(MANAGER) });
    assert.deepEqual((await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]), [['scheme.update', 'allowed', { schemeId, version: 2 }]]);
    assert.match((await marsh.get(`/community/schemes/${schemeId}?saved=1`)).body, /Last changed by [^<]+ on 2 November 2026/);

    // Amara still has the page from version 1 open: refused, both versions shown, what she typed kept.
    const stale = await marsh.post(`/community/schemes/${schemeId}/change`, { version: '1', name: 'Big Up Marsh End', description: '' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /Big Up Our Street/);
    assert.match(stale.body, /name="name"[^>]*value="Big Up Marsh End"/);
    assert.match(stale.body, /name="version" value="2"/);
    // The same save sent twice is fine; a name another scheme has is refused; nothing else is changed.
    assert.equal((await manager.post(`/community/schemes/${schemeId}/change`, { version: '1', name: 'Big Up Our Street', description: 'Neighbours who want company, paired with neighbours keen to help' })).statusCode, 303);
    const clash = await marsh.post(`/community/schemes/${schemeId}/change`, { version: '2', name: 'street pairs', description: '' });
    assert.equal(clash.statusCode, 400);
    assert.match(clash.body, /There is already a scheme called street pairs/);
    const blank = await marsh.post(`/community/schemes/${schemeId}/change`, { version: '2', name: '', description: '' });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /Enter the name of the scheme/);
    assert.equal((await t.db.selectFrom('offer_schemes').select('version').where('id', '=', schemeId).executeTakeFirstOrThrow()).version, 2);
    assert.equal((await marsh.get(`/community/schemes/${randomUUID()}/change`)).statusCode, 404);
  });
});
