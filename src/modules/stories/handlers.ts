import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, seeOther, signedInUser } from '../../core/http/context.ts';
import { dateParts, type FormErrors, formValues, type FormValues, parseForm, ukToday, UNREADABLE_FORM } from '../../core/http/forms.ts';
import { render } from '../../core/http/render.ts';
import { poundsText } from '../../core/money.ts';
import {
  DECISION_OPTIONS,
  DECISION_TEXT,
  HOW_TEXT,
  STATUS_TEXT,
  consentSchema,
  newStorySchema,
  personRefSchema,
  storyChangeSchema,
  storyIdSchema,
  type StoryChangeInput,
} from './schemas.ts';
import {
  changeStory,
  createStory,
  getConsentPage,
  getNewStoryPage,
  getStoryPage,
  listPeopleWithConsent,
  listStories,
  recordConsent,
  type ConsentPage,
  type Story,
  type StoryDraft,
} from './service.ts';
import { CONSENT_HOWS } from './tables.ts';
import { NO_PERSON } from '../people/paths.ts';

const VIEWS = 'modules/stories/views';
const NO_STORY = 'There is no such story.';
const LABELS = { decisionText: DECISION_TEXT, decisionOptions: DECISION_OPTIONS, howText: HOW_TEXT, statusText: STATUS_TEXT };

function idOf(request: FastifyRequest, notFound: string): string {
  const parsed = storyIdSchema.safeParse(request.params);
  if (!parsed.success) throw new HttpError(404, notFound);
  return parsed.data.id;
}

function noticeOf(request: FastifyRequest, notices: Record<string, string>): string | undefined {
  const query = request.query as Record<string, unknown>;
  const key = Object.keys(notices).find((k) => query[k] === '1');
  return key === undefined ? undefined : notices[key];
}

// ---------------------------------------------------------------------------------------------------------------
// Consent, on the person's record

function showConsentPage(request: FastifyRequest, reply: FastifyReply, page: ConsentPage, values: FormValues, extra: { errors?: FormErrors | undefined; conflict?: boolean }, statusCode: number) {
  const hows = CONSENT_HOWS.map((value) => ({ value, text: HOW_TEXT[value] }));
  const notice = noticeOf(request, { recorded: 'Their decision is recorded' });
  return render(request, reply, `${VIEWS}/consent.njk`, { ...page, ...LABELS, hows, values, ...extra, notice }, statusCode);
}

function freshConsentValues(page: ConsentPage): FormValues {
  const today = dateParts(page.today);
  return {
    formToken: randomUUID(),
    basedOn: String(page.consent.history.length),
    'decidedOn-day': today.day,
    'decidedOn-month': today.month,
    'decidedOn-year': today.year,
  };
}

export async function showConsent(request: FastifyRequest, reply: FastifyReply) {
  const page = await getConsentPage(request.server.deps, signedInUser(request), idOf(request, NO_PERSON), request.id);
  if (page === undefined) throw new HttpError(404, NO_PERSON);
  return showConsentPage(request, reply, page, freshConsentValues(page), {}, 200);
}

export async function saveConsent(request: FastifyRequest, reply: FastifyReply) {
  const personId = idOf(request, NO_PERSON);
  const { deps } = request.server;
  const form = parseForm(consentSchema(ukToday(deps.clock.now())), request.body);
  const result = await recordConsent(deps, signedInUser(request), personId, form, request.id);
  if (result === undefined) throw new HttpError(404, NO_PERSON);
  const values = formValues(request.body);
  switch (result.kind) {
    case 'saved':
      return seeOther(reply, `/people/${personId}/story-consent?recorded=1`);
    case 'invalid':
      return showConsentPage(request, reply, result.page, values, { errors: result.errors ?? (form.ok ? undefined : form.errors) }, 400);
    case 'conflict':
      // What they typed, against the decisions now on record.
      return showConsentPage(request, reply, result.page, { ...values, basedOn: String(result.page.consent.history.length) }, { conflict: true }, 409);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The list, and building a story

export async function showStories(request: FastifyRequest, reply: FastifyReply) {
  const list = await listStories(request.server.deps, signedInUser(request), request.id);
  return render(request, reply, `${VIEWS}/stories.njk`, { ...list, ...LABELS });
}

function draftValues(draft: StoryDraft): FormValues {
  return {
    initial: draft.initial,
    age: draft.age,
    whatMattered: draft.whatMattered,
    whatHappened: draft.whatHappened,
    costsAvoided: draft.costsAvoided ?? '',
    costsText: draft.costsText ?? '',
    status: 'draft',
  };
}

interface FormView {
  action: string;
  back: string;
  personName: string;
  values: FormValues;
  story?: Story;
  ageYears?: number | null;
  costsFromRecord?: boolean;
  errors?: FormErrors | undefined;
  conflict?: ReturnType<typeof storyConflict>;
}

function showForm(request: FastifyRequest, reply: FastifyReply, view: FormView, statusCode: number) {
  return render(request, reply, `${VIEWS}/story-form.njk`, { ...view, ...LABELS }, statusCode);
}

function showNoConsent(request: FastifyRequest, reply: FastifyReply, person: { id: string; name: string }, consent: ConsentPage['consent'], statusCode: number) {
  return render(request, reply, `${VIEWS}/no-consent.njk`, { person, consent, ...LABELS }, statusCode);
}

/** /stories/new: the people whose consent is in force to choose from, or (?person=…) the form for one of them. */
export async function newStory(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const { deps } = request.server;
  const query = request.query as Record<string, unknown>;
  if (query.person === undefined) {
    const people = await listPeopleWithConsent(deps, user, request.id);
    return render(request, reply, `${VIEWS}/choose.njk`, { people });
  }
  const parsed = personRefSchema.safeParse(query);
  if (!parsed.success) throw new HttpError(404, NO_PERSON);
  const page = await getNewStoryPage(deps, user, parsed.data.person, request.id);
  if (page === undefined) throw new HttpError(404, NO_PERSON);
  if (page.kind === 'no-consent') return showNoConsent(request, reply, page.person, page.consent, 200);
  const values = { ...draftValues(page.draft), formToken: randomUUID(), person: page.person.id };
  const view = { action: '/stories', back: `/people/${page.person.id}`, personName: page.person.name, ageYears: page.ageYears, costsFromRecord: page.costsFromRecord };
  return showForm(request, reply, { ...view, values }, 200);
}

export async function createStoryHandler(request: FastifyRequest, reply: FastifyReply) {
  const user = signedInUser(request);
  const values = formValues(request.body);
  const person = personRefSchema.safeParse(values);
  if (!person.success) throw new HttpError(400, UNREADABLE_FORM);
  const form = parseForm(newStorySchema, request.body);
  const result = await createStory(request.server.deps, user, person.data.person, form, request.id);
  if (result === undefined) throw new HttpError(404, NO_PERSON);
  switch (result.kind) {
    case 'created':
      return seeOther(reply, `/stories/${result.storyId}?created=1`);
    case 'no-consent':
      return showNoConsent(request, reply, result.person, result.consent, 400);
    case 'invalid': {
      const errors = result.errors ?? (form.ok ? undefined : form.errors);
      const view = { action: '/stories', back: `/people/${result.person.id}`, personName: result.person.name };
      return showForm(request, reply, { ...view, values, errors }, 400);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One story, and changing it

export async function showStory(request: FastifyRequest, reply: FastifyReply) {
  const page = await getStoryPage(request.server.deps, signedInUser(request), idOf(request, NO_STORY), request.id);
  if (page === undefined) throw new HttpError(404, NO_STORY);
  const notice = noticeOf(request, { created: 'Story saved', saved: 'Changes saved' });
  const costs = page.story.costsAvoided === null ? null : poundsText(page.story.costsAvoided);
  return render(request, reply, `${VIEWS}/story.njk`, { ...page, costs, notice, ...LABELS });
}

function storyValues(story: Story): FormValues {
  return {
    version: String(story.version),
    initial: story.initial,
    age: story.age,
    whatMattered: story.whatMattered,
    whatHappened: story.whatHappened,
    costsAvoided: story.costsAvoided ?? '',
    costsText: story.costsText ?? '',
    status: story.status === 'ready' ? 'ready' : 'draft',
  };
}

/** The story in words, one row per question: for the edit-conflict banner. */
function describe(s: Pick<StoryChangeInput, 'initial' | 'age' | 'whatMattered' | 'whatHappened' | 'costsAvoided' | 'costsText'> & { status: string }) {
  return [
    { label: 'Initial', text: s.initial },
    { label: 'Age', text: s.age },
    { label: 'What mattered', text: s.whatMattered },
    { label: 'What happened', text: s.whatHappened },
    { label: 'Indicative costs avoided', text: s.costsAvoided === null ? '' : poundsText(s.costsAvoided) },
    { label: 'What the costs are', text: s.costsText ?? '' },
    { label: 'Status', text: STATUS_TEXT[s.status as keyof typeof STATUS_TEXT] },
  ];
}

function storyConflict(theirs: Story, yours: StoryChangeInput) {
  const mine = describe(yours);
  return {
    changedBy: theirs.updatedByName,
    changedAt: theirs.updatedAt,
    rows: describe({ ...theirs, status: theirs.shownStatus }).map((row, i) => ({ label: row.label, theirs: row.text, yours: mine[i]?.text ?? '' })),
  };
}

const storyPath = (id: string) => `/stories/${id}`;

export async function showStoryChange(request: FastifyRequest, reply: FastifyReply) {
  const storyId = idOf(request, NO_STORY);
  const page = await getStoryPage(request.server.deps, signedInUser(request), storyId, request.id);
  if (page === undefined) throw new HttpError(404, NO_STORY);
  if (!page.consent.given) return seeOther(reply, storyPath(storyId));
  const view = { action: `${storyPath(storyId)}/change`, back: storyPath(storyId), personName: page.story.personName, story: page.story };
  return showForm(request, reply, { ...view, values: storyValues(page.story) }, 200);
}

export async function saveStoryChange(request: FastifyRequest, reply: FastifyReply) {
  const storyId = idOf(request, NO_STORY);
  const values = formValues(request.body);
  const form = parseForm(storyChangeSchema, request.body);
  const result = await changeStory(request.server.deps, signedInUser(request), storyId, form, request.id);
  if (result === undefined) throw new HttpError(404, NO_STORY);
  if (result.kind === 'saved') return seeOther(reply, `${storyPath(storyId)}?saved=1`);
  const { story, consent } = result.page;
  if (result.kind === 'no-consent') return showNoConsent(request, reply, { id: story.personId, name: story.personName }, consent, 400);
  const view = { action: `${storyPath(storyId)}/change`, back: storyPath(storyId), personName: story.personName, story };
  if (result.kind === 'invalid') return showForm(request, reply, { ...view, values, errors: result.errors ?? (form.ok ? undefined : form.errors) }, 400);
  // What this manager typed, now against the version they have just been shown.
  return showForm(request, reply, { ...view, values: { ...values, version: String(story.version) }, conflict: storyConflict(story, result.yours) }, 409);
}
