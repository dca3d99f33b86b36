import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createVision, editThemes, editWhatMatters, newVision, showAbout, updateThemes, updateWhatMatters } from './handlers.ts';

/** A person's vision of a good life, what matters to them, their gifts, and the themes they want to change. */
export async function visionRoutes(app: FastifyInstance): Promise<void> {
  const read = { preHandler: requireAllowed('person.read') };
  const update = { preHandler: requireAllowed('person.update') };
  app.get('/people/:id/about', read, showAbout);
  app.get('/people/:id/vision', read, newVision);
  app.post('/people/:id/vision', update, createVision);
  app.get('/people/:id/what-matters', read, editWhatMatters);
  app.post('/people/:id/what-matters', update, updateWhatMatters);
  app.get('/people/:id/themes', read, editThemes);
  app.post('/people/:id/themes', update, updateThemes);
}
