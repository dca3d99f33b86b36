import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { programmeOutcomeChange, programmeServiceUse } from './service.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const EASTMOOR_MANAGER = 'manager@eastmoor.example';

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

const outcomesOf = (personId: string) => `/people/${personId}/outcomes`;
const newPerson = (name: string, area = ids.marshEnd, programme = ids.brookfield) => addPerson(t.db, programme, area, name, marshId);

type Form = Record<string, string | string[]>;

const date = (name: string, iso: string): Form => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
};

/** Opens the check-in form as a person would, fills it in and sends it; returns the response. */
async function checkIn(client: Client, personId: string, answers: Form, occasion = 'baseline', on = '2026-10-01') {
  const page = await client.get(`${outcomesOf(personId)}/check-ins/new`);
  assert.equal(page.statusCode, 200, page.body);
  return client.post(`${outcomesOf(personId)}/check-ins`, {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    occasion,
    ...date('checkedOn', on),
    recordedByName: 'Amara Okafor',
    ...answers,
  });
}

/** Opens the service-use form, fills it in and sends it. */
async function period(client: Client, personId: string, side: 'before' | 'after', counts: Form, from = '2026-01-01', to = '2026-06-30') {
  const page = await client.get(`${outcomesOf(personId)}/service-use/new`);
  assert.equal(page.statusCode, 200, page.body);
  return client.post(`${outcomesOf(personId)}/service-use`, {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    side,
    ...date('fromOn', from),
    ...date('toOn', to),
    ...counts,
  });
}

const checkInsOf = (personId: string) =>
  t.db.selectFrom('outcome_check_ins').selectAll().where('person_id', '=', personId).orderBy('checked_on').execute();

const BASELINE: Form = {
  lifeSatisfaction: '3',
  worthwhile: '4',
  happiness: '2',
  anxiety: '8',
  lonely: 'often_always',
  uclaCompanionship: '3',
  uclaLeftOut: '3',
  uclaIsolated: '2',
  lacRelationships: '2',
  lacConfidence: '1',
  lacCommunity: '1',
  lacContributing: '0',
  lacDailyLife: '4',
  declined: 'lacHealth',
};

const REVIEW: Form = {
  lifeSatisfaction: '6',
  worthwhile: '4',
  happiness: '5',
  anxiety: '5',
  lonely: 'occasionally',
  uclaCompanionship: '2',
  uclaLeftOut: '1',
  uclaIsolated: '1',
  lacRelationships: '6',
  lacConfidence: '5',
  lacHealth: '6',
  lacCommunity: '5',
  lacContributing: '3',
  lacDailyLife: '3',
};

/** Opens the correction form of a check-in; returns its hidden fields. */
async function openCheckIn(client: Client, personId: string, checkInId: string) {
  const page = await client.get(`${outcomesOf(personId)}/check-ins/change?checkIn=${checkInId}`);
  assert.equal(page.statusCode, 200, page.body);
  return { checkIn: hiddenField(page.body, 'checkIn') ?? '', version: hiddenField(page.body, 'version') ?? '', body: page.body };
}

describe("a person's outcome check-ins", () => {
  test('none at first; the overview links here, and looking is audited', async () => {
    const personId = await newPerson('Ada Quinn');
    assert.match((await marsh.get(`/people/${personId}`)).body, new RegExp(`href="${outcomesOf(personId)}"`));
    const mark = await auditMark(t.db);
    const page = await marsh.get(outcomesOf(personId));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No check-in has been recorded yet/);
    assert.match(page.body, /To compare, record a period before you met/);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, record_id, detail }) => ({ action, outcome, record_id, detail })),
      [{ action: 'outcomes.read', outcome: 'allowed', record_id: personId, detail: { checkIns: 0, periods: 0 } }],
    );
  });

  test('a check-in is recorded with every answer, a blank kept apart from "prefer not to say", and audited', async () => {
    const personId = await newPerson('Bea Lowe');
    const form = await marsh.get(`${outcomesOf(personId)}/check-ins/new`);
    assert.match(form.body, /name="recordedByName" type="text" spellcheck="false" value="Amara Okafor"/, 'who recorded it starts as the user');
    assert.match(form.body, /0 \(not at all\) to 10 \(completely\)/, 'the scale of the LAC domains is said');
    const mark = await auditMark(t.db);
    // Managing daily life left blank (not asked); control over own health and feeling isolated declined.
    const answers = Object.fromEntries(Object.entries(BASELINE).filter(([key]) => key !== 'lacDailyLife'));
    const response = await checkIn(marsh, personId, { ...answers, uclaIsolated: 'declined' });
    assert.equal(response.statusCode, 303);
    const [row] = await checkInsOf(personId);
    assert.ok(row !== undefined);
    assert.equal(response.headers.location, `${outcomesOf(personId)}?recorded=1#checkIn-${row.id}`);
    assert.deepEqual(
      { life: row.life_satisfaction, anxiety: row.anxiety, lonely: row.lonely, isolated: row.ucla_isolated, health: row.lac_health, daily: row.lac_daily_life, declined: row.declined },
      { life: 3, anxiety: 8, lonely: 'often_always', isolated: null, health: null, daily: null, declined: ['lacHealth', 'uclaIsolated'] },
    );
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, record_id, detail }) => ({ action, outcome, record_id, detail })),
      [
        { action: 'check-in.read', outcome: 'allowed', record_id: personId, detail: {} },
        { action: 'check-in.create', outcome: 'allowed', record_id: personId, detail: { checkInId: row.id } },
      ],
    );
    const page = await marsh.get(`${outcomesOf(personId)}?recorded=1`);
    assert.match(page.body, /Check-in recorded/);
    assert.match(page.body, /Control over own health\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Preferred not to say/);
    assert.match(page.body, /Managing daily life\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Not answered/);
    assert.match(page.body, /There is no later check-in yet to compare with/);
  });

  test('a form with problems is shown again with clear messages and the input kept; nothing is written', async () => {
    const personId = await newPerson('Cal Moss');
    const mark = await auditMark(t.db);
    const response = await checkIn(marsh, personId, {
      occasion: '',
      lifeSatisfaction: '11',
      worthwhile: '-1',
      happiness: 'lots',
      anxiety: '4',
      declined: 'anxiety',
      lacRelationships: '7.5',
      lonely: 'sometimes',
    });
    assert.equal(response.statusCode, 400);
    for (const [href, message] of [
      ['occasion', 'Select when this check-in was'],
      ['lifeSatisfaction', 'Life satisfaction must be a whole number from 0 to 10'],
      ['worthwhile', 'Things done are worthwhile must be a whole number from 0 to 10'],
      ['happiness', 'Happiness yesterday must be a whole number from 0 to 10'],
      ['lacRelationships', 'Relationships and connections must be a whole number from 0 to 10'],
      ['lonely', 'Select how often they feel lonely from the list'],
    ]) {
      assert.match(response.body, new RegExp(`<a href="#${href}">${message}</a>`), href);
    }
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /name="lifeSatisfaction" type="text" spellcheck="false" value="11"/);
    assert.match(response.body, /name="happiness" type="text" spellcheck="false" value="lots"/);
    assert.equal((await checkInsOf(personId)).length, 0);
    assert.deepEqual(
      (await auditSince(t.db, mark)).filter((r) => r.action === 'check-in.create').map(({ outcome, detail }) => ({ outcome, fields: detail.fields })),
      [{ outcome: 'failed', fields: ['occasion', 'lifeSatisfaction', 'worthwhile', 'happiness', 'lacRelationships', 'lonely'] }],
    );

    // A number and "prefer not to say" for the same question cannot both be meant; a future date is refused.
    const both = await checkIn(marsh, personId, { anxiety: '4', declined: ['anxiety', 'worthwhile'] }, 'review', '2026-12-01');
    assert.equal(both.statusCode, 400);
    assert.match(both.body, /<a href="#checkedOn-day">The date of the check-in must be today or in the past<\/a>/);
    assert.match(both.body, /<a href="#anxiety">Enter a number or select prefer not to say, not both<\/a>/);
    assert.match(both.body, /name="declined" type="checkbox" value="worthwhile" checked/, 'the ticks are kept');
    assert.equal((await checkInsOf(personId)).length, 0);
  });

  test('the same form sent twice, or at once, records one check-in', async () => {
    const personId = await newPerson('Dee Marr');
    const page = await marsh.get(`${outcomesOf(personId)}/check-ins/new`);
    const form = { formToken: hiddenField(page.body, 'formToken') ?? '', occasion: 'baseline', ...date('checkedOn', '2026-10-02'), recordedByName: 'Amara', happiness: '5' };
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(`${outcomesOf(personId)}/check-ins`, form)));
    assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([303]));
    assert.equal(new Set(responses.map((r) => r.headers.location)).size, 1);
    assert.equal((await checkInsOf(personId)).length, 1);
  });

  test('a correction is a new version; a save from an older version is refused with both shown (409)', async () => {
    const personId = await newPerson('Eli Ward');
    await checkIn(marsh, personId, BASELINE);
    const [row] = await checkInsOf(personId);
    assert.ok(row !== undefined);
    const mine = await openCheckIn(marsh, personId, row.id);
    const theirs = await openCheckIn(manager, personId, row.id);
    assert.equal(mine.version, '1');
    assert.match(mine.body, /name="anxiety" type="text" spellcheck="false" value="8"/, 'the form shows what was recorded');
    assert.match(mine.body, /name="declined" type="checkbox" value="lacHealth" checked/);
    const fields = { occasion: 'baseline', ...date('checkedOn', '2026-10-01'), recordedByName: 'Amara Okafor', ...BASELINE };

    const mark = await auditMark(t.db);
    const saved = await manager.post(`${outcomesOf(personId)}/check-ins/change`, { ...fields, checkIn: theirs.checkIn, version: theirs.version, anxiety: '7' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `${outcomesOf(personId)}?saved=1#checkIn-${row.id}`);
    const stale = await marsh.post(`${outcomesOf(personId)}/check-ins/change`, { ...fields, checkIn: mine.checkIn, version: mine.version, anxiety: '6' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    assert.match(stale.body, /Priya Shah/);
    assert.equal(hiddenField(stale.body, 'version'), '2', 'the form now carries the version just shown');
    assert.match(stale.body, /name="anxiety" type="text" spellcheck="false" value="6"/, 'what this person typed is kept');
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, detail }) => ({ action, outcome, detail })),
      [
        { action: 'check-in.update', outcome: 'allowed', detail: { checkInId: row.id, version: 2 } },
        { action: 'check-in.update', outcome: 'failed', detail: { checkInId: row.id, reason: 'changed by someone else first' } },
      ],
    );
    const versions = await t.db.selectFrom('outcome_check_in_versions').select(['version', 'saved']).where('check_in_id', '=', row.id).orderBy('version').execute();
    assert.deepEqual(
      versions.map((v) => [v.version, (v.saved as { answers: { anxiety: number } }).answers.anxiety]),
      [
        [1, 8],
        [2, 7],
      ],
    );
    assert.equal((await checkInsOf(personId))[0]?.anxiety, 7);
    assert.match((await marsh.get(outcomesOf(personId))).body, /History of this check-in \(2 versions\)/);
  });

  test('distance travelled: each measure at the start and latest, with honest directions for anxiety and loneliness', async () => {
    const personId = await newPerson('Fay Holt');
    await checkIn(marsh, personId, BASELINE, 'baseline', '2026-06-01');
    await checkIn(marsh, personId, { ...REVIEW, worthwhile: '4', lacDailyLife: '3' }, 'review', '2026-10-20');
    const page = await marsh.get(outcomesOf(personId));
    const row = (label: string) => {
      const match = new RegExp(`<th scope="row" class="govuk-table__header">${label}</th>\\s*<td class="govuk-table__cell">([^<]*)</td>\\s*<td class="govuk-table__cell">([^<]*)</td>\\s*<td class="govuk-table__cell">(?:<strong>)?([^<]*)`).exec(page.body);
      return match?.slice(1);
    };
    assert.match(page.body, /From the starting point on 1 June 2026 \(getting to know\)\s*to the latest check-in on 20 October 2026 \(a review\)/);
    assert.deepEqual(row('Life satisfaction'), ['3', '6', '+3: better']);
    assert.deepEqual(row('Anxiety yesterday \\(lower is better\\)'), ['8', '5', '−3: better']);
    assert.deepEqual(row('Things done are worthwhile'), ['4', '4', '0: the same']);
    assert.deepEqual(row('How often they feel lonely \\(lower is better\\)'), ['Often or always', 'Occasionally', '2 steps less often: better']);
    assert.deepEqual(row('UCLA loneliness score, 3 to 9 \\(lower is better\\)'), ['8', '4', '−4: better']);
    assert.deepEqual(row('Managing daily life'), ['4', '3', '−1: worse']);
    assert.deepEqual(row('Control over own health'), ['Not answered', '6', 'Not answered at both']);
  });
});

describe("a person's service use before and since", () => {
  test('periods are recorded with how each number is known, compared, and corrected as versions', async () => {
    const personId = await newPerson('Gil Stone');
    const mark = await auditMark(t.db);
    const before = await period(marsh, personId, 'before', { description: 'The 6 months before we met', gp: '9', gpSource: 'known', ae: '4', aeSource: 'known', police: '2', policeSource: 'self_reported' }, '2026-01-01', '2026-06-30');
    assert.equal(before.statusCode, 303);
    const afterResponse = await period(marsh, personId, 'after', { gp: '3', gpSource: 'self_reported', ae: '1', aeSource: 'known', police: '2', policeSource: 'self_reported', eviction: '0', evictionSource: 'known' }, '2026-07-01', '2026-10-31');
    assert.equal(afterResponse.statusCode, 303);
    assert.deepEqual(
      (await auditSince(t.db, mark)).filter((r) => r.action === 'service-use.create').map((r) => r.outcome),
      ['allowed', 'allowed'],
    );
    const page = await marsh.get(`${outcomesOf(personId)}?periodRecorded=1`);
    assert.match(page.body, /Service use recorded/);
    assert.match(page.body, /GP appointments<\/th>\s*<td class="govuk-table__cell">9 \(known, from a record or the agency\)<\/td>\s*<td class="govuk-table__cell">3 \(as they told us\)<\/td>\s*<td class="govuk-table__cell">6 fewer<\/td>/);
    assert.match(page.body, /Police contacts<\/th>\s*<td[^>]*>2 [^<]*<\/td>\s*<td[^>]*>2 [^<]*<\/td>\s*<td[^>]*>The same<\/td>/);
    assert.match(page.body, /Eviction proceedings<\/th>\s*<td[^>]*>Not known<\/td>\s*<td[^>]*>0 [^<]*<\/td>\s*<td[^>]*>Not known for both<\/td>/);

    const row = await t.db.selectFrom('service_use_periods').select(['id', 'version']).where('person_id', '=', personId).where('side', '=', 'before').executeTakeFirstOrThrow();
    const form = await marsh.get(`${outcomesOf(personId)}/service-use/change?period=${row.id}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="gp" type="text" spellcheck="false" value="9"/);
    const fields = { period: row.id, version: '1', side: 'before', ...date('fromOn', '2026-01-01'), ...date('toOn', '2026-06-30'), gp: '10', gpSource: 'known' };
    assert.equal((await marsh.post(`${outcomesOf(personId)}/service-use/change`, fields)).statusCode, 303);
    const stale = await manager.post(`${outcomesOf(personId)}/service-use/change`, { ...fields, gp: '11' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Not saved: someone else changed this first/);
    const versions = await t.db.selectFrom('service_use_period_versions').select('version').where('period_id', '=', row.id).execute();
    assert.equal(versions.length, 2);
    assert.match((await marsh.get(outcomesOf(personId))).body, /History of this period \(2 versions\)/);
  });

  test('a period with problems is shown again with clear messages; nothing is written', async () => {
    const personId = await newPerson('Hal Reed');
    const response = await period(marsh, personId, 'before', { gp: '12', ae: 'twice', aeSource: 'known', ambulance: '-2', ambulanceSource: 'known' }, '2026-06-30', '2026-01-01');
    assert.equal(response.statusCode, 400);
    for (const [href, message] of [
      ['ae', 'A&amp;E attendances must be a whole number from 0 to 10,000'],
      ['ambulance', 'Ambulance call-outs must be a whole number from 0 to 10,000'],
    ]) {
      assert.match(response.body, new RegExp(`<a href="#${href}">${message}</a>`), href);
    }
    assert.match(response.body, /name="ae" type="text" spellcheck="false" value="twice"/);
    // Once the numbers are whole, the dates and the missing source are the problems left.
    const second = await period(marsh, personId, 'before', { gp: '12' }, '2026-06-30', '2026-01-01');
    assert.match(second.body, /<a href="#toOn-day">The end of the period must be on or after its start<\/a>/);
    assert.match(second.body, /<a href="#gpSource">Select how the number of GP appointments is known<\/a>/);
    assert.equal((await t.db.selectFrom('service_use_periods').select('id').where('person_id', '=', personId).execute()).length, 0);
  });
});

describe('who may see and record outcomes', () => {
  test("another neighbourhood's coordinator and another programme find nothing; the Leadership Group is refused", async () => {
    const personId = await newPerson('Ivy Nash');
    await checkIn(marsh, personId, BASELINE);
    const [row] = await checkInsOf(personId);
    assert.ok(row !== undefined);
    const hollins = await signedInClient(t.app, HOLLINS);
    const eastmoor = await signedInClient(t.app, EASTMOOR_MANAGER);
    for (const client of [hollins, eastmoor]) {
      for (const path of [outcomesOf(personId), `${outcomesOf(personId)}/check-ins/new`, `${outcomesOf(personId)}/check-ins/change?checkIn=${row.id}`]) {
        const response = await client.get(path);
        assert.equal(response.statusCode, 404, path);
      }
      const mark = await auditMark(t.db);
      const posted = await client.post(`${outcomesOf(personId)}/check-ins/change`, { checkIn: row.id, version: '1', occasion: 'baseline', ...date('checkedOn', '2026-10-01'), recordedByName: 'x', anxiety: '0' });
      assert.equal(posted.statusCode, 404);
      assert.deepEqual(
        (await auditSince(t.db, mark)).map(({ action, outcome, record_id }) => ({ action, outcome, record_id })),
        [{ action: 'check-in.update', outcome: 'denied', record_id: personId }],
      );
    }
    assert.equal((await checkInsOf(personId))[0]?.anxiety, 8, 'nothing changed');

    // Someone else's check-in named against this person: not found, and the refusal names it.
    const other = await newPerson('Jo Pike');
    const mark = await auditMark(t.db);
    assert.equal((await marsh.get(`${outcomesOf(other)}/check-ins/change?checkIn=${row.id}`)).statusCode, 404);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map(({ action, outcome, detail }) => ({ action, outcome, detail })),
      [{ action: 'check-in.read', outcome: 'denied', detail: { checkInId: row.id, reason: 'not part of this person’s record' } }],
    );
    assert.equal((await marsh.get(`${outcomesOf(personId)}/check-ins/change?checkIn=${randomUUID()}`)).statusCode, 404);
    assert.equal((await marsh.get(`${outcomesOf(personId)}/check-ins/change`)).headers.location, outcomesOf(personId));

    for (const email of ['leadership@brookfield.example', 'evaluator@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      assert.equal((await client.get(outcomesOf(personId))).statusCode, 403, email);
      assert.equal((await client.post(`${outcomesOf(personId)}/check-ins`, {})).statusCode, 403, email);
    }
  });
});

describe("a programme's outcome figures, for the dashboard", () => {
  test('the distribution of change per measure, and service use before and after, with no names or ids', async () => {
    // In the second programme, so that only these people count.
    const eastmoor = await signedInClient(t.app, EASTMOOR_MANAGER);
    const area = ids.eastmoorMarshEnd;
    const [ann, ben, cat, dan] = await Promise.all(['Ann', 'Ben', 'Cat', 'Dan'].map((n) => newPerson(`${n} Eastmoor`, area, ids.eastmoor)));
    assert.ok(ann !== undefined && ben !== undefined && cat !== undefined && dan !== undefined);
    // Ann: anxiety 8 → 5 (better), loneliness less often. Ben: anxiety 3 → 6 (worse). Cat: anxiety the same, declined
    // loneliness later. Dan: a baseline only, so not counted.
    await checkIn(eastmoor, ann, { anxiety: '8', lifeSatisfaction: '3', lonely: 'often_always' }, 'baseline', '2026-03-01');
    await checkIn(eastmoor, ann, { anxiety: '6', lifeSatisfaction: '4' }, 'review', '2026-06-01');
    await checkIn(eastmoor, ann, { anxiety: '5', lifeSatisfaction: '7', lonely: 'hardly_ever' }, 'review', '2026-09-01');
    await checkIn(eastmoor, ben, { anxiety: '3', lifeSatisfaction: '6', lonely: 'some_of_the_time' }, 'baseline', '2026-04-01');
    await checkIn(eastmoor, ben, { anxiety: '6', lifeSatisfaction: '6', lonely: 'often_always' }, 'review', '2026-08-01');
    await checkIn(eastmoor, cat, { anxiety: '4', lifeSatisfaction: '5', lonely: 'never' }, 'baseline', '2026-05-01');
    await checkIn(eastmoor, cat, { anxiety: '4', lifeSatisfaction: '8', lonely: 'declined' }, 'moving_on', '2026-10-01');
    await checkIn(eastmoor, dan, { anxiety: '9' }, 'baseline', '2026-10-01');

    const figures = await programmeOutcomeChange({ db: t.db }, ids.eastmoor);
    const measure = (key: string) => {
      const found = figures.find((f) => f.measure === key);
      assert.ok(found !== undefined, key);
      return found;
    };
    assert.deepEqual(measure('anxiety'), {
      measure: 'anxiety',
      label: 'Anxiety yesterday (lower is better)',
      lowerIsBetter: true,
      people: 3,
      better: 1,
      same: 1,
      worse: 1,
      meanChange: '0.0',
    });
    const { people, better, same, worse, meanChange } = measure('lifeSatisfaction');
    assert.deepEqual({ people, better, same, worse, meanChange }, { people: 3, better: 2, same: 1, worse: 0, meanChange: '2.3' }, 'life satisfaction: +4, 0, +3, a mean of 2.33…');
    const lonely = measure('lonely');
    assert.deepEqual(
      [lonely.people, lonely.better, lonely.worse, lonely.meanChange],
      [2, 1, 1, '-1.0'],
      'often or always to hardly ever is 3 steps better, some of the time to often or always 1 worse; Cat declined later',
    );
    assert.deepEqual([measure('ucla').people, measure('ucla').meanChange], [0, null], 'nobody answered all three');
    assert.equal(figures.length, 12, 'each measure on its own');
    const text = JSON.stringify(figures);
    assert.doesNotMatch(text, /Eastmoor|[0-9a-f]{8}-[0-9a-f]{4}-/, 'no names and no ids');

    // Narrowed to a neighbourhood: the people living there now.
    const elsewhere = await programmeOutcomeChange({ db: t.db }, ids.eastmoor, { areaId: ids.hollinsPark });
    assert.equal(elsewhere.find((f) => f.measure === 'anxiety')?.people, 0);
    const here = await programmeOutcomeChange({ db: t.db }, ids.eastmoor, { areaId: area });
    assert.equal(here.find((f) => f.measure === 'anxiety')?.people, 3);

    const brookfieldBefore = await programmeServiceUse({ db: t.db }, ids.brookfield);
    await period(eastmoor, ann, 'before', { ae: '5', aeSource: 'known', gp: '8', gpSource: 'self_reported' }, '2025-09-01', '2026-02-28');
    await period(eastmoor, ann, 'after', { ae: '2', aeSource: 'known', gp: '5', gpSource: 'self_reported' }, '2026-03-01', '2026-08-31');
    await period(eastmoor, ben, 'before', { ae: '3', aeSource: 'known' }, '2025-10-01', '2026-03-31');
    await period(eastmoor, ben, 'after', { ae: '4', aeSource: 'known', gp: '2', gpSource: 'known' }, '2026-04-01', '2026-07-31');
    // A later period since replaces the earlier one in the comparison.
    await period(eastmoor, ben, 'after', { ae: '1', aeSource: 'known', gp: '1', gpSource: 'known' }, '2026-08-01', '2026-10-31');
    await period(eastmoor, cat, 'before', { ae: '9', aeSource: 'known' }, '2025-11-01', '2026-04-30');
    const use = await programmeServiceUse({ db: t.db }, ids.eastmoor);
    assert.equal(use.people, 2, 'Cat has no period since');
    const kinds = new Map(use.kinds.map((k) => [k.kind, k]));
    assert.deepEqual(kinds.get('ae'), { kind: 'ae', label: 'A&E attendances', people: 2, before: 8, after: 3 });
    assert.deepEqual(kinds.get('gp'), { kind: 'gp', label: 'GP appointments', people: 1, before: 8, after: 5 }, "Ben's GP visits before are not known");
    assert.deepEqual(kinds.get('police'), { kind: 'police', label: 'Police contacts', people: 0, before: 0, after: 0 });
    assert.doesNotMatch(JSON.stringify(use), /[0-9a-f]{8}-[0-9a-f]{4}-/);

    assert.deepEqual(await programmeServiceUse({ db: t.db }, ids.brookfield), brookfieldBefore, 'the first programme counts none of these');
  });

  test("to the end of a month: check-ins taken and periods ended by then, each in the version in force at the month's end", async () => {
    const eastmoor = await signedInClient(t.app, EASTMOOR_MANAGER);
    const area = ids.eastmoorMarshEnd;
    // The test clock is on 2 November 2026 and cannot go back: a record "saved in October" has its versions dated so.
    const checkInsSavedOn = (personId: string, day: string) =>
      t.db.updateTable('outcome_check_in_versions').set({ saved_at: new Date(`${day}T12:00:00Z`) }).where('person_id', '=', personId).execute();
    const periodsSavedOn = (personId: string, day: string) =>
      t.db.updateTable('service_use_period_versions').set({ saved_at: new Date(`${day}T12:00:00Z`) }).where('person_id', '=', personId).execute();
    const anxiety = async (options: { to?: string }) => {
      const m = (await programmeOutcomeChange({ db: t.db }, ids.eastmoor, options)).find((f) => f.measure === 'anxiety');
      assert.ok(m !== undefined);
      return [m.people, m.better, m.same, m.worse];
    };
    const gp = async (options: { to?: string }) => {
      const use = await programmeServiceUse({ db: t.db }, ids.eastmoor, options);
      const kind = use.kinds.find((k) => k.kind === 'gp');
      assert.ok(kind !== undefined);
      return [use.people, kind.people, kind.before, kind.after];
    };
    const added = (now: number[], was: number[]) => now.map((n, i) => n - (was[i] ?? 0));
    const october = { to: '2026-10-31' };
    const november = { to: '2026-11-30' };
    const was = { anxietyOctober: await anxiety(october), anxietyNovember: await anxiety(november), gpOctober: await gp(october), gpNovember: await gp(november) };

    const [fay, gus, hal] = await Promise.all(['Fay', 'Gus', 'Hal'].map((n) => newPerson(`${n} Eastmoor`, area, ids.eastmoor)));
    assert.ok(fay !== undefined && gus !== undefined && hal !== undefined);
    // Fay: anxiety 8 → 5, recorded in October; corrected in November to 9.
    await checkIn(eastmoor, fay, { anxiety: '8' }, 'baseline', '2026-09-01');
    await checkIn(eastmoor, fay, { anxiety: '5' }, 'review', '2026-10-20');
    await checkInsSavedOn(fay, '2026-10-20');
    const review = (await checkInsOf(fay)).find((c) => c.occasion === 'review');
    assert.ok(review !== undefined);
    const corrected = await eastmoor.post(`${outcomesOf(fay)}/check-ins/change`, {
      checkIn: review.id,
      version: '1',
      occasion: 'review',
      ...date('checkedOn', '2026-10-20'),
      recordedByName: 'Amara Okafor',
      anxiety: '9',
    });
    assert.equal(corrected.statusCode, 303);
    // Gus: a baseline in September; his review was taken on 1 November, after the month.
    await checkIn(eastmoor, gus, { anxiety: '6' }, 'baseline', '2026-09-01');
    await checkInsSavedOn(gus, '2026-09-01');
    await checkIn(eastmoor, gus, { anxiety: '3' }, 'review', '2026-11-01');
    // Hal: both taken in October, written up only in November: they count in October, by when they were taken.
    await checkIn(eastmoor, hal, { anxiety: '5' }, 'baseline', '2026-10-10');
    await checkIn(eastmoor, hal, { anxiety: '5' }, 'review', '2026-10-30');

    assert.deepEqual(added(await anxiety(october), was.anxietyOctober), [2, 1, 1, 0], 'Fay better as she stood at the end of October, Hal the same; Gus not yet');
    assert.deepEqual(added(await anxiety(november), was.anxietyNovember), [3, 1, 1, 1], 'Fay worse as corrected, Gus better, Hal the same');

    // Service use: Fay's periods recorded by the end of October, the one since corrected in November (GP 2 → 4).
    assert.equal((await period(eastmoor, fay, 'before', { gp: '5', gpSource: 'known' }, '2026-03-01', '2026-08-31')).statusCode, 303);
    assert.equal((await period(eastmoor, fay, 'after', { gp: '2', gpSource: 'known' }, '2026-09-01', '2026-10-31')).statusCode, 303);
    await periodsSavedOn(fay, '2026-10-31');
    const since = await t.db.selectFrom('service_use_periods').select('id').where('person_id', '=', fay).where('side', '=', 'after').executeTakeFirstOrThrow();
    const fields = { period: since.id, version: '1', side: 'after', ...date('fromOn', '2026-09-01'), ...date('toOn', '2026-10-31'), gp: '4', gpSource: 'known' };
    assert.equal((await eastmoor.post(`${outcomesOf(fay)}/service-use/change`, fields)).statusCode, 303);
    // Gus's period since ended on 1 November.
    assert.equal((await period(eastmoor, gus, 'before', { gp: '7', gpSource: 'known' }, '2026-03-01', '2026-08-31')).statusCode, 303);
    assert.equal((await period(eastmoor, gus, 'after', { gp: '1', gpSource: 'known' }, '2026-09-01', '2026-11-01')).statusCode, 303);

    assert.deepEqual(added(await gp(october), was.gpOctober), [1, 1, 5, 2], 'Fay only, her GP visits since as they stood');
    assert.deepEqual(added(await gp(november), was.gpNovember), [2, 2, 12, 5], 'Fay as corrected, and Gus');
    assert.deepEqual(await gp({}), await gp(november), 'with no month, every record as it is now');
  });
});
