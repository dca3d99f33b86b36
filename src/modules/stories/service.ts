import { audited, CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { Decimal } from 'decimal.js';
import { scopeOf } from '../../core/auth/acting.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormErrors, type FormResult } from '../../core/http/forms.ts';
import { poundsText } from '../../core/money.ts';
import { grossValue } from '../impact/calculations.ts';
import { ageNow } from '../people/dates.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import { THEME_CODES, THEME_LABELS, type ThemeCode } from '../vision/themes.ts';
import { ageBand, anonymise, identifyingIn, identifyingWords, initialOf, type Identifying } from './anonymise.ts';
import {
  consentFormTokenUsed,
  insertConsent,
  insertStory,
  selectConnectedPeople,
  selectConsents,
  selectDoneSteps,
  selectJoinedAssets,
  selectLatestVision,
  selectNamedPeople,
  selectPeopleWithConsent,
  selectReportStories,
  selectStories,
  selectStory,
  selectStoryFacts,
  selectStoryIdByFormToken,
  selectStoryPersonId,
  selectThemeCodes,
  selectVerifiedAvoided,
  selectWhatMattersText,
  updateStory,
  withdrawStoriesOf,
  type StoryContent,
} from './queries.ts';
import type { ConsentInput, NewStoryInput, StoryChangeInput } from './schemas.ts';
import type { ConsentDecision, ConsentHow, StoryStatus } from './tables.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

// ---------------------------------------------------------------------------------------------------------------
// Consent to share a story: part of the person's record

export interface Consent {
  id: string;
  decision: ConsentDecision;
  decidedOn: string;
  how: ConsentHow;
  note: string | null;
  recordedAt: Date;
  recordedByName: string;
}

export interface ConsentState {
  /** Every decision, the one in force first. */
  history: Consent[];
  inForce: Consent | undefined;
  given: boolean;
}

/** Their decisions, the one in force first. The caller has opened the person's record (see withPerson). */
export async function consentOf(tx: Tx, programmeId: string, personId: string): Promise<ConsentState> {
  const history = await selectConsents(tx, programmeId, personId);
  const [inForce] = history;
  return { history, inForce, given: inForce?.decision === 'given' };
}

/** What can be recorded next: a consent in force can only be withdrawn; otherwise they agree, or would rather not. */
export function consentChoices(state: ConsentState): ConsentDecision[] {
  return state.given ? ['withdrawn'] : ['given', 'not_given'];
}

export interface ConsentPage {
  person: PersonInContext;
  consent: ConsentState;
  choices: ConsentDecision[];
  today: string;
}

async function consentPage(deps: Deps, tx: Tx, user: CurrentUser, person: PersonInContext): Promise<ConsentPage> {
  const consent = await consentOf(tx, user.programme.id, person.id);
  return { person, consent, choices: consentChoices(consent), today: ukToday(deps.clock.now()) };
}

/** Their consent to share a story: the decision in force and every earlier one, with the form for the next. */
export async function getConsentPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<ConsentPage | undefined> {
  return withPerson(deps, user, personId, { action: 'story-consent.read', permission: 'person.read' }, requestId, (tx, person) =>
    consentPage(deps, tx, user, person),
  );
}

export type RecordConsentResult =
  | { kind: 'saved'; decision: ConsentDecision }
  | { kind: 'invalid'; page: ConsentPage; errors: FormErrors | undefined }
  /** Someone recorded a decision since the form was opened: nothing saved; the page shows theirs. */
  | { kind: 'conflict'; page: ConsentPage };

/**
 * Records what the person decided, kept as history. A withdrawal takes every story written from their record out
 * of the report in the same transaction. The same form sent twice records once; a form opened before someone
 * else's decision is refused.
 */
export async function recordConsent(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<ConsentInput>,
  requestId: string,
): Promise<RecordConsentResult | undefined> {
  const attempt = () =>
    withPerson(deps, user, personId, { action: 'story-consent.record', permission: 'person.update' }, requestId, async (tx, person, note) => {
      const programmeId = user.programme.id;
      if (form.ok && (await consentFormTokenUsed(tx, programmeId, personId, form.data.formToken))) {
        return { kind: 'saved' as const, decision: form.data.decision };
      }
      const page = await consentPage(deps, tx, user, person);
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid' as const, page, errors: undefined };
      }
      const input = form.data;
      if (input.basedOn !== page.consent.history.length) {
        note.failed(CHANGED_MEANWHILE);
        return { kind: 'conflict' as const, page };
      }
      const errors: FormErrors = {};
      if (!page.choices.includes(input.decision)) errors.decision = 'Select one of the choices shown';
      const since = page.consent.inForce?.decidedOn;
      if (since !== undefined && input.decidedOn < since) errors.decidedOn = 'The date they decided must be on or after the date of their last decision';
      if (Object.keys(errors).length > 0) {
        note.failed({ reason: 'form had problems', fields: Object.keys(errors) });
        return { kind: 'invalid' as const, page, errors };
      }
      const at = deps.clock.now();
      await insertConsent(tx, { programmeId, personId, ...input, by: user.id, at });
      note.add({ decision: input.decision });
      if (input.decision === 'withdrawn') note.add({ storiesWithdrawn: await withdrawStoriesOf(tx, { programmeId, personId, by: user.id, at }) });
      return { kind: 'saved' as const, decision: input.decision };
    });
  return onceMoreIfRaced(attempt);
}

// ---------------------------------------------------------------------------------------------------------------
// What a story is built from

/** A story as the form shows it: prefilled from the record, then the manager's. */
export interface StoryDraft {
  initial: string;
  age: string;
  whatMattered: string;
  whatHappened: string;
  costsAvoided: string | null;
  costsText: string | null;
}

const QUESTION_HEADINGS = {
  gifts: 'With their own gifts, skills and experience',
  community: 'With family, friends, neighbours and community',
  services: 'With services',
} as const;

/** What in this person's record a story must not say (names, address, contact details, date of birth). */
async function identifyingFor(tx: Tx, programmeId: string, personId: string, initial: string): Promise<Identifying[]> {
  const facts = await selectStoryFacts(tx, programmeId, personId);
  return identifyingWords(
    {
      ...facts,
      namedPeople: await selectNamedPeople(tx, programmeId, personId),
      connectedPeople: await selectConnectedPeople(tx, programmeId, personId),
    },
    initial,
  );
}

const lines = (heading: string, items: readonly string[]) => (items.length === 0 ? [] : [`${heading}:`, ...items.map((i) => `- ${i}`), '']);

/**
 * Indicative costs avoided: the person's verified avoided outcomes (fiscal values, as priced when recorded), with
 * what they are. The caller has opened the person's record (or is a seed, as the owner).
 */
export async function indicativeCostsFromRecord(tx: Tx, programmeId: string, personId: string): Promise<{ amount: string | null; text: string | null }> {
  const priced = (await selectVerifiedAvoided(tx, programmeId, personId)).flatMap((o) =>
    o.fiscalValue === null ? [] : [{ ...o, value: grossValue({ quantity: o.quantity, unitValue: o.fiscalValue, ...(o.duration === null ? {} : { duration: o.duration }), likelihood: o.likelihood }) }],
  );
  if (priced.length === 0) return { amount: null, text: null };
  const total = priced.reduce((sum, o) => sum.plus(o.value), new Decimal(0));
  const items = priced.map((o) => `${o.description} (${poundsText(o.value)} at ${o.fiscalPriceYear ?? 'recorded'} prices)`);
  // A library's attribution where its licence asks for one (the GMCA's, CC BY), otherwise its name.
  const sources = [...new Set(priced.map((o) => o.attribution ?? o.libraryName))].join('; ');
  return { amount: total.toFixed(2), text: `Verified avoided outcomes: ${items.join('; ')}. Unit costs from ${sources}.` };
}

/** The story as the record tells it, with everything identifying replaced; the manager edits it from here. */
async function draftFromRecord(tx: Tx, programmeId: string, personId: string, today: string): Promise<StoryDraft> {
  const facts = await selectStoryFacts(tx, programmeId, personId);
  const initial = initialOf(facts.name);
  const words = await identifyingFor(tx, programmeId, personId, initial);
  const age = ageNow(facts, today);

  const vision = await selectLatestVision(tx, programmeId, personId);
  const matters = await selectWhatMattersText(tx, programmeId, personId);
  const chosen = new Set(await selectThemeCodes(tx, programmeId, personId));
  const themes = THEME_CODES.filter((c: ThemeCode) => chosen.has(c)).map((c) => THEME_LABELS[c].toLowerCase());
  const gifts = [matters?.gifts, matters?.skills].filter((g): g is string => g !== null && g !== undefined && g.trim() !== '');
  const whatMattered = [
    ...(vision === undefined ? [] : [`In their own words: “${vision}”`]),
    ...(matters?.whatMatters ? [`What matters to them: ${matters.whatMatters}`] : []),
    ...(gifts.length === 0 ? [] : [`Their gifts and skills: ${gifts.join('; ')}`]),
    ...(themes.length === 0 ? [] : [`What they wanted to change: ${themes.join(', ')}`]),
  ].join('\n');

  const steps = await selectDoneSteps(tx, programmeId, personId);
  const assets = await selectJoinedAssets(tx, programmeId, personId);
  const connected = (await selectConnectedPeople(tx, programmeId, personId)).length;
  const whatHappened = [
    ...(['gifts', 'community', 'services'] as const).flatMap((q) =>
      lines(
        QUESTION_HEADINGS[q],
        steps.filter((s) => s.question === q).map((s) => s.what),
      ),
    ),
    ...lines(
      'Community groups and places that became part of their life',
      assets.map((a) => `${a.name}: ${a.what}`),
    ),
    ...(connected === 0 ? [] : [`Connected with ${connected === 1 ? 'another person' : `${connected} other people`} we walk alongside, with both agreeing.`]),
  ]
    .join('\n')
    .trim();

  const costs = await indicativeCostsFromRecord(tx, programmeId, personId);
  return {
    initial,
    age: age === null ? '' : ageBand(age),
    whatMattered: anonymise(whatMattered, words),
    whatHappened: anonymise(whatHappened, words),
    costsAvoided: costs.amount,
    costsText: costs.text === null ? null : anonymise(costs.text, words),
  };
}

const FIELD_WORDS = { age: 'Their age', whatMattered: 'What mattered', whatHappened: 'What happened', costsText: 'What the costs are' } as const;

/** A story that still names someone, or says where they live, is refused: one message per field, naming the word. */
function identifyingProblems(input: StoryContent, words: readonly Identifying[]): FormErrors {
  const errors: FormErrors = {};
  for (const field of Object.keys(FIELD_WORDS) as (keyof typeof FIELD_WORDS)[]) {
    const [found] = identifyingIn(input[field] ?? '', words);
    if (found !== undefined) {
      errors[field] = `${FIELD_WORDS[field]} says “${found.text}”, from their record: the story must not identify anyone. Write, for example, “${found.instead}” instead`;
    }
  }
  return errors;
}

function contentOf(input: NewStoryInput | StoryChangeInput): StoryContent {
  return {
    initial: input.initial,
    age: input.age,
    whatMattered: input.whatMattered,
    whatHappened: input.whatHappened,
    costsAvoided: input.costsAvoided,
    costsText: input.costsText,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Building a story

export type NewStoryPage =
  | { kind: 'form'; person: PersonInContext; draft: StoryDraft; ageYears: number | null; costsFromRecord: boolean }
  /** Their consent is not in force: the page says why, and how to record it. */
  | { kind: 'no-consent'; person: PersonInContext; consent: ConsentState };

/** The story form for a person, prefilled from their record, or why it cannot be built yet. */
export async function getNewStoryPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<NewStoryPage | undefined> {
  return withPerson(deps, user, personId, { action: 'story.prefill', permission: 'person.read' }, requestId, async (tx, person, note) => {
    const programmeId = user.programme.id;
    const consent = await consentOf(tx, programmeId, personId);
    if (!consent.given) {
      note.failed({ reason: 'no consent to share a story' });
      return { kind: 'no-consent' as const, person, consent };
    }
    const today = ukToday(deps.clock.now());
    const draft = await draftFromRecord(tx, programmeId, personId, today);
    return { kind: 'form' as const, person, draft, ageYears: ageNow(await selectStoryFacts(tx, programmeId, personId), today), costsFromRecord: draft.costsAvoided !== null };
  });
}

export type CreateStoryResult =
  | { kind: 'created'; storyId: string }
  | { kind: 'invalid'; person: PersonInContext; errors: FormErrors | undefined }
  | { kind: 'no-consent'; person: PersonInContext; consent: ConsentState };

/** Records a story written from a person's record, only with their consent in force; a double submission records once. */
export async function createStory(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  form: FormResult<NewStoryInput>,
  requestId: string,
): Promise<CreateStoryResult | undefined> {
  const programmeId = user.programme.id;
  const attempt = () =>
    withPerson(deps, user, personId, { action: 'story.create', permission: 'person.update' }, requestId, async (tx, person, note): Promise<CreateStoryResult> => {
      if (form.ok) {
        const existing = await selectStoryIdByFormToken(tx, programmeId, form.data.formToken);
        if (existing !== undefined) return { kind: 'created', storyId: existing };
      }
      const consent = await consentOf(tx, programmeId, personId);
      if (!consent.given) {
        note.failed({ reason: 'no consent to share a story' });
        return { kind: 'no-consent', person, consent };
      }
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', person, errors: undefined };
      }
      const content = contentOf(form.data);
      const errors = identifyingProblems(content, await identifyingFor(tx, programmeId, personId, content.initial));
      if (Object.keys(errors).length > 0) {
        note.failed({ reason: 'story identifies someone', fields: Object.keys(errors) });
        return { kind: 'invalid', person, errors };
      }
      const storyId = await insertStory(tx, { programmeId, personId, status: form.data.status, content, formToken: form.data.formToken, by: user.id, at: deps.clock.now() });
      note.add({ storyId, status: form.data.status });
      return { kind: 'created', storyId };
    });
  return onceMoreIfRaced(attempt);
}

// ---------------------------------------------------------------------------------------------------------------
// One story

export interface Story {
  id: string;
  personId: string;
  personName: string;
  /** As stored; `shownStatus` is what the report does with it. */
  status: StoryStatus;
  /** Withdrawn whenever their consent is not in force, whatever was stored. */
  shownStatus: StoryStatus;
  initial: string;
  age: string;
  whatMattered: string;
  whatHappened: string;
  costsAvoided: string | null;
  costsText: string | null;
  withdrawnAt: Date | null;
  version: number;
  createdAt: Date;
  createdByName: string;
  updatedAt: Date;
  updatedByName: string;
}

type StoryRow = NonNullable<Awaited<ReturnType<typeof selectStory>>>;

function storyOf(row: StoryRow): Story {
  const { consent, ...story } = row;
  return { ...story, shownStatus: consent === 'given' ? story.status : 'withdrawn' };
}

export interface StoryPage {
  story: Story;
  /** Why a withdrawn story is out of the report: the decision in force. */
  consent: ConsentState;
}

/**
 * Opens the record a story was written from, then the story: reading or changing a story is reading or changing
 * what is known about that person, audited on their record. A story that does not exist is still one audit row.
 */
async function withStory<T>(
  deps: Deps,
  user: CurrentUser,
  storyId: string,
  access: { action: string; permission: 'person.read' | 'person.update' },
  requestId: string,
  work: (tx: Tx, page: StoryPage, note: AccessNote) => Promise<T>,
): Promise<T | undefined> {
  const programmeId = user.programme.id;
  const personId = await inTransaction(deps.db, scopeOf(user), (tx) => selectStoryPersonId(tx, programmeId, storyId));
  if (personId === undefined) {
    return audited(deps, user, access.action, requestId, async (_tx, note) => {
      note.denied({ reason: 'no such story', storyId });
      return undefined;
    });
  }
  return withPerson(deps, user, personId, access, requestId, async (tx, _person, note) => {
    const row = await selectStory(tx, programmeId, storyId);
    if (row === undefined || row.personId !== personId) {
      note.denied({ reason: 'no such story', storyId });
      return undefined;
    }
    note.add({ storyId });
    return work(tx, { story: storyOf(row), consent: await consentOf(tx, programmeId, personId) }, note);
  });
}

export async function getStoryPage(deps: Deps, user: CurrentUser, storyId: string, requestId: string): Promise<StoryPage | undefined> {
  return withStory(deps, user, storyId, { action: 'story.read', permission: 'person.read' }, requestId, async (_tx, page) => page);
}

export type ChangeStoryResult =
  | { kind: 'saved' }
  | { kind: 'invalid'; page: StoryPage; errors: FormErrors | undefined }
  | { kind: 'no-consent'; page: StoryPage }
  /** Someone saved first (or consent was withdrawn meanwhile): nothing saved; `page.story` is theirs. */
  | { kind: 'conflict'; page: StoryPage; yours: StoryChangeInput };

/** Saves the manager's edit as the next version, unless stale, identifying, or their consent is not in force. */
export async function changeStory(
  deps: Deps,
  user: CurrentUser,
  storyId: string,
  form: FormResult<StoryChangeInput>,
  requestId: string,
): Promise<ChangeStoryResult | undefined> {
  const programmeId = user.programme.id;
  return withStory(deps, user, storyId, { action: 'story.update', permission: 'person.update' }, requestId, async (tx, page, note): Promise<ChangeStoryResult> => {
    if (!form.ok) {
      note.failed(formProblems(form));
      return { kind: 'invalid', page, errors: undefined };
    }
    const input = form.data;
    const conflict = (): ChangeStoryResult => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, yours: input };
    };
    if (input.version !== page.story.version) return conflict();
    if (!page.consent.given) {
      note.failed({ reason: 'no consent to share a story' });
      return { kind: 'no-consent', page };
    }
    const content = contentOf(input);
    const errors = identifyingProblems(content, await identifyingFor(tx, programmeId, page.story.personId, content.initial));
    if (Object.keys(errors).length > 0) {
      note.failed({ reason: 'story identifies someone', fields: Object.keys(errors) });
      return { kind: 'invalid', page, errors };
    }
    const saved = await updateStory(tx, { programmeId, storyId, expectedVersion: input.version, status: input.status, content, by: user.id, at: deps.clock.now() });
    if (!saved) return conflict();
    note.add({ version: input.version + 1, status: input.status });
    return { kind: 'saved' };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The list, and choosing whose record to build a story from

export interface StoryList {
  drafts: Story[];
  ready: Story[];
  withdrawn: Story[];
}

/** Every story in the programme by where it stands; audited once, with counts. */
export async function listStories(deps: Deps, user: CurrentUser, requestId: string): Promise<StoryList> {
  return audited(deps, user, 'stories.list', requestId, async (tx, note) => {
    const stories = (await selectStories(tx, user.programme.id)).map(storyOf);
    const list = {
      drafts: stories.filter((s) => s.shownStatus === 'draft'),
      ready: stories.filter((s) => s.shownStatus === 'ready'),
      withdrawn: stories.filter((s) => s.shownStatus === 'withdrawn'),
    };
    note.add({ drafts: list.drafts.length, ready: list.ready.length, withdrawn: list.withdrawn.length });
    return list;
  });
}

/** The people whose consent to share a story is in force; audited once, with the count. */
export async function listPeopleWithConsent(deps: Deps, user: CurrentUser, requestId: string): Promise<{ id: string; name: string; areaName: string }[]> {
  return audited(deps, user, 'stories.people', requestId, async (tx, note) => {
    const people = await selectPeopleWithConsent(tx, user.programme.id);
    note.add({ people: people.length });
    return people;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// For the Leadership Group's report

/** A story as the report prints it: nothing that identifies the person, not even an id. */
export interface ReportStory {
  initial: string;
  age: string;
  whatMattered: string;
  whatHappened: string;
  /** Pounds as a decimal string ('7770.00'), or null when none was given. */
  indicativeCostsAvoided: string | null;
  costsText: string | null;
}

/**
 * The stories ready for the report whose person's consent is in force now: a withdrawal takes a story out even if
 * its status was never changed. Only what is printed is read.
 */
export async function storiesForReport(deps: Pick<AppDeps, 'db'>, programmeId: string): Promise<ReportStory[]> {
  const rows = await inTransaction(deps.db, { programmeId, userId: null }, (tx) => selectReportStories(tx, programmeId));
  return rows.map((r) => ({
    initial: r.initial,
    age: r.age,
    whatMattered: r.whatMattered,
    whatHappened: r.whatHappened,
    indicativeCostsAvoided: r.costsAvoided === null ? null : new Decimal(r.costsAvoided).toFixed(2),
    costsText: r.costsText,
  }));
}
