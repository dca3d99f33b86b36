import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { showTeam } from './handlers.ts';

export async function teamRoutes(app: FastifyInstance): Promise<void> {
  app.get('/team', { preHandler: requireAllowed('team.view') }, showTeam);
}
