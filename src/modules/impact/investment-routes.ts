import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createInvestment, deleteInvestment, saveInvestmentChange, showInvestment, showInvestmentChange } from './investment-handlers.ts';

/** The programme's funding by partner and financial year, kept by its managers. Which line travels in the form or query. */
export async function investmentRoutes(app: FastifyInstance): Promise<void> {
  const manage = { preHandler: requireAllowed('impact.manage') };
  app.get('/impact/investment', manage, showInvestment);
  app.post('/impact/investment', manage, createInvestment);
  app.get('/impact/investment/change', manage, showInvestmentChange);
  app.post('/impact/investment/change', manage, saveInvestmentChange);
  app.post('/impact/investment/delete', manage, deleteInvestment);
}
