import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import type { AssetCategory } from './tables.ts';

/** Community assets in a person's life: on their record, their circle and their timeline, one audit row each time. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let recorder: string;
const assets: Record<string, string> = {};

const MARSH = 'coordinator.marsh@brookfield.example';

async function addAsset(programmeId: string, areaId: string, name: string, category: AssetCategory = 'association', closedOn: string | null = null) {
  const at = new Date('2026-10-01T10:00:00Z');
  const by = programmeId === ids.brookfield ? recorder : await ids.user('manager@eastmoor.example');
  const { id } = await t.db
    .insertInto('community_assets')
    .values({ programme_id: programmeId, area_id: areaId, category, name, description: `About ${name}`, closed_on: closedOn, form_token: randomUUID(), created_by: by, updated_by: by, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  recorder = await ids.user(MARSH);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  assets.walking = await addAsset(ids.brookfield, ids.marshEnd, 'Riverside walking group');
  assets.library = await addAsset(ids.brookfield, ids.marshEnd, 'Riverside library', 'place');
  assets.allotments = await addAsset(ids.brookfield, ids.hollinsPark, 'Hillside allotments');
  assets.closed = await addAsset(ids.brookfield, ids.marshEnd, 'Riverside toddlers', 'association', '2026-09-01');
  assets.elsewhere = await addAsset(ids.eastmoor, ids.eastmoorMarshEnd, 'Riverside in Eastmoor');
});
after(async () => {
  await t.close();
});

const lifeOf = (personId: string) => `/people/${personId}/assets`;

const started = (overrides: Record<string, string> = {}) => ({ what: 'Walks on Tuesdays with her neighbour', 'startedOn-day': '20', 'startedOn-month': '10', 'startedOn-year': '2026', ...overrides });

/** Opens the form, chooses `assetId` and records it; returns the response and the form's token. */
async function addToLife(client: Client, personId: string, assetId: string, overrides: Record<string, string> = {}) {
  const form = await client.get(`${lifeOf(personId)}/new`);
  assert.equal(form.statusCode, 200);
  const formToken = hiddenField(form.body, 'formToken') ?? '';
  const response = await client.post(lifeOf(personId), { formToken, assetId, ...started(overrides) });
  return { response, formToken };
}

const linksOf = (personId: string) =>
  t.db.selectFrom('person_assets').select(['id', 'asset_id', 'what', 'started_on', 'ended_on', 'ended_by', 'recorded_by']).where('person_id', '=', personId).execute();

describe('community assets in a person’s life', () => {
  test('the page, the choice from their neighbourhood, and recording one: shown on the record, circle and timeline', async () => {
    const person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Life Asset Person', recorder);
    const empty = await marsh.get(lifeOf(person));
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /No community asset is recorded as part of Life Asset Person’s life now/);
    assert.match(empty.body, /aria-current="page">Community</);

    const form = await marsh.get(`${lifeOf(person)}/new`);
    // Running assets of their own neighbourhood to choose from: not another's, not a closed one, not another programme's.
    assert.match(form.body, /Riverside walking group/);
    assert.match(form.body, /Riverside library/);
    assert.doesNotMatch(form.body, /Hillside allotments|Riverside toddlers|Riverside in Eastmoor/);

    const mark = await auditMark(t.db);
    const { response, formToken } = await addToLife(marsh, person, assets.walking ?? '');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `${lifeOf(person)}?added=1`);
    // Sent again: one link.
    const again = await marsh.post(lifeOf(person), { formToken, assetId: assets.walking ?? '', ...started() });
    assert.equal(again.statusCode, 303);
    const links = await linksOf(person);
    assert.equal(links.length, 1);
    assert.deepEqual([links[0]?.asset_id, links[0]?.started_on, links[0]?.recorded_by], [assets.walking, '2026-10-20', recorder]);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_type, r.record_id]),
      [
        ['person-asset.read', 'allowed', 'person', person],
        ['person-asset.create', 'allowed', 'person', person],
        ['person-asset.create', 'allowed', 'person', person],
      ],
    );
    assert.deepEqual(audit[1]?.detail, { linkId: links[0]?.id, assetId: assets.walking });

    const page = await marsh.get(`${lifeOf(person)}?added=1`);
    assert.match(page.body, /Recorded. It shows on their timeline and circle of support./);
    assert.match(page.body, /Riverside walking group/);
    assert.match(page.body, /Walks on Tuesdays with her neighbour/);
    const circle = await marsh.get(`/people/${person}/circle`);
    assert.match(circle.body, /Community assets in their life/);
    assert.match(circle.body, new RegExp(`href="/community/assets/${assets.walking}">Riverside walking group</a>: Walks on Tuesdays with her neighbour`));
    const timeline = await marsh.get(`/people/${person}/timeline?kind=asset`);
    assert.match(timeline.body, /Riverside walking group became part of their life/);
    assert.match(timeline.body, /Community assets/);
  });

  test('a search by name is a form (never in the address), across the programme, audited with the count only', async () => {
    const person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Search Asset Person', recorder);
    await marsh.get(`${lifeOf(person)}/new`);
    const mark = await auditMark(t.db);
    const found = await marsh.post(`${lifeOf(person)}/find`, { q: 'allot' });
    assert.equal(found.statusCode, 200);
    assert.match(found.body, /Hillside allotments/);
    assert.match(found.body, /name="q" value="allot"/);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.detail]),
      [['person-asset.find', { found: 1 }]],
    );
    const nothing = await marsh.post(`${lifeOf(person)}/find`, { q: '' });
    assert.equal(nothing.statusCode, 400);
    assert.match(nothing.body, /Enter the name of the community asset to search for/);
    // Chosen from the search: recorded, and the search is shown again if the form has problems.
    const formToken = hiddenField(found.body, 'formToken') ?? '';
    const problem = await marsh.post(lifeOf(person), { formToken, q: 'allot', assetId: assets.allotments ?? '', ...started({ what: '' }) });
    assert.equal(problem.statusCode, 400);
    assert.match(problem.body, /Enter what it means to them, in a few words/);
    assert.match(problem.body, /Hillside allotments/);
    const ok = await marsh.post(lifeOf(person), { formToken, q: 'allot', assetId: assets.allotments ?? '', ...started() });
    assert.equal(ok.statusCode, 303);
  });

  test('an asset that is closed, another programme’s, made up, or already in their life is refused as a form problem', async () => {
    const person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Refused Asset Person', recorder);
    for (const assetId of [assets.closed ?? '', assets.elsewhere ?? '', randomUUID()]) {
      const { response } = await addToLife(marsh, person, assetId);
      assert.equal(response.statusCode, 400, assetId);
      assert.match(response.body, /<a href="#assetId">Select a community asset from the list<\/a>/);
    }
    await addToLife(marsh, person, assets.library ?? '');
    const twice = await addToLife(marsh, person, assets.library ?? '');
    assert.equal(twice.response.statusCode, 400);
    assert.match(twice.response.body, /Riverside library is already part of their life/);
    const future = await addToLife(marsh, person, assets.walking ?? '', { 'startedOn-year': '2027' });
    assert.match(future.response.body, /The date it started must be today or in the past/);
    assert.equal((await linksOf(person)).length, 1);
  });

  test('no longer part of their life: kept in their history, off the circle, on the timeline; one audit row each', async () => {
    const person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Ending Asset Person', recorder);
    await addToLife(marsh, person, assets.walking ?? '');
    const [link] = await linksOf(person);
    assert.ok(link !== undefined);
    const form = await marsh.get(`${lifeOf(person)}/end?link=${link.id}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Riverside walking group is no longer part of their life/);
    const early = await marsh.post(`${lifeOf(person)}/end`, { linkId: link.id, 'endedOn-day': '1', 'endedOn-month': '10', 'endedOn-year': '2026' });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /The date it ended must be on or after the date it started/);
    const mark = await auditMark(t.db);
    const ended = await marsh.post(`${lifeOf(person)}/end`, { linkId: link.id, 'endedOn-day': '1', 'endedOn-month': '11', 'endedOn-year': '2026' });
    assert.equal(ended.statusCode, 303);
    assert.equal(ended.headers.location, `${lifeOf(person)}?ended=1`);
    // Sent again: already done.
    assert.equal((await marsh.post(`${lifeOf(person)}/end`, { linkId: link.id, 'endedOn-day': '1', 'endedOn-month': '11', 'endedOn-year': '2026' })).statusCode, 303);
    const [after] = await linksOf(person);
    assert.deepEqual([after?.ended_on, after?.ended_by], ['2026-11-01', recorder]);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome]),
      [
        ['person-asset.end', 'allowed'],
        ['person-asset.end', 'allowed'],
      ],
    );
    const page = await marsh.get(lifeOf(person));
    assert.match(page.body, /No longer part of their life/);
    assert.match(page.body, /20 October 2026 to 1 November 2026/);
    assert.doesNotMatch((await marsh.get(`/people/${person}/circle`)).body, /Riverside walking group/);
    const timeline = await marsh.get(`/people/${person}/timeline`);
    assert.ok(timeline.body.indexOf('Riverside walking group is no longer part of their life') < timeline.body.indexOf('Riverside walking group became part of their life'));

    // Without a link, the list to choose from; with someone else's, not found, and the access says so.
    const none = await marsh.post(`${lifeOf(person)}/end`, {});
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /<a href="#current">Select the community asset that is no longer part of their life<\/a>/);
    const other = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Other Asset Person', recorder);
    await addToLife(marsh, other, assets.library ?? '');
    const [theirs] = await linksOf(other);
    const mark2 = await auditMark(t.db);
    const wrong = await marsh.post(`${lifeOf(person)}/end`, { linkId: theirs?.id ?? '', 'endedOn-day': '1', 'endedOn-month': '11', 'endedOn-year': '2026' });
    assert.equal(wrong.statusCode, 404);
    assert.equal((await marsh.get(`${lifeOf(person)}/end?link=${theirs?.id ?? ''}`)).statusCode, 404);
    assert.deepEqual(
      (await auditSince(t.db, mark2)).map((r) => [r.action, r.outcome, r.record_id, r.detail]),
      [
        ['person-asset.end', 'denied', person, { reason: 'not a community asset in this person’s life', linkId: theirs?.id }],
        ['person-asset.read', 'denied', person, { reason: 'not a community asset in this person’s life', linkId: theirs?.id }],
      ],
    );
    assert.equal((await linksOf(other))[0]?.ended_on, null);
  });

  test('a journal entry may be about community assets in their life, and only theirs', async () => {
    const person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Journal Asset Person', recorder);
    const none = await marsh.get(`/people/${person}/journal/new`);
    assert.doesNotMatch(none.body, /Which community assets in their life was it about/);
    await addToLife(marsh, person, assets.walking ?? '');
    const form = await marsh.get(`/people/${person}/journal/new`);
    assert.match(form.body, /Which community assets in their life was it about\? \(optional\)/);
    assert.match(form.body, new RegExp(`name="assets" type="checkbox" value="${assets.walking}"`));
    const entry = {
      'happenedOn-day': '30',
      'happenedOn-month': '10',
      'happenedOn-year': '2026',
      how: 'community_venue',
      kind: 'conversation',
      notes: 'Walked with the group for the first time.',
    };
    // An asset not in their life is not this person's to link.
    const refused = await marsh.post(`/people/${person}/journal`, { formToken: hiddenField(form.body, 'formToken') ?? '', ...entry, assets: assets.library ?? '' });
    assert.equal(refused.statusCode, 404);
    const saved = await marsh.post(`/people/${person}/journal`, { formToken: hiddenField(form.body, 'formToken') ?? '', ...entry, assets: (assets.walking ?? '').toUpperCase() });
    assert.equal(saved.statusCode, 303);
    const linked = await t.db.selectFrom('journal_entry_assets').select(['asset_id', 'version']).where('person_id', '=', person).execute();
    assert.deepEqual(linked, [{ asset_id: assets.walking, version: 1 }]);
    const timeline = await marsh.get(`/people/${person}/timeline?kind=journal`);
    assert.match(timeline.body, new RegExp(`Community assets:</p>\\s*<ul[^>]*>\\s*<li><a class="govuk-link" href="/community/assets/${assets.walking}">Riverside walking group</a>`));
    // The correction form shows the link, still offered after the asset leaves their life.
    const entryId = /journal\/change\?entry=([0-9a-f-]{36})/.exec(timeline.body)?.[1] ?? '';
    const [link] = await linksOf(person);
    await marsh.post(`${lifeOf(person)}/end`, { linkId: link?.id ?? '', 'endedOn-day': '1', 'endedOn-month': '11', 'endedOn-year': '2026' });
    const correction = await marsh.get(`/people/${person}/journal/change?entry=${entryId}`);
    assert.match(correction.body, new RegExp(`value="${assets.walking}" checked`));
    assert.match(correction.body, /No longer part of their life/);
  });

  test('only those who may see the person: another neighbourhood’s coordinator and other programmes get not found, aggregate roles are refused', async () => {
    const person = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Private Asset Person', recorder);
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const other = await signedInClient(t.app, 'manager@eastmoor.example');
    for (const client of [hollins, other]) {
      assert.equal((await client.get(lifeOf(person))).statusCode, 404);
      assert.equal((await client.get(`${lifeOf(person)}/new`)).statusCode, 404);
      assert.equal((await client.post(lifeOf(person), { formToken: randomUUID(), assetId: assets.walking ?? '', ...started() })).statusCode, 404);
    }
    for (const email of ['leadership@brookfield.example', 'evaluator@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      assert.equal((await client.get(lifeOf(person))).statusCode, 403, email);
    }
    assert.deepEqual(await linksOf(person), []);
    // The manager sees who looked, in words.
    await marsh.get(lifeOf(person));
    const trail = await manager.get(`/people/${person}/audit`);
    assert.match(trail.body, /Looked at the community assets in their life/);
  });
});
