import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/core/config.ts';
import type { Database } from '../src/core/db/schema.ts';
import { inTransaction } from '../src/core/db/transaction.ts';
import { buildTestApp, Client, hiddenField, signedInClient, type TestApp } from './app.ts';
import { addPerson, countRows, idsOf } from './fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;
const COORDINATOR = 'coordinator.marsh@brookfield.example';

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
});
after(async () => {
  await t.close();
});

async function validIntroduction(client: Client): Promise<Record<string, string>> {
  const page = await client.get('/introductions/new');
  return {
    formToken: hiddenField(page.body, 'formToken') ?? '',
    name: 'Security Check',
    areaId: ids.marshEnd,
    introducedBy: 'self',
    'introducedOn-day': '1',
    'introducedOn-month': '11',
    'introducedOn-year': '2026',
    whatTheyWouldLikeToChange: 'Something',
    personKnows: 'knows_and_agrees',
  };
}

describe('security headers and cookies', () => {
  test('every kind of response carries the security headers', async () => {
    const coordinator = await signedInClient(t.app, COORDINATOR);
    for (const url of ['/sign-in', '/people', '/no-such-page', '/health', '/stylesheets/application.css']) {
      const response = await coordinator.get(url);
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /script-src 'self' 'nonce-[0-9a-f]{32}'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
      assert.match(String(response.headers['strict-transport-security']), /max-age=31536000/, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', url);
    }
    const page = await coordinator.get('/people');
    assert.equal(page.headers['cache-control'], 'no-store');
    const nonce = /script-src 'self' 'nonce-([0-9a-f]{32})'/.exec(String(page.headers['content-security-policy']))?.[1];
    assert.ok(nonce !== undefined && page.body.includes(`nonce="${nonce}"`), 'the inline script carries the nonce');
  });

  test('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const response = await new Client(t.app).get('/sign-in');
    const cookie = response.cookies.find((c) => c.name === 'alongside.sid');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
  });
});

describe('CSRF', () => {
  test('a missing, foreign or replayed token is refused with 403 and nothing is written', async () => {
    const coordinator = await signedInClient(t.app, COORDINATOR);
    const form = await validIntroduction(coordinator);
    const other = await signedInClient(t.app, 'coordinator.hollins@brookfield.example');
    const beforeSignIn = new Client(t.app);
    await beforeSignIn.get('/sign-in');
    const stale = beforeSignIn.csrf ?? '';
    const peopleBefore = await countRows(t.db, 'people');

    for (const [label, token] of [
      ['missing', ''],
      ['foreign', other.csrf ?? ''],
      ['from another session', stale],
      ['nonsense', 'abc'],
    ] as const) {
      const response = await coordinator.post('/introductions', { ...form, _csrf: token });
      assert.equal(response.statusCode, 403, label);
      assert.match(response.body, /This form has expired or was not sent from this service/, label);
    }
    assert.equal(await countRows(t.db, 'people'), peopleBefore);

    // The token from before signing in dies with that session: after sign-in it is a replay.
    const replay = new Client(t.app);
    await replay.get('/sign-in');
    const preSignInToken = replay.csrf ?? '';
    await replay.post('/sign-in', { email: COORDINATOR, password: 'walking alongside 2026' });
    const replayed = await replay.post('/introductions', { ...(await validIntroduction(coordinator)), _csrf: preSignInToken });
    assert.equal(replayed.statusCode, 403);
    assert.equal(await countRows(t.db, 'people'), peopleBefore);
  });

  test('the sign-in form itself needs a token', async () => {
    const client = new Client(t.app);
    await client.get('/sign-in');
    const response = await client.post('/sign-in', { email: COORDINATOR, password: 'walking alongside 2026', _csrf: '' });
    assert.equal(response.statusCode, 403);
  });
});

describe('bad input', () => {
  async function post(client: Client, payload: string | Buffer, contentType: string) {
    return t.app.inject({
      method: 'POST',
      url: '/introductions',
      payload,
      headers: { 'content-type': contentType, cookie: client.cookie ?? '' },
    });
  }

  test('too large, wrong type, invalid UTF-8, broken encoding and too many fields: clear refusals, nothing written', async () => {
    const coordinator = await signedInClient(t.app, COORDINATOR);
    const form = new URLSearchParams({ ...(await validIntroduction(coordinator)), _csrf: coordinator.csrf ?? '' });
    const peopleBefore = await countRows(t.db, 'people');

    const huge = `${form.toString()}&whatTheyWouldLikeToChange=${'a'.repeat(70_000)}`;
    const cases: [string, number, string | Buffer, string][] = [
      ['over the body limit', 413, huge, 'application/x-www-form-urlencoded'],
      ['JSON', 415, JSON.stringify(Object.fromEntries(form)), 'application/json'],
      ['plain text', 415, form.toString(), 'text/plain'],
      ['invalid UTF-8', 400, Buffer.concat([Buffer.from(`${form.toString()}&name=`), Buffer.from([0xff, 0xfe, 0xfd])]), 'application/x-www-form-urlencoded'],
      ['broken percent-encoding', 400, `${form.toString()}&name=%E0%A4%A`, 'application/x-www-form-urlencoded'],
      ['too many fields', 413, `${form.toString()}${'&x=1'.repeat(300)}`, 'application/x-www-form-urlencoded'],
    ];
    for (const [label, status, payload, type] of cases) {
      const response = await post(coordinator, payload, type);
      assert.equal(response.statusCode, status, label);
      assert.match(String(response.headers["content-type"]), /text\/html/, label);
      assert.doesNotMatch(response.body, /at .*\.ts:\d+|Error:|stack/i, `${label}: no stack trace`);
      assert.match(response.body, /<h1 class="govuk-heading-l">/, label);
    }
    assert.equal(await countRows(t.db, 'people'), peopleBefore);
  });

  test('a field longer than allowed is a validation message, not an error', async () => {
    const coordinator = await signedInClient(t.app, COORDINATOR);
    const response = await coordinator.post('/introductions', { ...(await validIntroduction(coordinator)), name: 'n'.repeat(201) });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /name must be 200 characters or fewer/);
  });

  test('SQL injection strings in ids and fields are just text', async () => {
    const coordinator = await signedInClient(t.app, COORDINATOR);
    for (const id of ["1' OR '1'='1", "'; DROP TABLE people; --", '00000000-0000-0000-0000-000000000000\' OR 1=1 --']) {
      const response = await coordinator.get(`/people/${encodeURIComponent(id)}`);
      assert.equal(response.statusCode, 404, id);
    }
    const name = "Robert'); DROP TABLE people;--";
    const created = await coordinator.post('/introductions', { ...(await validIntroduction(coordinator)), name });
    assert.equal(created.statusCode, 303);
    const page = await coordinator.get(String(created.headers.location));
    assert.match(page.body, /Robert&#39;\); DROP TABLE people;--/);
    assert.ok((await countRows(t.db, 'people')) > 0);
  });
});

describe('the database as the backstop', () => {
  test('the application role owns nothing, cannot bypass row-level security, and every programme table forces it', async () => {
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'alongside_app'`.execute(t.db);
    assert.deepEqual(role.rows, [{ rolsuper: false, rolbypassrls: false }]);
    const owned = await sql<{ n: string }>`
      SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'alongside_app'`.execute(t.db);
    assert.equal(owned.rows[0]?.n, '0');
    const tables = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
      WHERE relname IN ('programmes', 'areas', 'memberships', 'coordinator_areas', 'people', 'introductions', 'audit_events')
      ORDER BY relname`.execute(t.db);
    assert.equal(tables.rows.length, 7);
    for (const row of tables.rows) assert.deepEqual([row.relrowsecurity, row.relforcerowsecurity], [true, true], row.relname);
  });

  test("with one programme set, another programme's rows cannot be read or written, even without a WHERE", async () => {
    const recorder = await ids.user('manager@eastmoor.example');
    await addPerson(t.db, ids.eastmoor, ids.eastmoorMarshEnd, 'Eastmoor Resident', recorder);
    const seen = await inTransaction(t.db, { programmeId: ids.brookfield, userId: null }, async (tx) => {
      const people = await tx.selectFrom('people').select(['programme_id']).execute();
      const areas = await tx.selectFrom('areas').select(['programme_id']).execute();
      return [...people, ...areas].map((r) => r.programme_id);
    });
    assert.ok(seen.length > 0);
    assert.deepEqual(new Set(seen), new Set([ids.brookfield]));
    const nothing = await inTransaction(t.db, { programmeId: null, userId: null }, (tx) => tx.selectFrom('people').select('id').execute());
    assert.deepEqual(nothing, []);
    await assert.rejects(
      inTransaction(t.db, { programmeId: ids.brookfield, userId: null }, (tx) =>
        tx
          .insertInto('people')
          .values({ programme_id: ids.eastmoor, area_id: ids.eastmoorMarshEnd, name: 'Smuggled', created_at: new Date(), updated_at: new Date() })
          .execute(),
      ),
      /row-level security/,
    );
  });

  test('the application role cannot change or delete audit rows', async () => {
    await signedInClient(t.app, COORDINATOR);
    const audited = await countRows(t.db, 'audit_events');
    assert.ok(audited > 0);
    await assert.rejects(
      inTransaction(t.db, { programmeId: ids.brookfield, userId: null }, (tx) => tx.updateTable('audit_events').set({ action: 'tampered' }).execute()),
      /permission denied/,
    );
    await assert.rejects(
      inTransaction(t.db, { programmeId: ids.brookfield, userId: null }, (tx) => tx.deleteFrom('audit_events').execute()),
      /permission denied/,
    );
    assert.equal(await countRows(t.db, 'audit_events'), audited);
  });
});

describe('errors', () => {
  test('an unknown page is a 404 page in the service layout, with no stack trace', async () => {
    const response = await new Client(t.app).get('/does/not/exist');
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /Page not found/);
  });

  test('when the database is unreachable: a 500 page with no detail, and health says so', async () => {
    const unreachable = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:9/none', connectionTimeoutMillis: 500 }) }),
    });
    const config = loadConfig({ NODE_ENV: 'test' }, () => 'y'.repeat(64));
    const broken = await createApp({ config, db: unreachable, engine: 'postgres', clock: t.clock });
    try {
      const page = await broken.inject({ method: 'GET', url: '/sign-in', headers: { cookie: 'alongside.sid=abc.def' } });
      assert.equal(page.statusCode, 500);
      assert.match(page.body, /Sorry, there is a problem with the service/);
      assert.doesNotMatch(page.body, /ECONNREFUSED|at .*\.ts|Error/);
      const health = await broken.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 503);
      assert.deepEqual(health.json(), { status: 'error', database: { engine: 'postgres', status: 'down' } });
    } finally {
      await broken.close();
      await unreachable.destroy();
    }
  });

  test('health reports the database and the migration it is on', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', database: { engine: t.engine, status: 'up', migration: response.json<{ database: { migration: string } }>().database.migration } });
    assert.match(response.json<{ database: { migration: string } }>().database.migration, /^\d{4}_/);
  });
});
