import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { commandLineImporter, importOpenReferral, ImportTargetError } from './service.ts';

/**
 * Importing Open Referral UK documents: the manager's page, the command line's shared function, every example in
 * the profile, updates rather than duplicates, double submission, what is skipped and why, and bad input.
 */

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let manager: Client;

const EXAMPLES = path.resolve(import.meta.dirname, '../../../reference/open-referral-uk/examples');
const example = (file: string) => readFileSync(path.join(EXAMPLES, file), 'utf8');
/** The profile's examples all describe one organization and one service, with these ids. */
const EXAMPLE_ORG = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';
const EXAMPLE_SERVICE = 'ac148810-d857-441c-9679-408f346de14b';

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  manager = await signedInClient(t.app, 'manager@brookfield.example');
});
after(async () => {
  await t.close();
});

/** The import form as a manager fills it in, with a fresh one-time token from the page. */
async function form(client: Client, fields: Record<string, string>): Promise<Record<string, string>> {
  const page = await client.get('/community/import');
  assert.equal(page.statusCode, 200);
  return { formToken: hiddenField(page.body, 'formToken') ?? '', areaId: ids.marshEnd, category: 'association', ...fields };
}

async function importDocument(document: unknown, fields: Record<string, string> = {}, client = manager) {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  return client.post('/community/import', await form(client, { document: text, ...fields }));
}

const ENTITIES: Record<string, string> = { '&#39;': "'", '&quot;': '"', '&amp;': '&' };

/** The counts, and the table of what happened as rows of [name, what it was, what happened, why], as the page shows them. */
function summaryOf(html: string) {
  const count = (label: string) => Number(new RegExp(`${label}\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*(\\d+)`).exec(html)?.[1] ?? 'NaN');
  const table = html.slice(html.indexOf('What happened to each item'));
  const rows = [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1).map((row) => {
    const cells = [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => (cell[1] ?? '').trim().replace(/&#39;|&quot;|&amp;/g, (e) => ENTITIES[e] ?? e));
    const [item = '', ...rest] = cells;
    return [...item.split('<br>').map((part) => part.replace(/<[^>]+>/g, '').trim()), ...rest];
  });
  return { created: count('Created'), updated: count('Updated'), skipped: count('Skipped'), rows };
}

async function assetBySource(sourceId: string, programmeId = ids.brookfield) {
  return t.db.selectFrom('community_assets').selectAll().where('programme_id', '=', programmeId).where('source_id', '=', sourceId).executeTakeFirst();
}

async function countAssets(): Promise<number> {
  const row = await t.db.selectFrom('community_assets').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the profile’s examples', () => {
  test('every one imports cleanly: one organisation and one service, updated rather than repeated; taxonomies explained', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();
    assert.equal(files.length, 10);
    let first = true;
    for (const file of files) {
      const response = await importDocument(example(file), { public: 'yes' });
      assert.equal(response.statusCode, 200, file);
      const summary = summaryOf(response.body);
      if (file.startsWith('taxonomy')) {
        assert.deepEqual([summary.created, summary.updated, summary.skipped], [0, 0, 1], file);
        assert.match(summary.rows[0]?.[3] ?? '', /^Because it is a taxonomy( term)?: it describes categories, not a community asset\.$/, file);
        continue;
      }
      const expected = file === 'organization_list.json' ? 1 : 2;
      assert.equal(summary.skipped, 0, file);
      assert.equal(summary.created + summary.updated, expected, file);
      if (first) assert.equal(summary.created, expected, `${file} creates`);
      else assert.equal(summary.updated, expected, `${file} updates`);
      first = false;
    }
    const organisation = await assetBySource(EXAMPLE_ORG);
    const service = await assetBySource(EXAMPLE_SERVICE);
    assert.ok(organisation && service);
    assert.deepEqual(
      [organisation.category, organisation.name, organisation.website, organisation.contact_email, organisation.public],
      ['organisation', 'Example Organization Inc.', 'http://example.com', 'email@example.com', true],
    );
    assert.deepEqual(
      [
        service.category,
        service.name,
        service.area_id,
        service.website,
        service.contact_email,
        service.contact_name,
        service.cost,
        service.free,
        service.address_line_1,
        service.address_town,
        service.postcode,
        service.latitude,
        service.organisation_id,
        service.last_verified_on,
      ],
      [
        'association',
        'Community Counselling',
        ids.marshEnd,
        'http://example.com/counselling',
        'email@example.com',
        'Ann Persona',
        'fees_description',
        false,
        '1-30 Main Street',
        'MyCity',
        null,
        null,
        organisation.id,
        null,
      ],
    );
    assert.match(service.accessibility ?? '', /induction loops/);
    const schedules = await t.db
      .selectFrom('asset_schedules')
      .select(['freq', 'byday', 'opens_at', 'closes_at'])
      .where('asset_id', '=', service.id)
      .orderBy('byday')
      .execute();
    assert.deepEqual(
      schedules.map((s) => [s.freq, s.byday, s.opens_at, s.closes_at]),
      [
        ['weekly', 'FR', '10:00:00', '18:00:00'],
        ['weekly', 'TH', '10:00:00', '18:00:00'],
      ],
      'the schedules replaced on each import, not added to',
    );
  });

  test('what could not be kept is said beside each item', async () => {
    const summary = summaryOf((await importDocument(example('service_full.json'))).body);
    assert.deepEqual(
      summary.rows.map((r) => r.slice(0, 3)),
      [
        ['Example Organization Inc.', 'Organisation', 'Updated'],
        ['Community Counselling', 'Service', 'Updated'],
      ],
    );
    assert.equal(summary.rows[0]?.[3], 'Nothing left out');
    assert.equal(
      summary.rows[1]?.[3],
      'The postcode ABC 1234 was left out: it is not a UK postcode. The map position was left out: 100, 101 is not a place on Earth.',
    );
  });
});

describe('importing', () => {
  const walk = (fields: Record<string, unknown> = {}) => ({
    id: 'walk-1',
    name: 'Riverside Walk',
    description: 'A walk by the river',
    status: 'active',
    service_at_locations: [
      { id: 'sal', location: { id: 'loc', location_type: 'physical', addresses: [{ id: 'a', address_1: '2 Mill Lane', city: 'Brookfield', postal_code: 'BF1 9QQ', country: 'GB', state_province: '', address_type: 'physical' }] } },
    ],
    ...fields,
  });

  test('one audit row with counts only; the assets are seen by the programme and, only if ticked, by the public', async () => {
    await t.db
      .insertInto('postcodes')
      .values({ postcode: 'BF1 9QQ', latitude: '53.400000', longitude: '-2.100000', source: 'test', imported_at: new Date() })
      .execute();
    const mark = await auditMark(t.db);
    const response = await importDocument([walk()]);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(summaryOf(response.body).created, 1);
    const rows = await auditSince(t.db, mark);
    assert.deepEqual(
      rows.map((r) => [r.action, r.outcome, r.programme_id, r.detail]),
      [['assets.import', 'allowed', ids.brookfield, { created: 1, updated: 0, skipped: 0 }]],
    );
    const asset = await assetBySource('walk-1');
    assert.ok(asset);
    // A position from the postcode list, when the document gives none.
    assert.deepEqual([asset.public, asset.latitude, asset.longitude, asset.last_verified_on], [false, '53.400000', '-2.100000', null]);
    const api = async () => (await t.app.inject({ method: 'GET', url: `/api/oruk/services/${asset.id}` })).statusCode;
    assert.equal(await api(), 404);
    await importDocument([walk()], { public: 'yes' });
    assert.equal(await api(), 200);
    await importDocument([walk()]);
    assert.equal(await api(), 404, 'an import without the tick takes its assets out of the public directory again');
  });

  test('the same form sent twice imports once', async () => {
    const fields = await form(manager, { document: JSON.stringify([walk({ id: 'twice-1', name: 'Sent Twice' })]) });
    const mark = await auditMark(t.db);
    const [one, two] = await Promise.all([manager.post('/community/import', fields), manager.post('/community/import', fields)]);
    const three = await manager.post('/community/import', fields);
    assert.deepEqual([one.statusCode, two.statusCode, three.statusCode], [200, 200, 200]);
    assert.equal([one, two, three].filter((r) => r.body.includes('Import finished')).length, 1);
    assert.match(three.body, /Already imported/);
    const made = await t.db.selectFrom('community_assets').select('id').where('name', '=', 'Sent Twice').execute();
    assert.equal(made.length, 1);
    assert.equal((await auditSince(t.db, mark)).length, 1);
  });

  test('skipped with reasons; a service no longer running closes the asset imported before, and is not made new', async () => {
    const first = summaryOf(
      (
        await importDocument({
          contents: [walk({ id: 'closing-1', name: 'Closing Soon' }), walk({ id: 'gone-1', name: 'Long Gone', status: 'defunct' }), walk({ id: 'nameless', name: '' })],
        })
      ).body,
    );
    assert.deepEqual([first.created, first.updated, first.skipped], [1, 0, 2]);
    assert.deepEqual(
      first.rows.map((r) => [r[0], r[2], r[3]]),
      [
        ['Closing Soon', 'Created', 'Nothing left out'],
        ['Long Gone', 'Skipped', 'Because its status is “defunct”, so it is not running.'],
        ['nameless', 'Skipped', 'Because it has no name.'],
      ],
    );
    const closing = summaryOf((await importDocument([walk({ id: 'closing-1', name: 'Closing Soon', status: 'temporarily closed' })])).body);
    assert.deepEqual(closing.rows[0]?.slice(2), ['Updated', 'Marked as closed: its status is “temporarily closed”.']);
    const closed = await assetBySource('closing-1');
    assert.equal(closed?.closed_on, '2026-11-02');
    const reopened = summaryOf((await importDocument([walk({ id: 'closing-1', name: 'Closing Soon' })])).body);
    assert.deepEqual(reopened.rows[0]?.slice(2), ['Updated', 'Open again: the document says it is active.']);
    assert.equal((await assetBySource('closing-1'))?.closed_on, null);
    assert.equal(await assetBySource('gone-1'), undefined);
  });

  test('what a directory published imports into another programme as it was: category, tags, schedules, contact, place', async () => {
    const brookfieldManager = await t.db.selectFrom('users').select('id').where('email', '=', 'manager@brookfield.example').executeTakeFirstOrThrow();
    const { id } = await t.db
      .insertInto('community_assets')
      .values({
        programme_id: ids.brookfield,
        area_id: ids.hollinsPark,
        category: 'place',
        name: 'Hollins Park Library',
        description: 'Books, computers and a warm room',
        tags: ['books', 'warm space'],
        address_line_1: '5 Park Road',
        address_town: 'Brookfield',
        postcode: 'BF3 1AB',
        latitude: '53.410000',
        longitude: '-2.120000',
        contact_phone: '01632 960 123',
        free: true,
        cost: 'Printing 10p a page',
        public: true,
        form_token: randomUUID(),
        created_by: brookfieldManager.id,
        created_at: new Date(),
        updated_by: brookfieldManager.id,
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('asset_schedules').values({ programme_id: ids.brookfield, asset_id: id, freq: 'monthly', byday: 'WE', week_of_month: 2, opens_at: '09:30', closes_at: '17:00' }).execute();
    const published = (await t.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).body;

    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    const response = await importDocument(published, { areaId: ids.eastmoorMarshEnd, category: 'business' }, eastmoor);
    assert.equal(summaryOf(response.body).created, 1);
    const copy = await assetBySource(id, ids.eastmoor);
    assert.ok(copy);
    assert.deepEqual(
      [copy.category, copy.tags, copy.address_line_1, copy.postcode, copy.latitude, copy.longitude, copy.contact_phone, copy.free, copy.cost],
      ['place', ['books', 'warm space'], '5 Park Road', 'BF3 1AB', '53.410000', '-2.120000', '01632 960 123', true, 'Printing 10p a page'],
    );
    const schedules = await t.db.selectFrom('asset_schedules').select(['freq', 'byday', 'week_of_month', 'opens_at', 'closes_at']).where('asset_id', '=', copy.id).execute();
    assert.deepEqual(schedules, [{ freq: 'monthly', byday: 'WE', week_of_month: 2, opens_at: '09:30:00', closes_at: '17:00:00' }]);
  });

  test('a large document is accepted up to the limit the page gives; beyond it, 413 and nothing written', async () => {
    const many = Array.from({ length: 400 }, (_, i) => walk({ id: `bulk-${i}`, name: `Bulk Group ${i}`, description: 'x'.repeat(400) }));
    const big = await importDocument({ contents: many });
    assert.equal(big.statusCode, 200);
    assert.equal(summaryOf(big.body).created, 400);
    const before = await countAssets();
    const tooBig = await importDocument('"' + 'x'.repeat(6 * 1024 * 1024) + '"');
    assert.equal(tooBig.statusCode, 413);
    assert.equal(await countAssets(), before);
  });
});

describe('the page', () => {
  test('says how large a document may be, and offers the neighbourhoods and kinds of asset', async () => {
    const page = await manager.get('/community/import');
    assert.match(page.body, /The form can send up to 5 MB/);
    assert.match(page.body, /Marsh End/);
    assert.match(page.body, /Hollins Park/);
    assert.doesNotMatch(page.body, /value="gifts"/);
  });

  test('bad input is explained with the input kept, and nothing is written', async () => {
    const before = await countAssets();
    const mark = await auditMark(t.db);
    const cases: [Record<string, string>, string, string][] = [
      [{ document: '{"name": "Broken' }, 'document', 'The document is not valid JSON'],
      [{ document: '   ' }, 'document', 'Paste an Open Referral UK document'],
      [{ document: '42' }, 'document', 'This is not an Open Referral UK document'],
      [{ document: '{}' }, 'document', 'This is not an Open Referral UK document'],
      [{ document: '[]', areaId: '' }, 'areaId', 'Select the neighbourhood the imported assets belong to'],
      [{ document: '[]', areaId: 'nowhere' }, 'areaId', 'Select the neighbourhood the imported assets belong to'],
      [{ document: '[]', areaId: ids.eastmoorMarshEnd }, 'areaId', 'Select the neighbourhood the imported assets belong to'],
      [{ document: '[]', category: 'gifts' }, 'category', 'Select what kind of community asset the services are'],
      [{ document: '[]', formToken: 'x' }, 'document', 'This form has expired'],
    ];
    for (const [fields, field, message] of cases) {
      const response = await manager.post('/community/import', await form(manager, fields));
      assert.equal(response.statusCode, 400, message);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, new RegExp(`<a href="#${field}">${message}`), message);
      if (fields.document !== undefined && fields.document.trim() !== '') {
        assert.ok(response.body.includes(fields.document.replace(/"/g, '&quot;')), `${message}: the document is shown again`);
      }
    }
    assert.equal(await countAssets(), before);
    assert.deepEqual(await auditSince(t.db, mark), []);
  });

  test('only managers may import; others are refused and the refusal audited', async () => {
    for (const email of ['coordinator.marsh@brookfield.example', 'leadership@brookfield.example', 'evaluator@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      assert.equal((await client.get('/community/import')).statusCode, 403, email);
      const mark = await auditMark(t.db);
      const post = await client.post('/community/import', { formToken: randomUUID(), areaId: ids.marshEnd, category: 'association', document: '[]' });
      assert.equal(post.statusCode, 403, email);
      assert.deepEqual(
        (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome]),
        [['assets.import', 'denied']],
      );
    }
  });
});

describe('the command line', () => {
  test('finds the programme, neighbourhood and manager by name, and imports as that manager with the same function', async () => {
    const target = await commandLineImporter(t, { programmeName: 'brookfield local area coordination', areaName: 'hollins park', byEmail: undefined });
    assert.equal(target.areaId, ids.hollinsPark);
    assert.equal(target.manager.email, 'manager@brookfield.example');
    const mark = await auditMark(t.db);
    const result = await importOpenReferral(t, target.importer, {
      document: JSON.parse(example('service_list.json')) as unknown,
      areaId: target.areaId,
      category: 'culture',
      public: false,
      formToken: randomUUID(),
    });
    assert.equal(result.kind, 'imported');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.actor_user_id, r.detail]),
      [['assets.import', target.importer.userId, { created: result.summary.created, updated: result.summary.updated, skipped: 0 }]],
    );
    assert.equal((await assetBySource(EXAMPLE_SERVICE))?.area_id, ids.hollinsPark);
  });

  test('says plainly what it cannot find', async () => {
    const attempts: [Parameters<typeof commandLineImporter>[1], RegExp][] = [
      [{ programmeName: 'Nowhere', areaName: 'Marsh End', byEmail: undefined }, /no programme called “Nowhere”/],
      [{ programmeName: 'Brookfield Local Area Coordination', areaName: 'Atlantis', byEmail: undefined }, /no neighbourhood called “Atlantis”/],
      [{ programmeName: 'Brookfield Local Area Coordination', areaName: 'Marsh End', byEmail: 'admin@brookfield.example' }, /is not a manager of/],
    ];
    for (const [target, message] of attempts) {
      await assert.rejects(commandLineImporter(t, target), (error: unknown) => error instanceof ImportTargetError && message.test(error.message));
    }
  });
});
