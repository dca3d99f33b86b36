import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { formValues, parseForm, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { ROLE_LABELS, ROLE_OPTIONS, areaSchema, confirmSchema, newUserSchema, recordLookupSchema, userChangeSchema } from './schemas.ts';
import {
  addArea,
  addUser,
  areasFor,
  changeArea,
  changeUser,
  disableUser,
  enableUser,
  findArea,
  findMember,
  listAreas,
  listMembers,
  programmeSummary,
  recordInvalidForm,
  type AccountChangeResult,
  type AreaSummary,
  type MemberDetail,
  type SaveAreaResult,
} from './service.ts';

const VIEWS = 'modules/admin/views';

const NO_AREA = 'There is no neighbourhood at this address in your programme.';
const NO_USER = 'There is no user at this address in your programme.';
const NAME_TAKEN = 'There is already a neighbourhood with this name in the programme. Choose a different name';
const UNKNOWN_AREAS = 'Select neighbourhoods from the list';
const CONFIRM_DISABLE = 'Select yes to confirm you want to disable this account';
const CONFIRM_ENABLE = 'Select yes to confirm you want to enable this account';
const OWN_ACCOUNT = 'You cannot disable your own account. Another admin can do it if it is needed';

/** The id in the address, as typed: the service decides whether it names anything. */
function idOf(request: FastifyRequest): string {
  const params = request.params as Record<string, string | undefined>;
  return params.id ?? '';
}

/**
 * The banner after a successful change. The address says only which change (?added=1): no flash store is needed
 * and nothing personal goes into the URL.
 */
function noticeOf(request: FastifyRequest, messages: Record<string, string>): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(messages).find((k) => query[k] === '1');
  return key === undefined ? undefined : messages[key];
}

/** Checkboxes come back as nothing, one value or several; the template wants a list. */
function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : [value].flat();
}

export async function showAdminHome(request: FastifyRequest, reply: FastifyReply) {
  const summary = await programmeSummary(request.server.deps, signedInUser(request));
  return render(request, reply, `${VIEWS}/index.njk`, { summary, values: {} });
}

/** Admins cannot browse people; with a record id from a manager they can open that record's audit trail. */
export async function lookUpRecordAudit(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(recordLookupSchema, request.query);
  if (!form.ok) {
    const summary = await programmeSummary(request.server.deps, signedInUser(request));
    return render(request, reply, `${VIEWS}/index.njk`, { summary, errors: form.errors, values: form.values }, 400);
  }
  return seeOther(reply, `/people/${form.data.personId}/audit`);
}

// Neighbourhoods ------------------------------------------------------------------------------------------------

export async function showAreas(request: FastifyRequest, reply: FastifyReply) {
  const areas = await listAreas(request.server.deps, signedInUser(request));
  const notice = noticeOf(request, { added: 'Neighbourhood added', saved: 'Neighbourhood saved' });
  return render(request, reply, `${VIEWS}/areas.njk`, { areas, notice });
}

function areaValues(area: AreaSummary): FormValues {
  return {
    name: area.name,
    population: area.population === null ? '' : String(area.population),
    postcodeDistricts: area.postcodeDistricts.join(', '),
  };
}

function showAreaForm(
  request: FastifyRequest,
  reply: FastifyReply,
  area: AreaSummary | null,
  values: FormValues,
  errors: FormErrors | undefined,
  statusCode: number,
) {
  return render(request, reply, `${VIEWS}/area.njk`, { area, values, errors }, statusCode);
}

export async function newArea(request: FastifyRequest, reply: FastifyReply) {
  return showAreaForm(request, reply, null, {}, undefined, 200);
}

export async function editArea(request: FastifyRequest, reply: FastifyReply) {
  const area = await findArea(request.server.deps, signedInUser(request), idOf(request), 'area.read', request.id);
  if (area === undefined) throw new HttpError(404, NO_AREA);
  return showAreaForm(request, reply, area, areaValues(area), undefined, 200);
}

/** The same form adds a neighbourhood (area null) and changes one. */
async function saveAreaForm(request: FastifyRequest, reply: FastifyReply, area: AreaSummary | null) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const form = parseForm(areaSchema, request.body);
  if (!form.ok) {
    const refusal = area === null ? { action: 'area.create' } : { action: 'area.update', recordId: area.id };
    await recordInvalidForm(deps, user, { ...refusal, recordType: 'area' }, Object.keys(form.errors), request.id);
    return showAreaForm(request, reply, area, form.values, form.errors, 400);
  }
  const result: SaveAreaResult =
    area === null ? await addArea(deps, user, form.data, request.id) : await changeArea(deps, user, area.id, form.data, request.id);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, area === null ? '/admin/areas?added=1' : '/admin/areas?saved=1');
    case 'name-taken':
      return showAreaForm(request, reply, area, formValues(request.body), { name: NAME_TAKEN }, 400);
    case 'not-found':
      throw new HttpError(404, NO_AREA);
  }
}

export async function createArea(request: FastifyRequest, reply: FastifyReply) {
  return saveAreaForm(request, reply, null);
}

export async function updateArea(request: FastifyRequest, reply: FastifyReply) {
  const area = await findArea(request.server.deps, signedInUser(request), idOf(request), 'area.update', request.id);
  if (area === undefined) throw new HttpError(404, NO_AREA);
  return saveAreaForm(request, reply, area);
}

// Users ---------------------------------------------------------------------------------------------------------

export async function showUsers(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const members = await listMembers(request.server.deps, user);
  return render(request, reply, `${VIEWS}/users.njk`, { members, roleLabels: ROLE_LABELS });
}

async function showNewUserForm(
  request: FastifyRequest,
  reply: FastifyReply,
  values: FormValues,
  errors: FormErrors | undefined,
  statusCode: number,
) {
  const areas = await areasFor(request.server.deps, signedInUser(request));
  // The password typed is never sent back to the browser.
  const kept = { name: values.name, email: values.email, role: values.role, areaIds: listOf(values.areaIds) };
  return render(request, reply, `${VIEWS}/user-new.njk`, { values: kept, errors, areas, roles: ROLE_OPTIONS }, statusCode);
}

export async function newUser(request: FastifyRequest, reply: FastifyReply) {
  return showNewUserForm(request, reply, {}, undefined, 200);
}

export async function createUser(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const form = parseForm(newUserSchema, request.body);
  if (!form.ok) {
    await recordInvalidForm(deps, user, { action: 'user.add', recordType: 'user' }, Object.keys(form.errors), request.id);
    return showNewUserForm(request, reply, form.values, form.errors, 400);
  }
  const result = await addUser(deps, user, form.data, request.id);
  const values = formValues(request.body);
  switch (result.kind) {
    case 'created':
      return seeOther(reply, `/admin/users/${result.userId}?added=1`);
    case 'joined':
      return seeOther(reply, `/admin/users/${result.userId}?joined=1`);
    case 'already-member':
      return showNewUserForm(request, reply, values, { email: 'This email address already belongs to a user of this programme' }, 400);
    case 'password-needed':
      return showNewUserForm(request, reply, values, { password: 'Enter a password for their new account' }, 400);
    case 'unknown-areas':
      return showNewUserForm(request, reply, values, { areaIds: UNKNOWN_AREAS }, 400);
  }
}

function memberValues(member: MemberDetail): FormValues {
  return { role: member.role, areaIds: member.areaIds };
}

async function showUserPage(
  request: FastifyRequest,
  reply: FastifyReply,
  member: MemberDetail,
  values: FormValues,
  errors: FormErrors | undefined,
  statusCode: number,
) {
  const user = signedInUser(request);
  const areas = await areasFor(request.server.deps, user);
  const notice = noticeOf(request, {
    added: 'User added. They can sign in with the email address and the password you chose',
    joined:
      'This email address already had an Alongside account, used in another programme. It has been added to this programme ' +
      'and keeps its own name and password: the password you entered was not used',
    saved: 'Changes saved',
    disabled: 'Account disabled. They have been signed out and cannot sign in',
    enabled: 'Account enabled. They can sign in again',
  });
  return render(
    request,
    reply,
    `${VIEWS}/user.njk`,
    {
      member,
      areas,
      roles: ROLE_OPTIONS,
      roleLabels: ROLE_LABELS,
      values: { role: values.role, areaIds: listOf(values.areaIds) },
      errors,
      notice,
      isSelf: member.id === user.id,
    },
    statusCode,
  );
}

export async function showUser(request: FastifyRequest, reply: FastifyReply) {
  const member = await findMember(request.server.deps, signedInUser(request), idOf(request), 'user.read', request.id);
  if (member === undefined) throw new HttpError(404, NO_USER);
  return showUserPage(request, reply, member, memberValues(member), undefined, 200);
}

export async function updateUser(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const member = await findMember(deps, user, idOf(request), 'user.update', request.id);
  if (member === undefined) throw new HttpError(404, NO_USER);
  const form = parseForm(userChangeSchema, request.body);
  if (!form.ok) {
    await recordInvalidForm(deps, user, { action: 'user.update', recordType: 'user', recordId: member.id }, Object.keys(form.errors), request.id);
    return showUserPage(request, reply, member, form.values, form.errors, 400);
  }
  const result = await changeUser(deps, user, member.id, form.data, request.id);
  const values = formValues(request.body);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `/admin/users/${member.id}?saved=1`);
    case 'not-found':
      throw new HttpError(404, NO_USER);
    case 'own-admin-role':
      return showUserPage(request, reply, member, values, { role: 'You cannot remove your own admin role. Ask another admin to do it' }, 400);
    case 'unknown-areas':
      return showUserPage(request, reply, member, values, { areaIds: UNKNOWN_AREAS }, 400);
  }
}

async function answerAccountChange(request: FastifyRequest, reply: FastifyReply, result: AccountChangeResult, done: string, confirm: string) {
  switch (result.kind) {
    case 'done':
      return seeOther(reply, `/admin/users/${result.userId}?${done}=1`);
    case 'not-found':
      throw new HttpError(404, NO_USER);
    case 'own-account':
      return showUserPage(request, reply, result.member, memberValues(result.member), { account: OWN_ACCOUNT }, 400);
    case 'not-confirmed':
      return showUserPage(request, reply, result.member, memberValues(result.member), { confirm }, 400);
  }
}

export async function disableUserHandler(request: FastifyRequest, reply: FastifyReply) {
  const confirmed = parseForm(confirmSchema(CONFIRM_DISABLE), request.body).ok;
  const result = await disableUser(request.server.deps, signedInUser(request), idOf(request), confirmed, request.id);
  return answerAccountChange(request, reply, result, 'disabled', CONFIRM_DISABLE);
}

export async function enableUserHandler(request: FastifyRequest, reply: FastifyReply) {
  const confirmed = parseForm(confirmSchema(CONFIRM_ENABLE), request.body).ok;
  const result = await enableUser(request.server.deps, signedInUser(request), idOf(request), confirmed, request.id);
  return answerAccountChange(request, reply, result, 'enabled', CONFIRM_ENABLE);
}
