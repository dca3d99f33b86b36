import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  createCheckIn,
  createPeriod,
  newCheckIn,
  newPeriod,
  saveCheckInChange,
  savePeriodChange,
  showCheckInChange,
  showOutcomes,
  showPeriodChange,
} from './handlers.ts';

/**
 * Outcomes people report, and their service use before and after: part of the person's record, for whoever may see
 * it. Only the person's id is in the address; which check-in or period a change is about travels in the form (or, to
 * open it, ?checkIn= or ?period=). The programme's figures are functions of service.ts, for the dashboard.
 */
export async function outcomesRoutes(app: FastifyInstance): Promise<void> {
  app.get('/people/:id/outcomes', { preHandler: requireAllowed('person.read') }, showOutcomes);
  app.get('/people/:id/outcomes/check-ins/new', { preHandler: requireAllowed('person.update') }, newCheckIn);
  app.post('/people/:id/outcomes/check-ins', { preHandler: requireAllowed('person.update') }, createCheckIn);
  app.get('/people/:id/outcomes/check-ins/change', { preHandler: requireAllowed('person.update') }, showCheckInChange);
  app.post('/people/:id/outcomes/check-ins/change', { preHandler: requireAllowed('person.update') }, saveCheckInChange);
  app.get('/people/:id/outcomes/service-use/new', { preHandler: requireAllowed('person.update') }, newPeriod);
  app.post('/people/:id/outcomes/service-use', { preHandler: requireAllowed('person.update') }, createPeriod);
  app.get('/people/:id/outcomes/service-use/change', { preHandler: requireAllowed('person.update') }, showPeriodChange);
  app.post('/people/:id/outcomes/service-use/change', { preHandler: requireAllowed('person.update') }, savePeriodChange);
}
