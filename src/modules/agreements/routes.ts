import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  changeStepDetails,
  createAgreementVersion,
  createStep,
  newAgreementVersion,
  newStep,
  printAgreement,
  showAgreement,
} from './handlers.ts';

/** The shared agreement and steps. Addresses carry only the person's id; a step's id travels in the form. */
export async function agreementsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/people/:id/agreement', { preHandler: requireAllowed('person.read') }, showAgreement);
  app.get('/people/:id/agreement/print', { preHandler: requireAllowed('person.read') }, printAgreement);
  app.get('/people/:id/agreement/new', { preHandler: requireAllowed('person.update') }, newAgreementVersion);
  app.post('/people/:id/agreement', { preHandler: requireAllowed('person.update') }, createAgreementVersion);
  app.get('/people/:id/agreement/steps/new', { preHandler: requireAllowed('person.update') }, newStep);
  app.post('/people/:id/agreement/steps', { preHandler: requireAllowed('person.update') }, createStep);
  app.post('/people/:id/agreement/steps/change', { preHandler: requireAllowed('person.update') }, changeStepDetails);
}
