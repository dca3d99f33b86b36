import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeJourney, type JourneyEvent } from '../../../seeds/journeys.ts';
import { buildTestApp, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { barChart } from './chart.ts';
import { tableCsv } from './csv.ts';
import { introductionsBySource, peopleByAreaAndStatus, stepOwnership } from './figures.ts';
import { periodEnding, recentMonths } from './period.ts';

describe('the reporting period', () => {
  test('a month and the twelve months up to it, across a year end', () => {
    const period = periodEnding('2026-02');
    assert.equal(period.month.label, 'February 2026');
    assert.equal(period.from, '2025-03-01');
    assert.equal(period.before, '2026-03-01');
    assert.deepEqual(
      period.months.map((m) => m.key),
      ['2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'],
    );
    assert.equal(periodEnding('2026-12').before, '2027-01-01');
    assert.deepEqual(
      recentMonths('2026-01', 3).map((m) => m.label),
      ['January 2026', 'December 2025', 'November 2025'],
    );
    assert.throws(() => periodEnding('2026-13'), RangeError);
  });
});

describe('figures under disclosure control', () => {
  const period = periodEnding('2026-10');

  test('counts of 1 to 7 are held back and have no bar; others round to 5, totals on their own', () => {
    const table = introductionsBySource(period, [
      { source: 'neighbour', n: 12 },
      { source: 'gp_primary_care', n: 3 },
      { source: 'self', n: 9 },
    ]);
    assert.deepEqual(
      table.rows.map((r) => [r.label, r.cells[0]]),
      [
        ['A neighbour', '10'],
        ['The person themselves', '10'],
        ['GP or primary care', 'fewer than 8'],
      ],
    );
    assert.deepEqual(table.total?.cells, ['25']);
    const gp = table.chart?.bars.find((b) => b.label === 'GP or primary care');
    assert.ok(gp !== undefined);
    assert.equal(gp.width, 0);
    assert.equal(gp.text, 'fewer than 8');
  });

  test('equal-looking figures are ordered by name, never by the exact counts behind them', () => {
    const table = introductionsBySource(period, [
      { source: 'self', n: 2 },
      { source: 'neighbour', n: 6 },
    ]);
    assert.deepEqual(
      table.rows.map((r) => r.label),
      ['A neighbour', 'The person themselves'],
    );
  });

  test('the neighbourhood table rounds every cell and total on its own', () => {
    const { byArea } = peopleByAreaAndStatus(
      period,
      [{ id: 'a', name: 'Marsh End' }],
      [
        { areaId: 'a', status: 'walking_alongside', n: 11 },
        { areaId: 'a', status: 'introduced', n: 2 },
      ],
    );
    assert.deepEqual(byArea.rows[0]?.cells, ['fewer than 8', '0', '10', '0', '0', '15']);
    assert.deepEqual(byArea.total?.cells, ['fewer than 8', '0', '10', '0', '0', '15']);
  });

  test('the share of steps owned by people and communities comes from the rounded counts, and not at all if any is held back', () => {
    const shown = stepOwnership(period, [
      { key: 'gifts', n: 21 },
      { key: 'community', n: 14 },
      { key: 'services', n: 12 },
    ]);
    assert.equal(shown.naturalShare, '78%'); // 20 + 15 of 20 + 15 + 10 is 35 of 45
    const held = stepOwnership(period, [
      { key: 'gifts', n: 21 },
      { key: 'community', n: 14 },
      { key: 'services', n: 3 },
    ]);
    assert.equal(held.naturalShare, null);
  });

  test('a bar chart scales to the largest figure and always shows a non-zero one', () => {
    const chart = barChart([
      { label: 'a', value: 1000, text: '1000' },
      { label: 'b', value: 1, text: '1' },
      { label: 'c', value: 0, text: '0' },
    ]);
    assert.deepEqual(
      chart.bars.map((b) => b.width),
      [290, 2, 0],
    );
    const last = chart.bars.at(-1);
    assert.ok(last !== undefined && chart.height >= last.barY + chart.barHeight);
  });

  test('a long value still fits: the bars shorten to leave room for it', () => {
    const chart = barChart([{ label: 'Optimistic', value: 3.5, text: '£3.50 for each £1' }]);
    const bar = chart.bars[0];
    assert.ok(bar !== undefined && bar.valueX + '£3.50 for each £1'.length * 8.5 <= chart.width, `the value ends inside the chart: ${String(bar?.valueX)}`);
  });

  test('CSV cells a spreadsheet would run as formulas are defused', () => {
    const csv = tableCsv({ id: 'x', title: 'x', caption: '', headers: ['Neighbourhood', 'People'], rows: [{ label: '=HYPERLINK("x")', cells: ['10'] }], notes: [] });
    assert.equal(csv, 'Neighbourhood,People\r\n"\'=HYPERLINK(""x"")",10\r\n');
  });
});

describe('the programme overview for the Leadership Group', () => {
  let t: TestApp;
  let leadership: Client;
  let manager: Client;
  let coordinator: Client;

  // The test clock starts on 2 November 2026: 10 to 30 days ago is October.
  before(async () => {
    t = await buildTestApp();
    const ids = await idsOf(t.db);
    const by = await ids.user('manager@brookfield.example');
    const coordinatorId = await ids.user('coordinator.marsh@brookfield.example');
    const write = (name: string, source: string, daysAgo: number, events: JourneyEvent[]) =>
      writeJourney(
        t.db,
        ids.brookfield,
        { name, postcode: 'BF1 1AA', areaId: ids.marshEnd, coordinatorId, introduction: { daysAgo, by: source, words: 'To meet people' }, events },
        t.clock.now(),
        by,
      );
    for (let i = 0; i < 12; i += 1) {
      // Walking alongside through October; two of them rest in November, after the month ends.
      const later: JourneyEvent[] = i < 2 ? [{ daysAgo: 1, kind: 'status', to: 'resting' }] : [];
      await write(`Neighbour Person ${i}`, 'neighbour', 30 - i, [
        { daysAgo: 25 - i, kind: 'status', to: 'walking_alongside' },
        { daysAgo: 20 - i, kind: 'themes', themes: ['loneliness_and_isolation'] },
        { daysAgo: 20 - i, kind: 'step', question: 'community', what: `Coffee morning ${i}`, owner: 'Them' },
        ...later,
      ]);
    }
    for (let i = 0; i < 3; i += 1) await write(`Doctor Person ${i}`, 'gp_primary_care', 15, []);
    leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    manager = await signedInClient(t.app, 'manager@brookfield.example');
    coordinator = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  });

  after(async () => {
    await t.close();
  });

  test('counts by month, source, status and theme, rounded and held back, with no one named', async () => {
    const mark = await auditMark(t.db);
    const page = await leadership.get('/overview?month=2026-10');
    assert.equal(page.statusCode, 200);
    const html = page.body;
    assert.match(html, /Introductions in October 2026<\/dt>\s*<dd[^>]*>15<\/dd>/);
    // Twelve neighbours round to 10; three GPs are held back.
    assert.match(html, /A neighbour<\/th>\s*<td[^>]*>\s*10\s*<\/td>/);
    assert.match(html, /GP or primary care<\/th>\s*<td[^>]*>\s*fewer than 8\s*<\/td>/);
    // At the end of October all twelve were walked alongside: the two who rested in November are not "resting" yet.
    assert.match(html, /Walking alongside<\/th>\s*<td[^>]*>\s*10\s*<\/td>/);
    assert.match(html, /Resting \(door open\)<\/th>\s*<td[^>]*>\s*0\s*<\/td>/);
    assert.match(html, /Loneliness and isolation<\/th>\s*<td[^>]*>\s*10\s*<\/td>/);
    assert.doesNotMatch(html, /Neighbour Person|Doctor Person/);
    assert.match(html, /<svg class="app-bar-chart"/);
    const rows = await auditSince(t.db, mark);
    assert.deepEqual(
      rows.map((r) => [r.action, r.outcome, r.detail]),
      [['programme.dashboard', 'allowed', { month: '2026-10' }]],
    );

    const november = await leadership.get('/overview');
    assert.match(november.body, /Resting \(door open\)<\/th>\s*<td[^>]*>\s*fewer than 8\s*<\/td>/);
  });

  test('each table downloads as CSV with the same figures', async () => {
    const csv = await leadership.get('/overview/tables/introductions-by-source.csv?month=2026-10');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /introductions-by-source-2026-10\.csv/);
    assert.equal(csv.body, 'Introduced by,Introductions\r\nA neighbour,10\r\nGP or primary care,fewer than 8\r\nTotal,15\r\n');
    assert.equal((await leadership.get('/overview/tables/no-such-table.csv?month=2026-10')).statusCode, 404);
    assert.equal((await leadership.get('/overview/tables/themes.csv?month=1999-01')).statusCode, 400);
  });

  test('the monthly report defaults to the last whole month and says how to print it', async () => {
    const report = await manager.get('/overview/report');
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /report to the Leadership Group, October 2026/);
    assert.match(report.body, /use your browser’s Print/);
    // The app under test has no Chromium: no PDF link, and the PDF address says why.
    assert.doesNotMatch(report.body, /report\.pdf/);
    const pdf = await manager.get('/overview/report.pdf?month=2026-10');
    assert.equal(pdf.statusCode, 404);
    assert.match(pdf.body, /print it from your browser/);
  });

  test('a month not on the list is explained, and the current month shown', async () => {
    const page = await leadership.get('/overview?month=2030-01');
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /There is a problem/);
    assert.match(page.body, /Choose a month from the list/);
    assert.match(page.body, /November 2026: the 12 months/);
    assert.equal((await leadership.get('/overview?month=not-a-month')).statusCode, 400);
  });

  test('a coordinator sees the neighbourhoods, not the programme figures', async () => {
    const page = await coordinator.get('/overview');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Introductions by month/);
    assert.match(page.body, /Marsh End/);
    assert.equal((await coordinator.get('/overview/report')).statusCode, 403);
  });
});
