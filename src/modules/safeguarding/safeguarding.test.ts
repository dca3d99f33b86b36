import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { inTransaction } from '../../core/db/transaction.ts';
import { countOpenConcerns, openConcernCounts } from './service.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let marshId: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, MARSH);
  manager = await signedInClient(t.app, MANAGER);
  marshId = await ids.user(MARSH);
});
after(async () => {
  await t.close();
});

const concernsOf = (personId: string) => `/people/${personId}/concerns`;
const newPerson = (name: string, area = ids.marshEnd) => addPerson(t.db, ids.brookfield, area, name, marshId);

/** Opens the form to record a concern as a person would, fills it in and sends it; returns the response. */
async function raise(client: Client, personId: string, overrides: Record<string, string> = {}) {
  const page = await client.get(`${concernsOf(personId)}/new`);
  assert.equal(page.statusCode, 200);
  return client.post(concernsOf(personId), {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    'raisedOn-day': '30',
    'raisedOn-month': '10',
    'raisedOn-year': '2026',
    raisedBy: 'Amara Okafor',
    whatTheConcernIs: 'Bruising on both arms.\nSaid a visitor "gets cross".',
    whatWasDone: 'Talked with her about what happened.',
    informedWho: 'Duty social worker, told by Amara on the phone',
    informedOrganisation: 'Adult social care safeguarding team',
    ...overrides,
  });
}

async function concernIdOf(personId: string): Promise<string> {
  const row = await t.db.selectFrom('safeguarding_concerns').select('id').where('person_id', '=', personId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  return row.id;
}

/** Opens the change form of a concern; returns its values as the form holds them. */
async function openChange(client: Client, personId: string, concernId: string): Promise<Record<string, string>> {
  const page = await client.get(`${concernsOf(personId)}/change?concern=${concernId}`);
  assert.equal(page.statusCode, 200, page.body);
  const field = (name: string) => hiddenField(page.body, name) ?? '';
  return {
    concern: field('concern'),
    version: field('version'),
    'raisedOn-day': '30',
    'raisedOn-month': '10',
    'raisedOn-year': '2026',
    raisedBy: 'Amara Okafor',
    whatTheConcernIs: 'Bruising on both arms.\nSaid a visitor "gets cross".',
    whatWasDone: 'Talked with her about what happened.',
    informedWho: 'Duty social worker, told by Amara on the phone',
    informedOrganisation: 'Adult social care safeguarding team',
    state: 'open',
  };
}

async function versionsOf(concernId: string) {
  return t.db
    .selectFrom('safeguarding_concern_versions')
    .select(['version', 'what_was_done', 'closed_on', 'outcome'])
    .where('concern_id', '=', concernId)
    .orderBy('version')
    .execute();
}

describe("a person's safeguarding concerns", () => {
  test('none at first; the record has a Safeguarding part, and looking is audited', async () => {
    const personId = await newPerson('Ada Quinn');
    const mark = await auditMark(t.db);
    const page = await marsh.get(concernsOf(personId));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No safeguarding concern has been recorded/);
    assert.match(page.body, new RegExp(`href="${concernsOf(personId)}" aria-current="page">Safeguarding`));
    assert.match(page.body, new RegExp(`href="${concernsOf(personId)}/new"`));
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, record_id, detail }) => ({ action, outcome, record_id, detail })),
      [{ action: 'concerns.read', outcome: 'allowed', record_id: personId, detail: { concerns: 0 } }],
    );
  });

  test('a concern is recorded with what was done and who was informed, in the words written, and audited', async () => {
    const personId = await newPerson('Bea Lowe');
    const form = await marsh.get(`${concernsOf(personId)}/new`);
    assert.match(form.body, /name="raisedBy" type="text" spellcheck="false" value="Amara Okafor"/, 'who raised it starts as the user');
    assert.match(form.body, /name="raisedOn-day" type="text" value="2"/, 'and the day it was raised as today');
    const mark = await auditMark(t.db);
    const response = await raise(marsh, personId);
    assert.equal(response.statusCode, 303);
    const concernId = await concernIdOf(personId);
    assert.equal(response.headers.location, `${concernsOf(personId)}?recorded=1#concern-${concernId}`);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, record_id, detail }) => ({ action, outcome, record_id, detail })),
      [
        { action: 'concern.read', outcome: 'allowed', record_id: personId, detail: {} },
        { action: 'concern.create', outcome: 'allowed', record_id: personId, detail: { concernId } },
      ],
      'opening the form, then recording the concern',
    );
    assert.deepEqual(await versionsOf(concernId), [{ version: 1, what_was_done: 'Talked with her about what happened.', closed_on: null, outcome: null }]);
    const page = await marsh.get(`${concernsOf(personId)}?recorded=1`);
    assert.match(page.body, /Safeguarding concern recorded/);
    assert.match(page.body, /Open: raised on 30 October 2026/);
    assert.match(page.body, /<p class="govuk-body">Bruising on both arms.<br>Said a visitor &quot;gets cross&quot;.<\/p>/);
    assert.match(page.body, /Duty social worker, told by Amara on the phone, Adult social care safeguarding team/);
    assert.match(page.body, /1 open, 0 closed/);
  });

  test('a form with problems is shown again with every message and the words kept; nothing is written', async () => {
    const personId = await newPerson('Cal Moss');
    const mark = await auditMark(t.db);
    const response = await raise(marsh, personId, { whatTheConcernIs: '  ', raisedBy: '', 'raisedOn-year': '2027', whatWasDone: '<b>kept</b>' });
    assert.equal(response.statusCode, 400);
    for (const [href, message] of [
      ['raisedOn-day', 'The date the concern was raised must be today or in the past'],
      ['raisedBy', 'Enter who raised the concern'],
      ['whatTheConcernIs', 'Enter what the concern is'],
    ]) {
      assert.match(response.body, new RegExp(`href="#${href}">${message}`), href);
    }
    assert.match(response.body, /&lt;b&gt;kept&lt;\/b&gt;<\/textarea>/);
    assert.equal((await t.db.selectFrom('safeguarding_concerns').select('id').where('person_id', '=', personId).execute()).length, 0);
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.filter((r) => r.action === 'concern.create').map(({ outcome, detail }) => ({ outcome, fields: detail.fields })),
      [{ outcome: 'failed', fields: ['raisedOn', 'raisedBy', 'whatTheConcernIs'] }],
    );
  });

  test('the same form sent twice, or at once, records one concern', async () => {
    const personId = await newPerson('Dee Marr');
    const page = await marsh.get(`${concernsOf(personId)}/new`);
    const form = {
      formToken: hiddenField(page.body, 'formToken') ?? '',
      'raisedOn-day': '1',
      'raisedOn-month': '11',
      'raisedOn-year': '2026',
      raisedBy: 'A neighbour',
      whatTheConcernIs: 'Not seen for a week',
    };
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(concernsOf(personId), form)));
    assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([303]));
    assert.equal(new Set(responses.map((r) => r.headers.location)).size, 1);
    assert.equal((await t.db.selectFrom('safeguarding_concerns').select('id').where('person_id', '=', personId).execute()).length, 1);
  });

  test('updating what was done keeps the earlier version; closing needs the date and outcome, and keeps it too', async () => {
    const personId = await newPerson('Eli Ward');
    await raise(marsh, personId);
    const concernId = await concernIdOf(personId);
    const form = await openChange(marsh, personId, concernId);
    assert.equal(form.version, '1');
    const mark = await auditMark(t.db);
    const updated = await marsh.post(`${concernsOf(personId)}/change`, { ...form, whatWasDone: 'Talked with her. Agreed a visit with the GP.' });
    assert.equal(updated.statusCode, 303);
    assert.equal(updated.headers.location, `${concernsOf(personId)}?saved=1#concern-${concernId}`);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, detail }) => ({ action, outcome, detail })),
      [{ action: 'concern.update', outcome: 'allowed', detail: { concernId, version: 2, closed: false } }],
    );

    const closing = { ...(await openChange(marsh, personId, concernId)), whatWasDone: 'Talked with her. Agreed a visit with the GP.', state: 'closed' };
    const unfinished = await marsh.post(`${concernsOf(personId)}/change`, closing);
    assert.equal(unfinished.statusCode, 400);
    assert.match(unfinished.body, /href="#closedOn-day">Enter the date the concern was closed/);
    assert.match(unfinished.body, /href="#outcome">Enter the outcome/);
    const early = await marsh.post(`${concernsOf(personId)}/change`, { ...closing, 'closedOn-day': '1', 'closedOn-month': '10', 'closedOn-year': '2026', outcome: 'x' });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /on or after the date it was raised/);
    assert.equal((await versionsOf(concernId)).length, 2, 'nothing saved by the refused forms');

    const closed = await marsh.post(`${concernsOf(personId)}/change`, {
      ...closing,
      'closedOn-day': '2',
      'closedOn-month': '11',
      'closedOn-year': '2026',
      outcome: 'Social care visited; a care plan is in place.',
    });
    assert.equal(closed.statusCode, 303);
    assert.deepEqual(await versionsOf(concernId), [
      { version: 1, what_was_done: 'Talked with her about what happened.', closed_on: null, outcome: null },
      { version: 2, what_was_done: 'Talked with her. Agreed a visit with the GP.', closed_on: null, outcome: null },
      { version: 3, what_was_done: 'Talked with her. Agreed a visit with the GP.', closed_on: '2026-11-02', outcome: 'Social care visited; a care plan is in place.' },
    ]);
    const page = await marsh.get(concernsOf(personId));
    assert.match(page.body, /Closed: raised on 30 October 2026/);
    assert.match(page.body, /Closed on 2 November 2026/);
    assert.match(page.body, /History of this concern \(3 versions\)/);
    assert.match(page.body, /0 open, 1 closed/);
  });

  test('two people updating at once: the second save is refused with both versions shown, nothing lost', async () => {
    const personId = await newPerson('Fay Holt');
    await raise(marsh, personId);
    const concernId = await concernIdOf(personId);
    const mine = await openChange(marsh, personId, concernId);
    const theirs = await openChange(manager, personId, concernId);
    assert.equal((await manager.post(`${concernsOf(personId)}/change`, { ...theirs, whatWasDone: 'Manager: rang the safeguarding team back.' })).statusCode, 303);
    const mark = await auditMark(t.db);
    const stale = await marsh.post(`${concernsOf(personId)}/change`, { ...mine, whatWasDone: 'Coordinator: visited again.' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /Priya Shah/);
    assert.match(stale.body, /Manager: rang the safeguarding team back./);
    assert.match(stale.body, /Coordinator: visited again./);
    assert.equal(hiddenField(stale.body, 'version'), '2', 'the form now carries the version just shown');
    assert.equal((await versionsOf(concernId)).length, 2);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, detail }) => ({ action, outcome, reason: detail.reason })),
      [{ action: 'concern.update', outcome: 'failed', reason: 'changed by someone else first' }],
    );
  });

  test('a concern never blocks the record: it is still open to those who could see it, and counted for a notice', async () => {
    const personId = await newPerson('Gil Stone');
    const quiet = await newPerson('Hal Reed');
    await raise(marsh, personId);
    await raise(marsh, personId, { whatTheConcernIs: 'A second worry' });
    assert.equal((await marsh.get(`/people/${personId}`)).statusCode, 200);
    assert.equal((await marsh.get(`/people/${personId}/details`)).statusCode, 200);
    const counts = await inTransaction(t.db, { programmeId: ids.brookfield, userId: marshId }, async (tx) => ({
      one: await countOpenConcerns(tx, ids.brookfield, personId),
      none: await countOpenConcerns(tx, ids.brookfield, quiet),
      many: await openConcernCounts(tx, ids.brookfield, [personId, quiet]),
      elsewhere: await countOpenConcerns(tx, ids.eastmoor, personId),
    }));
    assert.deepEqual(counts, { one: 2, none: 0, many: new Map([[personId, 2], [quiet, 0]]), elsewhere: 0 });
  });

  test('refused as not found for another neighbourhood, another programme, another person\'s concern, and audited', async () => {
    const personId = await newPerson('Ivy Nash');
    await raise(marsh, personId);
    const concernId = await concernIdOf(personId);
    const hollins = await signedInClient(t.app, HOLLINS);
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    for (const client of [hollins, eastmoor]) {
      for (const path of [concernsOf(personId), `${concernsOf(personId)}/new`, `${concernsOf(personId)}/change?concern=${concernId}`]) {
        const response = await client.get(path);
        assert.equal(response.statusCode, 404, path);
        assert.doesNotMatch(response.body, /Bruising/);
      }
      const posted = await client.post(`${concernsOf(personId)}/change`, { ...(await openChange(marsh, personId, concernId)), whatWasDone: 'Tampered' });
      assert.equal(posted.statusCode, 404);
    }
    // Someone else's concern named against this person: not found, and the refusal names the concern.
    const other = await newPerson('Jo Pike');
    const mark = await auditMark(t.db);
    const crossed = await marsh.get(`${concernsOf(other)}/change?concern=${concernId}`);
    assert.equal(crossed.statusCode, 404);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, record_id, detail }) => ({ action, outcome, record_id, detail })),
      [{ action: 'concern.read', outcome: 'denied', record_id: other, detail: { concernId, reason: 'not one of this person’s concerns' } }],
    );
    assert.equal((await marsh.get(`${concernsOf(personId)}/change?concern=${randomUUID()}`)).statusCode, 404);
    assert.equal((await marsh.get(`${concernsOf(personId)}/change`)).headers.location, concernsOf(personId));
    assert.equal((await marsh.post(`${concernsOf(personId)}/change`, { whatWasDone: 'no concern named' })).statusCode, 400);
    assert.deepEqual((await versionsOf(concernId)).map((v) => v.what_was_done), ['Talked with her about what happened.']);
    const leadership = await signedInClient(t.app, 'leadership@brookfield.example');
    assert.equal((await leadership.get(concernsOf(personId))).statusCode, 403);
  });
});

describe('open concerns across the programme', () => {
  test('a manager sees every open concern, the longest open first, audited once with the count only', async () => {
    const older = await newPerson('Kit Older', ids.hollinsPark);
    const newer = await newPerson('Lou Newer');
    const closedPerson = await newPerson('Max Closed');
    await raise(manager, newer, { 'raisedOn-day': '20' });
    await raise(manager, older, { 'raisedOn-day': '2' });
    await raise(manager, closedPerson);
    const closedId = await concernIdOf(closedPerson);
    await manager.post(`${concernsOf(closedPerson)}/change`, {
      ...(await openChange(manager, closedPerson, closedId)),
      state: 'closed',
      'closedOn-day': '1',
      'closedOn-month': '11',
      'closedOn-year': '2026',
      outcome: 'Resolved',
    });
    const mark = await auditMark(t.db);
    const page = await manager.get('/concerns');
    assert.equal(page.statusCode, 200);
    const olderAt = page.body.indexOf('Kit Older');
    const newerAt = page.body.indexOf('Lou Newer');
    assert.ok(olderAt > 0 && newerAt > olderAt, 'oldest first');
    assert.doesNotMatch(page.body, /Max Closed/);
    assert.match(page.body, new RegExp(`href="/people/${older}/concerns#concern-`));
    assert.match(page.body, /Hollins Park/);
    assert.match(page.body, /2 October 2026/);
    const audit = await auditSince(t.db, mark);
    const [row] = audit;
    assert.equal(audit.length, 1);
    assert.ok(row !== undefined);
    assert.equal(row.action, 'concerns.list');
    assert.equal(row.record_id, null);
    assert.deepEqual(Object.keys(row.detail), ['concerns']);

    for (const email of [MARSH, 'leadership@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      assert.equal((await client.get('/concerns')).statusCode, 403, email);
    }
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    const theirs = await eastmoor.get('/concerns');
    assert.equal(theirs.statusCode, 200);
    assert.match(theirs.body, /No safeguarding concern is open/);
  });
});
