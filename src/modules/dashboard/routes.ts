import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { downloadTable, reportPdf, showReport } from './handlers.ts';

/** The programme overview itself is the overview module's route, which shows these figures to those allowed them. */
export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  app.get('/overview/report', { preHandler: requireAllowed('programme.dashboard') }, showReport);
  app.get('/overview/report.pdf', { preHandler: requireAllowed('programme.dashboard') }, reportPdf);
  app.get('/overview/tables/:table', { preHandler: requireAllowed('programme.dashboard') }, downloadTable);
}
