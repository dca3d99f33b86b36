import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { showReturns } from './returns-handlers.ts';

/** Cost avoided and social return in full, for managers; the Leadership Group reads them through its dashboard. */
export async function returnsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/impact/returns', { preHandler: requireAllowed('impact.manage') }, showReturns);
}
