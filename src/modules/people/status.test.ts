import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, idsOf } from '../../../test/fixtures.ts';
import { auditMark, auditSince } from '../../../test/fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  manager = await signedInClient(t.app, 'manager@brookfield.example');
});
after(async () => {
  await t.close();
});

async function newPerson(name: string): Promise<string> {
  return addPerson(t.db, ids.brookfield, ids.marshEnd, name, await ids.user('coordinator.marsh@brookfield.example'));
}

/** Opens the status page and fills the form in. */
async function statusForm(client: Client, personId: string, choice: string, reason = '') {
  const page = await client.get(`/people/${personId}/status`);
  assert.equal(page.statusCode, 200);
  return { formToken: hiddenField(page.body, 'formToken') ?? '', version: hiddenField(page.body, 'version') ?? '', choice, reason };
}

async function changeTo(client: Client, personId: string, choice: string, reason = '') {
  const response = await client.post(`/people/${personId}/status`, await statusForm(client, personId, choice, reason));
  assert.equal(response.statusCode, 303, `${choice}: ${response.statusCode}`);
  assert.equal(response.headers.location, `/people/${personId}`);
}

async function person(personId: string) {
  return t.db.selectFrom('people').select(['status', 'version', 'updated_by']).where('id', '=', personId).executeTakeFirstOrThrow();
}

async function history(personId: string) {
  return t.db
    .selectFrom('person_status_changes')
    .select(['from_status', 'to_status', 're_introduced', 'reason', 'changed_by', 'changed_at'])
    .where('person_id', '=', personId)
    .orderBy('seq')
    .execute();
}

/** The values of the choice radios on a status page, in order. */
function choicesOn(html: string): string[] {
  return [...html.matchAll(/name="choice" type="radio" value="(\w+)"/g)].map((m) => m[1] ?? '');
}

describe('status, always person-led', () => {
  test('a whole journey: every change kept as history, with who, when and why; re-introduced goes back to getting to know', async () => {
    const id = await newPerson('Journey Person');
    const marshId = await ids.user('coordinator.marsh@brookfield.example');
    const managerId = await ids.user('manager@brookfield.example');
    // Minutes apart: the sessions' idle timeout runs on the same clock.
    const minute = 60 * 1000;

    let page = await marsh.get(`/people/${id}/status`);
    assert.deepEqual(choicesOn(page.body), ['getting_to_know', 'walking_alongside', 'resting', 'moved_on']);
    assert.match(page.body, /Now: <strong>Introduced<\/strong>, since 1 October 2026 \(4 weeks ago\)/);

    await changeTo(marsh, id, 'getting_to_know', 'Met for coffee at the library.');
    t.clock.advance(minute);
    await changeTo(marsh, id, 'walking_alongside');
    t.clock.advance(minute);
    await changeTo(manager, id, 'resting', 'Wants a break over the winter.');
    page = await marsh.get(`/people/${id}/status`);
    assert.deepEqual(choicesOn(page.body), ['re_introduced', 'walking_alongside', 'moved_on'], 'someone resting can be re-introduced');
    t.clock.advance(minute);
    await changeTo(marsh, id, 're_introduced', 'Came back to the drop-in.');
    assert.equal((await person(id)).status, 'getting_to_know');
    t.clock.advance(minute);
    await changeTo(marsh, id, 'moved_on', 'Moved to be near her sister.');
    page = await marsh.get(`/people/${id}/status`);
    assert.deepEqual(choicesOn(page.body), ['re_introduced'], 'someone who moved on comes back by being re-introduced');
    t.clock.advance(minute);
    await changeTo(marsh, id, 're_introduced');

    const start = new Date('2026-11-02T09:00:00Z').getTime();
    assert.deepEqual(
      (await history(id)).map((h) => [h.from_status, h.to_status, h.re_introduced, h.reason, h.changed_by, h.changed_at.getTime() - start]),
      [
        ['introduced', 'getting_to_know', false, 'Met for coffee at the library.', marshId, 0],
        ['getting_to_know', 'walking_alongside', false, null, marshId, minute],
        ['walking_alongside', 'resting', false, 'Wants a break over the winter.', managerId, 2 * minute],
        ['resting', 'getting_to_know', true, 'Came back to the drop-in.', marshId, 3 * minute],
        ['getting_to_know', 'moved_on', false, 'Moved to be near her sister.', marshId, 4 * minute],
        ['moved_on', 'getting_to_know', true, null, marshId, 5 * minute],
      ],
    );
    assert.deepEqual(await person(id), { status: 'getting_to_know', version: 7, updated_by: marshId });

    // The history on the page, newest first, in words; a re-introduction is called one.
    page = await marsh.get(`/people/${id}/status`);
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
      .slice(1)
      .map((r) => [...(r[1] ?? '').matchAll(/<td class="govuk-table__cell">([\s\S]*?)<\/td>/g)].map((c) => (c[1] ?? '').replace(/<[^>]+>/g, '').trim()));
    assert.deepEqual(rows, [
      ['2 November 2026', 'Moved on', 'Re-introduced (getting to know)', '', 'Amara Okafor'],
      ['2 November 2026', 'Getting to know', 'Moved on', 'Moved to be near her sister.', 'Amara Okafor'],
      ['2 November 2026', 'Resting (door open)', 'Re-introduced (getting to know)', 'Came back to the drop-in.', 'Amara Okafor'],
      ['2 November 2026', 'Walking alongside', 'Resting (door open)', 'Wants a break over the winter.', 'Priya Shah'],
      ['2 November 2026', 'Getting to know', 'Walking alongside', '', 'Amara Okafor'],
      ['2 November 2026', 'Introduced', 'Getting to know', 'Met for coffee at the library.', 'Amara Okafor'],
      ['1 October 2026', '', 'Introduced', '', ''],
    ]);
  });

  test('moving on needs the person\'s reason; nothing changes without it', async () => {
    const id = await newPerson('Moving On');
    const response = await marsh.post(`/people/${id}/status`, await statusForm(marsh, id, 'moved_on', '   '));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#reason">Enter the person&#39;s reason for moving on, in their own words/);
    assert.match(response.body, /value="moved_on" checked/, 'the choice is kept');
    assert.equal((await person(id)).status, 'introduced');
    assert.deepEqual(await history(id), []);
  });

  test('no choice, a choice that does not exist, or one not offered now, is refused with a message', async () => {
    const id = await newPerson('Odd Choices');
    const empty = await marsh.post(`/people/${id}/status`, await statusForm(marsh, id, ''));
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /href="#choice">Select where things are now/);
    const made = await marsh.post(`/people/${id}/status`, await statusForm(marsh, id, 'closed'));
    assert.equal(made.statusCode, 400);
    // Re-introduced is offered only to someone resting or moved on; the current status is never offered.
    const notNow = await marsh.post(`/people/${id}/status`, await statusForm(marsh, id, 're_introduced'));
    assert.equal(notNow.statusCode, 400);
    assert.match(notNow.body, /Select one of the choices shown/);
    await changeTo(marsh, id, 'resting');
    const same = await marsh.post(`/people/${id}/status`, await statusForm(marsh, id, 'resting'));
    assert.equal(same.statusCode, 400);
    const back = await marsh.post(`/people/${id}/status`, await statusForm(marsh, id, 'getting_to_know'));
    assert.equal(back.statusCode, 400, 'from resting, getting to know again is a re-introduction');
    assert.equal((await history(id)).length, 1);
  });

  test('the same form sent twice, one after the other or at once, changes the status once', async () => {
    const id = await newPerson('Double Status');
    const form = await statusForm(marsh, id, 'getting_to_know', 'First meeting');
    const first = await marsh.post(`/people/${id}/status`, form);
    const second = await marsh.post(`/people/${id}/status`, form);
    assert.deepEqual([first.statusCode, second.statusCode], [303, 303]);
    const raced = await statusForm(marsh, id, 'walking_alongside');
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(`/people/${id}/status`, raced)));
    assert.deepEqual(responses.map((r) => r.statusCode), [303, 303, 303]);
    assert.deepEqual((await history(id)).map((h) => h.to_status), ['getting_to_know', 'walking_alongside']);
    assert.equal((await person(id)).version, 3);
  });

  test('two people changing the status at once: the second is refused with both versions shown', async () => {
    const id = await newPerson('Status Conflict');
    const mine = await statusForm(marsh, id, 'walking_alongside', 'We agreed to work together.');
    const theirs = await statusForm(manager, id, 'resting', 'She asked for a pause.');
    assert.equal((await manager.post(`/people/${id}/status`, theirs)).statusCode, 303);
    const conflict = await marsh.post(`/people/${id}/status`, mine);
    assert.equal(conflict.statusCode, 409);
    assert.match(conflict.body, /Not saved: someone else changed this first/);
    assert.match(conflict.body, /Priya Shah saved a change/);
    assert.match(
      conflict.body,
      /<th scope="row" class="govuk-table__header">Status<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">Resting \(door open\)<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">Walking alongside<\/p><\/td>/,
    );
    assert.match(
      conflict.body,
      /<th scope="row" class="govuk-table__header">Why<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">She asked for a pause.<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">We agreed to work together.<\/p><\/td>/,
    );
    assert.match(conflict.body, /We agreed to work together.<\/textarea>/, 'the form keeps what this person typed');
    assert.match(conflict.body, /value="walking_alongside" checked/);
    assert.equal(hiddenField(conflict.body, 'version'), '2');
    assert.deepEqual((await history(id)).map((h) => h.to_status), ['resting']);
    // Saving again from the re-shown form (same token, new version) makes the change.
    assert.equal((await marsh.post(`/people/${id}/status`, { ...mine, version: '2' })).statusCode, 303);
    assert.deepEqual((await history(id)).map((h) => [h.from_status, h.to_status]), [
      ['introduced', 'resting'],
      ['resting', 'walking_alongside'],
    ]);
  });

  test('the overview shows the status, since when and how long since the record changed; no countdown', async () => {
    const id = await newPerson('Overview Status');
    let page = await marsh.get(`/people/${id}`);
    assert.match(page.body, /<strong class="govuk-tag govuk-tag--blue">\s*Introduced\s*<\/strong>/);
    assert.match(page.body, /1 October 2026 \(4 weeks ago\)/);
    assert.match(page.body, new RegExp(`<a class="govuk-link" href="/people/${id}/status">Change status</a>`));
    await changeTo(marsh, id, 'getting_to_know');
    page = await marsh.get(`/people/${id}`);
    assert.match(page.body, /Getting to know/);
    assert.match(page.body, /Since\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2 November 2026 \(today\)/);
    assert.match(page.body, /Record last changed\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2 November 2026 \(today\)/);
    for (const word of [/days? left/i, /overdue/i, /deadline/i, /due by/i, /closes? on/i, /remaining/i]) assert.doesNotMatch(page.body, word);
  });

  test('access: other coordinators and programmes get not found and change nothing; each request is one audit row', async () => {
    const id = await newPerson('Private Status');
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    const form = { formToken: randomUUID(), version: '1', choice: 'moved_on', reason: 'Not theirs to say' };
    for (const [client, personId] of [
      [hollins, id],
      [eastmoor, id],
      [marsh, randomUUID()],
    ] as const) {
      const before = await auditMark(t.db);
      assert.equal((await client.get(`/people/${personId}/status`)).statusCode, 404);
      assert.equal((await client.post(`/people/${personId}/status`, form)).statusCode, 404);
      const rows = (await auditSince(t.db, before)).map(({ action, outcome, record_id }) => ({ action, outcome, record_id }));
      assert.deepEqual(rows, [
        { action: 'status.read', outcome: 'denied', record_id: personId },
        { action: 'status.update', outcome: 'denied', record_id: personId },
      ]);
    }
    assert.equal((await person(id)).status, 'introduced');
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.get(`/people/${id}/status`)).statusCode, 403);

    const before = await auditMark(t.db);
    await changeTo(marsh, id, 'getting_to_know');
    const rows = (await auditSince(t.db, before)).map(({ action, outcome }) => ({ action, outcome }));
    assert.deepEqual(rows, [
      { action: 'status.read', outcome: 'allowed' },
      { action: 'status.update', outcome: 'allowed' },
    ]);
  });
});
