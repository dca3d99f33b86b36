import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_ASSETS, seedDemoCommunity } from '../../../seeds/community.ts';
import { buildTestApp, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';

/** The directory on the demo's community: search, distance from a postcode, the assets to check, the map. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let admin: Client;

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  const userIds = Object.fromEntries(await Promise.all([MARSH, HOLLINS, MANAGER].map(async (e) => [e, await ids.user(e)] as const)));
  const written = await seedDemoCommunity(t.db, { programmeId: ids.brookfield, areaIds: { marsh: ids.marshEnd, hollins: ids.hollinsPark }, userIds }, t.clock.now());
  assert.equal(written, DEMO_ASSETS.length);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, MANAGER);
  admin = await signedInClient(t.app, 'admin@brookfield.example');
});
after(async () => {
  await t.close();
});

const decode = (text: string) => text.replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&quot;/g, '"');

/** The results of a directory page: each asset's name, and its distance line when there is one. */
function results(html: string): { name: string; distance: string | undefined }[] {
  const list = html.slice(html.indexOf('<ul class="govuk-list app-asset-list">'));
  return [...list.matchAll(/<li class="app-asset-list__item"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => {
    const item = m[1] ?? '';
    return {
      name: decode(/href="\/community\/assets\/[^"]+">([^<]+)<\/a>/.exec(item)?.[1] ?? ''),
      distance: /<strong>([^<]+)<\/strong> from/.exec(item)?.[1],
    };
  });
}

const names = (html: string) => results(html).map((r) => r.name);

/** The directory's search form, sent as a browser sends it: a POST, with nothing in the address. */
const search = (client: Client, form: Record<string, string>) => client.post('/community/search', form);

describe('searching the directory', () => {
  test('postcode distance search returns the right order on the demo data, with each distance shown', async () => {
    const page = await search(marsh, { postcode: 'bf1 4qt' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /22 community assets\s+nearest BF1 4QT first/);
    const found = results(page.body);
    assert.deepEqual(
      found.map((r) => r.name),
      [
        'Farida Ahmed',
        'Marsh End Repair Café',
        'Tannery Row Stores',
        'Dean Walsh',
        'Brookfield Churches Together',
        "St Aidan's church hall",
        'Tuesday walking group',
        'Marsh End Food Bank',
        'Marsh End Chess Club',
        'Marsh End Heritage Society',
        'Marsh End Library',
        'Brookfield Mind',
        'Brookfield Homes',
        'Hollins Park Allotment Society',
        'Parkside Café',
        'The canal mural',
        'Hollins Park Community Hub',
        'Thursday lunch club',
        'Kwame Boateng',
        'Age UK Brookfield',
        // No location: after every one that has one.
        'Brookfield Libraries',
        'Marsh End Mutual Aid',
      ],
    );
    assert.equal(found[0]?.distance, '60 m (under 0.1 miles)');
    assert.equal(found[19]?.distance, '2.6 km (1.6 miles)');
    assert.equal(found[20]?.distance, undefined);
    assert.match(page.body, /No location recorded/);
  });

  test('within a distance: only assets with a location that near', async () => {
    const page = await search(marsh, { postcode: 'BF1 4QT', within: '0.5' });
    assert.deepEqual(names(page.body).slice(-3), ['Marsh End Chess Club', 'Marsh End Heritage Society', 'Marsh End Library']);
    assert.equal(names(page.body).length, 11);
  });

  test('by words in the name, description or tags, by kind, tag and neighbourhood', async () => {
    assert.deepEqual(names((await search(marsh, { q: 'walk' })).body), ['Marsh End Heritage Society', 'Tuesday walking group']);
    assert.deepEqual(names((await search(marsh, { q: 'WhatsApp' })).body), ['Marsh End Mutual Aid']);
    assert.deepEqual(names((await marsh.get('/community?category=gifts')).body), ['Dean Walsh', 'Farida Ahmed', 'Kwame Boateng']);
    assert.deepEqual(names((await marsh.get('/community?tag=Gardening')).body), ['Hollins Park Allotment Society']);
    const hollinsFood = names((await marsh.get(`/community?tag=food&area=${ids.hollinsPark}`)).body);
    assert.deepEqual(hollinsFood, ['Hollins Park Allotment Society', 'Thursday lunch club']);
    // LIKE's own characters are only characters.
    assert.deepEqual(names((await search(marsh, { q: '%' })).body), []);
    assert.deepEqual(names((await search(marsh, { q: "' OR 1=1 --" })).body), []);
  });

  test('words and postcodes go by POST: the page’s search form posts them, and in an address they are ignored', async () => {
    const page = await marsh.get('/community');
    assert.match(page.body, /<form method="post" action="\/community\/search" novalidate>/);
    assert.doesNotMatch(page.body, /<form method="get"/);
    // Typed into an address by hand: neither searched for nor shown back; the filters there still apply.
    const typed = await marsh.get('/community?q=Farida&postcode=BF1+4QT&category=gifts');
    assert.equal(typed.statusCode, 200);
    assert.deepEqual(names(typed.body), ['Dean Walsh', 'Farida Ahmed', 'Kwame Boateng']);
    assert.doesNotMatch(typed.body, /value="Farida"|value="BF1 4QT"|nearest BF1 4QT/);
    // A search keeps what was typed on the page it answers with, filters included, and says how far each is.
    const searched = await search(marsh, { q: 'walk', postcode: 'BF1 4QT', category: 'association' });
    assert.equal(searched.statusCode, 200);
    assert.deepEqual(names(searched.body), ['Tuesday walking group']);
    assert.match(searched.body, /name="q"[^>]*value="walk"/);
    assert.match(searched.body, /<option value="association" selected>/);
    assert.match(searched.body, /href="\/community">Clear the search</);
    // Without the session's token, nothing is searched.
    assert.equal((await marsh.post('/community/search', { _csrf: '', q: 'walk' })).statusCode, 403);
  });

  test('closed assets only when asked for', async () => {
    assert.doesNotMatch((await search(marsh, { q: 'toddler' })).body, /href="\/community\/assets\/[^"]+">Marsh End Toddler Group/);
    const withClosed = await search(marsh, { q: 'toddler', closed: 'yes' });
    assert.deepEqual(names(withClosed.body), ['Marsh End Toddler Group']);
    assert.match(withClosed.body, /<strong>No longer running<\/strong>/);
  });

  test('an unknown postcode is explained, the search kept, and nothing listed', async () => {
    const mark = await auditMark(t.db);
    const page = await search(marsh, { postcode: 'BF9 9ZZ', q: 'walk' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /<a href="#postcode">BF9 9ZZ is not in the postcode list. Check it, or search without a postcode<\/a>/);
    assert.match(page.body, /name="postcode"[^>]*value="BF9 9ZZ"/);
    assert.match(page.body, /name="q"[^>]*value="walk"/);
    assert.deepEqual(names(page.body), []);
    const notPostcode = await search(marsh, { postcode: 'nowhere' });
    assert.equal(notPostcode.statusCode, 400);
    assert.match(notPostcode.body, /Enter a full UK postcode, like BF1 2AB/);
    const tampered = await marsh.get('/community?category=shops&area=x');
    assert.equal(tampered.statusCode, 400);
    assert.match(tampered.body, /Select a kind of asset from the list/);
    assert.match(tampered.body, /Select a neighbourhood from the list/);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome]),
      [
        ['assets.list', 'failed'],
        ['assets.list', 'failed'],
        ['assets.list', 'failed'],
      ],
    );
    assert.ok(!JSON.stringify(audit).includes('BF9'), 'the postcode searched for is not kept');
  });

  test('one audit row per search, with the count and which filters were used, never the words or postcode', async () => {
    const mark = await auditMark(t.db);
    await search(marsh, { q: 'walk', postcode: 'BF1 4QT', area: ids.marshEnd });
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.detail]),
      [['assets.list', 'allowed', { assets: 2, areaId: ids.marshEnd, words: true, tag: false, byDistance: true, closed: false }]],
    );
  });

  test('another programme sees none of these assets', async () => {
    const other = await signedInClient(t.app, 'manager@eastmoor.example');
    const page = await other.get('/community');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(names(page.body), []);
    assert.match(page.body, /0 community assets/);
  });
});

describe('assets to check', () => {
  const stale = async (client: Client, query = '') => names((await client.get(`/community/stale${query}`)).body);

  test('running assets not checked for the programme’s months, or never, the longest unchecked first', async () => {
    assert.deepEqual(await stale(marsh), [
      'Brookfield Mind',
      'Brookfield Homes',
      "St Aidan's church hall",
      'Marsh End Heritage Society',
      'Parkside Café',
      'Marsh End Chess Club',
      'Dean Walsh',
    ]);
    assert.deepEqual(await stale(marsh, `?area=${ids.hollinsPark}`), ['Brookfield Homes', 'Parkside Café']);
    const page = await marsh.get('/community/stale');
    assert.match(page.body, /Never checked \(recorded /);
    // "Checked today" only where the user may change the asset: Marsh End's, for Marsh End's coordinator.
    assert.equal([...page.body.matchAll(/Checked today<span class="govuk-visually-hidden">/g)].length, 5);
  });

  test('"Checked today" from the list takes the asset off it', async () => {
    const page = await marsh.get('/community/stale');
    const item = page.body.split('<li class="app-asset-list__item"').find((i) => i.includes('>Dean Walsh<')) ?? '';
    const id = /id="asset-([0-9a-f-]{36})"/.exec(item)?.[1] ?? '';
    const checked = await marsh.post(`/community/assets/${id}/verify`, { version: '1', from: 'stale' });
    assert.equal(checked.headers.location, `/community/stale?verified=1#asset-${id}`);
    const after = await marsh.get('/community/stale?verified=1');
    assert.match(after.body, /Recorded as checked today/);
    assert.ok(!names(after.body).includes('Dean Walsh'));
  });

  test('an admin sets how many months; a bad number is explained and changes nothing', async () => {
    const mark = await auditMark(t.db);
    for (const [months, message] of [
      ['0', 'Enter a number of months from 1 to 120'],
      ['121', 'Enter a number of months from 1 to 120'],
      ['six', 'Enter a whole number of months, like 12'],
      ['', 'Enter a whole number of months, like 12'],
    ] as const) {
      const page = await admin.post('/admin/community', { months });
      assert.equal(page.statusCode, 400, months);
      assert.match(page.body, new RegExp(`<a href="#months">${message}</a>`));
    }
    const saved = await admin.post('/admin/community', { months: ' 6 ' });
    assert.equal(saved.headers.location, '/admin/community?saved=1');
    const { asset_stale_months } = await t.db.selectFrom('programmes').select('asset_stale_months').where('id', '=', ids.brookfield).executeTakeFirstOrThrow();
    assert.equal(asset_stale_months, 6);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(audit.map((r) => r.outcome), ['failed', 'failed', 'failed', 'failed', 'allowed']);
    assert.deepEqual(audit[4]?.detail, { staleMonths: 6 });
    // Six months: the mural (checked 330 days ago) and the stores (100 days: not yet) and more are now due.
    const now = await stale(marsh);
    assert.ok(now.includes('The canal mural'));
    assert.ok(!now.includes('Tannery Row Stores'));
    assert.match((await marsh.get('/community/stale')).body, /not checked for 6 months or more/);
    // Another programme keeps its own.
    const { asset_stale_months: theirs } = await t.db.selectFrom('programmes').select('asset_stale_months').where('id', '=', ids.eastmoor).executeTakeFirstOrThrow();
    assert.equal(theirs, 12);
    await admin.post('/admin/community', { months: '12' });
    assert.equal((await marsh.post('/admin/community', { months: '3' })).statusCode, 403);
  });
});

describe('the map', () => {
  test('an SVG of a neighbourhood’s running assets with a location, with its text alternative and the list beside it', async () => {
    const page = await manager.get(`/community/map?area=${ids.hollinsPark}`);
    assert.equal(page.statusCode, 200);
    const svg = /<svg class="app-asset-map__svg"[\s\S]*?<\/svg>/.exec(page.body)?.[0] ?? '';
    assert.match(svg, /role="img" aria-labelledby="asset-map-title" aria-describedby="asset-map-desc"/);
    assert.match(svg, /<desc id="asset-map-desc">8 community assets placed where they are in Hollins Park/);
    const titles = [...svg.matchAll(/<g>\s*<title>([^<]+)<\/title>/g)].map((m) => decode(m[1] ?? '')).sort();
    assert.deepEqual(titles, [
      'Age UK Brookfield (Organisations)',
      'Brookfield Homes (Organisations)',
      'Hollins Park Allotment Society (Associations and groups)',
      'Hollins Park Community Hub (Places)',
      'Kwame Boateng (People with gifts to share)',
      'Parkside Café (Local businesses)',
      'The canal mural (Culture and stories)',
      'Thursday lunch club (Associations and groups)',
    ]);
    // Every marker is inside the picture.
    for (const m of svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)) assert.ok(Number(m[1]) <= 640 && Number(m[2]) <= 440);
    // The list beside it links every asset on the map, under its kind's heading.
    const list = page.body.slice(page.body.indexOf('<h2 class="govuk-heading-m">On the map</h2>'));
    for (const title of titles) assert.match(list, new RegExp(`>${title.replace(/ \(.*/, '').replace("'", '&#39;')}</a>`));
    assert.match(list, /Associations and groups \(2\)/);
  });

  test('a coordinator starts at their own neighbourhood, a manager at the fullest; assets with no location are listed, not drawn; closed ones neither', async () => {
    const page = await marsh.get('/community/map');
    assert.match(page.body, /<h1 class="govuk-heading-l">Map of community assets in Marsh End<\/h1>/);
    const notOnMap = page.body.slice(page.body.indexOf('Not on the map'));
    assert.match(notOnMap, />Brookfield Libraries</);
    assert.match(notOnMap, />Marsh End Mutual Aid</);
    assert.doesNotMatch(page.body, /Toddler/);
    // A manager has no neighbourhood of their own: their map opens on the one with most on it (Marsh End), not the
    // first in the alphabet (Hollins Park).
    assert.match((await manager.get('/community/map')).body, /<h1 class="govuk-heading-l">Map of community assets in Marsh End<\/h1>/);
    const bad = await marsh.get('/community/map?area=nowhere');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Select a neighbourhood from the list/);
  });
});
