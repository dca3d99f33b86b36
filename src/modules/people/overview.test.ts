import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, idsOf } from '../../../test/fixtures.ts';
import { auditMark, auditSince } from '../../../test/fixtures.ts';
import { writeJourney } from '../../../seeds/journeys.ts';
import { ukToday } from '../../core/http/forms.ts';
import { formatDate } from '../../core/http/views.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let personId: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  personId = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Hub Person', await ids.user('coordinator.marsh@brookfield.example'));
});
after(async () => {
  await t.close();
});

describe("the person's overview is the hub of their record", () => {
  test('it sums up the journey: vision, themes, circle, steps with thinking natural, next review', async () => {
    const marshId = await ids.user('coordinator.marsh@brookfield.example');
    const summed = await writeJourney(
      t.db,
      ids.brookfield,
      {
        name: 'Summed Up',
        postcode: 'BF1 1AA',
        areaId: ids.marshEnd,
        coordinatorId: marshId,
        introduction: { daysAgo: 30, by: 'self', words: 'To know my neighbours' },
        events: [
          { daysAgo: 20, kind: 'vision', words: 'A street where people say hello' },
          { daysAgo: 20, kind: 'themes', themes: ['loneliness_and_isolation', 'getting_online'] },
          { daysAgo: 19, kind: 'circle-join', name: 'Bev', relationship: 'neighbour', closeness: 1, supportKind: 'neighbour' },
          { daysAgo: 19, kind: 'circle-join', name: 'Sam', relationship: 'support worker', closeness: 3, supportKind: 'paid' },
          { daysAgo: 18, kind: 'agreement', workingOn: 'Meeting people', whoDoesWhat: 'Together', keepingInTouch: 'Weekly', reviewInDays: 40 },
          { daysAgo: 18, kind: 'step', question: 'gifts', what: 'Bake for the street party', owner: 'Me' },
          { daysAgo: 18, kind: 'step', question: 'community', what: 'Coffee morning', owner: 'Bev' },
          { daysAgo: 18, kind: 'step', question: 'services', what: 'Digital skills course', owner: 'Library' },
          { daysAgo: 10, kind: 'step-status', what: 'Coffee morning', status: 'done' },
        ],
      },
      t.clock.now(),
      marshId,
    );
    const page = await marsh.get(`/people/${summed}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /A street where people say hello/);
    assert.match(page.body, /Loneliness and isolation, Getting online/);
    assert.match(page.body, /2 people, 1 of them family, friends, neighbours or community/);
    assert.match(page.body, /2 open; 67% with them, family, friends and community \(thinking natural\)/);
    assert.match(page.body, new RegExp(formatDate(ukToday(new Date(t.clock.now().getTime() + 22 * 24 * 3600 * 1000)))));
  });

  test('it shows the record navigation, then status, the journey so far, details, household and introductions, in that order', async () => {
    const page = await marsh.get(`/people/${personId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<nav class="app-person-nav" aria-label="Hub Person's record">/);
    assert.match(page.body, new RegExp(`href="/people/${personId}" aria-current="page">Overview</a>`));
    for (const part of ['about', 'circle', 'agreement']) assert.match(page.body, new RegExp(`href="/people/${personId}/${part}"`));
    const headings = [...page.body.matchAll(/<h([12]) class="govuk-heading-[lm]"[^>]*>([^<]+)<\/h\1>/g)].map((m) => m[2]);
    assert.deepEqual(headings, ['Hub Person', 'Where things are', 'Their journey so far', 'About Hub Person', 'Household and family', 'Introductions']);
    assert.match(page.body, /No conversation recorded yet/);
    assert.match(page.body, /Not written down yet/);
    assert.doesNotMatch(page.body, /open safeguarding concern/);
    assert.match(page.body, /Introduced on 1 October 2026/);
    assert.match(page.body, /To feel part of the street again/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/details#name"`));
    assert.match(page.body, new RegExp(`href="/people/${personId}/status">Change status</a>`));
    assert.match(page.body, new RegExp(`href="/people/${personId}/household/new"`));
    assert.doesNotMatch(page.body, /Who has seen or changed this record/, 'a coordinator does not read the audit trail');
    assert.doesNotMatch(page.body, /Record id:/);
  });

  test('a manager also gets the audit trail link and the record id', async () => {
    const manager = await signedInClient(t.app, 'manager@brookfield.example');
    const page = await manager.get(`/people/${personId}`);
    assert.match(page.body, new RegExp(`<a class="govuk-link" href="/people/${personId}/audit">Who has seen or changed this record</a>`));
    assert.match(page.body, new RegExp(`Record id: <code>${personId}</code>`));
    // Managers share out introductions: the coordinator row leads to choosing one.
    assert.match(page.body, new RegExp(`href="/people/${personId}/coordinator">\\s*Choose<span class="govuk-visually-hidden"> coordinator</span>`));
    const coordinatorView = await marsh.get(`/people/${personId}`);
    assert.doesNotMatch(coordinatorView.body, /\/coordinator"/, 'a coordinator does not share out introductions');
  });

  test('reading the whole hub is one audited read of the person', async () => {
    const before = await auditMark(t.db);
    await marsh.get(`/people/${personId}`);
    const rows = (await auditSince(t.db, before)).map(({ action, record_id }) => ({ action, record_id }));
    assert.deepEqual(rows, [{ action: 'person.read', record_id: personId }]);
  });
});
