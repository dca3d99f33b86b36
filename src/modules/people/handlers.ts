import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, formValues, parseForm, ukToday, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { INTRODUCERS, introductionSchema, personIdSchema } from './schemas.ts';
import {
  STATUS_LABELS,
  getPersonAuditTrail,
  getPersonPage,
  introductionAreas,
  listCaseload,
  recordIntroduction,
} from './service.ts';

const introducerText = new Map<string, string>(INTRODUCERS.map((i) => [i.value, i.text]));

export async function showCaseload(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const people = await listCaseload(request.server.deps, user, request.id);
  return render(request, reply, 'modules/people/views/caseload.njk', { people, statusLabels: STATUS_LABELS });
}

async function showIntroductionForm(
  request: FastifyRequest,
  reply: FastifyReply,
  values: FormValues,
  errors: FormErrors | undefined,
  statusCode: number,
) {
  const user = signedInUser(request);
  const areas = await introductionAreas(request.server.deps, user);
  const [onlyArea] = areas;
  // A coordinator with one neighbourhood has nothing to choose on a fresh form.
  if (errors === undefined && areas.length === 1 && onlyArea !== undefined) values = { ...values, areaId: onlyArea.id };
  return render(
    request,
    reply,
    'modules/people/views/introduce.njk',
    { values, errors, areas, introducers: INTRODUCERS },
    statusCode,
  );
}

export async function newIntroduction(request: FastifyRequest, reply: FastifyReply) {
  const today = dateParts(ukToday(request.server.deps.clock.now()));
  const values: FormValues = {
    formToken: randomUUID(),
    'introducedOn-day': today.day,
    'introducedOn-month': today.month,
    'introducedOn-year': today.year,
  };
  return showIntroductionForm(request, reply, values, undefined, 200);
}

export async function createIntroduction(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const form = parseForm(introductionSchema(ukToday(deps.clock.now())), request.body);
  if (!form.ok) return showIntroductionForm(request, reply, form.values, form.errors, 400);
  const result = await recordIntroduction(deps, user, form.data, request.id);
  if (result.kind === 'area-not-allowed') {
    const errors = { areaId: 'Select one of the neighbourhoods you work in' };
    return showIntroductionForm(request, reply, formValues(request.body), errors, 400);
  }
  return seeOther(reply, `/people/${result.personId}`);
}

function personId(request: FastifyRequest): string {
  const parsed = personIdSchema.safeParse(request.params);
  // Not even an id: nothing to look up, and nothing to tell apart from a person who is not there.
  if (!parsed.success) throw new HttpError(404, 'There is no person at this address.');
  return parsed.data.id;
}

export async function showPerson(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const person = await getPersonPage(request.server.deps, user, personId(request), request.id);
  if (person === undefined) throw new HttpError(404, 'There is no person at this address that you can see.');
  return render(request, reply, 'modules/people/views/person.njk', {
    person,
    statusLabels: STATUS_LABELS,
    introducerText: Object.fromEntries(introducerText),
    canSeeAudit: user.role === 'manager',
  });
}

export async function showPersonAudit(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const trail = await getPersonAuditTrail(request.server.deps, user, personId(request), request.id);
  if (trail === undefined) throw new HttpError(404, 'There is no person at this address that you can see.');
  return render(request, reply, 'modules/people/views/audit.njk', { trail, canSeePerson: user.role === 'manager' });
}
