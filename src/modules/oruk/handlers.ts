import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { areasFor } from '../admin/service.ts';
import { CATEGORY_OPTIONS } from '../assets/words.ts';
import { IMPORT_CATEGORIES, idParamsSchema, importSchema, pageQuerySchema, serviceQuerySchema } from './schemas.ts';
import {
  findOrganization,
  findService,
  findServiceAtLocation,
  findTaxonomy,
  findTaxonomyTerm,
  importOpenReferral,
  listOrganizations,
  listServices,
  listServicesAtLocations,
  listTaxonomies,
  listTaxonomyTerms,
  type ListResult,
} from './service.ts';

// --- The public API ------------------------------------------------------------------------------------------------

/** The profile this API follows, and where its definition lives. */
const ABOUT = {
  version: '3.0',
  profile: 'https://github.com/openreferral/uk-profile',
  openapi_url: 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json',
};

/** Errors in the shape the rest of the app gives under /api/ (see core/http/errors.ts). */
export function apiError(reply: FastifyReply, status: 400 | 404 | 405, message: string) {
  const titles = { 400: 'There is a problem with what was sent', 404: 'Not found', 405: 'Method not allowed' };
  return reply.code(status).send({ error: titles[status], message });
}

/** The query or path, checked; on a problem, the 400 is sent and undefined returned. */
function checked<S extends z.ZodType>(schema: S, input: unknown, reply: FastifyReply): z.output<S> | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  void apiError(reply, 400, [...new Set(result.error.issues.map((i) => i.message))].join('. '));
  return undefined;
}

const UNKNOWN_POSTCODE = 'postcode is not in this directory’s list of postcodes';

function sendList<T>(reply: FastifyReply, result: ListResult<T>) {
  return result.kind === 'page' ? reply.send(result.page) : apiError(reply, 400, UNKNOWN_POSTCODE);
}

function sendFound(reply: FastifyReply, found: unknown, what: string) {
  return found === undefined ? apiError(reply, 404, `There is no ${what} with this id in the directory`) : reply.send(found);
}

export async function apiRoot(_request: FastifyRequest, reply: FastifyReply) {
  return reply.send(ABOUT);
}

export async function apiServices(request: FastifyRequest, reply: FastifyReply) {
  const query = checked(serviceQuerySchema, request.query, reply);
  if (query === undefined) return reply;
  return sendList(reply, await listServices(request.server.deps, query.filters, query.paging));
}

export async function apiServicesAtLocations(request: FastifyRequest, reply: FastifyReply) {
  const query = checked(serviceQuerySchema, request.query, reply);
  if (query === undefined) return reply;
  return sendList(reply, await listServicesAtLocations(request.server.deps, query.filters, query.paging));
}

export async function apiOrganizations(request: FastifyRequest, reply: FastifyReply) {
  const paging = checked(pageQuerySchema, request.query, reply);
  if (paging === undefined) return reply;
  return reply.send(await listOrganizations(request.server.deps, paging));
}

export async function apiTaxonomies(request: FastifyRequest, reply: FastifyReply) {
  const paging = checked(pageQuerySchema, request.query, reply);
  if (paging === undefined) return reply;
  return reply.send(listTaxonomies(paging));
}

export async function apiTaxonomyTerms(request: FastifyRequest, reply: FastifyReply) {
  const paging = checked(pageQuerySchema, request.query, reply);
  if (paging === undefined) return reply;
  return reply.send(await listTaxonomyTerms(request.server.deps, paging));
}

/** GET /api/oruk/<thing>/{id}: one of each kind, by id. */
function byId(find: (deps: FastifyRequest['server']['deps'], id: string) => Promise<unknown>, what: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const params = checked(idParamsSchema, request.params, reply);
    if (params === undefined) return reply;
    return sendFound(reply, await find(request.server.deps, params.id), what);
  };
}

export const apiService = byId(findService, 'service');
export const apiServiceAtLocation = byId(findServiceAtLocation, 'service at a location');
export const apiOrganization = byId(findOrganization, 'organization');
export const apiTaxonomy = byId(findTaxonomy, 'taxonomy');
export const apiTaxonomyTerm = byId(findTaxonomyTerm, 'taxonomy term');

export async function apiNotFound(_request: FastifyRequest, reply: FastifyReply) {
  return apiError(reply, 404, 'There is nothing at this address in the Open Referral UK API. Start at /api/oruk/');
}

// --- The import page -----------------------------------------------------------------------------------------------

const VIEWS = 'modules/oruk/views';

/** What the page says about the largest document the form can send; the route's body limit is the same. */
export const IMPORT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

const CATEGORY_CHOICES = CATEGORY_OPTIONS.filter((o) => (IMPORT_CATEGORIES as readonly string[]).includes(o.value));

async function showImportForm(request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FormErrors | undefined, statusCode: number) {
  const areas = await areasFor(request.server.deps, signedInUser(request));
  return render(
    request,
    reply,
    `${VIEWS}/import.njk`,
    { values, errors, areas, categories: CATEGORY_CHOICES, limitMegabytes: IMPORT_BODY_LIMIT_BYTES / (1024 * 1024) },
    statusCode,
  );
}

export async function showImport(request: FastifyRequest, reply: FastifyReply) {
  return showImportForm(request, reply, { formToken: randomUUID(), category: 'organisation' }, undefined, 200);
}

export async function submitImport(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const form = parseForm(importSchema, request.body);
  if (!form.ok) return showImportForm(request, reply, form.values, form.errors, 400);
  const { formToken, areaId, category, document } = form.data;
  const importer = { userId: user.id, programmeId: user.programme.id, requestId: request.id };
  const result = await importOpenReferral(request.server.deps, importer, { document, areaId, category, public: form.data.public, formToken });
  const values = formValues(request.body);
  switch (result.kind) {
    case 'imported':
      // The summary is shown at once rather than after a redirect: it belongs to this one import and is kept
      // nowhere. Sending the form again (a reload) finds the import done and says so.
      return render(request, reply, `${VIEWS}/imported.njk`, { summary: result.summary, publicDirectory: form.data.public });
    case 'already-imported':
      return render(request, reply, `${VIEWS}/imported.njk`, { summary: null });
    case 'unknown-area':
      return showImportForm(request, reply, values, { areaId: 'Select the neighbourhood the imported assets belong to' }, 400);
    case 'not-a-document':
      return showImportForm(request, reply, values, { document: result.message }, 400);
  }
}
