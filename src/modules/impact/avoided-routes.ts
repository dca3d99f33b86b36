import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createAvoided, newAvoided, saveAvoidedChange, saveVerification, showAvoidedChange, showAvoidedOutcomes, showVerification } from './avoided-handlers.ts';

/**
 * Avoided outcomes: part of a person's record, for whoever may see it; which one a change is about travels in the
 * form (or, to open it, ?outcome=). A manager verifies or returns each, from the person's record, and sees every one
 * awaiting verification across the programme.
 */
export async function avoidedRoutes(app: FastifyInstance): Promise<void> {
  const read = { preHandler: requireAllowed('person.read') };
  const update = { preHandler: requireAllowed('person.update') };
  const verify = { preHandler: requireAllowed('avoided.verify') };
  app.get('/people/:id/avoided', read, showAvoidedOutcomes);
  app.get('/people/:id/avoided/new', update, newAvoided);
  app.post('/people/:id/avoided', update, createAvoided);
  app.get('/people/:id/avoided/change', update, showAvoidedChange);
  app.post('/people/:id/avoided/change', update, saveAvoidedChange);
  app.post('/people/:id/avoided/verify', verify, saveVerification);
  app.get('/impact/verification', verify, showVerification);
}
