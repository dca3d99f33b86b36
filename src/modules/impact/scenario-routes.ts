import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { removeScenarioCostRates, savePriceYear, saveScenarioCostRates, saveScenarioRates, showScenarioForm, showScenarios } from './scenario-handlers.ts';

/** The scenarios of social return, set by the programme's admin: the kind (not a person) is in the path. */
export async function scenarioRoutes(app: FastifyInstance): Promise<void> {
  const administer = { preHandler: requireAllowed('programme.administer') };
  app.get('/admin/scenarios', administer, showScenarios);
  // The price year the programme's figures are shown in: set beside the scenarios, the other assumptions of its figures.
  app.post('/admin/prices', administer, savePriceYear);
  app.get('/admin/scenarios/:kind', administer, showScenarioForm);
  app.post('/admin/scenarios/:kind', administer, saveScenarioRates);
  app.post('/admin/scenarios/:kind/costs', administer, saveScenarioCostRates);
  app.post('/admin/scenarios/:kind/costs/remove', administer, removeScenarioCostRates);
}
