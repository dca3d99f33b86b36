import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import {
  IMPORT_BODY_LIMIT_BYTES,
  apiError,
  apiNotFound,
  apiOrganization,
  apiOrganizations,
  apiRoot,
  apiService,
  apiServiceAtLocation,
  apiServices,
  apiServicesAtLocations,
  apiTaxonomies,
  apiTaxonomy,
  apiTaxonomyTerm,
  apiTaxonomyTerms,
  showImport,
  submitImport,
} from './handlers.ts';

/** Request headers a browser may ask to send: plain names only, echoed back to its preflight. */
const HEADER_NAMES = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;

/**
 * Open to any website (CORS), read-only, and stateless: it never sets a cookie, even for a signed-in browser,
 * and it answers a preflight itself. Any method but GET (and HEAD) is refused with 405 here, before the
 * session's CSRF check could answer 403 for a request that was never going to change anything.
 */
async function openAndReadOnly(request: FastifyRequest, reply: FastifyReply) {
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  if (request.method === 'OPTIONS') {
    const asked = request.headers['access-control-request-headers'];
    reply.header('Access-Control-Allow-Methods', 'GET');
    if (typeof asked === 'string' && HEADER_NAMES.test(asked)) reply.header('Access-Control-Allow-Headers', asked);
    reply.header('Access-Control-Max-Age', '86400');
    return reply.code(204).send();
  }
  reply.header('Allow', 'GET');
  return apiError(reply, 405, 'The Open Referral UK API only answers GET requests');
}

/** The public Open Referral UK API, under /api/oruk. */
async function publicApi(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', openAndReadOnly);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.removeHeader('set-cookie');
    return payload;
  });
  // Methods with no route here (every one but GET) come to this plugin's own not-found handler, so the hook above
  // sees them; it answers them all before this is reached.
  app.setNotFoundHandler(apiNotFound);

  app.get('/', apiRoot);
  app.get('/services', apiServices);
  app.get('/services/:id', apiService);
  app.get('/service_at_locations', apiServicesAtLocations);
  app.get('/service_at_locations/:id', apiServiceAtLocation);
  app.get('/organizations', apiOrganizations);
  app.get('/organizations/:id', apiOrganization);
  app.get('/taxonomies', apiTaxonomies);
  app.get('/taxonomies/:id', apiTaxonomy);
  app.get('/taxonomy_terms', apiTaxonomyTerms);
  app.get('/taxonomy_terms/:id', apiTaxonomyTerm);
  // Anything else under /api/oruk/ is this API's 404, in JSON and open to all, not the site's static files'.
  app.get('/*', apiNotFound);
}

export async function orukRoutes(app: FastifyInstance): Promise<void> {
  await app.register(publicApi, { prefix: '/api/oruk' });
  const preHandler = requireAllowed('assets.import');
  app.get('/community/import', { preHandler }, showImport);
  // A whole directory pasted into a form is larger than any other form: this route alone takes more.
  app.post('/community/import', { preHandler, bodyLimit: IMPORT_BODY_LIMIT_BYTES }, submitImport);
}
