import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createBarrier, findPeople, linkPerson, newBarrier, saveBarrierChange, showBarrier, showBarrierChange, showLog, unlinkPerson } from './handlers.ts';

/**
 * The system-barrier log. Coordinators and managers record and follow up barriers and link the people affected
 * (a change to each person's record, which travels in the form, never the address); the Leadership Group sees the
 * log as counts only.
 */
export async function barriersRoutes(app: FastifyInstance): Promise<void> {
  const record = { preHandler: requireAllowed('barriers.record') };
  app.get('/barriers', { preHandler: requireAllowed('barriers.list') }, showLog);
  app.get('/barriers/new', record, newBarrier);
  app.post('/barriers', record, createBarrier);
  app.get('/barriers/:id', record, showBarrier);
  app.get('/barriers/:id/change', record, showBarrierChange);
  app.post('/barriers/:id/change', record, saveBarrierChange);
  app.post('/barriers/:id/people/find', record, findPeople);
  app.post('/barriers/:id/people', record, linkPerson);
  app.post('/barriers/:id/people/remove', record, unlinkPerson);
}
