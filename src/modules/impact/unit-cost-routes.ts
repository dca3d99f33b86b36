import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createLocalCost, newLocalCost, saveLocalCostChange, showCost, showLibrary, showLocalCostChange } from './unit-cost-handlers.ts';

export async function unitCostRoutes(app: FastifyInstance): Promise<void> {
  const read = { preHandler: requireAllowed('unit-costs.read') };
  const manage = { preHandler: requireAllowed('unit-costs.manage') };
  app.get('/impact/unit-costs', read, showLibrary);
  app.get('/impact/unit-costs/new', manage, newLocalCost);
  app.post('/impact/unit-costs', manage, createLocalCost);
  app.get('/impact/unit-costs/:id', read, showCost);
  app.get('/impact/unit-costs/:id/change', manage, showLocalCostChange);
  app.post('/impact/unit-costs/:id/change', manage, saveLocalCostChange);
}
