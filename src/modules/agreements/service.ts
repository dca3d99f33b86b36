import type { CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type PersonInContext } from '../people/access.ts';
import {
  countStepsByOwnerKind,
  selectNextReviews,
  insertAgreementVersion,
  insertStep,
  selectAgreementVersionByFormToken,
  selectAgreementVersions,
  selectLatestAgreementVersionNumber,
  selectStep,
  selectStepIdByFormToken,
  selectSteps,
  updateStep,
} from './queries.ts';
import type { AgreementInput, NewStepInput, StepChangeInput } from './schemas.ts';
import { STEP_QUESTIONS, type StepQuestion, type StepStatus } from './tables.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export { STEP_QUESTIONS, STEP_STATUSES, type StepQuestion, type StepStatus } from './tables.ts';

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  planned: 'Planned',
  under_way: 'Under way',
  done: 'Done',
  no_longer_needed: 'No longer needed',
};

/** How the record names the person in headings: their preferred name when the record holds one. */
export function callName(person: PersonInContext): string {
  // The person's details (and a preferred name) belong to the people module; read it when it is there.
  const preferred = (person as PersonInContext & { preferredName?: string | null }).preferredName;
  return typeof preferred === 'string' && preferred.trim() !== '' ? preferred.trim() : person.name;
}

/** The three questions as headings, always in the model's order, in words that name the person. */
export function questionHeadings(name: string): Record<StepQuestion, string> {
  return {
    gifts: `What ${name} will do with their gifts, skills and experience`,
    community: 'What family, friends and community will do',
    services: 'What services and funding will do',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Thinking natural

export type ThinkingNatural =
  | { kind: 'no-steps' }
  | {
      kind: 'share';
      /** Steps with the person and their family, friends and community (the first two questions). */
      natural: number;
      /** Steps with services and funding (the third question). */
      services: number;
      total: number;
      /** Whole percentages that always add up to 100. */
      naturalPercent: number;
      servicesPercent: number;
    };

/**
 * The share of a person's steps that are with the person and the people around them rather than with services,
 * from counts that leave out steps no longer needed. No steps is said as such, never as 0% or a division by zero.
 */
export function thinkingNaturalShare(counts: { natural: number; services: number }): ThinkingNatural {
  const natural = Math.max(0, Math.trunc(counts.natural));
  const services = Math.max(0, Math.trunc(counts.services));
  const total = natural + services;
  if (total === 0) return { kind: 'no-steps' };
  const naturalPercent = Math.round((natural * 100) / total);
  return { kind: 'share', natural, services, total, naturalPercent, servicesPercent: 100 - naturalPercent };
}

/** The counts thinkingNaturalShare needs, from a list of steps. */
export function countByOwnerKind(steps: readonly { question: StepQuestion; status: StepStatus }[]): { natural: number; services: number } {
  const counted = steps.filter((s) => s.status !== 'no_longer_needed');
  const services = counted.filter((s) => s.question === 'services').length;
  return { natural: counted.length - services, services };
}

/** Where working together stands for one person, as lists of people show it. */
export interface WorkingTogether {
  thinkingNatural: ThinkingNatural;
  /** Steps planned or under way. */
  openSteps: number;
  /** When the latest shared agreement says to review it, if it says. */
  nextReview: string | null;
}

/**
 * Working together for many people in two queries, for lists such as the caseload. Every id asked about has an
 * answer. The caller has already decided the user may see these people (and audits that): this only counts.
 */
export async function workingTogetherFor(tx: Tx, programmeId: string, personIds: readonly string[]): Promise<Map<string, WorkingTogether>> {
  if (personIds.length === 0) return new Map();
  const counts = new Map((await countStepsByOwnerKind(tx, programmeId, personIds)).map((r) => [r.person_id, r]));
  const reviews = new Map((await selectNextReviews(tx, programmeId, personIds)).map((r) => [r.person_id, r.review_on]));
  return new Map(
    personIds.map((id) => {
      const c = counts.get(id);
      return [
        id,
        {
          thinkingNatural: thinkingNaturalShare({ natural: Number(c?.natural ?? 0), services: Number(c?.services ?? 0) }),
          openSteps: Number(c?.open ?? 0),
          nextReview: reviews.get(id) ?? null,
        },
      ];
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the agreement and steps

export interface AgreementVersion {
  id: string;
  versionNumber: number;
  workingOn: string;
  whoDoesWhat: string;
  keepingInTouch: string;
  reviewOn: string | null;
  agreedOn: string;
  recordedByName: string;
  recordedAt: Date;
}

export interface Step {
  id: string;
  question: StepQuestion;
  what: string;
  owner: string;
  status: StepStatus;
  aimingFor: string | null;
  version: number;
  updatedByName: string;
  updatedAt: Date;
}

export interface StepGroup {
  question: StepQuestion;
  heading: string;
  steps: Step[];
}

/** Everything the agreement pages show about one person. */
export interface AgreementRecord {
  person: PersonInContext;
  /** What headings call the person: their preferred name, or their name. */
  callName: string;
  /** Newest first; the first is the current agreement. */
  versions: AgreementVersion[];
  current: AgreementVersion | undefined;
  /** The three questions, always in the model's order, each with its steps (possibly none). */
  stepGroups: StepGroup[];
  thinkingNatural: ThinkingNatural;
}

type AgreementRow = Awaited<ReturnType<typeof selectAgreementVersions>>[number];
type StepRow = Awaited<ReturnType<typeof selectSteps>>[number];

function toAgreementVersion(r: AgreementRow): AgreementVersion {
  return {
    id: r.id,
    versionNumber: r.version_number,
    workingOn: r.working_on,
    whoDoesWhat: r.who_does_what,
    keepingInTouch: r.keeping_in_touch,
    reviewOn: r.review_on,
    agreedOn: r.agreed_on,
    recordedByName: r.recorded_by_name,
    recordedAt: r.created_at,
  };
}

function toStep(r: StepRow): Step {
  return {
    id: r.id,
    question: r.question,
    what: r.what,
    owner: r.owner,
    status: r.status,
    aimingFor: r.aiming_for,
    version: r.version,
    updatedByName: r.updated_by_name,
    updatedAt: r.updated_at,
  };
}

async function loadRecord(tx: Tx, programmeId: string, person: PersonInContext): Promise<AgreementRecord> {
  const versions = (await selectAgreementVersions(tx, programmeId, person.id)).map(toAgreementVersion);
  const steps = (await selectSteps(tx, programmeId, person.id)).map(toStep);
  const name = callName(person);
  const headings = questionHeadings(name);
  return {
    person,
    callName: name,
    versions,
    current: versions[0],
    stepGroups: STEP_QUESTIONS.map((question) => ({
      question,
      heading: headings[question],
      steps: steps.filter((s) => s.question === question),
    })),
    thinkingNatural: thinkingNaturalShare(countByOwnerKind(steps)),
  };
}

export type AgreementAccess = { action: 'agreement.read' | 'agreement.print'; permission: 'person.read' } | { action: 'agreement.read'; permission: 'person.update' };

/**
 * A person's shared agreement (every version) and steps, read through withPerson: one audit row for the access.
 * `access` says why: reading the page, printing it for the person, or opening a form to change it.
 */
export async function getAgreementRecord(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  access: AgreementAccess,
  requestId: string,
): Promise<AgreementRecord | undefined> {
  return withPerson(deps, user, personId, access, requestId, (tx, person) => loadRecord(tx, user.programme.id, person));
}

// ---------------------------------------------------------------------------------------------------------------
// Agreeing a new version

export type AgreeResult =
  | { kind: 'agreed'; versionNumber: number }
  /** The form did not pass validation: nothing saved; the record to show the form again with. */
  | { kind: 'invalid'; record: AgreementRecord }
  /** Someone agreed a newer version after this form was filled in from an older one. */
  | { kind: 'conflict'; record: AgreementRecord; latest: AgreementVersion };

/**
 * Records a new version of the shared agreement. The person is looked up (and the access audited) before the
 * form is judged, so a refused user learns nothing from validation. The one-time form token makes a double
 * submission land on the version the first one made.
 */
export async function agreeSharedAgreement(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  input: AgreementInput | null,
  requestId: string,
): Promise<AgreeResult | undefined> {
  const programmeId = user.programme.id;
  const attempt = () =>
    withPerson(deps, user, personId, { action: 'agreement.create', permission: 'person.update' }, requestId, async (tx, person, note): Promise<AgreeResult> => {
      if (input === null) {
        note.failed(formProblems());
        return { kind: 'invalid', record: await loadRecord(tx, programmeId, person) };
      }
      const already = await selectAgreementVersionByFormToken(tx, programmeId, personId, input.formToken);
      if (already !== undefined) return { kind: 'agreed', versionNumber: already };
      const latest = await selectLatestAgreementVersionNumber(tx, programmeId, personId);
      if (latest !== input.basedOn) {
        const record = await loadRecord(tx, programmeId, person);
        if (record.current !== undefined) {
          note.failed(CHANGED_MEANWHILE);
          return { kind: 'conflict', record, latest: record.current };
        }
      }
      const versionNumber = latest + 1;
      await insertAgreementVersion(tx, {
        programmeId,
        personId,
        versionNumber,
        workingOn: input.workingOn,
        whoDoesWhat: input.whoDoesWhat,
        keepingInTouch: input.keepingInTouch,
        reviewOn: input.reviewOn,
        agreedOn: input.agreedOn,
        recordedBy: user.id,
        formToken: input.formToken,
        at: deps.clock.now(),
      });
      note.add({ versionNumber });
      return { kind: 'agreed', versionNumber };
    });
  return onceMoreIfRaced(attempt);
}


// ---------------------------------------------------------------------------------------------------------------
// Steps

export type AddStepResult = { kind: 'added'; stepId: string } | { kind: 'invalid'; record: AgreementRecord };

export async function addStep(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  input: NewStepInput | null,
  requestId: string,
): Promise<AddStepResult | undefined> {
  const programmeId = user.programme.id;
  const attempt = () =>
    withPerson(deps, user, personId, { action: 'step.create', permission: 'person.update' }, requestId, async (tx, person, note): Promise<AddStepResult> => {
      if (input === null) {
        note.failed(formProblems());
        return { kind: 'invalid', record: await loadRecord(tx, programmeId, person) };
      }
      const already = await selectStepIdByFormToken(tx, programmeId, personId, input.formToken);
      if (already !== undefined) return { kind: 'added', stepId: already };
      const stepId = await insertStep(tx, {
        programmeId,
        personId,
        question: input.question,
        what: input.what,
        owner: input.owner,
        status: input.status,
        aimingFor: input.aimingFor,
        formToken: input.formToken,
        by: user.id,
        at: deps.clock.now(),
      });
      note.add({ stepId });
      return { kind: 'added', stepId };
    });
  return onceMoreIfRaced(attempt);
}

export type ChangeStepResult =
  | { kind: 'changed'; stepId: string }
  /** The form did not say which step (or which version of it): nothing to show but the list of steps. */
  | { kind: 'no-step'; record: AgreementRecord }
  /** No such step for this person: not found, as if the address were wrong. */
  | { kind: 'not-found' }
  | { kind: 'invalid'; record: AgreementRecord; step: Step }
  /** Someone saved the step after this form was filled in: theirs is `step`, as it is now. */
  | { kind: 'conflict'; record: AgreementRecord; step: Step };

/**
 * Changes a step's status or details, refusing a save made from a version someone else has since changed. The
 * step's id comes from the form and must be one of this person's steps.
 */
export async function changeStep(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  ref: { stepId: string; version: number } | null,
  input: StepChangeInput | null,
  requestId: string,
): Promise<ChangeStepResult | undefined> {
  const programmeId = user.programme.id;
  return withPerson(deps, user, personId, { action: 'step.update', permission: 'person.update' }, requestId, async (tx, person, note): Promise<ChangeStepResult> => {
    if (ref === null) {
      note.failed({ reason: 'no step named' });
      return { kind: 'no-step', record: await loadRecord(tx, programmeId, person) };
    }
    const notThisPersons = { stepId: ref.stepId, reason: "not one of this person's steps" };
    const row = await selectStep(tx, programmeId, personId, ref.stepId);
    if (row === undefined) {
      note.denied(notThisPersons);
      return { kind: 'not-found' };
    }
    note.add({ stepId: ref.stepId });
    if (input === null) {
      note.failed(formProblems());
      return { kind: 'invalid', record: await loadRecord(tx, programmeId, person), step: toStep(row) };
    }
    const saved = await updateStep(tx, { programmeId, personId, stepId: ref.stepId, version: ref.version }, { ...input, by: user.id, at: deps.clock.now() });
    if (saved) return { kind: 'changed', stepId: ref.stepId };
    // Read again: the step as the other person left it, to show beside this person's version.
    const now = await selectStep(tx, programmeId, personId, ref.stepId);
    if (now === undefined) {
      note.denied(notThisPersons);
      return { kind: 'not-found' };
    }
    note.failed(CHANGED_MEANWHILE);
    return { kind: 'conflict', record: await loadRecord(tx, programmeId, person), step: toStep(now) };
  });
}
