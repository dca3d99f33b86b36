import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  addCircleMember,
  compareCircleDates,
  leaveCircleMember,
  newCircleMember,
  saveCircleMember,
  showChangeMember,
  showCircle,
} from './handlers.ts';

/**
 * A person's circle of support. Only the person's id is in the address: which member a change is about travels in
 * the form (or, to open the change form, in ?member=), and is checked to be in this person's circle.
 */
export async function circleRoutes(app: FastifyInstance): Promise<void> {
  app.get('/people/:id/circle', { preHandler: requireAllowed('person.read') }, showCircle);
  app.get('/people/:id/circle/add', { preHandler: requireAllowed('person.update') }, newCircleMember);
  app.post('/people/:id/circle', { preHandler: requireAllowed('person.update') }, addCircleMember);
  app.get('/people/:id/circle/change', { preHandler: requireAllowed('person.update') }, showChangeMember);
  app.post('/people/:id/circle/change', { preHandler: requireAllowed('person.update') }, saveCircleMember);
  app.post('/people/:id/circle/leave', { preHandler: requireAllowed('person.update') }, leaveCircleMember);
  app.get('/people/:id/circle/compare', { preHandler: requireAllowed('person.read') }, compareCircleDates);
}
