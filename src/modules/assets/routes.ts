import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  POSTCODE_PASTE_LIMIT_BYTES,
  closeAssetHandler,
  createAssetHandler,
  createLifeAsset,
  endLifeAssetHandler,
  findLifeAsset,
  importPostcodesHandler,
  newAsset,
  newLifeAsset,
  reopenAssetHandler,
  saveAssetChange,
  saveCommunitySettings,
  searchDirectoryHandler,
  showAsset,
  showAssetChange,
  showClose,
  showCommunitySettings,
  showDirectory,
  showLifeAssetEnd,
  showLifeAssets,
  showMap,
  showPostcodes,
  showStale,
  verifyAssetHandler,
} from './handlers.ts';

/**
 * Community assets: the directory (filters by GET; words and postcodes by POST, ADR 0005), one asset and its
 * changes, the list of assets to check again, and the map; the admin's settings and postcode table; and, on a
 * person's record, the community assets in their life, where only the person's id is in the address (ADR 0006) and the search is a POST.
 * Whether a coordinator may change one asset (its neighbourhood) is decided in the service.
 */
export async function assetsRoutes(app: FastifyInstance): Promise<void> {
  const read = { preHandler: requireAllowed('asset.read') };
  const change = { preHandler: requireAllowed('asset.update') };
  app.get('/community', read, showDirectory);
  app.post('/community/search', read, searchDirectoryHandler);
  app.get('/community/stale', read, showStale);
  app.get('/community/map', read, showMap);
  app.get('/community/assets/new', change, newAsset);
  app.post('/community/assets/new', change, createAssetHandler);
  app.get('/community/assets/:id', read, showAsset);
  app.get('/community/assets/:id/change', change, showAssetChange);
  app.post('/community/assets/:id/change', change, saveAssetChange);
  app.post('/community/assets/:id/verify', change, verifyAssetHandler);
  app.get('/community/assets/:id/close', change, showClose);
  app.post('/community/assets/:id/close', change, closeAssetHandler);
  app.post('/community/assets/:id/reopen', change, reopenAssetHandler);

  const administer = { preHandler: requireAllowed('programme.administer') };
  app.get('/admin/community', administer, showCommunitySettings);
  app.post('/admin/community', administer, saveCommunitySettings);
  app.get('/admin/postcodes', administer, showPostcodes);
  // A pasted postcode file is far larger than any other form: this one route takes more.
  app.post('/admin/postcodes', { ...administer, bodyLimit: POSTCODE_PASTE_LIMIT_BYTES }, importPostcodesHandler);

  const personRead = { preHandler: requireAllowed('person.read') };
  const personUpdate = { preHandler: requireAllowed('person.update') };
  app.get('/people/:id/assets', personRead, showLifeAssets);
  app.get('/people/:id/assets/new', personUpdate, newLifeAsset);
  app.post('/people/:id/assets/find', personUpdate, findLifeAsset);
  app.post('/people/:id/assets', personUpdate, createLifeAsset);
  app.get('/people/:id/assets/end', personUpdate, showLifeAssetEnd);
  app.post('/people/:id/assets/end', personUpdate, endLifeAssetHandler);
}
