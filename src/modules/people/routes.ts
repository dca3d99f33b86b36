import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createIntroduction, newIntroduction, showCaseload, showPerson, showPersonAudit } from './handlers.ts';

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  app.get('/people', { preHandler: requireAllowed('caseload.view') }, showCaseload);
  app.get('/introductions/new', { preHandler: requireAllowed('person.create') }, newIntroduction);
  app.post('/introductions', { preHandler: requireAllowed('person.create') }, createIntroduction);
  app.get('/people/:id', { preHandler: requireAllowed('person.read') }, showPerson);
  app.get('/people/:id/audit', { preHandler: requireAllowed('person.audit') }, showPersonAudit);
}
