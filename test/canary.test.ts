import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type TestApp } from './app.ts';
import { idsOf } from './fixtures.ts';

// Marker strings in every personal field: if one turns up in a log line or a URL, personal data leaked there.
const CANARY = { name: 'Canaryname Qx7', introducer: 'Canaryintroducer Qx7', organisation: 'Canaryorg Qx7', words: 'Canarywords Qx7' };

let t: TestApp;
let logs = '';

before(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    logs += chunk.toString('utf8');
  });
  t = await buildTestApp({ logTo: stream });
});
after(async () => {
  await t.close();
});

test('personal data never reaches the logs or a URL, even when a form is refused', async () => {
  const ids = await idsOf(t.db);
  const coordinator = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  const page = await coordinator.get('/introductions/new');
  const form = {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    name: CANARY.name,
    areaId: ids.marshEnd,
    introducedBy: 'neighbour',
    introducerName: CANARY.introducer,
    introducerOrganisation: CANARY.organisation,
    'introducedOn-day': '1',
    'introducedOn-month': '11',
    'introducedOn-year': '2026',
    whatTheyWouldLikeToChange: CANARY.words,
    personKnows: 'knows_and_agrees',
  };
  const refused = await coordinator.post('/introductions', { ...form, 'introducedOn-year': 'soon' });
  assert.equal(refused.statusCode, 400);
  const created = await coordinator.post('/introductions', form);
  assert.equal(created.statusCode, 303);
  const urls = [String(created.headers.location)];
  const personPage = await coordinator.get(urls[0] ?? '');
  assert.match(personPage.body, new RegExp(CANARY.words), 'the marker is really in the record');
  const manager = await signedInClient(t.app, 'manager@brookfield.example');
  for (const url of ['/people', urls[0] ?? '', `${urls[0] ?? ''}/audit`, '/overview']) {
    const response = await manager.get(url);
    assert.equal(response.statusCode, 200, url);
    for (const link of response.body.matchAll(/href="([^"]+)"/g)) urls.push(link[1] ?? '');
  }
  await coordinator.post('/sign-out');

  assert.ok(logs.length > 1000, 'the app logged the requests');
  for (const marker of Object.values(CANARY)) {
    assert.ok(!logs.includes(marker), `"${marker}" appears in the logs`);
    assert.ok(!urls.some((u) => u.includes(marker)), `"${marker}" appears in a URL`);
  }
  assert.ok(!logs.includes('walking alongside 2026'), 'a password appears in the logs');
});
