import type { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApp } from '../src/app.ts';
import { FakeClock } from '../src/core/clock.ts';
import { loadConfig } from '../src/core/config.ts';
import type { OpenDatabase } from '../src/core/db/database.ts';
import { TEST_PASSWORD, testDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  db: OpenDatabase['db'];
  engine: OpenDatabase['engine'];
  clock: FakeClock;
  close(): Promise<void>;
}

/** The real application on a database of this test file's own, with a clock the test controls. */
export async function buildTestApp(options: { logTo?: Writable } = {}): Promise<TestApp> {
  const open = await testDatabase();
  const clock = new FakeClock();
  // No PDFs from Chromium here: the browser tier, which has Chromium, prints the report through the real server.
  const config = loadConfig({ NODE_ENV: 'test', ALONGSIDE_DEMO: 'off', ALONGSIDE_CHROMIUM: 'off' }, () => 'x'.repeat(64));
  const logger = options.logTo === undefined ? false : { level: 'trace', stream: options.logTo };
  const app = await createApp({ config, db: open.db, engine: open.engine, clock, logger });
  await app.ready();
  return {
    app,
    db: open.db,
    engine: open.engine,
    clock,
    close: async () => {
      await app.close();
      await open.close();
    },
  };
}

type Form = Record<string, string | string[]>;

function encodeForm(form: Form): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return params.toString();
}

/** The value of a named hidden field in an HTML page. */
export function hiddenField(html: string, name: string): string | undefined {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1];
}

/**
 * A browser-like client over app.inject: it keeps the session cookie and, like a person filling a form in,
 * sends the CSRF token from the last page it loaded. CSRF stays on in tests.
 */
export class Client {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(readonly app: FastifyInstance) {}

  #remember(response: LightMyRequestResponse): LightMyRequestResponse {
    const setCookie = response.cookies.find((c) => c.name === 'alongside.sid');
    if (setCookie !== undefined) this.cookie = `alongside.sid=${setCookie.value}`;
    const token = hiddenField(response.body, '_csrf');
    if (token !== undefined) this.csrf = token;
    return response;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.#remember(
      await this.app.inject({ method: 'GET', url, headers: this.cookie === undefined ? {} : { cookie: this.cookie } }),
    );
  }

  /** Posts a form with this session's CSRF token (pass `_csrf` yourself to send another, or '' to send none). */
  async post(url: string, form: Form = {}, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const body = encodeForm({ _csrf: this.csrf ?? '', ...form });
    return this.#remember(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(this.cookie === undefined ? {} : { cookie: this.cookie }),
          ...headers,
        },
      }),
    );
  }

  /** Signs in through the real sign-in form. */
  async signIn(email: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    const response = await this.post('/sign-in', { email, password });
    if (response.statusCode === 303) {
      // Load a page so the client holds the signed-in session's CSRF token, as a browser would.
      await this.get('/overview');
    }
    return response;
  }
}

export async function signedInClient(app: FastifyInstance, email: string): Promise<Client> {
  const client = new Client(app);
  const response = await client.signIn(email);
  if (response.statusCode !== 303) throw new Error(`Could not sign in as ${email}: ${response.statusCode}`);
  return client;
}
