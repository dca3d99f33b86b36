import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Insertable } from 'kysely';
import { buildTestApp, signedInClient, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import type { CommunityAssetsTable } from '../assets/tables.ts';
import { CATEGORIES_TAXONOMY, TAGS_TAXONOMY, categoryTermId, partId, tagTermId } from './taxonomy.ts';

/**
 * The public Open Referral UK API: every response checked against the profile's own JSON schemas (shipped in
 * reference/open-referral-uk), what it shows and hides, its filters, paging, and refusals. Test assets are written
 * straight into the database with the owner's connection; every name has "Quarrybank" in it, so searches for it
 * find only this file's assets whatever else the demo holds.
 */

// --- The profile's schemas ------------------------------------------------------------------------------------------

const PROFILE = path.resolve(import.meta.dirname, '../../../reference/open-referral-uk');
const REMOTE = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/';
const openapi = JSON.parse(readFileSync(path.join(PROFILE, 'schema/openapi.json'), 'utf8')) as {
  paths: Record<string, { get: { responses: { '200': { content: { 'application/json': { schema: object } } } } } }>;
  components: { schemas: { Page: { properties: Record<string, unknown> } } };
};

/**
 * The schemas carry no $schema; the profile's openapi.json says its dialect is JSON Schema 2020-12. Their
 * annotation keywords from Frictionless Data (name, path, constraints…) are declared so strict mode stays on,
 * but for strictTypes: the profile's list responses give `properties` beside `allOf` with no `type`, which is
 * valid JSON Schema that strictTypes refuses only as a matter of style.
 */
const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
addFormats.default(ajv);
ajv.addVocabulary(['name', 'path', 'datapackage_metadata', 'constraints', 'example', 'core', 'datapackage_type', 'tabular_required']);
for (const dir of ['schema', 'schema/compiled']) {
  for (const file of readdirSync(path.join(PROFILE, dir)).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) {
    // Each under the address openapi.json gives it, so its references (relative ones too) resolve to these copies.
    const relative = `${dir.replace(/^schema\/?/, '')}${dir === 'schema' ? '' : '/'}${file}`;
    ajv.addSchema({ ...(JSON.parse(readFileSync(path.join(PROFILE, dir, file), 'utf8')) as object), $id: `${REMOTE}${relative}` });
  }
}

/** The profile's page, with every paging field required: the profile lists them, and clients rely on them. */
const pageFields = openapi.components.schemas.Page.properties;
const PAGE = {
  ...openapi.components.schemas.Page,
  properties: { ...pageFields, contents: { type: 'array' } },
  required: [...Object.keys(pageFields), 'contents'],
};

/** The 200 response schema openapi.json gives a path, with its page schema put in place. */
function responseSchema(apiPath: string): ValidateFunction {
  const operation = openapi.paths[apiPath];
  assert.ok(operation, `openapi.json defines ${apiPath}`);
  const text = JSON.stringify(operation.get.responses['200'].content['application/json'].schema);
  return ajv.compile(JSON.parse(text.replaceAll('{"$ref":"#/components/schemas/Page"}', JSON.stringify(PAGE))) as object);
}

const byRef = (file: string) => ajv.compile({ $ref: `${REMOTE}${file}` });

/** Which schema each endpoint's answer must meet. */
const SCHEMAS: { pattern: RegExp; name: string; validate: ValidateFunction }[] = [
  { pattern: /^\/api\/oruk\/?$/, name: 'openapi /', validate: responseSchema('/') },
  { pattern: /^\/api\/oruk\/services\?|^\/api\/oruk\/services$/, name: 'openapi /services', validate: responseSchema('/services') },
  { pattern: /^\/api\/oruk\/services\/[^/?]+$/, name: 'compiled/service.json', validate: responseSchema('/services/{id}') },
  {
    pattern: /^\/api\/oruk\/service_at_locations(\?|$)/,
    name: 'openapi /service_at_locations',
    validate: responseSchema('/service_at_locations'),
  },
  // openapi.json gives compiled/service.json for this one, which a service at a location cannot meet (it has no
  // name or status of its own): the profile's compiled schema for a service at a location is the one that fits.
  { pattern: /^\/api\/oruk\/service_at_locations\/[^/?]+$/, name: 'compiled/service_at_location.json', validate: byRef('compiled/service_at_location.json') },
  // The profile's openapi.json has no organization endpoints yet; its compiled organization schemas describe them.
  {
    pattern: /^\/api\/oruk\/organizations(\?|$)/,
    name: 'page of compiled/organization_list.json',
    validate: ajv.compile({ allOf: [PAGE], properties: { contents: { type: 'array', items: { $ref: `${REMOTE}compiled/organization_list.json` } } } }),
  },
  { pattern: /^\/api\/oruk\/organizations\/[^/?]+$/, name: 'compiled/organization.json', validate: byRef('compiled/organization.json') },
  { pattern: /^\/api\/oruk\/taxonomies(\?|$)/, name: 'openapi /taxonomies', validate: responseSchema('/taxonomies') },
  { pattern: /^\/api\/oruk\/taxonomies\/[^/?]+$/, name: 'openapi /taxonomies/{id}', validate: responseSchema('/taxonomies/{id}') },
  { pattern: /^\/api\/oruk\/taxonomy_terms(\?|$)/, name: 'openapi /taxonomy_terms', validate: responseSchema('/taxonomy_terms') },
  { pattern: /^\/api\/oruk\/taxonomy_terms\/[^/?]+$/, name: 'openapi /taxonomy_terms/{id}', validate: responseSchema('/taxonomy_terms/{id}') },
];

// --- The app and its assets ---------------------------------------------------------------------------------------

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let managerId: string;
const asset: Record<string, string> = {};
/** Every URL requested, so the last test can check each kind of endpoint was validated at least once. */
const validated = new Set<string>();

const at = new Date('2026-10-01T10:00:00Z');
const ORIGIN = 'QB1 1AA';

/** GET, checked against its schema: the parsed body. */
async function api(url: string, expectedStatus = 200): Promise<Record<string, unknown> & { contents?: Record<string, unknown>[] }> {
  const response = await t.app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, expectedStatus, `${url}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.equal(response.headers['access-control-allow-origin'], '*');
  const body = JSON.parse(response.body) as Record<string, unknown> & { contents?: Record<string, unknown>[] };
  if (expectedStatus === 200) {
    const schema = SCHEMAS.find((s) => s.pattern.test(url));
    assert.ok(schema, `a schema for ${url}`);
    const valid = schema.validate(body);
    assert.ok(valid, `${url} against ${schema.name}: ${ajv.errorsText(schema.validate.errors)}`);
    validated.add(schema.name);
  }
  return body;
}

const names = (page: { contents?: Record<string, unknown>[] }) => (page.contents ?? []).map((c) => c.name ?? (c.service as { name: string }).name);

async function addAsset(fields: Partial<Insertable<CommunityAssetsTable>> & { name: string }): Promise<string> {
  const { id } = await t.db
    .insertInto('community_assets')
    .values({
      programme_id: ids.brookfield,
      area_id: ids.marshEnd,
      category: 'association',
      description: `About ${fields.name}`,
      public: true,
      form_token: randomUUID(),
      created_by: managerId,
      created_at: at,
      updated_by: managerId,
      updated_at: at,
      ...fields,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  managerId = await ids.user('manager@brookfield.example');
  // Fictional postcodes far out at sea, so no other data is near them: about 1.1 km apart going north.
  await t.db
    .insertInto('postcodes')
    .values([
      { postcode: ORIGIN, latitude: '50.000000', longitude: '-30.000000', source: 'test', imported_at: at },
      { postcode: 'QB1 2AA', latitude: '50.010000', longitude: '-30.000000', source: 'test', imported_at: at },
    ])
    .execute();

  asset.trust = await addAsset({ name: 'Quarrybank Community Trust', category: 'organisation', website: 'https://trust.example.org', contact_email: 'hello@trust.example.org' });
  asset.hiddenTrust = await addAsset({ name: 'Quarrybank Private Trust', category: 'organisation', public: false });
  asset.walk = await addAsset({
    name: 'Quarrybank Walking Group',
    description: 'A gentle walk round the reservoir, then tea.',
    tags: ['walking', 'outdoors'],
    address_line_1: '1 Reservoir Lane',
    address_town: 'Brookfield',
    postcode: 'QB1 2AA',
    latitude: '50.010000',
    longitude: '-30.000000',
    contact_name: 'Pat Lee',
    contact_phone: '01632 960 001',
    contact_email: 'walks@example.org',
    website: 'https://walks.example.org/quarrybank',
    accessibility: 'Flat paths; benches every 200 metres',
    free: true,
    cost: 'Donations welcome',
    organisation_id: asset.trust,
    last_verified_on: '2026-09-20',
    last_verified_by: managerId,
  });
  asset.cafe = await addAsset({
    name: 'Quarrybank Repair Café',
    category: 'business',
    tags: ['repair'],
    latitude: '50.000100',
    longitude: '-30.000000',
    organisation_id: asset.hiddenTrust,
  });
  asset.choir = await addAsset({ name: 'Quarrybank Choir', category: 'culture', cost: '£2 a week' });
  asset.allotment = await addAsset({ name: 'Quarrybank Allotments', category: 'place', public: false, tags: ['secret'] });
  asset.closed = await addAsset({ name: 'Quarrybank Lunch Club', closed_on: '2026-09-01' });
  asset.eastmoor = await addAsset({
    name: 'Quarrybank Food Bank',
    category: 'organisation',
    programme_id: ids.eastmoor,
    area_id: ids.eastmoorMarshEnd,
    tags: ['food'],
  });
  await t.db
    .insertInto('asset_schedules')
    .values([
      { programme_id: ids.brookfield, asset_id: asset.walk, freq: 'monthly', byday: 'FR', week_of_month: -1, opens_at: '19:00', closes_at: '21:00' },
      { programme_id: ids.brookfield, asset_id: asset.walk, freq: 'weekly', byday: 'TU', opens_at: '10:00', closes_at: '12:00', description: 'Meet at the gate' },
      { programme_id: ids.brookfield, asset_id: asset.allotment, freq: 'weekly', byday: 'SA' },
      { programme_id: ids.brookfield, asset_id: asset.cafe, freq: 'weekly', byday: 'SA', opens_at: '13:00', closes_at: '16:00' },
    ])
    .execute();
});
after(async () => {
  await t.close();
});

const SEARCH = '/api/oruk/services?search=quarrybank';

describe('what the directory shows', () => {
  test('the root says which profile and version it follows', async () => {
    const root = await api('/api/oruk/');
    assert.equal(root.version, '3.0');
    await api('/api/oruk');
  });

  test('public, open assets from every programme; nothing private or closed', async () => {
    const page = await api(SEARCH);
    assert.deepEqual(names(page), [
      'Quarrybank Choir',
      'Quarrybank Community Trust',
      'Quarrybank Food Bank',
      'Quarrybank Repair Café',
      'Quarrybank Walking Group',
    ]);
    for (const hidden of [asset.allotment, asset.closed, asset.hiddenTrust]) {
      await api(`/api/oruk/services/${hidden ?? ''}`, 404);
      await api(`/api/oruk/service_at_locations/${hidden ?? ''}`, 404);
    }
    await api(`/api/oruk/organizations/${asset.hiddenTrust ?? ''}`, 404);
    // The tag only a private asset has is no term at all.
    const terms = await api('/api/oruk/taxonomy_terms?per_page=200');
    assert.ok(!names(terms).includes('secret'));
    // Made private, an asset is gone at once.
    await t.db.updateTable('community_assets').set({ public: false }).where('id', '=', asset.choir ?? '').execute();
    assert.ok(!names(await api(SEARCH)).includes('Quarrybank Choir'));
    await t.db.updateTable('community_assets').set({ public: true }).where('id', '=', asset.choir ?? '').execute();
  });

  test('a service in full: schedules, location, contact, cost, its organisation and its terms, with stable ids', async () => {
    const walk = await api(`/api/oruk/services/${asset.walk ?? ''}`);
    assert.equal(walk.id, asset.walk);
    assert.equal(walk.status, 'active');
    assert.equal(walk.url, 'https://walks.example.org/quarrybank');
    assert.equal(walk.email, 'walks@example.org');
    assert.equal(walk.fees, 'Free: Donations welcome');
    assert.equal(walk.assured_date, '2026-09-20');
    assert.equal(walk.last_modified, at.toISOString());
    assert.deepEqual(walk.organization, {
      id: asset.trust,
      name: 'Quarrybank Community Trust',
      description: 'About Quarrybank Community Trust',
      email: 'hello@trust.example.org',
      website: 'https://trust.example.org/',
    });
    assert.deepEqual(
      (walk.schedules as Record<string, unknown>[]).map((s) => [s.freq, s.byday, s.opens_at, s.closes_at, s.description]),
      [
        ['WEEKLY', 'TU', '10:00:00', '12:00:00', 'Meet at the gate'],
        ['MONTHLY', '-1FR', '19:00:00', '21:00:00', undefined],
      ],
    );
    assert.deepEqual(walk.contacts, [
      {
        id: partId(asset.walk ?? '', 'contact'),
        service_id: asset.walk,
        name: 'Pat Lee',
        phones: [{ id: partId(asset.walk ?? '', 'phone'), contact_id: partId(asset.walk ?? '', 'contact'), number: '01632 960 001' }],
      },
    ]);
    const [sal] = walk.service_at_locations as { id: string; location: Record<string, unknown> }[];
    assert.ok(sal);
    assert.equal(sal.id, asset.walk);
    assert.deepEqual(sal.location.addresses, [
      {
        id: partId(asset.walk ?? '', 'address'),
        address_1: '1 Reservoir Lane',
        city: 'Brookfield',
        state_province: '',
        postal_code: 'QB1 2AA',
        country: 'GB',
        address_type: 'physical',
      },
    ]);
    assert.deepEqual([sal.location.latitude, sal.location.longitude], [50.01, -30]);
    assert.deepEqual(
      (walk.attributes as { taxonomy_term: { id: string; name: string; taxonomy_id: string } }[]).map((a) => [a.taxonomy_term.id, a.taxonomy_term.name, a.taxonomy_term.taxonomy_id]),
      [
        [categoryTermId('association'), 'Associations and groups', CATEGORIES_TAXONOMY.id],
        [tagTermId('walking'), 'walking', TAGS_TAXONOMY.id],
        [tagTermId('outdoors'), 'outdoors', TAGS_TAXONOMY.id],
      ],
    );
    assert.deepEqual(await api(`/api/oruk/services/${asset.walk ?? ''}`), walk, 'the same answer, ids and all, every time');
  });

  test('an organisation that is not public is not named by the services it runs', async () => {
    const cafe = await api(`/api/oruk/services/${asset.cafe ?? ''}`);
    assert.equal(cafe.organization, undefined);
    assert.equal(cafe.organization_id, undefined);
  });

  test('services at locations: only assets with somewhere to go, each in full by its id', async () => {
    const page = await api('/api/oruk/service_at_locations?search=quarrybank');
    assert.deepEqual(names(page), ['Quarrybank Repair Café', 'Quarrybank Walking Group']);
    const full = await api(`/api/oruk/service_at_locations/${asset.walk ?? ''}`);
    assert.equal((full.service as { id: string }).id, asset.walk);
    assert.equal((full.location as { accessibility: { description: string }[] }).accessibility[0]?.description, 'Flat paths; benches every 200 metres');
    await api(`/api/oruk/service_at_locations/${asset.choir ?? ''}`, 404);
  });

  test('organizations: public assets in the organisation category, each with the public services it runs', async () => {
    const page = await api('/api/oruk/organizations?per_page=200');
    const listed = names(page);
    assert.ok(listed.includes('Quarrybank Community Trust') && listed.includes('Quarrybank Food Bank'));
    assert.ok(!listed.includes('Quarrybank Private Trust') && !listed.includes('Quarrybank Walking Group'));
    const trust = await api(`/api/oruk/organizations/${asset.trust ?? ''}`);
    assert.deepEqual(names({ contents: trust.services as Record<string, unknown>[] }), ['Quarrybank Walking Group']);
    await api(`/api/oruk/organizations/${asset.walk ?? ''}`, 404);
  });

  test('taxonomies: the categories and the tags, each with its terms', async () => {
    const page = await api('/api/oruk/taxonomies');
    assert.deepEqual(
      page.contents?.map((c) => c.id),
      [CATEGORIES_TAXONOMY.id, TAGS_TAXONOMY.id],
    );
    const categories = await api(`/api/oruk/taxonomies/${CATEGORIES_TAXONOMY.id}`);
    assert.equal((categories.taxonomy_terms as unknown[]).length, 6);
    const tags = await api(`/api/oruk/taxonomies/${TAGS_TAXONOMY.id}`);
    const tagNames = (tags.taxonomy_terms as { name: string }[]).map((term) => term.name);
    for (const tag of ['food', 'outdoors', 'repair', 'walking']) assert.ok(tagNames.includes(tag), tag);
    const term = await api(`/api/oruk/taxonomy_terms/${tagTermId('walking')}`);
    assert.deepEqual([term.name, term.taxonomy_id], ['walking', TAGS_TAXONOMY.id]);
    await api(`/api/oruk/taxonomy_terms/${categoryTermId('gifts')}`);
    await api(`/api/oruk/taxonomy_terms/${tagTermId('secret')}`, 404);
    await api(`/api/oruk/taxonomies/${randomUUID()}`, 404);
    await api('/api/oruk/taxonomy_terms');
  });
});

describe('filters and paging', () => {
  test('text search: every word, in the name, description or tags', async () => {
    assert.deepEqual(names(await api('/api/oruk/services?search=quarrybank+reservoir')), ['Quarrybank Walking Group']);
    assert.deepEqual(names(await api('/api/oruk/services?search=quarrybank%20OUTDOORS')), ['Quarrybank Walking Group']);
    // LIKE's wildcards are searched for as themselves.
    assert.deepEqual(names(await api('/api/oruk/services?search=quarrybank%25')), []);
    assert.deepEqual(names(await api("/api/oruk/services?search=' OR 1=1 --")), []);
  });

  test('taxonomy term and taxonomy', async () => {
    assert.deepEqual(names(await api(`${SEARCH}&taxonomy_term_id=${categoryTermId('organisation')}`)), ['Quarrybank Community Trust', 'Quarrybank Food Bank']);
    assert.deepEqual(names(await api(`${SEARCH}&taxonomy_term_id=${tagTermId('repair')}`)), ['Quarrybank Repair Café']);
    assert.deepEqual(names(await api(`${SEARCH}&taxonomy_term_id=${randomUUID()}`)), []);
    assert.deepEqual(names(await api(`${SEARCH}&taxonomy_id=${TAGS_TAXONOMY.id}`)), ['Quarrybank Food Bank', 'Quarrybank Repair Café', 'Quarrybank Walking Group']);
    assert.equal(names(await api(`${SEARCH}&taxonomy_id=${CATEGORIES_TAXONOMY.id}`)).length, 5);
    assert.deepEqual(names(await api(`${SEARCH}&taxonomy_id=${randomUUID()}`)), []);
  });

  test('postcode: nearest first, those with no position last; proximity in metres keeps only those near', async () => {
    assert.deepEqual(names(await api(`/api/oruk/service_at_locations?search=quarrybank&postcode=qb11aa`)), ['Quarrybank Repair Café', 'Quarrybank Walking Group']);
    assert.deepEqual(names(await api(`${SEARCH}&postcode=QB1%202AA`)), [
      'Quarrybank Walking Group',
      'Quarrybank Repair Café',
      'Quarrybank Choir',
      'Quarrybank Community Trust',
      'Quarrybank Food Bank',
    ]);
    // The café is 11 m from QB1 1AA, the walk about 1.1 km.
    assert.deepEqual(names(await api(`/api/oruk/services?postcode=QB1 1AA&proximity=500`)), ['Quarrybank Repair Café']);
    assert.deepEqual(names(await api(`/api/oruk/service_at_locations?postcode=QB1 1AA&proximity=2000`)), ['Quarrybank Repair Café', 'Quarrybank Walking Group']);
    assert.deepEqual(names(await api(`/api/oruk/services?postcode=QB1 1AA&proximity=5`)), []);
  });

  test('day and times of a schedule', async () => {
    assert.deepEqual(names(await api(`${SEARCH}&day=SA`)), ['Quarrybank Repair Café']);
    assert.deepEqual(names(await api(`${SEARCH}&day=tuesday&start_time=09:30&end_time=12:00`)), ['Quarrybank Walking Group']);
    assert.deepEqual(names(await api(`${SEARCH}&day=TU&start_time=10:30`)), []);
    // Ages are accepted and change nothing: assets keep no eligibility criteria.
    assert.equal(names(await api(`${SEARCH}&minimum_age=12&maximum_age=100`)).length, 5);
  });

  test("paging follows the profile's fields", async () => {
    const second = await api(`${SEARCH}&per_page=2&page=2`);
    assert.deepEqual(
      { ...second, contents: names(second) },
      {
        total_items: 5,
        total_pages: 3,
        page_number: 2,
        size: 2,
        first_page: false,
        last_page: false,
        empty: false,
        contents: ['Quarrybank Food Bank', 'Quarrybank Repair Café'],
      },
    );
    const last = await api(`${SEARCH}&size=2&page=3`);
    assert.deepEqual([last.size, last.last_page, names(last)], [1, true, ['Quarrybank Walking Group']]);
    const beyond = await api(`${SEARCH}&per_page=2&page=9`);
    assert.deepEqual([beyond.size, beyond.empty, beyond.last_page, beyond.contents], [0, false, true, []]);
    const none = await api('/api/oruk/services?search=nothing-matches-this');
    assert.deepEqual(none, { total_items: 0, total_pages: 0, page_number: 1, size: 0, first_page: true, last_page: true, empty: true, contents: [] });
    await api('/api/oruk/service_at_locations?search=nothing-matches-this');
    await api('/api/oruk/organizations?per_page=1&page=500');
    await api('/api/oruk/taxonomies?page=2');
    await api('/api/oruk/taxonomy_terms?per_page=3&page=2');
  });
});

describe('refusals', () => {
  test('bad query values and ids are a 400 in JSON, never a 500', async () => {
    for (const url of [
      '/api/oruk/services?page=-1',
      '/api/oruk/services?page=0',
      '/api/oruk/services?page=1.5',
      '/api/oruk/services?page=abc',
      '/api/oruk/services?page=99999999999999999999',
      '/api/oruk/services?size=1000000',
      '/api/oruk/services?per_page=nonsense',
      '/api/oruk/services?per_page=201',
      '/api/oruk/services?per_page=10&size=20',
      '/api/oruk/services?page=1&page=2',
      '/api/oruk/services?taxonomy_term_id=walking',
      '/api/oruk/services?taxonomy_id=1',
      '/api/oruk/services?postcode=nowhere',
      '/api/oruk/services?postcode=ZZ9 9ZZ',
      '/api/oruk/services?proximity=500',
      '/api/oruk/service_at_locations?postcode=QB1 1AA&proximity=-5',
      '/api/oruk/services?day=funday',
      '/api/oruk/services?start_time=25:00',
      '/api/oruk/services?minimum_age=old',
      `/api/oruk/services?search=${'x'.repeat(201)}`,
      '/api/oruk/services?search=%00',
      '/api/oruk/services?search=a&search=b',
      '/api/oruk/organizations?page=-1',
      '/api/oruk/taxonomies?per_page=0',
      '/api/oruk/taxonomy_terms?size=1000000',
      '/api/oruk/services/not-a-uuid',
      "/api/oruk/service_at_locations/1' OR '1'='1",
      '/api/oruk/organizations/123',
      '/api/oruk/taxonomies/x',
      '/api/oruk/taxonomy_terms/%00',
    ]) {
      const body = await api(url, 400);
      assert.equal(typeof body.message, 'string', url);
    }
  });

  test('an address Fastify cannot decode is its own 400, in JSON', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/oruk/services/%E0%A4%A' });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^application\/json/);
  });

  test('unknown addresses are a 404 in JSON, open to all', async () => {
    for (const url of ['/api/oruk/nothing', '/api/oruk/services/x/y', `/api/oruk/services/${randomUUID()}`, '/api/oruk/locations']) {
      const body = await api(url, 404);
      assert.equal(body.error, 'Not found');
    }
  });

  test('GET only: anything else is a 405 naming GET, and a preflight is answered for any site', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const url of ['/api/oruk/services', `/api/oruk/services/${asset.walk ?? ''}`, '/api/oruk/', '/api/oruk/nothing']) {
        const response = await t.app.inject({ method, url, payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        assert.equal(response.statusCode, 405, `${method} ${url}`);
        assert.equal(response.headers.allow, 'GET');
        assert.equal(response.headers['access-control-allow-origin'], '*');
        assert.equal((JSON.parse(response.body) as { error: string }).error, 'Method not allowed');
      }
    }
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/oruk/services',
      headers: { origin: 'https://directory.example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'accept, x-requested-with' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET');
    assert.equal(preflight.headers['access-control-allow-headers'], 'accept, x-requested-with');
    const head = await t.app.inject({ method: 'HEAD', url: '/api/oruk/services' });
    assert.equal(head.statusCode, 200);
  });

  test('no session and no cookie, even for a signed-in browser; no audit row, as nothing personal is read', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: SEARCH });
    assert.equal(anonymous.headers['set-cookie'], undefined);
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const afterSignIn = await auditMark(t.db);
    // Past the minute after which a page view would refresh the session and send its cookie again.
    t.clock.advance(2 * 60 * 1000);
    const signedIn = await t.app.inject({ method: 'GET', url: SEARCH, headers: { cookie: manager.cookie ?? '' } });
    assert.equal(signedIn.statusCode, 200);
    assert.equal(signedIn.headers['set-cookie'], undefined);
    assert.equal(names(JSON.parse(signedIn.body) as { contents: Record<string, unknown>[] }).length, 5);
    const rows = await auditSince(t.db, afterSignIn);
    assert.deepEqual(rows, []);
  });

  test('the schemas accept the profile\'s own examples and refuse what breaks them', () => {
    const example = (file: string) => JSON.parse(readFileSync(path.join(PROFILE, 'examples', file), 'utf8')) as Record<string, unknown>;
    const check = (url: string, body: unknown) => SCHEMAS.find((s) => s.pattern.test(url))?.validate(body);
    assert.equal(check('/api/oruk/services/x', example('service_full.json')), true);
    assert.equal(check('/api/oruk/services', example('service_list.json')), true);
    assert.equal(check('/api/oruk/service_at_locations/x', example('service_at_location_full.json')), true);
    assert.equal(check('/api/oruk/organizations/x', example('organization_full.json')), true);
    assert.equal(check('/api/oruk/taxonomy_terms', example('taxonomy_term_list.json')), true);
    assert.equal(check('/api/oruk/services/x', { ...example('service_full.json'), status: 'open' }), false);
    assert.equal(check('/api/oruk/services/x', { ...example('service_full.json'), id: 'not-a-uuid' }), false);
    assert.equal(check('/api/oruk/services/x', { ...example('service_full.json'), email: 'not an email' }), false);
    const withoutTotalPages = example('service_list.json');
    delete withoutTotalPages.total_pages;
    assert.equal(check('/api/oruk/services', withoutTotalPages), false);
  });

  test('every kind of endpoint was checked against the profile', () => {
    assert.deepEqual([...validated].sort(), [...new Set(SCHEMAS.map((s) => s.name))].sort());
  });
});
