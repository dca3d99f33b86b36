import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { PRICE_SERIES } from './unit-cost-import.ts';

/** The unit-cost library pages: browsing and searching, a cost uprated, and a programme's own costs. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let manager: Client;
let budget2015: string;
let hmt2025: string;

const ATTRIBUTION = 'Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0';
const THURROCK = {
  description: 'Adult social care assessment',
  unit: 'Per assessment',
  fiscalValue: '£510',
  priceYear: '2015/16',
  agencyL1: 'Local authority',
  agencyL2: 'Adult social care',
  source: 'Thurrock Council, Local Area Coordination evaluation (2016)',
  code: '',
  comment: '',
};

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  const series = await t.db.selectFrom('price_index_series').select(['id', 'name']).execute();
  budget2015 = series.find((s) => s.name === PRICE_SERIES[0]?.name)?.id ?? '';
  hmt2025 = series.find((s) => s.name === PRICE_SERIES[1]?.name)?.id ?? '';
});
after(async () => {
  await t.close();
});

async function sharedCostId(code: string): Promise<string> {
  const row = await t.db.selectFrom('unit_costs').select('id').where('programme_id', 'is', null).where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

/** The rows of the table with this caption, as cell texts. */
function table(html: string, caption: RegExp): string[][] {
  const start = html.search(caption);
  assert.ok(start >= 0, `a table captioned ${String(caption)}`);
  const body = html.slice(start, html.indexOf('</table>', start));
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((row) => [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()));
}

const codesIn = (html: string) => table(html, /Costs \d+ to \d+ of/).map((r) => (r[0] ?? '').replace(/:.*$/, '').replace(/Your own$/, '').trim());

async function addThurrock(client: Client, form: Partial<typeof THURROCK> = {}) {
  const page = await client.get('/impact/unit-costs/new');
  assert.equal(page.statusCode, 200);
  const formToken = hiddenField(page.body, 'formToken') ?? '';
  return { formToken, response: await client.post('/impact/unit-costs', { formToken, ...THURROCK, ...form }) };
}

describe('the unit-cost library page', () => {
  test('lists the shared library a page at a time, in the workbook’s order, with its attribution', async () => {
    const page = await manager.get('/impact/unit-costs');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 class="govuk-heading-m" id="results">\s*684 costs\s*<\/h2>/);
    assert.ok(page.body.includes(`Figures from ${ATTRIBUTION}.`));
    const rows = table(page.body, /Costs 1 to 25 of 684/);
    assert.equal(rows.length, 25);
    assert.deepEqual(rows[0], [
      'CR1.0: Anti-social behaviour further action necessary (cost of dealing with incident)',
      'Anti-social behaviour further action necessary (cost of dealing with incident)',
      'Per incident',
      'Police: Local authority',
      '£500.00 (2002/03)',
      'Red',
    ]);
    assert.match(page.body, /href="\/impact\/unit-costs\?page=2"/);
    const second = await manager.get('/impact/unit-costs?page=2');
    assert.equal(table(second.body, /Costs 26 to 50 of 684/).length, 25);
    // A page past the end shows the last one.
    assert.match((await manager.get('/impact/unit-costs?page=999')).body, /Costs 676 to 684 of 684/);
  });

  test('searches words and codes, and filters by agency (either level, any letter case) and RAG rating', async () => {
    const eviction = await manager.get('/impact/unit-costs?q=eviction');
    assert.equal(eviction.statusCode, 200);
    assert.ok(codesIn(eviction.body).includes('HO1.0'));
    assert.deepEqual(codesIn((await manager.get('/impact/unit-costs?q=ss1.0')).body).slice(0, 1), ['SS1.0']);

    const fire = await manager.get('/impact/unit-costs?agency=fire+service');
    const fireRows = table(fire.body, /Costs 1 to \d+ of \d+/);
    assert.ok(fireRows.length > 0);
    assert.ok(fireRows.every((r) => /fire service/i.test(r[3] ?? '')));

    const red = await manager.get('/impact/unit-costs?rag=R&agency=Police');
    const redRows = table(red.body, /Costs 1 to \d+ of \d+/);
    assert.ok(redRows.length > 0);
    assert.ok(redRows.every((r) => r[5] === 'Red' && /police/i.test(r[3] ?? '')));
    // The filters are kept on the page links.
    const many = await manager.get('/impact/unit-costs?agency=NHS');
    assert.match(many.body, /href="\/impact\/unit-costs\?agency=NHS&amp;page=2"/);

    const none = await manager.get('/impact/unit-costs?q=no+such+thing+at+all');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /No costs found/);
  });

  test('a search that cannot be used is explained, the input kept, and the whole library still shown', async () => {
    for (const [query, field, message] of [
      ['rag=X', 'rag', 'Select a RAG rating from the list'],
      ['page=0', 'page', 'Enter a page number, like 2'],
      ['page=two', 'page', 'Enter a page number, like 2'],
      ['library=nonsense', 'library', 'Select a library from the list'],
      ['library=00000000-0000-4000-8000-000000000000', 'library', 'Select a library from the list'],
      [`q=${'x'.repeat(101)}`, 'q', 'Search words must be 100 characters or fewer'],
    ] as const) {
      const page = await manager.get(`/impact/unit-costs?${query}`);
      assert.equal(page.statusCode, 400, query);
      assert.match(page.body, /There is a problem/);
      assert.ok(page.body.includes(`<a href="#${field}">${message}</a>`), query);
      assert.match(page.body, /Costs 1 to 25 of 684/, query);
    }
    assert.match((await manager.get(`/impact/unit-costs?q=${'x'.repeat(101)}`)).body, new RegExp(`id="q" name="q" type="text" spellcheck="false" value="${'x'.repeat(101)}"`));
  });

  test('coordinators, the Leadership Group and evaluators read it; admins and people not signed in do not', async () => {
    for (const email of ['coordinator.marsh@brookfield.example', 'leadership@brookfield.example', 'evaluator@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      const page = await client.get('/impact/unit-costs');
      assert.equal(page.statusCode, 200, email);
      assert.match(page.body, /href="\/impact\/unit-costs"[^>]*>[^<]*(<strong[^>]*>)?\s*Unit costs/, `${email}: the menu item`);
      assert.doesNotMatch(page.body, /Add one of your programme’s own costs/, email);
      assert.equal((await client.get(`/impact/unit-costs/${await sharedCostId('SS1.0')}`)).statusCode, 200, email);
      assert.equal((await client.get('/impact/unit-costs/new')).statusCode, 403, email);
    }
    const admin = await signedInClient(t.app, 'admin@brookfield.example');
    assert.equal((await admin.get('/impact/unit-costs')).statusCode, 403);
  });
});

describe('a cost’s page', () => {
  test('shows its values in their price years and, by default, in the programme’s price year (2015/16) with the workbook’s own deflators to then', async () => {
    const page = await manager.get(`/impact/unit-costs/${await sharedCostId('SS1.0')}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(table(page.body, /Values as published/), [['Fiscal', '£51,080.00', '2013/14']]);
    assert.deepEqual(table(page.body, /In 2015\/16 prices, with GDP deflators \(Budget 2015 to 2015\/16, then HM Treasury December 2025\)/), [
      ['Fiscal', '£51,080.00 (2013/14)', '£52,675.64', '× 195.969699 ÷ 190.033434'],
    ]);
    assert.ok(page.body.includes(`Figures from ${ATTRIBUTION}.`));
    assert.match(page.body, /Sheet Social Services, row \d+/);
  });

  test('once the admin chooses another price year for the programme, a cost opens in that year’s prices', async () => {
    const admin = await signedInClient(t.app, 'admin@brookfield.example');
    await admin.get('/admin/scenarios');
    assert.equal((await admin.post('/admin/prices', { priceYear: '2023/24' })).statusCode, 303);
    try {
      const page = await manager.get(`/impact/unit-costs/${await sharedCostId('SS1.0')}`);
      // 51,080 × 252.3337006… ÷ 190.033434, as in uprating.test.ts.
      assert.deepEqual(table(page.body, /In 2023\/24 prices/).map((r) => r[2]), ['£67,825.99']);
    } finally {
      assert.equal((await admin.post('/admin/prices', { priceYear: '2015/16' })).statusCode, 303);
    }
  });

  test('uprates to the year and series chosen; HE11.0 shows fiscal and economic values', async () => {
    const page = await manager.get(`/impact/unit-costs/${await sharedCostId('HE11.0')}?year=2015%2F16&series=${budget2015}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(
      table(page.body, /In 2015\/16 prices/).map((r) => [r[0], r[2]]),
      [
        ['Fiscal', '£977.07'],
        ['Economic', '£4,521.61'],
      ],
    );
    const eviction = await manager.get(`/impact/unit-costs/${await sharedCostId('HO1.0')}?year=2015-16&series=${budget2015}`);
    assert.deepEqual(table(eviction.body, /In 2015\/16 prices/).map((r) => r[2]), ['£7,276.42']);
  });

  test('a year or series the series cannot serve, or that is not one, is a 400 with the reason beside the field', async () => {
    const id = await sharedCostId('SS1.0');
    for (const [query, field, message] of [
      [`year=2024&series=${hmt2025}`, 'series', 'The series “GDP deflators (HM Treasury, December 2025)” has no index for 2013/14, the year this value is priced in.'],
      [`year=2030%2F31&series=${budget2015}`, 'year', 'The series “GDP deflators (HM Treasury, Budget 2015)” has no index for 2030/31.'],
      [`year=2015%2F17&series=${budget2015}`, 'year', 'A financial year runs into the next year, like 2015/16'],
      [`year=soon&series=${budget2015}`, 'year', 'Enter the price year as a financial year, like 2015/16, or a calendar year, like 2015'],
      ['year=2015%2F16&series=nonsense', 'series', 'Select a price index series from the list'],
      ['year=2015%2F16&series=00000000-0000-4000-8000-000000000000', 'series', 'Select a price index series from the list'],
      [`series=${budget2015}`, 'year', 'Enter the price year to show the values in, like 2015/16 or 2015'],
    ] as const) {
      const page = await manager.get(`/impact/unit-costs/${id}?${query}`);
      assert.equal(page.statusCode, 400, query);
      assert.ok(page.body.includes(`<a href="#${field}">${message}`), `${query}: ${message}`);
      // The values as published are still shown.
      assert.deepEqual(table(page.body, /Values as published/), [['Fiscal', '£51,080.00', '2013/14']], query);
    }
  });

  test('no such cost, or not an id, is not found', async () => {
    assert.equal((await manager.get('/impact/unit-costs/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await manager.get('/impact/unit-costs/SS1.0')).statusCode, 404);
  });
});

describe('a programme’s own costs', () => {
  let costId: string;

  test('a manager adds one with its source (Thurrock’s £510 per assessment); audited; a double submission is one cost', async () => {
    const mark = await auditMark(t.db);
    const { formToken, response } = await addThurrock(manager);
    assert.equal(response.statusCode, 303);
    const location = String(response.headers.location);
    assert.match(location, /^\/impact\/unit-costs\/[0-9a-f-]{36}\?added=1$/);
    costId = location.slice('/impact/unit-costs/'.length, -'?added=1'.length);

    const again = await manager.post('/impact/unit-costs', { formToken, ...THURROCK });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, location);
    const rows = await t.db.selectFrom('unit_costs').selectAll().where('programme_id', '=', ids.brookfield).execute();
    assert.deepEqual(
      rows.map((r) => [r.description, r.unit, r.fiscal_value, r.fiscal_price_year, r.agency_l1, r.agency_l2, r.source, r.code, r.version]),
      [[THURROCK.description, 'Per assessment', '510.00', '2015/16', 'Local authority', 'Adult social care', THURROCK.source, null, 1]],
    );
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.programme_id, r.detail]),
      [
        ['unit-cost.create', 'allowed', ids.brookfield, { unitCostId: costId, version: 1 }],
        ['unit-cost.create', 'allowed', ids.brookfield, {}],
      ],
    );

    const page = await manager.get(location);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Cost added\./);
    assert.deepEqual(table(page.body, /Values as published/), [['Fiscal', '£510.00', '2015/16']]);
    // Not the GMCA database's figure: no attribution is claimed for it.
    assert.ok(!page.body.includes(ATTRIBUTION));
    const list = await manager.get('/impact/unit-costs?q=assessment+adult');
    assert.deepEqual(table(list.body, /Costs 1 to 1 of 1/).map((r) => [r[0], r[4]]), [['No code: Adult social care assessmentYour own', '£510.00 (2015/16)']]);
  });

  test('its value uprates with the calendar-year series when priced in a calendar year, and is refused with a financial one', async () => {
    const { response } = await addThurrock(manager, { description: 'Residential placement for a child', unit: 'Per week', fiscalValue: '3,000', priceYear: '2019', code: 'HAV-1', source: 'Havering Council' });
    assert.equal(response.statusCode, 303);
    const location = String(response.headers.location).replace('?added=1', '');
    const page = await manager.get(location);
    // The page's own default (the programme's financial price year) cannot serve a calendar year: said, not an error.
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /has no index for 2019, the year this value is priced in\. It covers financial years, like 2015\/16, 1989\/90 to 2023\/24\. Choose another series or year\./);
    const uprated = await manager.get(`${location}?year=2024&series=${hmt2025}`);
    assert.equal(uprated.statusCode, 200);
    // 3000 × 100 ÷ 81.1085
    assert.deepEqual(table(uprated.body, /In 2024 prices/).map((r) => r[2]), ['£3,698.75']);
  });

  test('bad input is explained with the input kept, nothing written, and the attempt audited as failed', async () => {
    const before = await t.db.selectFrom('unit_costs').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const mark = await auditMark(t.db);
    const { response } = await addThurrock(manager, { description: '', fiscalValue: '5l0', priceYear: '2015/17', source: '  ' });
    assert.equal(response.statusCode, 400);
    for (const [field, message] of [
      ['description', 'Enter what the cost is'],
      ['fiscalValue', 'Enter the cost in pounds, like 510 or 1,250.50'],
      ['priceYear', 'A financial year runs into the next year, like 2015/16'],
      ['source', 'Enter where the figure comes from'],
    ]) {
      assert.ok(response.body.includes(`<a href="#${field}">${message}</a>`), field);
    }
    assert.match(response.body, /id="fiscalValue" name="fiscalValue" type="text" spellcheck="false" value="5l0"/);
    const after = await t.db.selectFrom('unit_costs').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [['unit-cost.create', 'failed', { reason: 'form had problems', fields: ['description', 'fiscalValue', 'priceYear', 'source'] }]],
    );
    // A code already used by another of the programme's own costs.
    const taken = await addThurrock(manager, { code: 'hav-1' });
    assert.equal(taken.response.statusCode, 400);
    assert.match(taken.response.body, /Another of your programme’s own costs has this code/);
  });

  test('a change is a new version, the earlier kept; a save from an older version is refused with both shown (409)', async () => {
    const form = await manager.get(`/impact/unit-costs/${costId}/change`);
    assert.equal(form.statusCode, 200);
    assert.equal(hiddenField(form.body, 'version'), '1');
    const changed = { ...THURROCK, fiscalValue: '520', priceYear: '2016/17', version: '1' };
    const mark = await auditMark(t.db);
    const saved = await manager.post(`/impact/unit-costs/${costId}/change`, changed);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/impact/unit-costs/${costId}?changed=1`);
    // The same save again (a double click) lands on what it already did.
    assert.equal((await manager.post(`/impact/unit-costs/${costId}/change`, changed)).statusCode, 303);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [
        ['unit-cost.update', 'allowed', { unitCostId: costId, version: 2 }],
        ['unit-cost.update', 'allowed', {}],
      ],
    );
    const versions = await t.db.selectFrom('unit_cost_versions').select(['version', 'fiscal_value', 'fiscal_price_year']).where('unit_cost_id', '=', costId).orderBy('version').execute();
    assert.deepEqual(versions, [
      { version: 1, fiscal_value: '510.00', fiscal_price_year: '2015/16' },
      { version: 2, fiscal_value: '520.00', fiscal_price_year: '2016/17' },
    ]);
    const page = await manager.get(`/impact/unit-costs/${costId}`);
    assert.deepEqual(table(page.body, /Every version of this cost/).map((r) => [r[0], r[2]]), [
      ['2', '£520.00 (2016/17)'],
      ['1', '£510.00 (2015/16)'],
    ]);

    // Someone else opened the form at version 1 and saves something different.
    const stale = await manager.post(`/impact/unit-costs/${costId}/change`, { ...THURROCK, fiscalValue: '600', version: '1' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /<th scope="row" class="govuk-table__header">Cost<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">£520.00<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">£600.00<\/p><\/td>/);
    assert.equal(hiddenField(stale.body, 'version'), '2');
    assert.match(stale.body, /name="fiscalValue" type="text" spellcheck="false" value="600"/);
    const now = await t.db.selectFrom('unit_costs').select(['version', 'fiscal_value']).where('id', '=', costId).executeTakeFirstOrThrow();
    assert.deepEqual(now, { version: 2, fiscal_value: '520.00' });

    const invalid = await manager.post(`/impact/unit-costs/${costId}/change`, { ...THURROCK, source: '', version: '2' });
    assert.equal(invalid.statusCode, 400);
    assert.ok(invalid.body.includes('<a href="#source">Enter where the figure comes from</a>'));
  });

  test('the shared library’s costs cannot be changed, and another programme neither sees nor changes this one', async () => {
    const shared = await sharedCostId('SS1.0');
    assert.equal((await manager.get(`/impact/unit-costs/${shared}/change`)).statusCode, 404);
    assert.equal((await manager.post(`/impact/unit-costs/${shared}/change`, { ...THURROCK, version: '1' })).statusCode, 404);

    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    assert.equal((await eastmoor.get(`/impact/unit-costs/${costId}`)).statusCode, 404);
    const mark = await auditMark(t.db);
    assert.equal((await eastmoor.post(`/impact/unit-costs/${costId}/change`, { ...THURROCK, version: '2' })).statusCode, 404);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.programme_id]),
      [['unit-cost.update', 'denied', ids.eastmoor]],
    );
    const list = await eastmoor.get('/impact/unit-costs?q=assessment+adult');
    assert.match(list.body, /No costs found/);
    assert.match((await eastmoor.get('/impact/unit-costs')).body, /684 costs/);

    const coordinator = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
    assert.equal((await coordinator.get(`/impact/unit-costs/${costId}`)).statusCode, 200);
    assert.equal((await coordinator.get(`/impact/unit-costs/${costId}/change`)).statusCode, 403);
  });
});
