import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HOUR, MINUTE } from '../clock.ts';
import { loadCurrentUser } from './service.ts';
import { DatabaseSessionStore } from './session-store.ts';

export const SESSION_IDLE_MS = 30 * MINUTE;
export const SESSION_ABSOLUTE_MS = 12 * HOUR;
/** lastSeenAt moves at most once a minute, so a page view does not always mean a session write. */
const TOUCH_EVERY_MS = MINUTE;
export const SESSION_COOKIE = 'alongside.sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sessions in PostgreSQL, CSRF tokens kept in the session, and the signed-in user loaded fresh on every request
 * (so a disabled account or a changed role takes effect at once).
 */
export async function registerSessions(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: config.sessionSecret,
    cookieName: SESSION_COOKIE,
    store: new DatabaseSessionStore(db, clock, SESSION_IDLE_MS),
    saveUninitialized: false,
    rolling: false,
    // No maxAge: the cookie ends with the browser, and the server enforces idle and absolute limits by its clock.
    cookie: { secure: config.secureCookies, httpOnly: true, sameSite: 'lax', path: '/' },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session', getToken: (request) => csrfTokenOf(request) });

  // Every state-changing request carries a valid token for this session, checked after the body is parsed.
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });

  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const session = request.session;
    const { userId, programmeId, signedInAt, lastSeenAt } = session;
    if (userId === undefined) return;
    const now = clock.now().getTime();
    const expired =
      signedInAt === undefined ||
      lastSeenAt === undefined ||
      now - lastSeenAt >= SESSION_IDLE_MS ||
      now - signedInAt >= SESSION_ABSOLUTE_MS;
    if (expired) {
      await session.regenerate();
      return;
    }
    if (now - lastSeenAt >= TOUCH_EVERY_MS) session.lastSeenAt = now;
    if (programmeId === undefined) return;
    const user = await loadCurrentUser(db, userId, programmeId);
    if (user === undefined) {
      // Disabled, or no longer a member: whatever the session says, it is over.
      await session.regenerate();
      return;
    }
    request.user = user;
  });
}

function csrfTokenOf(request: FastifyRequest): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const fromBody = body?._csrf;
  if (typeof fromBody === 'string') return fromBody;
  const header = request.headers['x-csrf-token'];
  return typeof header === 'string' ? header : undefined;
}
