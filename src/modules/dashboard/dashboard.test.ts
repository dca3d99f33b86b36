import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { writeJourney, type JourneyEvent } from '../../../seeds/journeys.ts';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addLocalUnitCost, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { SCALE_QUESTIONS, SERVICE_KINDS, UCLA_ITEMS, type CheckInAnswers, type ServiceCounts } from '../outcomes/measures.ts';
import { insertCheckIn, insertPeriod, updateCheckIn } from '../outcomes/queries.ts';
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
  let ids: Awaited<ReturnType<typeof idsOf>>;

  // The test clock starts on 2 November 2026: 10 to 30 days ago is October.
  before(async () => {
    t = await buildTestApp();
    ids = await idsOf(t.db);
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
    // Money is said with its price year: the programme's, 2015/16 until its admin chooses another.
    assert.match(html, /Public money likely saved \(verified, to the end of October 2026, in 2015\/16 prices\)<\/dt>/);
    const rows = await auditSince(t.db, mark);
    assert.deepEqual(
      rows.map((r) => [r.action, r.outcome, r.detail]),
      [['programme.dashboard', 'allowed', { month: '2026-10' }]],
    );

    const november = await leadership.get('/overview');
    assert.match(november.body, /Resting \(door open\)<\/th>\s*<td[^>]*>\s*fewer than 8\s*<\/td>/);
  });

  test('each table downloads as CSV with the same figures, audited as the overview is', async () => {
    const mark = await auditMark(t.db);
    const csv = await leadership.get('/overview/tables/introductions-by-source.csv?month=2026-10');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /introductions-by-source-2026-10\.csv/);
    assert.equal(csv.body, 'Introduced by,Introductions\r\nA neighbour,10\r\nGP or primary care,fewer than 8\r\nTotal,15\r\n');
    assert.equal((await leadership.get('/overview/tables/no-such-table.csv?month=2026-10')).statusCode, 404);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.detail]),
      [
        ['programme.dashboard', 'allowed', { month: '2026-10', table: 'introductions-by-source' }],
        ['programme.dashboard', 'denied', { month: '2026-10', table: 'no-such-table', reason: 'no such table' }],
      ],
    );
    assert.equal((await leadership.get('/overview/tables/themes.csv?month=1999-01')).statusCode, 400);
  });

  test('every table on the overview downloads, built from its own section alone', async () => {
    const page = await leadership.get('/overview?month=2026-10');
    const links = [...page.body.matchAll(/href="\/overview\/tables\/([a-z-]+)\.csv\?month=2026-10"/g)].map((m) => m[1] ?? '');
    assert.ok(links.length >= 15, `the tables linked: ${links.join(', ')}`);
    for (const id of links) {
      const csv = await leadership.get(`/overview/tables/${id}.csv?month=2026-10`);
      assert.equal(csv.statusCode, 200, id);
      assert.ok(csv.body.split('\r\n').length > 2, `${id} has a header and rows`);
    }
  });

  test("a past month reads as it did at its end: check-ins, service use and avoided outcomes after it show only in later months", async () => {
    const people = await t.db.selectFrom('people').select('id').where('programme_id', '=', ids.brookfield).where('name', 'like', 'Neighbour Person %').execute();
    assert.equal(people.length, 12);
    const by = await ids.user('coordinator.marsh@brookfield.example');
    const at = (day: string) => new Date(`${day}T12:00:00Z`);
    const answers = (anxiety: number) => ({ ...Object.fromEntries([...SCALE_QUESTIONS, ...UCLA_ITEMS].map((q) => [q.key, null])), anxiety, lonely: null, declined: [] }) as unknown as CheckInAnswers;
    const gp = (count: number) => Object.fromEntries(SERVICE_KINDS.map((k) => [k.key, k.key === 'gp' ? { count, source: 'known' } : { count: null, source: null }])) as ServiceCounts;
    const checkIn = (occasion: 'baseline' | 'review', checkedOn: string, anxiety: number) => ({ occasion, checkedOn, recordedByName: 'Amara Okafor', answers: answers(anxiety) });
    const write = <T>(work: (tx: Parameters<typeof insertCheckIn>[0]) => Promise<T>) => t.db.transaction().execute(work);
    const octoberReviews: string[] = [];
    // What was known by the end of October: anxiety 8 in September, 4 in October; GP visits in the six months before.
    for (const { id: personId } of people) {
      const base = { programmeId: ids.brookfield, personId, by, formToken: randomUUID() };
      await write((tx) => insertCheckIn(tx, { ...base, at: at('2026-09-15'), details: checkIn('baseline', '2026-09-15', 8) }));
      octoberReviews.push(await write((tx) => insertCheckIn(tx, { ...base, formToken: randomUUID(), at: at('2026-10-20'), details: checkIn('review', '2026-10-20', 4) })));
      const before = { side: 'before' as const, fromOn: '2026-03-01', toOn: '2026-08-31', description: null, counts: gp(3) };
      await write((tx) => insertPeriod(tx, { ...base, formToken: randomUUID(), at: at('2026-09-01'), details: before }));
    }
    const tables = ['outcome-change', 'service-use', 'cost-avoided-by-agency', 'social-return'];
    const csvs = async (month: string) => {
      const bodies: Record<string, string> = {};
      for (const id of tables) bodies[id] = (await leadership.get(`/overview/tables/${id}.csv?month=${month}`)).body;
      return bodies;
    };
    const anxietyRow = (csv: string | undefined) => csv?.split('\r\n').find((line) => line.startsWith('Anxiety'));
    const [october, november] = [await csvs('2026-10'), await csvs('2026-11')];
    assert.equal(anxietyRow(october['outcome-change']), "Anxiety yesterday (lower is better),10,10,0,0,'-4.0");

    // Since October ended: each October review corrected (4 to 8), a review in November (9), a period since that ended
    // on 1 November, and an avoided outcome likely on 1 November, verified.
    for (const [i, { id: personId }] of people.entries()) {
      const base = { programmeId: ids.brookfield, personId, by, at: t.clock.now() };
      await write((tx) => updateCheckIn(tx, { ...base, checkInId: octoberReviews[i] ?? '', expectedVersion: 1, details: checkIn('review', '2026-10-20', 8) }));
      await write((tx) => insertCheckIn(tx, { ...base, formToken: randomUUID(), details: checkIn('review', '2026-11-01', 9) }));
      const since = { side: 'after' as const, fromOn: '2026-09-01', toOn: '2026-11-01', description: null, counts: gp(1) };
      await write((tx) => insertPeriod(tx, { ...base, formToken: randomUUID(), details: since }));
    }
    const personId = people[0]?.id ?? '';
    const unitCost = await addLocalUnitCost(t.db, ids.brookfield, await ids.user('manager@brookfield.example'));
    const form = await coordinator.get(`/people/${personId}/avoided/new`);
    const recorded = await coordinator.post(`/people/${personId}/avoided`, {
      formToken: hiddenField(form.body, 'formToken') ?? '',
      unitCost,
      quantity: '2',
      duration: '',
      likelihood: '100',
      evidence: 'agency_confirmed',
      'likelyOn-day': '1',
      'likelyOn-month': '11',
      'likelyOn-year': '2026',
    });
    assert.equal(recorded.statusCode, 303);
    const outcome = /#outcome-([0-9a-f-]{36})/.exec(String(recorded.headers.location))?.[1] ?? '';
    assert.equal((await manager.post(`/people/${personId}/avoided/verify`, { outcome, version: '1', decision: 'verify', reason: '' })).statusCode, 303);

    assert.deepEqual(await csvs('2026-10'), october, 'October reads as it did at its end');
    const later = await csvs('2026-11');
    for (const id of tables) assert.notEqual(later[id], november[id], `November's ${id} counts what came after October`);
    assert.equal(anxietyRow(later['outcome-change']), "Anxiety yesterday (lower is better),10,0,0,10,'+1.0");
    assert.match(later['service-use'] ?? '', /^GP appointments,10,35,10$/m);
    assert.match(later['cost-avoided-by-agency'] ?? '', /^Total,"£1,020\.00"$/m);
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
