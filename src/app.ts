import { randomUUID } from 'node:crypto';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { authRoutes } from './core/auth/routes.ts';
import { registerSessions } from './core/auth/session.ts';
import type { AppDeps } from './core/http/context.ts';
import { registerErrorHandling } from './core/http/errors.ts';
import { parseFormBody } from './core/http/forms.ts';
import { healthRoutes } from './core/http/health.ts';
import { registerSecurityHeaders } from './core/http/security.ts';
import { govukFrontendDist, registerViews, srcDir } from './core/http/views.ts';
import { adminRoutes } from './modules/admin/routes.ts';
import { agreementsRoutes } from './modules/agreements/routes.ts';
import { barriersRoutes } from './modules/barriers/routes.ts';
import { assetsRoutes } from './modules/assets/routes.ts';
import { capacityRoutes } from './modules/capacity/routes.ts';
import { circleRoutes } from './modules/circle/routes.ts';
import { journalRoutes } from './modules/journal/routes.ts';
import { offersRoutes } from './modules/offers/routes.ts';
import { overviewRoutes } from './modules/overview/routes.ts';
import { dashboardRoutes } from './modules/dashboard/routes.ts';
import { orukRoutes } from './modules/oruk/routes.ts';
import { peopleRoutes } from './modules/people/routes.ts';
import { teamRoutes } from './modules/team/routes.ts';
import { unitCostRoutes } from './modules/impact/unit-cost-routes.ts';
import { avoidedRoutes } from './modules/impact/avoided-routes.ts';
import { investmentRoutes } from './modules/impact/investment-routes.ts';
import { returnsRoutes } from './modules/impact/returns-routes.ts';
import { projectionRoutes } from './modules/impact/projection-routes.ts';
import { scenarioRoutes } from './modules/impact/scenario-routes.ts';
import { outcomesRoutes } from './modules/outcomes/routes.ts';
import { safeguardingRoutes } from './modules/safeguarding/routes.ts';
import { storiesRoutes } from './modules/stories/routes.ts';
import { visionRoutes } from './modules/vision/routes.ts';

/** Forms are small; anything larger than this is refused with 413 before it is read. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions extends AppDeps {
  /** Pino logger options, or false for none (tests). */
  logger?: boolean | object;
}

/**
 * Builds the whole application. The order is deliberate: health, security headers, sessions (with CSRF and the
 * signed-in user), body parsing, static files, views, then routes. The 404 and error pages are set first, so
 * every plugin inherits them.
 */
export async function createApp(options: CreateAppOptions): Promise<FastifyInstance> {
  const { logger = false, ...deps } = options;
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    trustProxy: deps.config.env === 'production',
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorate('deps', deps);
  // Every route, as registered: the authorization matrix test checks that none is missing from it.
  const routeList: { method: string; url: string }[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });

  // Before any plugin: Fastify gives each plugin the error handler in force when it is registered.
  registerErrorHandling(app);

  await app.register(healthRoutes);
  await registerSecurityHeaders(app);
  await registerSessions(app);
  // Forms are the only bodies accepted: JSON and plain text are refused with 415 rather than quietly parsed.
  app.removeAllContentTypeParsers();
  // Our own form parser rather than @fastify/formbody, which decodes bytes leniently before parsing: invalid
  // UTF-8 must be refused, not quietly stored as replacement characters.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseFormBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  await app.register(fastifyStatic, {
    root: path.join(govukFrontendDist, 'govuk', 'assets'),
    prefix: '/assets/',
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: path.resolve(srcDir, '..', 'public'),
    prefix: '/',
    decorateReply: false,
    maxAge: '1h',
  });
  await registerViews(app);

  await app.register(authRoutes);
  await app.register(peopleRoutes);
  await app.register(visionRoutes);
  await app.register(circleRoutes);
  await app.register(agreementsRoutes);
  await app.register(journalRoutes);
  await app.register(safeguardingRoutes);
  await app.register(outcomesRoutes);
  await app.register(adminRoutes);
  await app.register(overviewRoutes);
  await app.register(dashboardRoutes);
  await app.register(teamRoutes);
  await app.register(unitCostRoutes);
  await app.register(avoidedRoutes);
  await app.register(investmentRoutes);
  await app.register(scenarioRoutes);
  await app.register(returnsRoutes);
  await app.register(projectionRoutes);
  await app.register(assetsRoutes);
  await app.register(offersRoutes);
  await app.register(capacityRoutes);
  await app.register(barriersRoutes);
  await app.register(orukRoutes);
  await app.register(storiesRoutes);

  return app;
}
