import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeJourney, type Journey } from '../../../seeds/journeys.ts';
import { buildTestApp, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';

/** The manager's view of the team, on people written as journeys relative to the test clock. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let manager: Client;
let marshId: string;
let hollinsId: string;

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';

async function person(journey: Omit<Journey, 'postcode' | 'introduction'> & { introducedDaysAgo: number }): Promise<string> {
  const { introducedDaysAgo, ...rest } = journey;
  return writeJourney(
    t.db,
    ids.brookfield,
    { postcode: 'BF1 1AA', introduction: { daysAgo: introducedDaysAgo, by: 'neighbour', words: 'To meet people' }, ...rest },
    t.clock.now(),
    await ids.user('manager@brookfield.example'),
  );
}

const talk = (daysAgo: number) => ({ daysAgo, kind: 'journal' as const, how: 'phone' as const, entry: 'conversation' as const, notes: 'A chat' });

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  marshId = await ids.user(MARSH);
  hollinsId = await ids.user(HOLLINS);
  const marsh = { areaId: ids.marshEnd, coordinatorId: marshId };
  await person({ ...marsh, name: 'Recent Talk', introducedDaysAgo: 90, events: [{ daysAgo: 80, kind: 'status', to: 'walking_alongside' }, talk(3)] });
  await person({ ...marsh, name: 'Long Quiet', introducedDaysAgo: 200, events: [{ daysAgo: 190, kind: 'status', to: 'walking_alongside' }, talk(70)] });
  await person({ ...marsh, name: 'Never Talked', introducedDaysAgo: 40, events: [] });
  await person({ ...marsh, name: 'Resting Quietly', introducedDaysAgo: 300, events: [{ daysAgo: 290, kind: 'status', to: 'resting' }] });
  await person({
    ...marsh,
    name: 'Review Soon',
    introducedDaysAgo: 100,
    events: [
      { daysAgo: 90, kind: 'status', to: 'walking_alongside' },
      { daysAgo: 60, kind: 'agreement', workingOn: 'x', whoDoesWhat: 'y', keepingInTouch: 'z', reviewInDays: 65 },
      talk(1),
    ],
  });
  await person({
    ...marsh,
    name: 'Review Later',
    introducedDaysAgo: 100,
    events: [{ daysAgo: 60, kind: 'agreement', workingOn: 'x', whoDoesWhat: 'y', keepingInTouch: 'z', reviewInDays: 120 }, talk(2)],
  });
  await person({
    areaId: ids.hollinsPark,
    coordinatorId: hollinsId,
    name: 'Review Passed',
    introducedDaysAgo: 100,
    events: [{ daysAgo: 90, kind: 'agreement', workingOn: 'x', whoDoesWhat: 'y', keepingInTouch: 'z', reviewInDays: 60 }, talk(5)],
  });
  await person({ areaId: ids.hollinsPark, coordinatorId: null, name: 'Waiting Person', introducedDaysAgo: 2, events: [] });
});
after(async () => {
  await t.close();
});

/** The rows of the table with this caption, as cell texts. */
function table(html: string, caption: RegExp): string[][] {
  const start = html.search(caption);
  assert.ok(start >= 0, `a table captioned ${String(caption)}`);
  const body = html.slice(start, html.indexOf('</table>', start));
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((row) => [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => (cell[1] ?? '').replace(/<[^>]+>/g, '').trim()));
}

describe("the manager's view of the team", () => {
  test('caseloads with their status mix, the people not heard from, reviews due and what is waiting', async () => {
    const page = await manager.get('/team');
    assert.equal(page.statusCode, 200);
    const caseloads = table(page.body, /People each coordinator walks alongside, by status/);
    // Coordinator (with their neighbourhoods), not moved on, then introduced / getting to know / walking alongside / resting / moved on.
    assert.deepEqual(caseloads, [
      ['Amara OkaforMarsh End', '6', '2', '0', '3', '1', '0'],
      ['Tom HughesHollins Park', '1', '1', '0', '0', '0', '0'],
      ['No coordinator yet', '1', '1', '0', '0', '0', '0'],
    ]);
    // Four weeks by default: the long-quiet one first, then the one never talked to; resting people are not chased.
    const quiet = table(page.body, /people with no contact for 4 weeks or more/);
    assert.deepEqual(
      quiet.map((r) => r[0]),
      ['Long Quiet', 'Never Talked'],
    );
    assert.match(quiet[1]?.[3] ?? '', /^None since their introduction on /);
    const reviews = table(page.body, /reviews due/);
    assert.deepEqual(
      reviews.map((r) => [r[0], r[3]?.endsWith('(date passed)')]),
      [
        ['Review Passed', true],
        ['Review Soon', false],
      ],
    );
    assert.match(page.body, /Introductions waiting for a coordinator\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1\s*</);
  });

  test('a longer wait narrows the list; the audit row has the counts and never a name', async () => {
    const before = await auditMark(t.db);
    const page = await manager.get('/team?weeks=20');
    assert.equal(page.statusCode, 200);
    // Long Quiet last talked 10 weeks ago.
    assert.doesNotMatch(page.body, /with no contact for 20 weeks or more/);
    assert.match(page.body, /Everyone has been in touch in the last 20 weeks/);
    const rows = await auditSince(t.db, before);
    assert.deepEqual(
      rows.map((r) => [r.action, r.outcome, r.detail]),
      [['team.read', 'allowed', { weeks: 20, noContact: 0, reviewsDue: 2, openConcerns: 0, waiting: 1 }]],
    );
  });

  test('weeks that are not a whole number from 1 to 104 are explained, the input kept, and the rest still shown', async () => {
    for (const [weeks, message] of [
      ['soon', 'Enter a number of weeks, such as 4'],
      ['2.5', 'Enter a whole number of weeks, such as 4'],
      ['0', 'Enter a number of weeks from 1 to 104'],
      ['500', 'Enter a number of weeks from 1 to 104'],
    ] as const) {
      const page = await manager.get(`/team?weeks=${weeks}`);
      assert.equal(page.statusCode, 400, weeks);
      assert.match(page.body, new RegExp(`<a href="#weeks">${message}</a>`));
      assert.match(page.body, new RegExp(`id="weeks" name="weeks" type="text" spellcheck="false" value="${weeks}"`));
      assert.match(page.body, /People each coordinator walks alongside, by status/);
    }
  });

  test('coordinators, the Leadership Group and admins are refused', async () => {
    for (const email of [MARSH, 'leadership@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      assert.equal((await client.get('/team')).statusCode, 403, email);
    }
  });
});
