import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, hiddenField, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { addPerson, idsOf } from '../../../test/fixtures.ts';
import { sql } from 'kysely';
import { HOUR } from '../../core/clock.ts';
import { inTransaction } from '../../core/db/transaction.ts';
import { ukToday } from '../../core/http/forms.ts';
import { formatDate } from '../../core/http/views.ts';

const MARSH = 'coordinator.marsh@brookfield.example';
const HOLLINS = 'coordinator.hollins@brookfield.example';
const MANAGER = 'manager@brookfield.example';
const DAY = 24 * HOUR;

/** Today by the test clock, which tests here move on by days. */
const today = () => ukToday(t.clock.now());

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
let recorder: string;

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
  recorder = await ids.user(MARSH);
});
after(async () => {
  await t.close();
});

/** Signs in afresh: tests here move the clock by days, past any session's idle timeout. */
const as = (email: string) => signedInClient(t.app, email);

const newPerson = (name: string) => addPerson(t.db, ids.brookfield, ids.marshEnd, name, recorder);

const circleOf = (personId: string) => `/people/${personId}/circle`;

async function lastAuditId(): Promise<string> {
  const row = await t.db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return String(row?.id ?? 0);
}

async function auditSince(id: string) {
  return t.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'record_type', 'record_id', 'detail'])
    .where('id', '>', id)
    .orderBy('id')
    .execute();
}

const member = (name: string, overrides: Record<string, string> = {}) => ({
  name,
  relationship: 'walking group friend',
  howTheyHelp: '',
  closeness: '2',
  kind: 'friend',
  ...overrides,
});

/** Opens the add form as a person would, fills it in and sends it; returns the new member's id. */
async function addMember(client: Client, personId: string, fields: Record<string, string>): Promise<string> {
  const form = await client.get(`${circleOf(personId)}/add`);
  assert.equal(form.statusCode, 200);
  const formToken = hiddenField(form.body, 'formToken') ?? '';
  const response = await client.post(circleOf(personId), { formToken, ...fields });
  assert.equal(response.statusCode, 303, response.body);
  assert.equal(response.headers.location, `${circleOf(personId)}?added=1`);
  const row = await t.db.selectFrom('circle_members').select('id').where('form_token', '=', formToken).executeTakeFirstOrThrow();
  return row.id;
}

/** Opens a member's change form; returns the version it was made from. */
async function openChange(client: Client, personId: string, memberId: string): Promise<string> {
  const page = await client.get(`${circleOf(personId)}/change?member=${memberId}`);
  assert.equal(page.statusCode, 200, page.body);
  assert.equal(hiddenField(page.body, 'memberId'), memberId);
  return hiddenField(page.body, 'version') ?? '';
}

async function versionsOf(memberId: string) {
  return t.db
    .selectFrom('circle_member_versions')
    .select(['version', 'name', 'relationship', 'closeness', 'kind', 'valid_from', 'valid_to'])
    .where('member_id', '=', memberId)
    .orderBy('version')
    .execute();
}

async function membersNamed(name: string): Promise<number> {
  const rows = await t.db.selectFrom('circle_member_versions').select('member_id').distinct().where('name', '=', name).execute();
  return rows.length;
}

/** The first diagram on a page, from its opening tag to its end. */
function diagramIn(html: string): string {
  const start = html.indexOf('<svg class="app-circle-diagram"');
  assert.ok(start >= 0, 'the page has a circle diagram');
  return html.slice(start, html.indexOf('</svg>', start) + '</svg>'.length);
}

describe('the circle of support', () => {
  test('an empty circle invites the first person in, and looking is audited', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const before = await lastAuditId();
    const page = await marsh.get(circleOf(personId));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Circle of support<\/h1>/);
    assert.match(page.body, /Nobody is in Dennis Carver’s circle yet/);
    assert.match(page.body, new RegExp(`href="${circleOf(personId)}" aria-current="page">Circle of support`));
    assert.match(page.body, new RegExp(`href="${circleOf(personId)}/add"`));
    assert.deepEqual(await auditSince(before), [
      { action: 'circle.read', outcome: 'allowed', record_type: 'person', record_id: personId, detail: {} },
    ]);
  });

  test('people added to the circle are listed with how they help, and drawn on their ring', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const before = await lastAuditId();
    await addMember(marsh, personId, member('Kay Brown', { closeness: '1', howTheyHelp: 'Pops round on Sundays.\nHelps with the shopping.' }));
    await addMember(marsh, personId, member('Lee Carver', { relationship: 'brother-in-law', closeness: '2', kind: 'family' }));
    await addMember(marsh, personId, member('St Mark’s lunch club', { relationship: 'Tuesday lunches', closeness: '3', kind: 'community' }));
    const actions = (await auditSince(before)).map((r) => [r.action, r.outcome]);
    assert.deepEqual(actions, [
      ['circle.read', 'allowed'],
      ['circle.add', 'allowed'],
      ['circle.read', 'allowed'],
      ['circle.add', 'allowed'],
      ['circle.read', 'allowed'],
      ['circle.add', 'allowed'],
    ]);

    const page = await marsh.get(`${circleOf(personId)}?added=1`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Added to the circle/);
    assert.match(page.body, /<p class="govuk-body">Pops round on Sundays.<br>Helps with the shopping.<\/p>/);
    assert.match(page.body, /<th scope="row" class="govuk-table__header">Lee Carver<\/th>\s*<td class="govuk-table__cell">brother-in-law<\/td>\s*<td class="govuk-table__cell">Family<\/td>/);
    assert.match(page.body, /Closest: 1 person/);
    assert.match(page.body, /3 of 3 are family, friends, neighbours or community/);
    assert.match(page.body, new RegExp(`In the circle since[\\s\\S]*${formatDate(today())}`));

    const svg = diagramIn(page.body);
    assert.match(svg, /role="img"/);
    assert.match(svg, /viewBox="0 0 360 360"/);
    assert.match(svg, /<title id="circle-now-title">Dennis Carver’s circle of support<\/title>/);
    assert.match(svg, /<desc id="circle-now-desc">Dennis Carver is at the centre[^<]*Closest: Kay Brown \(marked KB\)\.[^<]*Close: Lee Carver \(marked LC\)\.[^<]*Around them: St Mark’s lunch club \(marked SC\)\./);
    for (const ring of ['Closest', 'Close', 'Around them']) assert.match(svg, new RegExp(`>${ring}</text>`), `the ${ring} ring is named`);
    for (const label of ['KB', 'LC', 'SC', 'DC']) assert.match(svg, new RegExp(`>${label}</text>`), `${label} is drawn`);
    assert.equal(svg.match(/<circle /g)?.length, 3 + 1 + 3, 'three rings, the person, three members');
  });

  test('an invalid form is shown again with its messages and everything typed kept, and nothing is added', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const form = await marsh.get(`${circleOf(personId)}/add`);
    const formToken = hiddenField(form.body, 'formToken') ?? '';
    const before = await lastAuditId();
    const response = await marsh.post(circleOf(personId), {
      formToken,
      name: '  ',
      relationship: '',
      howTheyHelp: 'Fixes <b>the</b> fence',
      closeness: '4',
      kind: 'landlord',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    for (const [field, message] of [
      ['name', 'Enter their name'],
      ['relationship', 'Enter who they are to the person'],
      ['closeness', 'Select how close they are'],
      ['kind', 'Select the kind of support'],
    ] as const) {
      assert.match(response.body, new RegExp(`href="#${field}">${message}`), field);
    }
    assert.match(response.body, /Fixes &lt;b&gt;the&lt;\/b&gt; fence<\/textarea>/);
    assert.equal(hiddenField(response.body, 'formToken'), formToken, 'the same form, so a corrected submission is still one');
    assert.equal(await t.db.selectFrom('circle_members').select('id').where('person_id', '=', personId).execute().then((r) => r.length), 0);
    assert.deepEqual((await auditSince(before)).map((r) => r.action), ['circle.add']);

    const tooLong = await marsh.post(circleOf(personId), { formToken, ...member('x'.repeat(201)), howTheyHelp: 'y'.repeat(2001) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /Their name must be 200 characters or fewer/);
    assert.match(tooLong.body, /How they help must be 2000 characters or fewer/);
  });

  test('the same form sent twice, one after the other or at once, adds one person to the circle', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const form = await marsh.get(`${circleOf(personId)}/add`);
    const fields = { formToken: hiddenField(form.body, 'formToken') ?? '', ...member('Double Click') };
    const first = await marsh.post(circleOf(personId), fields);
    const second = await marsh.post(circleOf(personId), fields);
    assert.deepEqual([first.statusCode, second.statusCode], [303, 303]);
    assert.equal(await membersNamed('Double Click'), 1);

    const raced = await marsh.get(`${circleOf(personId)}/add`);
    const racedFields = { formToken: hiddenField(raced.body, 'formToken') ?? '', ...member('Raced Submission') };
    const responses = await Promise.all([1, 2, 3].map(() => marsh.post(circleOf(personId), racedFields)));
    assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([303]));
    assert.equal(await membersNamed('Raced Submission'), 1);
  });
});

describe('changing someone in the circle', () => {
  test('a change is a new version from today; the earlier one is kept with the dates it was true', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const memberId = await addMember(marsh, personId, member('Pat Jones', { closeness: '3', kind: 'neighbour', relationship: 'neighbour' }));
    const added = today();
    t.clock.advance(3 * DAY);
    const changed = today();
    const client = await as(MARSH);
    const version = await openChange(client, personId, memberId);
    assert.equal(version, '1');
    const before = await lastAuditId();
    const saved = await client.post(`${circleOf(personId)}/change`, {
      memberId,
      version,
      ...member('Pat Jones', { closeness: '2', kind: 'neighbour', relationship: 'neighbour and friend' }),
    });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, `${circleOf(personId)}?saved=1`);
    assert.deepEqual(await auditSince(before), [
      { action: 'circle.update', outcome: 'allowed', record_type: 'person', record_id: personId, detail: { memberId } },
    ]);
    const [first, second, ...rest] = await versionsOf(memberId);
    assert.deepEqual(rest, []);
    assert.deepEqual(
      [first?.closeness, first?.relationship, first?.valid_from, first?.valid_to],
      [3, 'neighbour', added, changed],
    );
    assert.deepEqual(
      [second?.closeness, second?.relationship, second?.valid_from, second?.valid_to],
      [2, 'neighbour and friend', changed, null],
    );

    const page = await client.get(circleOf(personId));
    assert.match(page.body, /Close: 1 person[\s\S]*Pat Jones[\s\S]*neighbour and friend/);
    const history = await client.get(`${circleOf(personId)}/change?member=${memberId}`);
    const [from, until] = [formatDate(added), formatDate(changed)];
    assert.match(history.body, new RegExp(`${until}</td>\\s*<td class="govuk-table__cell">Now[\\s\\S]*${from}</td>\\s*<td class="govuk-table__cell">${until}`));
  });

  test('an invalid change is shown again with what was typed and the version it was made from', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const memberId = await addMember(marsh, personId, member('Sam Green'));
    const version = await openChange(marsh, personId, memberId);
    const response = await marsh.post(`${circleOf(personId)}/change`, { memberId, version, ...member(''), relationship: 'old <friend>' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#name">Enter their name/);
    assert.match(response.body, /value="old &lt;friend&gt;"/);
    assert.equal(hiddenField(response.body, 'version'), version);
    assert.equal((await versionsOf(memberId)).length, 1);
  });

  test('two people change the same member: the second save is refused with both versions, and their input kept', async () => {
    const marsh = await as(MARSH);
    const manager = await as(MANAGER);
    const personId = await newPerson('Dennis Carver');
    const memberId = await addMember(marsh, personId, member('Jo Rivers', { relationship: 'cousin', kind: 'family' }));
    const marshVersion = await openChange(marsh, personId, memberId);
    const managerVersion = await openChange(manager, personId, memberId);
    assert.equal(marshVersion, managerVersion);

    const first = await manager.post(`${circleOf(personId)}/change`, {
      memberId,
      version: managerVersion,
      ...member('Jo Rivers', { relationship: 'cousin, lives nearby', kind: 'family' }),
    });
    assert.equal(first.statusCode, 303);
    const before = await lastAuditId();
    const second = await marsh.post(`${circleOf(personId)}/change`, {
      memberId,
      version: marshVersion,
      ...member('Joanne Rivers', { relationship: 'cousin', kind: 'family', closeness: '1' }),
    });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /Not saved: someone else changed this first/);
    assert.match(second.body, /Priya Shah saved a change/);
    assert.match(second.body, /<td class="govuk-table__cell"><p class="govuk-body">cousin, lives nearby<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">cousin<\/p><\/td>/);
    assert.match(second.body, /<td class="govuk-table__cell"><p class="govuk-body">Close<\/p><\/td>\s*<td class="govuk-table__cell"><p class="govuk-body">Closest<\/p><\/td>/);
    assert.match(second.body, /name="name"[^>]*value="Joanne Rivers"/);
    assert.match(second.body, /name="closeness" type="radio" value="1" checked/);
    const newVersion = hiddenField(second.body, 'version');
    assert.equal(newVersion, String(Number(marshVersion) + 1), 'the form now carries the version saved by the other person');
    assert.deepEqual((await auditSince(before)).map((r) => r.action), ['circle.update']);
    const saved = await versionsOf(memberId);
    assert.deepEqual(saved.map((v) => v.relationship), ['cousin', 'cousin, lives nearby'], 'nothing of the second save was written');

    const merged = await marsh.post(`${circleOf(personId)}/change`, {
      memberId,
      version: newVersion,
      ...member('Joanne Rivers', { relationship: 'cousin, lives nearby', kind: 'family', closeness: '1' }),
    });
    assert.equal(merged.statusCode, 303);
    assert.deepEqual((await versionsOf(memberId)).map((v) => [v.name, v.closeness]), [
      ['Jo Rivers', 2],
      ['Jo Rivers', 2],
      ['Joanne Rivers', 1],
    ]);
  });

  test('a save sent twice is saved once: the second asks for what is already saved, so it is not a conflict', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const memberId = await addMember(marsh, personId, member('Ray Moss'));
    const version = await openChange(marsh, personId, memberId);
    const fields = { memberId, version, ...member('Ray Moss', { closeness: '1' }) };
    const first = await marsh.post(`${circleOf(personId)}/change`, fields);
    const second = await marsh.post(`${circleOf(personId)}/change`, fields);
    assert.deepEqual([first.statusCode, second.statusCode], [303, 303]);
    assert.equal((await versionsOf(memberId)).length, 2);
  });
});

describe('no longer in their circle', () => {
  test('they leave the list and the diagram, their history stays, and saying it twice changes nothing', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const memberId = await addMember(marsh, personId, member('Vic Lane', { closeness: '1' }));
    await addMember(marsh, personId, member('Stays Here'));
    const added = today();
    t.clock.advance(2 * DAY);
    const leftOn = today();
    const client = await as(MARSH);
    const version = await openChange(client, personId, memberId);
    const before = await lastAuditId();
    const left = await client.post(`${circleOf(personId)}/leave`, { memberId, version });
    assert.equal(left.statusCode, 303);
    assert.equal(left.headers.location, `${circleOf(personId)}?left=1`);
    const again = await client.post(`${circleOf(personId)}/leave`, { memberId, version });
    assert.equal(again.statusCode, 303);
    assert.deepEqual((await auditSince(before)).map((r) => [r.action, r.outcome]), [
      ['circle.leave', 'allowed'],
      ['circle.leave', 'allowed'],
    ]);

    const row = await t.db.selectFrom('circle_members').select(['left_on', 'version']).where('id', '=', memberId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { left_on: leftOn, version: 2 });
    const versions = await versionsOf(memberId);
    assert.deepEqual(versions.map((v) => [v.name, v.valid_from, v.valid_to]), [['Vic Lane', added, leftOn]]);

    const page = await client.get(`${circleOf(personId)}?left=1`);
    assert.match(page.body, /Recorded as no longer in their circle/);
    assert.doesNotMatch(page.body, /Vic Lane/);
    assert.match(page.body, /Stays Here/);
    assert.match(page.body, /Closest: nobody yet/);

    const formerly = await client.get(`${circleOf(personId)}/change?member=${memberId}`);
    assert.equal(formerly.statusCode, 200);
    assert.match(formerly.body, new RegExp(`Vic Lane has not been in Dennis Carver’s circle since ${formatDate(leftOn)}`));
    assert.doesNotMatch(formerly.body, /name="version"/, 'nothing to save for someone who has left');
  });

  test('a change saved after they left is refused, and what was typed is shown', async () => {
    const marsh = await as(MARSH);
    const manager = await as(MANAGER);
    const personId = await newPerson('Dennis Carver');
    const memberId = await addMember(marsh, personId, member('Una Price'));
    const version = await openChange(marsh, personId, memberId);
    await openChange(manager, personId, memberId);
    assert.equal((await manager.post(`${circleOf(personId)}/leave`, { memberId, version })).statusCode, 303);
    const response = await marsh.post(`${circleOf(personId)}/change`, { memberId, version, ...member('Una Price', { relationship: 'old school friend' }) });
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /Priya Shah recorded that Una Price is no longer in the circle/);
    assert.match(response.body, /old school friend/);
    assert.equal((await versionsOf(memberId)).length, 1);
  });

  test('leaving from a stale page is refused with both versions, and they stay in the circle', async () => {
    const marsh = await as(MARSH);
    const manager = await as(MANAGER);
    const personId = await newPerson('Dennis Carver');
    const memberId = await addMember(marsh, personId, member('Wyn Hale', { relationship: 'neighbour', kind: 'neighbour' }));
    const stale = await openChange(marsh, personId, memberId);
    const managerVersion = await openChange(manager, personId, memberId);
    await manager.post(`${circleOf(personId)}/change`, { memberId, version: managerVersion, ...member('Wyn Hale', { relationship: 'neighbour, now a close friend', kind: 'friend', closeness: '1' }) });
    const response = await marsh.post(`${circleOf(personId)}/leave`, { memberId, version: stale });
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /Not saved: someone else changed this first/);
    assert.match(response.body, /neighbour, now a close friend[\s\S]*>neighbour</);
    assert.match(response.body, /No longer in their circle/);
    assert.equal(hiddenField(response.body, 'version'), '2');
    const row = await t.db.selectFrom('circle_members').select('left_on').where('id', '=', memberId).executeTakeFirstOrThrow();
    assert.equal(row.left_on, null);
  });
});

describe('the circle over time', () => {
  test('the circle now beside the circle on an earlier date: who joined, left, moved closer or further, and the counts', async () => {
    // Day 0: three people.
    let marsh = await as(MARSH);
    const personId = await newPerson('Mo Farah');
    const start = new Date(t.clock.now());
    const day = (offset: number) => ukToday(new Date(start.getTime() + offset * DAY));
    const ann = await addMember(marsh, personId, member('Ann', { closeness: '1' }));
    const bob = await addMember(marsh, personId, member('Bob', { closeness: '2' }));
    const cath = await addMember(marsh, personId, member('Cath', { closeness: '3' }));

    // Ten days on: Dot joins, Cath comes closer, Ann moves further away.
    t.clock.advance(10 * DAY);
    marsh = await as(MARSH);
    await addMember(marsh, personId, member('Dot', { closeness: '2' }));
    for (const [id, name, closeness] of [
      [cath, 'Cath', '1'],
      [ann, 'Ann', '2'],
    ] as const) {
      const version = await openChange(marsh, personId, id);
      assert.equal((await marsh.post(`${circleOf(personId)}/change`, { memberId: id, version, ...member(name, { closeness }) })).statusCode, 303);
    }

    // Ten more days: Bob is no longer in the circle.
    t.clock.advance(10 * DAY);
    marsh = await as(MARSH);
    const bobVersion = await openChange(marsh, personId, bob);
    assert.equal((await marsh.post(`${circleOf(personId)}/leave`, { memberId: bob, version: bobVersion })).statusCode, 303);

    const ask = (iso: string) => {
      const [year, month, dayOfMonth] = iso.split('-').map(Number);
      return marsh.get(`${circleOf(personId)}/compare?on-day=${dayOfMonth}&on-month=${month}&on-year=${year}`);
    };
    const before = await lastAuditId();
    const threeDaysIn = await ask(day(3));
    assert.equal(threeDaysIn.statusCode, 200);
    assert.deepEqual(await auditSince(before), [
      { action: 'circle.compare', outcome: 'allowed', record_type: 'person', record_id: personId, detail: {} },
    ]);
    const section = (heading: string) => {
      const match = new RegExp(`<h3 class="govuk-heading-m">${heading}</h3>([\\s\\S]*?)(?=<h3)`).exec(threeDaysIn.body);
      return match?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
    };
    assert.match(section('Joined the circle'), /<li>Dot \(walking group friend\): close<\/li>/);
    assert.doesNotMatch(section('Joined the circle'), /Ann|Bob|Cath/);
    assert.match(section('No longer in the circle'), /<li>Bob \(walking group friend\): was close<\/li>/);
    assert.match(section('Moved closer'), /<li>Cath \(walking group friend\): from around them to closest<\/li>/);
    assert.match(section('Moved further away'), /<li>Ann \(walking group friend\): from closest to close<\/li>/);
    const counts = /<caption[^>]*>How many people at each closeness<\/caption>([\s\S]*?)<\/table>/.exec(threeDaysIn.body)?.[1] ?? '';
    const cells = [...counts.matchAll(/<t[hd][^>]*>\s*([^<]*?)\s*<\/t[hd]>/g)].map((m) => m[1]);
    assert.deepEqual(cells.slice(3), ['Closest', '1', '1', 'Close', '1', '2', 'Around them', '1', '0', 'Everyone', '3', '3']);
    const [thenSvg] = threeDaysIn.body.match(/<svg class="app-circle-diagram"[\s\S]*?<\/svg>/) ?? [];
    assert.match(thenSvg ?? '', /Closest: Ann \(marked Ann\)\. Close: Bob \(marked Bob\)\. Around them: Cath \(marked Cath\)\./);

    // On the day of the changes, the circle is as it stood at the end of that day.
    const changeDay = await ask(day(10));
    assert.match(changeDay.body, /<h3 class="govuk-heading-m">Joined the circle<\/h3>\s*<p class="govuk-body">Nobody.<\/p>/);
    assert.match(changeDay.body, /<li>Bob \(walking group friend\): was close<\/li>/);
    assert.match(changeDay.body, /<h3 class="govuk-heading-m">Moved closer<\/h3>\s*<p class="govuk-body">Nobody.<\/p>/);

    // Before anyone was recorded, everyone now has joined since.
    const beforeAnyone = await ask(day(-1));
    for (const name of ['Ann', 'Cath', 'Dot']) assert.match(beforeAnyone.body, new RegExp(`<li>${name} \\(`));

    const today = await ask(day(20));
    assert.match(today.body, /The circle is the same now as it was on/);
  });

  test('the comparison form: no date shows just the form; a wrong or future date is refused with the input kept', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const empty = await marsh.get(`${circleOf(personId)}/compare`);
    assert.equal(empty.statusCode, 200);
    assert.doesNotMatch(empty.body, /There is a problem/);
    assert.match(empty.body, /name="on-day"/);

    const before = await lastAuditId();
    const wrong = await marsh.get(`${circleOf(personId)}/compare?on-day=31&on-month=2&on-year=2026`);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /href="#on-day">The date to compare with must be a real date/);
    assert.match(wrong.body, /name="on-day"[^>]*value="31"/);
    assert.deepEqual((await auditSince(before)).map((r) => r.action), ['circle.compare']);

    const future = await marsh.get(`${circleOf(personId)}/compare?on-day=1&on-month=1&on-year=2099`);
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /must be today or in the past/);

    const blank = await marsh.get(`${circleOf(personId)}/compare?on-day=&on-month=&on-year=`);
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /Enter the date to compare with/);

    const words = await marsh.get(`${circleOf(personId)}/compare?on-day=%3Cb%3E&on-month=1&on-year=2026`);
    assert.equal(words.statusCode, 400);
    assert.match(words.body, /value="&lt;b&gt;"/);
  });
});

describe('who may see and change a circle', () => {
  test('another coordinator, another programme and a made-up person get not found, each audited; the Leadership Group is refused', async () => {
    const personId = await newPerson('Private Person');
    const hollins = await as(HOLLINS);
    const eastmoor = await as('manager@eastmoor.example');
    const marsh = await as(MARSH);
    for (const [client, id] of [
      [hollins, personId],
      [eastmoor, personId],
      [marsh, randomUUID()],
    ] as const) {
      for (const path of ['', '/add', '/change', '/compare']) {
        const before = await lastAuditId();
        const response = await client.get(`${circleOf(id)}${path}`);
        assert.equal(response.statusCode, 404, path);
        assert.doesNotMatch(response.body, /Private Person/);
        const rows = await auditSince(before);
        assert.equal(rows.length, 1);
        assert.deepEqual([rows[0]?.outcome, rows[0]?.record_id], ['denied', id]);
      }
    }
    const before = await lastAuditId();
    const refused = await hollins.post(circleOf(personId), { formToken: randomUUID(), ...member('Sneaked In') });
    assert.equal(refused.statusCode, 404);
    assert.equal(await membersNamed('Sneaked In'), 0);
    assert.deepEqual((await auditSince(before)).map((r) => [r.action, r.outcome]), [['circle.add', 'denied']]);

    const leadership = await as('leadership@brookfield.example');
    assert.equal((await leadership.get(circleOf(personId))).statusCode, 403);
    assert.equal((await marsh.get('/people/not-a-uuid/circle')).statusCode, 404);
  });

  test('a member of someone else’s circle cannot be seen, changed or removed through this person', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    const otherPerson = await newPerson('Someone Else');
    const theirs = await addMember(marsh, otherPerson, member('Not Yours'));
    const version = await openChange(marsh, otherPerson, theirs);

    const tries = [
      ['circle.read', () => marsh.get(`${circleOf(personId)}/change?member=${theirs}`)],
      ['circle.update', () => marsh.post(`${circleOf(personId)}/change`, { memberId: theirs, version, ...member('Changed') })],
      ['circle.leave', () => marsh.post(`${circleOf(personId)}/leave`, { memberId: theirs, version })],
    ] as const;
    for (const [action, attempt] of tries) {
      const before = await lastAuditId();
      const response = await attempt();
      assert.equal(response.statusCode, 404, action);
      assert.doesNotMatch(response.body, /Not Yours/);
      assert.deepEqual(await auditSince(before), [
        { action, outcome: 'denied', record_type: 'person', record_id: personId, detail: { memberId: theirs, reason: 'not in this circle' } },
      ]);
    }
    for (const made of [randomUUID(), 'not-a-uuid']) {
      const response = await marsh.get(`${circleOf(personId)}/change?member=${made}`);
      assert.equal(response.statusCode, 404);
    }
    assert.deepEqual((await versionsOf(theirs)).map((v) => [v.name, v.valid_to]), [['Not Yours', null]]);
    const row = await t.db.selectFrom('circle_members').select('left_on').where('id', '=', theirs).executeTakeFirstOrThrow();
    assert.equal(row.left_on, null);
  });

  test('a change or leaving that does not say who it is about asks who, and changes nothing', async () => {
    const marsh = await as(MARSH);
    const personId = await newPerson('Dennis Carver');
    await addMember(marsh, personId, member('Only One'));
    const change = await marsh.post(`${circleOf(personId)}/change`, member('Whoever'));
    assert.equal(change.statusCode, 400);
    assert.match(change.body, /href="#member">Select who you want to change/);
    assert.match(change.body, /Only One/);
    const leave = await marsh.post(`${circleOf(personId)}/leave`, { memberId: 'nobody', version: '1' });
    assert.equal(leave.statusCode, 400);
    assert.match(leave.body, /Select who is no longer in the circle/);
    const chooser = await marsh.get(`${circleOf(personId)}/change`);
    assert.equal(chooser.statusCode, 200);
    assert.match(chooser.body, /<h1 class="govuk-fieldset__heading">\s*Who would you like to change\?/);
  });
});

describe('the database as the backstop', () => {
  test('programmes are kept apart by row-level security, and the application cannot delete or rewrite the history', async () => {
    const tables = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
      WHERE relname IN ('circle_members', 'circle_member_versions') ORDER BY relname`.execute(t.db);
    assert.deepEqual(
      tables.rows.map((r) => [r.relname, r.relrowsecurity, r.relforcerowsecurity]),
      [
        ['circle_member_versions', true, true],
        ['circle_members', true, true],
      ],
    );

    const eastmoor = await as('manager@eastmoor.example');
    const eastmoorPerson = await addPerson(t.db, ids.eastmoor, ids.eastmoorMarshEnd, 'Eastmoor Resident', await ids.user('manager@eastmoor.example'));
    const theirs = await addMember(eastmoor, eastmoorPerson, member('Eastmoor Friend'));
    const marsh = await as(MARSH);
    const ours = await addMember(marsh, await newPerson('Dennis Carver'), member('Brookfield Friend'));

    const scope = { programmeId: ids.brookfield, userId: recorder };
    const seen = await inTransaction(t.db, scope, (tx) => tx.selectFrom('circle_member_versions').select('member_id').execute());
    assert.ok(seen.some((r) => r.member_id === ours));
    assert.ok(!seen.some((r) => r.member_id === theirs), 'another programme’s circle is invisible, even with no WHERE');
    const moved = await inTransaction(t.db, scope, (tx) =>
      tx.updateTable('circle_member_versions').set({ valid_to: '2026-01-01' }).where('member_id', '=', theirs).executeTakeFirst(),
    );
    assert.equal(moved.numUpdatedRows, 0n);

    await assert.rejects(
      inTransaction(t.db, scope, (tx) => tx.deleteFrom('circle_member_versions').where('member_id', '=', ours).execute()),
      /permission denied/,
    );
    await assert.rejects(
      inTransaction(t.db, scope, (tx) => tx.deleteFrom('circle_members').where('id', '=', ours).execute()),
      /permission denied/,
    );
    await assert.rejects(
      inTransaction(t.db, scope, (tx) => tx.updateTable('circle_member_versions').set({ name: 'Rewritten' }).where('member_id', '=', ours).execute()),
      /permission denied/,
    );
    assert.deepEqual((await versionsOf(ours)).map((v) => v.name), ['Brookfield Friend']);
  });
});

describe('names are shown as typed, never as markup', () => {
  test('naughty names and words are escaped in the diagram, its text alternative and the list', async () => {
    const marsh = await as(MARSH);
    const personId = await addPerson(t.db, ids.brookfield, ids.marshEnd, 'Zoë <b>O\'Brien</b>', recorder);
    const naughty = '<script>alert("circle")</script>';
    await addMember(marsh, personId, member(naughty, { relationship: '"><svg onload=alert(1)>', closeness: '1' }));
    await addMember(marsh, personId, member('Tom & Jerry', { relationship: "{{ 7*7 }} {% raw %}", closeness: '3' }));
    const page = await marsh.get(circleOf(personId));
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.doesNotMatch(page.body, /<svg onload/);
    assert.doesNotMatch(page.body, /<b>O'Brien/);
    assert.doesNotMatch(page.body, />49</, 'no template ran on what was typed');
    const svg = diagramIn(page.body);
    assert.match(svg, /<title id="circle-now-title">Zoë &lt;b&gt;O&#39;Brien&lt;\/b&gt;’s circle of support<\/title>/);
    assert.match(svg, /Closest: &lt;script&gt;alert\(&quot;circle&quot;\)&lt;\/script&gt; \(marked &lt;sc\)/);
    assert.match(svg, />&lt;sc<\/text>/);
    assert.match(svg, /Around them: Tom &amp; Jerry \(marked TJ\)/);
    assert.match(page.body, /&quot;&gt;&lt;svg onload=alert\(1\)&gt;/);
    assert.match(page.body, /\{\{ 7\*7 \}\} \{% raw %\}/);
  });
});
