import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  createAssetOffer,
  createMatch,
  createPersonItem,
  createSchemeHandler,
  newAssetOffer,
  newPersonItem,
  newScheme,
  saveAssetOffer,
  saveMatchDone,
  saveMatchUndo,
  savePersonItem,
  showAsks,
  showAssetOfferChange,
  showMatch,
  showMatchDone,
  showMatchUndo,
  showOffers,
  showPersonItemChange,
  showPersonItems,
  showScheme,
  showSchemeChange,
  saveSchemeChange,
  showSchemes,
} from './handlers.ts';

/**
 * Offers and asks. A person's are part of their record: only the person's id is in the address (ADR 0006), and which
 * offer, ask or match a page is about travels in the query or the form. The programme-wide lists, asset offers and
 * schemes are for coordinators and managers.
 */
export async function offersRoutes(app: FastifyInstance): Promise<void> {
  const read = { preHandler: requireAllowed('person.read') };
  const update = { preHandler: requireAllowed('person.update') };
  const work = { preHandler: requireAllowed('community.work') };
  app.get('/people/:id/offers', read, showPersonItems);
  app.get('/people/:id/offers/new', update, newPersonItem);
  app.post('/people/:id/offers', update, createPersonItem);
  app.get('/people/:id/offers/change', update, showPersonItemChange);
  app.post('/people/:id/offers/change', update, savePersonItem);
  app.get('/people/:id/offers/match', read, showMatch);
  app.post('/people/:id/offers/match', update, createMatch);
  app.get('/people/:id/offers/done', update, showMatchDone);
  app.post('/people/:id/offers/done', update, saveMatchDone);
  app.get('/people/:id/offers/undo', update, showMatchUndo);
  app.post('/people/:id/offers/undo', update, saveMatchUndo);

  app.get('/community/offers', work, showOffers);
  app.get('/community/asks', work, showAsks);
  app.get('/community/offers/new', work, newAssetOffer);
  app.post('/community/offers', work, createAssetOffer);
  app.get('/community/offers/:id/change', work, showAssetOfferChange);
  app.post('/community/offers/:id/change', work, saveAssetOffer);
  app.get('/community/schemes', work, showSchemes);
  app.get('/community/schemes/new', work, newScheme);
  app.post('/community/schemes', work, createSchemeHandler);
  app.get('/community/schemes/:id', work, showScheme);
  app.get('/community/schemes/:id/change', work, showSchemeChange);
  app.post('/community/schemes/:id/change', work, saveSchemeChange);
}
