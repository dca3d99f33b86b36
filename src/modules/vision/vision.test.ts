import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { inTransaction } from '../../core/db/transaction.ts';
import { countThemesByArea } from './service.ts';
import { THEME_CODES } from './themes.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let marsh: Client;
let manager: Client;
let marshId: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  marsh = await signedInClient(t.app, 'coordinator.marsh@brookfield.example');
  manager = await signedInClient(t.app, 'manager@brookfield.example');
  marshId = await ids.user('coordinator.marsh@brookfield.example');
});
after(async () => {
  await t.close();
});

/** A new person in Marsh End, where the Marsh End coordinator walks alongside people. */
function marshPerson(name: string): Promise<string> {
  return addPerson(t.db, ids.brookfield, ids.marshEnd, name, marshId);
}

async function rowsOf(table: 'visions' | 'what_matters' | 'theme_choices' | 'person_themes', personId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE person_id = ${personId}`.execute(t.db);
  return Number(rows[0]?.n ?? 0);
}

/** The audit rows written since `mark`, with the columns these tests compare. */
async function auditRowsSince(mark: string) {
  return (await auditSince(t.db, mark)).map(({ action, outcome, record_type, record_id, actor_user_id }) => ({
    action,
    outcome,
    record_type,
    record_id,
    actor_user_id,
  }));
}

/** Opens the vision form as a person would and fills it in. */
async function visionForm(client: Client, personId: string, overrides: Record<string, string> = {}) {
  const page = await client.get(`/people/${personId}/vision`);
  assert.equal(page.statusCode, 200);
  return {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    words: 'A home that is warm.\nCooking for my brother on Sundays.',
    'saidOn-day': '2',
    'saidOn-month': '11',
    'saidOn-year': '2026',
    ...overrides,
  };
}

/** Opens the "what matters" form and returns its hidden version with the given answers. */
async function whatMattersForm(client: Client, personId: string, answers: Record<string, string>) {
  const page = await client.get(`/people/${personId}/what-matters`);
  assert.equal(page.statusCode, 200);
  return { version: hiddenField(page.body, 'version') ?? '', ...answers };
}

async function themesForm(client: Client, personId: string, answers: Record<string, string | string[]>) {
  const page = await client.get(`/people/${personId}/themes`);
  assert.equal(page.statusCode, 200);
  return { version: hiddenField(page.body, 'version') ?? '', ...answers };
}

describe('the page "Vision, gifts and what matters"', () => {
  test('starts empty, in the person record\'s navigation, with a way to record each part', async () => {
    const personId = await marshPerson('Ada Empty');
    const page = await marsh.get(`/people/${personId}/about`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Vision, gifts and what matters<\/h1>/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/about" aria-current="page">Vision, gifts and what matters`));
    assert.match(page.body, /Their vision is not written down yet/);
    assert.match(page.body, /Nothing chosen yet/);
    assert.match(page.body, new RegExp(`href="/people/${personId}/vision"[^>]*>\\s*Record their vision`));
    assert.match(page.body, new RegExp(`href="/people/${personId}/what-matters"`));
    assert.match(page.body, new RegExp(`href="/people/${personId}/themes"[^>]*>\\s*Choose what they want to change`));
    assert.doesNotMatch(page.body, /Earlier versions/);
  });
});

describe('their vision of a good life', () => {
  test('each save adds a version: the one said most recently is shown as current, the earlier ones below with dates', async () => {
    const personId = await marshPerson('Vincent Vision');
    const first = await marsh.post(
      `/people/${personId}/vision`,
      await visionForm(marsh, personId, { words: 'First: <b>keep my flat</b>', 'saidOn-day': '1', 'saidOn-month': '10' }),
    );
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/people/${personId}/about`);

    const withOne = await marsh.get(`/people/${personId}/about`);
    assert.match(withOne.body, /First: &lt;b&gt;keep my flat&lt;\/b&gt;/);
    assert.match(withOne.body, /Said on 1 October 2026\. Recorded by Amara Okafor on 2 November 2026\./);
    assert.doesNotMatch(withOne.body, /Earlier versions/);

    t.clock.advance(60_000);
    const second = await manager.post(
      `/people/${personId}/vision`,
      await visionForm(manager, personId, { words: 'Second: a warm home.\n\nFriends round for tea.' }),
    );
    assert.equal(second.statusCode, 303);
    // Said before the first one, written down last: it goes into the history in its place, not on top.
    t.clock.advance(60_000);
    const backdated = await marsh.post(
      `/people/${personId}/vision`,
      await visionForm(marsh, personId, { words: 'Backdated: said in the summer', 'saidOn-day': '15', 'saidOn-month': '8' }),
    );
    assert.equal(backdated.statusCode, 303);

    const page = await marsh.get(`/people/${personId}/about`);
    assert.match(page.body, /<p class="govuk-body">Second: a warm home.<\/p><p class="govuk-body">Friends round for tea.<\/p>/);
    assert.match(page.body, /Said on 2 November 2026\. Recorded by Priya Shah on 2 November 2026\./);
    assert.match(page.body, /Earlier versions of their vision \(2\)/);
    const positions = ['Second: a warm home', 'First: &lt;b&gt;keep my flat', 'Backdated: said in the summer'].map((w) => page.body.indexOf(w));
    assert.ok(positions.every((p) => p > 0), 'every version is on the page');
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'current first, then the earlier ones newest first');
    assert.match(page.body, /Said on 1 October 2026<\/h3>/);
    assert.match(page.body, /Said on 15 August 2026<\/h3>/);
    assert.equal(await rowsOf('visions', personId), 3);

    const form = await marsh.get(`/people/${personId}/vision`);
    assert.match(form.body, /Their vision as it stands, said on 2 November 2026/);
    assert.match(form.body, /Second: a warm home/);
  });

  test('an invalid form is shown again with its messages and what was typed, and nothing is written', async () => {
    const personId = await marshPerson('Valerie Invalid');
    const response = await marsh.post(
      `/people/${personId}/vision`,
      await visionForm(marsh, personId, { words: '   ', 'saidOn-day': '31', 'saidOn-month': '2' }),
    );
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#words">Enter their vision of a good life, in their own words/);
    assert.match(response.body, /href="#saidOn-day">The date they said this must be a real date/);
    assert.match(response.body, /name="saidOn-day"[^>]*value="31"/);

    const future = await marsh.post(
      `/people/${personId}/vision`,
      await visionForm(marsh, personId, { words: 'Kept <i>as typed</i>', 'saidOn-year': '2027' }),
    );
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /The date they said this must be today or in the past/);
    assert.match(future.body, /Kept &lt;i&gt;as typed&lt;\/i&gt;<\/textarea>/);

    const tooLong = await marsh.post(`/people/${personId}/vision`, await visionForm(marsh, personId, { words: 'x'.repeat(5001) }));
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /Their vision must be 5000 characters or fewer/);
    assert.equal(await rowsOf('visions', personId), 0);
  });

  test('the same form sent twice, one after the other or at once, adds one version', async () => {
    const personId = await marshPerson('Dora Double');
    const form = await visionForm(marsh, personId);
    const first = await marsh.post(`/people/${personId}/vision`, form);
    const second = await marsh.post(`/people/${personId}/vision`, form);
    assert.deepEqual([first.statusCode, second.statusCode], [303, 303]);
    assert.equal(await rowsOf('visions', personId), 1);

    const raced = await visionForm(marsh, personId, { words: 'Sent three times at once' });
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(`/people/${personId}/vision`, raced)));
    assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([303]));
    assert.equal(await rowsOf('visions', personId), 2);
  });
});

describe('what matters to them, and their gifts', () => {
  test('is saved in their words, and each save moves the version on', async () => {
    const personId = await marshPerson('Gift Giver');
    const blank = await marsh.get(`/people/${personId}/what-matters`);
    assert.equal(hiddenField(blank.body, 'version'), '0');
    const saved = await marsh.post(
      `/people/${personId}/what-matters`,
      await whatMattersForm(marsh, personId, {
        whatMatters: 'My dog Biscuit.\nThe allotment.',
        gifts: 'Makes people laugh',
        skills: 'Fixing bikes',
        interests: '',
        experience: 'Thirty years <on the buses>',
      }),
    );
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/people/${personId}/about`);
    const page = await marsh.get(`/people/${personId}/about`);
    assert.match(page.body, /My dog Biscuit.<br>The allotment./);
    assert.match(page.body, /Makes people laugh/);
    assert.match(page.body, /Thirty years &lt;on the buses&gt;/);
    assert.match(page.body, /Interests\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Not written down yet/);
    assert.match(page.body, /Last changed by Amara Okafor on 2 November 2026/);

    const again = await marsh.get(`/people/${personId}/what-matters`);
    assert.equal(hiddenField(again.body, 'version'), '1');
    assert.match(again.body, /Fixing bikes<\/textarea>/);
    const resaved = await marsh.post(`/people/${personId}/what-matters`, await whatMattersForm(marsh, personId, { interests: 'Birds' }));
    assert.equal(resaved.statusCode, 303);
    const row = await t.db.selectFrom('what_matters').selectAll().where('person_id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(row.version, 2);
    assert.equal(row.interests, 'Birds');
    assert.equal(row.gifts, null, 'a heading left empty is saved empty');
  });

  test('an answer that is too long is shown again with a message and the input kept, and nothing is saved', async () => {
    const personId = await marshPerson('Long Writer');
    const response = await marsh.post(
      `/people/${personId}/what-matters`,
      await whatMattersForm(marsh, personId, { whatMatters: 'Kept', skills: 's'.repeat(5001) }),
    );
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#skills">Their skills must be 5000 characters or fewer/);
    assert.match(response.body, />Kept<\/textarea>/);
    assert.equal(hiddenField(response.body, 'version'), '0');
    // A form with no version (not one this page made) is refused too; its message leads to the first question.
    const noVersion = await marsh.post(`/people/${personId}/what-matters`, { gifts: 'No version' });
    assert.equal(noVersion.statusCode, 400);
    assert.match(noVersion.body, /href="#whatMatters">This form could not be read. Reload the page and try again/);
    assert.equal(await rowsOf('what_matters', personId), 0);
  });

  test('a save over a version someone else changed first is refused with both versions, and the form keeps the input', async () => {
    const personId = await marshPerson('Clash Person');
    await marsh.post(`/people/${personId}/what-matters`, await whatMattersForm(marsh, personId, { gifts: 'Original gifts' }));
    const mine = await whatMattersForm(marsh, personId, { gifts: 'Marsh: good with children', skills: 'Marsh: sewing' });
    const theirs = await whatMattersForm(manager, personId, { gifts: 'Manager: a great listener' });
    assert.equal(mine.version, '1');
    t.clock.advance(60_000);
    assert.equal((await manager.post(`/people/${personId}/what-matters`, theirs)).statusCode, 303);

    const refused = await marsh.post(`/people/${personId}/what-matters`, mine);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Not saved: someone else changed this first/);
    assert.match(refused.body, /Priya Shah saved a change at/);
    assert.match(refused.body, /<th scope="row" class="govuk-table__header">Gifts<\/th>\s*<td class="govuk-table__cell"><p class="govuk-body">Manager: a great listener<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">Marsh: good with children<\/p><\/td>/);
    assert.match(refused.body, /Marsh: good with children<\/textarea>/);
    assert.match(refused.body, /Marsh: sewing<\/textarea>/);
    assert.equal(hiddenField(refused.body, 'version'), '2', 'the form now carries the version saved first');
    const stored = await t.db.selectFrom('what_matters').select(['gifts', 'version']).where('person_id', '=', personId).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { gifts: 'Manager: a great listener', version: 2 });

    // Having compared the two, the coordinator saves again on the new version.
    const merged = await marsh.post(`/people/${personId}/what-matters`, { ...mine, version: '2', gifts: 'A great listener, good with children' });
    assert.equal(merged.statusCode, 303);
  });

  test('two first saves at once, or two saves of one version at once: one is saved, the other refused', async () => {
    const personId = await marshPerson('Race Person');
    const a = await whatMattersForm(marsh, personId, { gifts: 'From the coordinator' });
    const b = await whatMattersForm(manager, personId, { gifts: 'From the manager' });
    const first = await Promise.all([marsh.post(`/people/${personId}/what-matters`, a), manager.post(`/people/${personId}/what-matters`, b)]);
    assert.deepEqual(first.map((r) => r.statusCode).sort(), [303, 409]);

    const c = await whatMattersForm(marsh, personId, { gifts: 'Again, coordinator' });
    const d = await whatMattersForm(manager, personId, { gifts: 'Again, manager' });
    const second = await Promise.all([marsh.post(`/people/${personId}/what-matters`, c), manager.post(`/people/${personId}/what-matters`, d)]);
    assert.deepEqual(second.map((r) => r.statusCode).sort(), [303, 409]);
    const stored = await t.db.selectFrom('what_matters').select('version').where('person_id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(stored.version, 2);
  });
});

describe('the themes they want to change', () => {
  test('several themes are saved with notes in their words; a note for an unchosen theme is not kept', async () => {
    const personId = await marshPerson('Theo Themes');
    const form = await themesForm(marsh, personId, {
      themes: ['money_and_debt', 'home_and_housing', 'getting_online'],
      'note-home_and_housing': 'The damp in the bedroom',
      'note-money_and_debt': '',
      'note-safety': 'Typed, then unticked',
    });
    const saved = await marsh.post(`/people/${personId}/themes`, form);
    assert.equal(saved.statusCode, 303);
    const stored = await t.db.selectFrom('person_themes').select(['theme', 'note']).where('person_id', '=', personId).orderBy('theme').execute();
    assert.deepEqual(stored, [
      { theme: 'getting_online', note: null },
      { theme: 'home_and_housing', note: 'The damp in the bedroom' },
      { theme: 'money_and_debt', note: null },
    ]);
    const page = await marsh.get(`/people/${personId}/about`);
    const order = ['Home and housing', 'Money and debt', 'Getting online'].map((label) => page.body.indexOf(`${label}\n`));
    assert.ok(order.every((p) => p > 0));
    assert.deepEqual([...order].sort((x, y) => x - y), order, 'in the order of the list');
    assert.match(page.body, /The damp in the bedroom/);
    assert.doesNotMatch(page.body, /Typed, then unticked/);
    assert.match(page.body, /Change what they want to change/);

    const edit = await marsh.get(`/people/${personId}/themes`);
    assert.equal(hiddenField(edit.body, 'version'), '1');
    assert.match(edit.body, /value="home_and_housing" checked/);
    assert.doesNotMatch(edit.body, /value="safety" checked/);

    // Unticking everything is a save too.
    const cleared = await marsh.post(`/people/${personId}/themes`, { version: '1' });
    assert.equal(cleared.statusCode, 303);
    assert.equal(await rowsOf('person_themes', personId), 0);
    const header = await t.db.selectFrom('theme_choices').select('version').where('person_id', '=', personId).executeTakeFirstOrThrow();
    assert.equal(header.version, 2);
  });

  test('a theme code that is not on the list is refused, with the choices kept, and nothing is written', async () => {
    const personId = await marshPerson('Una Unknown');
    const response = await marsh.post(
      `/people/${personId}/themes`,
      await themesForm(marsh, personId, { themes: ['benefits', 'eligibility'], 'note-benefits': 'PIP letter' }),
    );
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#themes">Select the things they want to change from the list/);
    assert.match(response.body, /value="benefits" checked/);
    assert.match(response.body, />PIP letter<\/textarea>/);
    assert.equal(await rowsOf('theme_choices', personId), 0);
    assert.equal(await rowsOf('person_themes', personId), 0);

    const tooLong = await marsh.post(
      `/people/${personId}/themes`,
      await themesForm(marsh, personId, { themes: 'safety', 'note-safety': 'n'.repeat(1001) }),
    );
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /href="#note-safety">The note about safety must be 1000 characters or fewer/);
    assert.match(tooLong.body, /value="safety" checked/);
    assert.equal(await rowsOf('theme_choices', personId), 0);
  });

  test('a save over a version someone else changed first is refused with both versions, and the form keeps the input', async () => {
    const personId = await marshPerson('Clash Themes');
    assert.equal((await marsh.post(`/people/${personId}/themes`, await themesForm(marsh, personId, { themes: 'safety' }))).statusCode, 303);
    const mine = await themesForm(marsh, personId, { themes: ['bereavement', 'safety'], 'note-bereavement': 'Since Mum died' });
    const theirs = await themesForm(manager, personId, { themes: ['benefits', 'bereavement'] });
    assert.equal((await manager.post(`/people/${personId}/themes`, theirs)).statusCode, 303);

    const refused = await marsh.post(`/people/${personId}/themes`, mine);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Not saved: someone else changed this first/);
    const row = (label: string, theirCell: string, yourCell: string) =>
      new RegExp(
        `<th scope="row" class="govuk-table__header">${label}</th>\\s*<td class="govuk-table__cell"><p class="govuk-body">${theirCell}</p></td>\\s*<td class="govuk-table__cell"><p class="govuk-body">${yourCell}</p></td>`,
      );
    assert.match(refused.body, row('Benefits', 'Chosen', 'Not chosen'));
    assert.match(refused.body, row('Bereavement', 'Chosen', 'Chosen: Since Mum died'));
    assert.match(refused.body, row('Safety', 'Not chosen', 'Chosen'));
    assert.match(refused.body, /value="safety" checked/);
    assert.doesNotMatch(refused.body, /value="benefits" checked/, 'the form shows what this person chose');
    assert.match(refused.body, />Since Mum died<\/textarea>/);
    assert.equal(hiddenField(refused.body, 'version'), '2');
    const stored = await t.db.selectFrom('person_themes').select('theme').where('person_id', '=', personId).orderBy('theme').execute();
    assert.deepEqual(stored.map((r) => r.theme), ['benefits', 'bereavement']);
  });
});

describe('access and audit', () => {
  const routes = (personId: string) => ({
    gets: ['about', 'vision', 'what-matters', 'themes'].map((part) => `/people/${personId}/${part}`),
    posts: ['vision', 'what-matters', 'themes'].map((part) => `/people/${personId}/${part}`),
  });

  test('another coordinator, another programme and a random id all get not found, nothing is written, and each refusal is audited', async () => {
    const personId = await marshPerson('Private Person');
    const hollins = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const eastmoor = await signedInClient(t.app, 'manager@eastmoor.example');
    for (const [client, id] of [
      [hollins, personId],
      [eastmoor, personId],
      [marsh, randomUUID()],
    ] as const) {
      const { gets, posts } = routes(id);
      const expectedActions = ['about.read', 'vision.read', 'what-matters.read', 'themes.read', 'vision.create', 'what-matters.update', 'themes.update'];
      const before = await auditMark(t.db);
      for (const path of gets) {
        const response = await client.get(path);
        assert.equal(response.statusCode, 404, path);
        assert.doesNotMatch(response.body, /Private Person/);
      }
      const valid: Record<string, Record<string, string | string[]>> = {
        vision: { formToken: randomUUID(), words: 'Smuggled', 'saidOn-day': '1', 'saidOn-month': '11', 'saidOn-year': '2026' },
        'what-matters': { version: '0', gifts: 'Smuggled' },
        themes: { version: '0', themes: 'safety' },
      };
      for (const path of posts) {
        const response = await client.post(path, valid[path.split('/').at(-1) ?? ''] ?? {});
        assert.equal(response.statusCode, 404, path);
      }
      const rows = await auditRowsSince(before);
      assert.deepEqual(
        rows.map((r) => [r.action, r.outcome, r.record_id]),
        expectedActions.map((action) => [action, 'denied', id]),
      );
    }
    for (const table of ['visions', 'what_matters', 'theme_choices'] as const) assert.equal(await rowsOf(table, personId), 0, table);
    assert.equal((await marsh.get('/people/not-a-uuid/about')).statusCode, 404);
    assert.equal((await marsh.post('/people/not-a-uuid/themes', { version: '0' })).statusCode, 404);
  });

  test('the Leadership Group, evaluators and admins are refused every page and form', async () => {
    const personId = await marshPerson('Not For Leadership');
    for (const email of ['leadership@brookfield.example', 'evaluator@brookfield.example', 'admin@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      const { gets, posts } = routes(personId);
      for (const path of gets) assert.equal((await client.get(path)).statusCode, 403, `${email} GET ${path}`);
      for (const path of posts) assert.equal((await client.post(path, { version: '0' })).statusCode, 403, `${email} POST ${path}`);
    }
  });

  test('every page and save leaves exactly one audit row, with its own action, in the person\'s trail', async () => {
    const personId = await marshPerson('Audited About');
    const steps: [string, () => Promise<unknown>][] = [
      ['about.read', () => marsh.get(`/people/${personId}/about`)],
      ['vision.read', () => marsh.get(`/people/${personId}/vision`)],
      [
        'vision.create',
        () => marsh.post(`/people/${personId}/vision`, { formToken: randomUUID(), words: 'Audited', 'saidOn-day': '1', 'saidOn-month': '11', 'saidOn-year': '2026' }),
      ],
      ['what-matters.read', () => marsh.get(`/people/${personId}/what-matters`)],
      ['what-matters.update', () => marsh.post(`/people/${personId}/what-matters`, { version: '0', gifts: 'Audited' })],
      ['themes.read', () => marsh.get(`/people/${personId}/themes`)],
      ['themes.update', () => marsh.post(`/people/${personId}/themes`, { version: '0', themes: 'safety' })],
    ];
    // A form with problems is still an access to the record: one row, recorded as not done, nothing else.
    const failing: [string, () => Promise<unknown>][] = [
      ['themes.update', () => marsh.post(`/people/${personId}/themes`, { version: '1', themes: 'nonsense' })],
    ];
    for (const [outcome, list] of [['allowed', steps], ['failed', failing]] as const) {
      for (const [action, step] of list) {
        const before = await auditMark(t.db);
        await step();
        assert.deepEqual(await auditRowsSince(before), [{ action, outcome, record_type: 'person', record_id: personId, actor_user_id: marshId }]);
      }
    }
  });
});

describe('counting themes by area, for reports', () => {
  test('gives every area of the programme a count of people per theme, and nothing from another programme', async () => {
    // A programme of its own, so the counts do not depend on the other tests in this file.
    const programmeId = (
      await t.db.insertInto('programmes').values({ name: 'Countwell LAC', council: 'Countwell Council' }).returning('id').executeTakeFirstOrThrow()
    ).id;
    const [north, south, quiet] = await Promise.all(
      ['North', 'South', 'Quiet'].map(async (name) =>
        (await t.db.insertInto('areas').values({ programme_id: programmeId, name }).returning('id').executeTakeFirstOrThrow()).id,
      ),
    );
    assert.ok(north !== undefined && south !== undefined && quiet !== undefined);
    const choose = async (areaId: string, themes: string[]) => {
      const personId = await addPerson(t.db, programmeId, areaId, 'Counted Person', marshId);
      const at = new Date();
      await t.db.insertInto('theme_choices').values({ programme_id: programmeId, person_id: personId, version: 1, updated_by: marshId, updated_at: at }).execute();
      for (const theme of themes) {
        await t.db
          .insertInto('person_themes')
          .values({ programme_id: programmeId, person_id: personId, theme: theme as (typeof THEME_CODES)[number], note: null })
          .execute();
      }
    };
    await choose(north, ['home_and_housing', 'money_and_debt']);
    await choose(north, ['home_and_housing']);
    await choose(south, ['getting_online']);
    await choose(south, []);
    // Someone in another programme with the same theme is not counted here.
    const elsewhere = await marshPerson('Elsewhere');
    const saved = await marsh.post(`/people/${elsewhere}/themes`, await themesForm(marsh, elsewhere, { themes: 'home_and_housing' }));
    assert.equal(saved.statusCode, 303);

    const counts = await countThemesByArea({ db: t.db }, programmeId);
    assert.deepEqual(counts.map((c) => c.areaName), ['North', 'Quiet', 'South']);
    const zero = Object.fromEntries(THEME_CODES.map((code) => [code, 0]));
    assert.deepEqual(counts.find((c) => c.areaId === north)?.people, { ...zero, home_and_housing: 2, money_and_debt: 1 });
    assert.deepEqual(counts.find((c) => c.areaId === south)?.people, { ...zero, getting_online: 1 });
    assert.deepEqual(counts.find((c) => c.areaId === quiet)?.people, zero);
    for (const c of counts) assert.deepEqual(Object.keys(c).sort(), ['areaId', 'areaName', 'people'], 'counts only, nobody named');
  });
});

describe('the database as the backstop', () => {
  test('row-level security is forced on every table of this module, and keeps programmes apart', async () => {
    const tables = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
      WHERE relname IN ('visions', 'what_matters', 'theme_choices', 'person_themes') AND relkind = 'r'
      ORDER BY relname`.execute(t.db);
    assert.equal(tables.rows.length, 4);
    for (const row of tables.rows) assert.deepEqual([row.relrowsecurity, row.relforcerowsecurity], [true, true], row.relname);

    const personId = await marshPerson('Backstop Person');
    await marsh.post(`/people/${personId}/vision`, await visionForm(marsh, personId));
    const seenFromEastmoor = await inTransaction(t.db, { programmeId: ids.eastmoor, userId: null }, (tx) =>
      tx.selectFrom('visions').select('id').where('person_id', '=', personId).execute(),
    );
    assert.deepEqual(seenFromEastmoor, []);
    await assert.rejects(
      inTransaction(t.db, { programmeId: ids.eastmoor, userId: null }, (tx) =>
        tx.updateTable('visions').set({ words: 'Rewritten' }).where('person_id', '=', personId).execute(),
      ),
      /permission denied/,
      'a vision, once recorded, is never rewritten by the application',
    );
  });
});
