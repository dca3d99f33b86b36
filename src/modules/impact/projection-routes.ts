import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { showProjection } from './projection-handlers.ts';

/** A projection of the programme's funding from an evidence ratio: the same roles as the returns it sits beside. */
export async function projectionRoutes(app: FastifyInstance): Promise<void> {
  app.get('/impact/projection', { preHandler: requireAllowed('impact.manage') }, showProjection);
}
