import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createConcern, newConcern, saveConcernChange, showConcernChange, showConcerns, showOpenConcerns } from './handlers.ts';

/**
 * Safeguarding concerns. A person's concerns are part of their record, for whoever may see it; only the person's
 * id is in the address, and which concern a change is about travels in the form (or, to open it, ?concern=).
 * A manager also sees every open concern in the programme.
 */
export async function safeguardingRoutes(app: FastifyInstance): Promise<void> {
  app.get('/people/:id/concerns', { preHandler: requireAllowed('person.read') }, showConcerns);
  app.get('/people/:id/concerns/new', { preHandler: requireAllowed('person.update') }, newConcern);
  app.post('/people/:id/concerns', { preHandler: requireAllowed('person.update') }, createConcern);
  app.get('/people/:id/concerns/change', { preHandler: requireAllowed('person.update') }, showConcernChange);
  app.post('/people/:id/concerns/change', { preHandler: requireAllowed('person.update') }, saveConcernChange);
  app.get('/concerns', { preHandler: requireAllowed('concerns.programme') }, showOpenConcerns);
}
