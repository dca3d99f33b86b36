import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, idsOf } from '../../../test/fixtures.ts';
import { auditMark, auditSince } from '../../../test/fixtures.ts';

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
  test('it shows the record navigation, then status, details, household and introductions, in that order', async () => {
    const page = await marsh.get(`/people/${personId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<nav class="app-person-nav" aria-label="Hub Person's record">/);
    assert.match(page.body, new RegExp(`href="/people/${personId}" aria-current="page">Overview</a>`));
    for (const part of ['about', 'circle', 'agreement']) assert.match(page.body, new RegExp(`href="/people/${personId}/${part}"`));
    const headings = [...page.body.matchAll(/<h([12]) class="govuk-heading-[lm]"[^>]*>([^<]+)<\/h\1>/g)].map((m) => m[2]);
    assert.deepEqual(headings, ['Hub Person', 'Where things are', 'About Hub Person', 'Household and family', 'Introductions']);
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
  });

  test('reading the whole hub is one audited read of the person', async () => {
    const before = await auditMark(t.db);
    await marsh.get(`/people/${personId}`);
    const rows = (await auditSince(t.db, before)).map(({ action, record_id }) => ({ action, record_id }));
    assert.deepEqual(rows, [{ action: 'person.read', record_id: personId }]);
  });
});
