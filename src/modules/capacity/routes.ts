import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  createFunding,
  createInitiative,
  createUpdate,
  newInitiative,
  saveFundingChange,
  saveFundingRemoval,
  showFundingChange,
  saveInitiativeChange,
  showInitiative,
  showInitiativeChange,
  showLedger,
} from './handlers.ts';

/**
 * The community capacity ledger: groups and initiatives coordinators helped start or sustain. Coordinators and
 * managers see every neighbourhood's; coordinators change their own neighbourhoods' (the service checks).
 */
export async function capacityRoutes(app: FastifyInstance): Promise<void> {
  const work = { preHandler: requireAllowed('community.work') };
  app.get('/community/capacity', work, showLedger);
  app.get('/community/capacity/new', work, newInitiative);
  app.post('/community/capacity', work, createInitiative);
  app.get('/community/capacity/:id', work, showInitiative);
  app.get('/community/capacity/:id/change', work, showInitiativeChange);
  app.post('/community/capacity/:id/change', work, saveInitiativeChange);
  app.post('/community/capacity/:id/funding', work, createFunding);
  // Correcting a row of funding: which row travels in the query or the form (ADR 0006).
  app.get('/community/capacity/:id/funding/change', work, showFundingChange);
  app.post('/community/capacity/:id/funding/change', work, saveFundingChange);
  app.post('/community/capacity/:id/funding/remove', work, saveFundingRemoval);
  app.post('/community/capacity/:id/updates', work, createUpdate);
}
