import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  createHouseholdMember,
  createIntroduction,
  newHouseholdMember,
  newIntroduction,
  removeFromHousehold,
  saveDetails,
  saveHouseholdMember,
  saveCoordinator,
  saveStatus,
  searchCaseload,
  showCaseload,
  showCoordinatorForm,
  showDetailsForm,
  showHouseholdMember,
  showIntroductionsWaiting,
  showPerson,
  showPersonAudit,
  showStatusForm,
} from './handlers.ts';

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  const read = { preHandler: requireAllowed('person.read') };
  const update = { preHandler: requireAllowed('person.update') };
  app.get('/people', { preHandler: requireAllowed('caseload.view') }, showCaseload);
  app.post('/people/search', { preHandler: requireAllowed('caseload.view') }, searchCaseload);
  app.get('/introductions/new', { preHandler: requireAllowed('person.create') }, newIntroduction);
  app.post('/introductions', { preHandler: requireAllowed('person.create') }, createIntroduction);
  // A manager shares out the people introduced: who is waiting for a coordinator, and choosing one.
  app.get('/introductions/waiting', { preHandler: requireAllowed('person.assign') }, showIntroductionsWaiting);
  app.get('/people/:id/coordinator', { preHandler: requireAllowed('person.assign') }, showCoordinatorForm);
  app.post('/people/:id/coordinator', { preHandler: requireAllowed('person.assign') }, saveCoordinator);
  app.get('/people/:id', read, showPerson);
  app.get('/people/:id/audit', { preHandler: requireAllowed('person.audit') }, showPersonAudit);
  app.get('/people/:id/details', read, showDetailsForm);
  app.post('/people/:id/details', update, saveDetails);
  app.get('/people/:id/status', read, showStatusForm);
  app.post('/people/:id/status', update, saveStatus);
  // Household members are named in the form (or the query), not the path: the person's id is the only path id.
  app.get('/people/:id/household/new', read, newHouseholdMember);
  app.post('/people/:id/household', update, createHouseholdMember);
  app.get('/people/:id/household/change', read, showHouseholdMember);
  app.post('/people/:id/household/change', update, saveHouseholdMember);
  app.post('/people/:id/household/remove', update, removeFromHousehold);
}
