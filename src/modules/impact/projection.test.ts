import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';

/**
 * The projection page through the real app: Havering's published table (IMPACT.md, acceptance figures) from funding
 * recorded on the investment page, at £3.65 for every £1, rounded down as published, and the seed's typo caught.
 */
let t: TestApp;
let manager: Client;
let coordinator: Client;

const HAVERING: [year: string, partner: string, amount: string][] = [
  ['2019/20', 'adult_social_care', '28,500'],
  // One year in two lines, so the page adds a year's funding up before projecting it.
  ['2020/21', 'adult_social_care', '500,000'],
  ['2020/21', 'public_health', '95,614'],
  ['2021/22', 'adult_social_care', '831,564'],
  ['2022/23', 'adult_social_care', '1,099,192'],
  ['2023/24', 'adult_social_care', '1,257,463'],
  ['2024/25', 'adult_social_care', '1,276,306'],
];

const PUBLISHED_ROWS: [year: string, investment: string, value: string][] = [
  ['2019/20', '£28,500.00', '£104,025.00'],
  ['2020/21', '£595,614.00', '£2,173,991.00'],
  ['2021/22', '£831,564.00', '£3,035,208.00'],
  ['2022/23', '£1,099,192.00', '£4,012,050.00'],
  ['2023/24', '£1,257,463.00', '£4,589,739.00'],
  ['2024/25', '£1,276,306.00', '£4,658,516.00'],
];

const SOURCE = 'Havering LAC annual report, £3.65 for every £1';

const projectionPage = (query: Record<string, string>) => manager.get(`/impact/projection?${new URLSearchParams(query).toString()}`);
const havering = (extra: Record<string, string> = {}) => projectionPage({ ratio: '3.65', source: SOURCE, rounding: 'pound-down', ...extra });

/** The text of the table row whose header cell is `label`, cells joined by "|". */
function rowText(html: string, label: string): string | undefined {
  const rows = [...html.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => [...(m[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => (c[1] ?? '').trim()));
  return rows.find((cells) => cells[0] === label)?.join('|');
}

before(async () => {
  t = await buildTestApp();
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  coordinator = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
});
after(async () => {
  await t.close();
});

describe('projection from an evidence ratio', () => {
  test('with no funding recorded the page says so and offers no form', async () => {
    const page = await manager.get('/impact/projection');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No funding has been recorded yet, so there is nothing to project/);
    assert.ok(!page.body.includes('name="ratio"'));
    const bookmarked = await havering();
    assert.equal(bookmarked.statusCode, 200);
    assert.ok(!bookmarked.body.includes('There is a problem'));
    assert.match(bookmarked.body, /nothing to project/);
  });

  test('Havering at £3.65 for every £1, rounded down: the published table, and the typo in 2024/25 £10,000 short', async () => {
    for (const [financialYear, partner, amount] of HAVERING) {
      const form = await manager.get('/impact/investment');
      const added = await manager.post('/impact/investment', { formToken: hiddenField(form.body, 'formToken') ?? '', partner, partnerName: '', financialYear, amount, note: '' });
      assert.equal(added.statusCode, 303);
    }

    // Opened without a query: the empty form, no problems listed, no projection yet.
    const empty = await manager.get('/impact/projection');
    assert.equal(empty.statusCode, 200);
    assert.ok(!empty.body.includes('There is a problem'));
    assert.ok(!empty.body.includes('The projection</h2>'));
    for (const field of ['published-2019-20', 'published-2024-25']) assert.match(empty.body, new RegExp(`name="${field}"`));

    const page = await havering();
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('There is a problem'));
    for (const [year, investment, value] of PUBLISHED_ROWS) assert.equal(rowText(page.body, year), `${year}|${investment}|${value}`);
    assert.equal(rowText(page.body, 'Total'), 'Total|£5,088,639.00|£18,573,529.00');
    assert.match(page.body, /A projection applies another programme’s evidence to this programme’s investment. It is not a measured outcome/);
    assert.match(page.body, /£3.65 for every £1 invested/);
    assert.ok(page.body.includes('Havering LAC annual report, £3.65 for every £1'));
    assert.match(page.body, /<svg class="app-bar-chart"/);

    const typo = await havering({ 'published-2024-25': '£4,648,516', 'published-2021-22': '3,035,208' });
    assert.equal(typo.statusCode, 200);
    assert.match(typo.body, /The published figure for 2024\/25 does not reproduce: £4,648,516.00 is £10,000.00 less than the £4,658,516.00 calculated./);
    assert.equal(rowText(typo.body, '2024/25'), '2024/25|£1,276,306.00|£4,658,516.00|£4,648,516.00|No: £10,000.00 short');
    assert.equal(rowText(typo.body, '2021/22'), '2021/22|£831,564.00|£3,035,208.00|£3,035,208.00|Yes');
    assert.equal(rowText(typo.body, '2019/20'), '2019/20|£28,500.00|£104,025.00|Not given|');
    assert.ok(!typo.body.includes('The published figure for 2021/22 does not reproduce'));
    // The figures typed are kept in the form below the projection.
    assert.match(typo.body, /name="published-2024-25"[^>]*value="£4,648,516"/);
  });

  test('to the penny, a table that dropped the pence does not reproduce, and the page says the rounding would', async () => {
    const page = await havering({ rounding: 'penny', 'published-2021-22': '3,035,208' });
    assert.equal(page.statusCode, 200);
    assert.equal(rowText(page.body, '2021/22'), '2021/22|£831,564.00|£3,035,208.60|£3,035,208.00|No: £0.60 short');
    assert.match(page.body, /It reproduces rounded down to the whole pound: check which rounding the published table used./);
    assert.equal(rowText(page.body, 'Total'), 'Total|£5,088,639.00|£18,573,532.35||');
  });

  test('one partner’s funding on its own', async () => {
    const page = await havering({ funding: 'Public health' });
    assert.equal(page.statusCode, 200);
    assert.equal(rowText(page.body, '2020/21'), '2020/21|£95,614.00|£348,991.00');
    assert.equal(rowText(page.body, '2019/20'), '2019/20|£0.00|£0.00');
    assert.equal(rowText(page.body, 'Total'), 'Total|£95,614.00|£348,991.00');
    assert.match(page.body, /<option value="Public health" selected>/);
  });

  test('every bad value is explained in the error summary, beside its field, with what was typed kept', async () => {
    const page = await projectionPage({ ratio: '3.12345', source: '  ', rounding: 'up', funding: 'Nobody', 'published-2024-25': 'lots', 'published-2019-20': '' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /<title>Error: /);
    assert.match(page.body, /There is a problem/);
    for (const [field, message] of [
      ['ratio', 'Enter the evidence ratio as a number above 0 with up to 4 decimal places, like 3.65'],
      ['source', 'Enter where the evidence ratio comes from, like the evaluation that found it'],
      ['rounding', 'Select how to round the projected values'],
      ['funding', 'Select the funding to project from the list'],
      ['published-2024-25', 'Enter the published figure for 2024/25 in pounds, like 4,658,516, or leave it blank'],
    ]) {
      assert.ok(page.body.includes(`href="#${field}">${message}</a>`), `${field} in the summary`);
      assert.ok(page.body.includes(`<span class="govuk-visually-hidden">Error:</span> ${message}`), `${field} beside its field`);
    }
    assert.ok(!page.body.includes('The projection</h2>'));
    assert.match(page.body, /name="ratio"[^>]*value="3.12345"/);
    assert.match(page.body, /name="published-2024-25"[^>]*value="lots"/);

    for (const [ratio, message] of [
      ['0', 'Enter the evidence ratio as a number above 0'],
      ['-3.65', 'Enter the evidence ratio as a number above 0'],
      ['three', 'Enter the evidence ratio as a number above 0'],
      ['', 'Enter the evidence ratio as a number above 0'],
      ['3650', 'The evidence ratio must be less than 1,000'],
    ] as const) {
      const bad = await havering({ ratio });
      assert.equal(bad.statusCode, 400, ratio);
      assert.ok(bad.body.includes(message), ratio);
    }
    // Pence and a pound sign are how people write a ratio "per £1": accepted, as are 4 decimal places.
    const fine = await havering({ ratio: '£3.6500' });
    assert.equal(fine.statusCode, 200);
    assert.equal(rowText(fine.body, '2024/25'), '2024/25|£1,276,306.00|£4,658,516.00');
    // Tampered-with text is shown as text, never as markup.
    const marked = await havering({ source: '<script>alert(1)</script>' });
    assert.ok(marked.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!marked.body.includes('<script>alert(1)'));
  });

  test('linked from the manager’s menu, the returns page and the investment page; refused to a coordinator', async () => {
    for (const path of ['/impact/returns', '/impact/investment']) {
      const page = await manager.get(path);
      assert.equal(page.statusCode, 200);
      assert.equal((page.body.match(/href="\/impact\/projection"/g) ?? []).length, 2, path);
    }
    assert.equal((await coordinator.get('/impact/projection?ratio=3.65')).statusCode, 403);
  });
});
