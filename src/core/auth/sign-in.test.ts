import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Client, signedInClient, type TestApp, buildTestApp } from '../../../test/app.ts';
import { TEST_PASSWORD } from '../../../test/database.ts';
import { HOUR, MINUTE } from '../clock.ts';

const COORDINATOR = 'coordinator.marsh@brookfield.example';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t.close();
});

describe('signing in', () => {
  test('a coordinator signs in with email and password and lands on the people they walk alongside', async () => {
    const client = new Client(t.app);
    const page = await client.get('/sign-in');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="govuk-heading-l">Sign in to Alongside<\/h1>/);
    const response = await client.post('/sign-in', { email: COORDINATOR.toUpperCase(), password: TEST_PASSWORD });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/');
    const home = await client.get('/');
    assert.equal(home.headers.location, '/people');
    const people = await client.get('/people');
    assert.equal(people.statusCode, 200);
    assert.match(people.body, /People I walk alongside/);
    assert.match(people.body, /Amara Okafor/);
  });

  test('the session cookie changes at sign-in and the one from before is dead', async () => {
    const client = new Client(t.app);
    await client.get('/sign-in');
    const before = client.cookie;
    assert.ok(before);
    await client.post('/sign-in', { email: COORDINATOR, password: TEST_PASSWORD });
    assert.ok(client.cookie);
    assert.notEqual(client.cookie, before);
    const planted = await t.app.inject({ method: 'GET', url: '/people', headers: { cookie: before } });
    assert.equal(planted.statusCode, 303);
    assert.equal(planted.headers.location, '/sign-in');
  });

  test('an empty form is refused with the GOV.UK error summary and nothing else happens', async () => {
    const client = new Client(t.app);
    await client.get('/sign-in');
    const response = await client.post('/sign-in', { email: '', password: '' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#email">Enter your email address/);
    assert.match(response.body, /href="#password">Enter your password/);
  });

  test('a wrong password and an unknown email get the same answer, and the email typed is kept', async () => {
    const client = new Client(t.app);
    await client.get('/sign-in');
    const wrong = await client.post('/sign-in', { email: COORDINATOR, password: 'not the password' });
    const unknown = await client.post('/sign-in', { email: 'nobody@brookfield.example', password: 'not the password' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.match(wrong.body, /Enter a correct email address and password/);
    assert.match(unknown.body, /Enter a correct email address and password/);
    assert.match(unknown.body, /value="nobody@brookfield.example"/);
    assert.doesNotMatch(wrong.body, /not the password/);
  });

  test('after six failures the email is throttled with 429, known or unknown, even with the right password', async () => {
    for (const email of ['manager@brookfield.example', 'no-such-person@brookfield.example']) {
      const client = new Client(t.app);
      await client.get('/sign-in');
      for (let i = 0; i < 6; i++) {
        const r = await client.post('/sign-in', { email, password: `wrong ${i}` });
        assert.equal(r.statusCode, 401);
      }
      const throttled = await client.post('/sign-in', { email, password: TEST_PASSWORD });
      assert.equal(throttled.statusCode, 429);
      assert.match(throttled.body, /too many attempts/);
    }
    t.clock.advance(16 * MINUTE);
    const client = new Client(t.app);
    const response = await client.signIn('manager@brookfield.example');
    assert.equal(response.statusCode, 303, 'the throttle lifts after fifteen minutes');
  });

  test('signing out ends the session in the database', async () => {
    const client = await signedInClient(t.app, COORDINATOR);
    const sessionCookie = client.cookie;
    const out = await client.post('/sign-out');
    assert.equal(out.statusCode, 200);
    assert.match(out.body, /You have signed out/);
    const after = await t.app.inject({ method: 'GET', url: '/people', headers: { cookie: sessionCookie ?? '' } });
    assert.equal(after.statusCode, 303);
    assert.equal(after.headers.location, '/sign-in');
  });

  test('a session ends after 30 minutes idle, and after 12 hours however busy', async () => {
    const idle = await signedInClient(t.app, COORDINATOR);
    t.clock.advance(29 * MINUTE);
    assert.equal((await idle.get('/people')).statusCode, 200);
    t.clock.advance(29 * MINUTE);
    assert.equal((await idle.get('/people')).statusCode, 200, 'activity keeps the session alive');
    t.clock.advance(31 * MINUTE);
    const expired = await idle.get('/people');
    assert.equal(expired.statusCode, 303);
    assert.equal(expired.headers.location, '/sign-in');

    const busy = await signedInClient(t.app, COORDINATOR);
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      t.clock.advance(20 * MINUTE);
      assert.equal((await busy.get('/people')).statusCode, 200);
    }
    t.clock.advance(25 * MINUTE);
    assert.equal((await busy.get('/people')).headers.location, '/sign-in');
  });

  test('signing in stores no password: the hash is argon2id', async () => {
    const { rows } = await sql<{ password_hash: string }>`SELECT password_hash FROM users`.execute(t.db);
    assert.ok(rows.length > 0);
    for (const row of rows) assert.match(row.password_hash, /^\$argon2id\$/);
  });
});

describe('expired sessions', () => {
  test('are removed from the database, not just refused', async () => {
    const old = await signedInClient(t.app, COORDINATOR);
    assert.ok(old.cookie);
    const countSessions = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM sessions`.execute(t.db)).rows[0]?.n);
    const before = await countSessions();
    t.clock.advance(31 * MINUTE);
    await signedInClient(t.app, 'manager@brookfield.example');
    const after = await countSessions();
    assert.ok(after < before, `expected fewer sessions after the sweep (${before} before, ${after} after)`);
    assert.equal((await old.get('/people')).headers.location, '/sign-in');
  });
});
