import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, formValues, parseForm, ukToday, type FormErrors, type FormValues } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { formatDate } from '../../core/http/views.ts';
import {
  agreementSchema,
  newStepSchema,
  questionQuerySchema,
  stepChangeSchema,
  stepRefSchema,
  versionQuerySchema,
  type AgreementInput,
  type StepChangeInput,
} from './schemas.ts';
import {
  STEP_STATUS_LABELS,
  STEP_STATUSES,
  addStep,
  agreeSharedAgreement,
  changeStep,
  getAgreementRecord,
  type AgreementRecord,
  type AgreementVersion,
  type Step,
} from './service.ts';
import { personFound, personIdOf } from '../people/paths.ts';


/** What every page of the agreement needs besides its own data. */
function pageData(record: AgreementRecord) {
  const statuses = STEP_STATUSES.map((value) => ({ value, text: STEP_STATUS_LABELS[value] }));
  return { ...record, statusLabels: STEP_STATUS_LABELS, statuses };
}

/** The date inputs of a form, from 'YYYY-MM-DD' (or nothing). */
function dateValues(name: string, iso: string | null): FormValues {
  if (iso === null) return {};
  const { day, month, year } = dateParts(iso);
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

function stepValues(step: Step): FormValues {
  return {
    stepId: step.id,
    version: String(step.version),
    question: step.question,
    what: step.what,
    owner: step.owner,
    status: step.status,
    ...dateValues('aimingFor', step.aimingFor),
  };
}

/** The agreement page: the current agreement, earlier versions, thinking natural, and the steps with their forms. */
async function showAgreementPage(request: FastifyRequest, reply: FastifyReply, record: AgreementRecord, errors: FormErrors | undefined, statusCode: number) {
  const stepForms = Object.fromEntries(record.stepGroups.flatMap((g) => g.steps).map((s) => [s.id, stepValues(s)]));
  return render(request, reply, 'modules/agreements/views/agreement.njk', { ...pageData(record), stepForms, errors }, statusCode);
}

/**
 * The version the address asks for (?version=N), or undefined when it asks for none. Judged after the person is
 * looked up, so a refused request is audited like any other; a version that is not there is not found.
 */
function askedForVersion(request: FastifyRequest, record: AgreementRecord): AgreementVersion | undefined {
  const query = versionQuerySchema.safeParse(request.query);
  const number = query.success ? query.data.version : -1;
  if (number === undefined) return undefined;
  const version = record.versions.find((v) => v.versionNumber === number);
  if (version === undefined) throw new HttpError(404, 'There is no such version of the shared agreement.');
  return version;
}

export async function showAgreement(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const record = personFound(
    await getAgreementRecord(request.server.deps, user, personIdOf(request), { action: 'agreement.read', permission: 'person.read' }, request.id),
  );
  const shown = askedForVersion(request, record);
  if (shown === undefined) return showAgreementPage(request, reply, record, undefined, 200);
  return render(request, reply, 'modules/agreements/views/version.njk', { ...pageData(record), shown });
}

/** A clean page the person can keep: the agreement (the current one, or ?version=N) and their steps. */
export async function printAgreement(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const record = personFound(
    await getAgreementRecord(request.server.deps, user, personIdOf(request), { action: 'agreement.print', permission: 'person.read' }, request.id),
  );
  return render(request, reply, 'modules/agreements/views/print.njk', {
    ...pageData(record),
    shown: askedForVersion(request, record) ?? record.current,
    programme: user.programme,
    today: ukToday(request.server.deps.clock.now()),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A new version of the agreement

interface Conflict {
  changedBy: string;
  changedAt: Date;
  rows: { label: string; theirs: string; yours: string }[];
}

function showAgreementForm(
  request: FastifyRequest,
  reply: FastifyReply,
  record: AgreementRecord,
  form: { values: FormValues; errors?: FormErrors; conflict?: Conflict },
  statusCode: number,
) {
  return render(request, reply, 'modules/agreements/views/agreement-form.njk', { ...pageData(record), ...form }, statusCode);
}

export async function newAgreementVersion(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const record = personFound(await getAgreementRecord(deps, user, personIdOf(request), { action: 'agreement.read', permission: 'person.update' }, request.id));
  const { current } = record;
  // A new version starts from the current one: most agreements change a line or two.
  const values: FormValues = {
    workingOn: current?.workingOn ?? '',
    whoDoesWhat: current?.whoDoesWhat ?? '',
    keepingInTouch: current?.keepingInTouch ?? '',
    ...dateValues('agreedOn', ukToday(deps.clock.now())),
    basedOn: String(current?.versionNumber ?? 0),
    formToken: randomUUID(),
  };
  return showAgreementForm(request, reply, record, { values }, 200);
}

function agreementConflict(latest: AgreementVersion, yours: AgreementInput): Conflict {
  const review = (iso: string | null) => formatDate(iso) || 'Not agreed yet';
  return {
    changedBy: latest.recordedByName,
    changedAt: latest.recordedAt,
    rows: [
      { label: 'What we will work on together', theirs: latest.workingOn, yours: yours.workingOn },
      { label: 'Who does what', theirs: latest.whoDoesWhat, yours: yours.whoDoesWhat },
      { label: 'How we keep in touch', theirs: latest.keepingInTouch, yours: yours.keepingInTouch },
      { label: 'When we look at it again', theirs: review(latest.reviewOn), yours: review(yours.reviewOn) },
      { label: 'Agreed on', theirs: formatDate(latest.agreedOn), yours: formatDate(yours.agreedOn) },
    ],
  };
}

export async function createAgreementVersion(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const id = personIdOf(request);
  const form = parseForm(agreementSchema(ukToday(deps.clock.now())), request.body);
  const result = personFound(await agreeSharedAgreement(deps, user, id, form.ok ? form.data : null, request.id));
  switch (result.kind) {
    case 'agreed':
      return seeOther(reply, `/people/${id}/agreement`);
    case 'invalid':
      return showAgreementForm(request, reply, result.record, { values: formValues(request.body), ...(form.ok ? {} : { errors: form.errors }) }, 400);
    case 'conflict': {
      const values = formValues(request.body);
      const conflict = form.ok ? agreementConflict(result.latest, form.data) : undefined;
      // The form comes back with what this person typed, now based on the version they have just seen.
      const next = { ...values, basedOn: String(result.latest.versionNumber) };
      return showAgreementForm(request, reply, result.record, { values: next, ...(conflict === undefined ? {} : { conflict }) }, 409);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

function showNewStepForm(request: FastifyRequest, reply: FastifyReply, record: AgreementRecord, values: FormValues, errors: FormErrors | undefined, statusCode: number) {
  return render(request, reply, 'modules/agreements/views/step-new.njk', { ...pageData(record), values, errors }, statusCode);
}

export async function newStep(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { question } = questionQuerySchema.parse(request.query);
  const record = personFound(
    await getAgreementRecord(request.server.deps, user, personIdOf(request), { action: 'agreement.read', permission: 'person.update' }, request.id),
  );
  const values: FormValues = { formToken: randomUUID(), status: 'planned' };
  if (question !== undefined) values.question = question;
  // A step under the first question is usually the person's own.
  if (question === 'gifts') values.owner = record.callName;
  return showNewStepForm(request, reply, record, values, undefined, 200);
}

export async function createStep(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personIdOf(request);
  const form = parseForm(newStepSchema, request.body);
  const result = personFound(await addStep(request.server.deps, user, id, form.ok ? form.data : null, request.id));
  switch (result.kind) {
    case 'added':
      return seeOther(reply, `/people/${id}/agreement#step-${result.stepId}`);
    case 'invalid':
      return showNewStepForm(request, reply, result.record, formValues(request.body), form.ok ? undefined : form.errors, 400);
  }
}

function stepConflict(record: AgreementRecord, theirs: Step, yours: StepChangeInput): Conflict {
  const heading = (question: Step['question']) => record.stepGroups.find((g) => g.question === question)?.heading ?? '';
  const aiming = (iso: string | null) => formatDate(iso) || 'No date';
  return {
    changedBy: theirs.updatedByName,
    changedAt: theirs.updatedAt,
    rows: [
      { label: 'Which question it answers', theirs: heading(theirs.question), yours: heading(yours.question) },
      { label: 'What the step is', theirs: theirs.what, yours: yours.what },
      { label: 'Who will do it', theirs: theirs.owner, yours: yours.owner },
      { label: 'Where it is up to', theirs: STEP_STATUS_LABELS[theirs.status], yours: STEP_STATUS_LABELS[yours.status] },
      { label: 'Aiming for', theirs: aiming(theirs.aimingFor), yours: aiming(yours.aimingFor) },
    ],
  };
}

export async function changeStepDetails(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const id = personIdOf(request);
  const ref = parseForm(stepRefSchema, request.body);
  const form = parseForm(stepChangeSchema, request.body);
  const result = personFound(
    await changeStep(request.server.deps, user, id, ref.ok ? ref.data : null, ref.ok && form.ok ? form.data : null, request.id),
  );
  const values = formValues(request.body);
  const showChangeForm = (data: Record<string, unknown>, statusCode: number) =>
    render(request, reply, 'modules/agreements/views/step-change.njk', data, statusCode);
  switch (result.kind) {
    case 'changed':
      return seeOther(reply, `/people/${id}/agreement#step-${result.stepId}`);
    case 'no-step':
      return showAgreementPage(request, reply, result.record, ref.ok ? undefined : ref.errors, 400);
    case 'not-found':
      throw new HttpError(404, 'There is no such step in this person’s record.');
    case 'invalid':
      return showChangeForm({ ...pageData(result.record), step: result.step, values, errors: form.ok ? undefined : form.errors }, 400);
    case 'conflict':
      return showChangeForm(
        {
          ...pageData(result.record),
          step: result.step,
          // What this person typed, now against the version they have just been shown.
          values: { ...values, version: String(result.step.version) },
          ...(form.ok ? { conflict: stepConflict(result.record, result.step, form.data) } : {}),
        },
        409,
      );
  }
}
