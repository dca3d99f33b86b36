import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  createConnection,
  createEntry,
  endConnectionHandler,
  findConnection,
  newConnection,
  newEntry,
  saveEntryChange,
  showConnectionEnd,
  showConnections,
  showEntryChange,
  showTimeline,
} from './handlers.ts';

/**
 * The journal, the timeline and connections with other people. Only the person's id is in an address (ADR 0006):
 * which entry or connection a page is about travels in the form, or in the query of the page that opens it, and
 * is checked to be this person's. The search for someone to connect with is a POST, so names stay out of addresses.
 */
export async function journalRoutes(app: FastifyInstance): Promise<void> {
  const read = { preHandler: requireAllowed('person.read') };
  const update = { preHandler: requireAllowed('person.update') };
  app.get('/people/:id/timeline', read, showTimeline);
  app.get('/people/:id/journal/new', read, newEntry);
  app.post('/people/:id/journal', update, createEntry);
  app.get('/people/:id/journal/change', read, showEntryChange);
  app.post('/people/:id/journal/change', update, saveEntryChange);
  app.get('/people/:id/connections', read, showConnections);
  app.get('/people/:id/connections/new', read, newConnection);
  app.post('/people/:id/connections/find', update, findConnection);
  app.post('/people/:id/connections', update, createConnection);
  app.get('/people/:id/connections/end', read, showConnectionEnd);
  app.post('/people/:id/connections/end', update, endConnectionHandler);
}
