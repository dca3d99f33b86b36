import type { CurrentUser } from '../../core/auth/can.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { withPerson, type AccessNote, type PersonInContext } from '../people/access.ts';
import {
  countPeopleByAreaAndTheme,
  insertVision,
  saveThemeChoicesVersion,
  saveWhatMattersVersion,
  selectPersonThemes,
  selectProgrammeAreas,
  selectThemeChoices,
  selectVisions,
  selectWhatMatters,
} from './queries.ts';
import type { ThemesInput, VisionInput, WhatMattersInput } from './schemas.ts';
import { THEME_CODES, THEME_LABELS, type ThemeCode } from './themes.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export interface VisionVersion {
  id: string;
  words: string;
  saidOn: string;
  recordedByName: string;
  recordedAt: Date;
}

/** What matters to them and their gifts; version 0 (and no one) when nothing has been written down yet. */
export interface WhatMatters {
  whatMatters: string | null;
  gifts: string | null;
  skills: string | null;
  interests: string | null;
  experience: string | null;
  version: number;
  updatedByName: string | null;
  updatedAt: Date | null;
}

/** The themes they want to change, in the list's order; version 0 when none has ever been chosen. */
export interface ThemeChoices {
  themes: { code: ThemeCode; note: string | null }[];
  version: number;
  updatedByName: string | null;
  updatedAt: Date | null;
}

export interface AboutPage {
  person: PersonInContext;
  /** The current vision first, then the earlier ones. */
  visions: VisionVersion[];
  whatMatters: WhatMatters;
  themes: ThemeChoices;
}

async function loadVisions(tx: Tx, programmeId: string, personId: string): Promise<VisionVersion[]> {
  const rows = await selectVisions(tx, programmeId, personId);
  return rows.map((r) => ({ id: r.id, words: r.words, saidOn: r.said_on, recordedByName: r.recorded_by_name, recordedAt: r.created_at }));
}

async function loadWhatMatters(tx: Tx, programmeId: string, personId: string): Promise<WhatMatters> {
  const row = await selectWhatMatters(tx, programmeId, personId);
  return {
    whatMatters: row?.what_matters ?? null,
    gifts: row?.gifts ?? null,
    skills: row?.skills ?? null,
    interests: row?.interests ?? null,
    experience: row?.experience ?? null,
    version: row?.version ?? 0,
    updatedByName: row?.updated_by_name ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

async function loadThemeChoices(tx: Tx, programmeId: string, personId: string): Promise<ThemeChoices> {
  const header = await selectThemeChoices(tx, programmeId, personId);
  const rows = await selectPersonThemes(tx, programmeId, personId);
  const notes = new Map(rows.map((r) => [r.theme, r.note]));
  return {
    themes: THEME_CODES.filter((code) => notes.has(code)).map((code) => ({ code, note: notes.get(code) ?? null })),
    version: header?.version ?? 0,
    updatedByName: header?.updated_by_name ?? null,
    updatedAt: header?.updated_at ?? null,
  };
}

/** For the person's overview: their vision as they said it last, and the themes they want to change. */
export interface VisionSummary {
  latest: VisionVersion | undefined;
  themes: string[];
}

/** The summary for the overview. The caller (the overview, through withPerson) has checked and audited access. */
export async function visionSummary(tx: Tx, programmeId: string, personId: string): Promise<VisionSummary> {
  const [latest] = await loadVisions(tx, programmeId, personId);
  const { themes } = await loadThemeChoices(tx, programmeId, personId);
  return { latest, themes: themes.map((t) => THEME_LABELS[t.code]) };
}

/** The "Vision, gifts and what matters" page: everything this module keeps about the person. */
export async function getAboutPage(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<AboutPage | undefined> {
  return withPerson(deps, user, personId, { action: 'about.read', permission: 'person.read' }, requestId, async (tx, person) => ({
    person,
    visions: await loadVisions(tx, user.programme.id, person.id),
    whatMatters: await loadWhatMatters(tx, user.programme.id, person.id),
    themes: await loadThemeChoices(tx, user.programme.id, person.id),
  }));
}

export interface VisionForm {
  person: PersonInContext;
  /** The vision as it stands, shown beside the form so the new version can start from it. */
  current: VisionVersion | undefined;
}

/** The page for recording a new version of their vision. */
export async function getVisionForm(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<VisionForm | undefined> {
  return withPerson(deps, user, personId, { action: 'vision.read', permission: 'person.read' }, requestId, async (tx, person) => ({
    person,
    current: (await loadVisions(tx, user.programme.id, person.id))[0],
  }));
}

/**
 * What a save found. A form that did not validate (input undefined) still goes through the person's record
 * first, so someone who may not see the person learns nothing from the form's messages.
 */
export type SaveResult<Form> = { kind: 'saved' } | { kind: 'invalid'; form: Form } | { kind: 'conflict'; form: Form };

/** A form that was not saved: it had problems (no input), or someone else saved first; the access row says which. */
function notSaved<Form>(note: AccessNote, input: object | undefined, form: Form): SaveResult<Form> {
  if (input === undefined) {
    note.failed(formProblems());
    return { kind: 'invalid', form };
  }
  note.failed(CHANGED_MEANWHILE);
  return { kind: 'conflict', form };
}

/**
 * Adds a new version of their vision; earlier versions are kept as they were. The form's one-time token makes a
 * double submission add one version.
 */
export async function recordVision(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  input: VisionInput | undefined,
  requestId: string,
): Promise<Exclude<SaveResult<VisionForm>, { kind: 'conflict' }> | undefined> {
  return withPerson(deps, user, personId, { action: 'vision.create', permission: 'person.update' }, requestId, async (tx, person, note) => {
    if (input === undefined) {
      note.failed(formProblems());
      return { kind: 'invalid', form: { person, current: (await loadVisions(tx, user.programme.id, person.id))[0] } };
    }
    await insertVision(tx, {
      programmeId: user.programme.id,
      personId: person.id,
      words: input.words,
      saidOn: input.saidOn,
      recordedBy: user.id,
      formToken: input.formToken,
      at: deps.clock.now(),
    });
    return { kind: 'saved' };
  });
}

export interface WhatMattersForm {
  person: PersonInContext;
  /** As saved now: on a conflict, the version someone else saved first. */
  current: WhatMatters;
}

export async function getWhatMattersForm(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<WhatMattersForm | undefined> {
  return withPerson(deps, user, personId, { action: 'what-matters.read', permission: 'person.read' }, requestId, async (tx, person) => ({
    person,
    current: await loadWhatMatters(tx, user.programme.id, person.id),
  }));
}

/** Saves what matters to them and their gifts over the version the form was opened on, or reports a conflict. */
export async function saveWhatMatters(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  input: WhatMattersInput | undefined,
  requestId: string,
): Promise<SaveResult<WhatMattersForm> | undefined> {
  return withPerson(deps, user, personId, { action: 'what-matters.update', permission: 'person.update' }, requestId, async (tx, person, note) => {
    if (input !== undefined) {
      const saved = await saveWhatMattersVersion(
        tx,
        { programmeId: user.programme.id, personId: person.id, ...input, updatedBy: user.id, at: deps.clock.now() },
        input.version,
      );
      if (saved) return { kind: 'saved' };
    }
    return notSaved(note, input, { person, current: await loadWhatMatters(tx, user.programme.id, person.id) });
  });
}

export interface ThemesForm {
  person: PersonInContext;
  current: ThemeChoices;
}

export async function getThemesForm(deps: Deps, user: CurrentUser, personId: string, requestId: string): Promise<ThemesForm | undefined> {
  return withPerson(deps, user, personId, { action: 'themes.read', permission: 'person.read' }, requestId, async (tx, person) => ({
    person,
    current: await loadThemeChoices(tx, user.programme.id, person.id),
  }));
}

/** Replaces the themes they want to change, over the version the form was opened on, or reports a conflict. */
export async function saveThemes(
  deps: Deps,
  user: CurrentUser,
  personId: string,
  input: ThemesInput | undefined,
  requestId: string,
): Promise<SaveResult<ThemesForm> | undefined> {
  return withPerson(deps, user, personId, { action: 'themes.update', permission: 'person.update' }, requestId, async (tx, person, note) => {
    if (input !== undefined) {
      const saved = await saveThemeChoicesVersion(
        tx,
        { programmeId: user.programme.id, personId: person.id, themes: input.themes, updatedBy: user.id, at: deps.clock.now() },
        input.version,
      );
      if (saved) return { kind: 'saved' };
    }
    return notSaved(note, input, { person, current: await loadThemeChoices(tx, user.programme.id, person.id) });
  });
}

export interface ThemeCountsForArea {
  areaId: string;
  areaName: string;
  /** People in the area with each theme chosen now; every theme present, 0 when nobody chose it. */
  people: Record<ThemeCode, number>;
}

/**
 * For reports ("themes people want to change", by area): raw counts of people, one entry per area of the
 * programme, whatever each person's status. Aggregate only; disclosure control (suppressing small numbers,
 * rounding) is for the page that publishes them.
 */
export async function countThemesByArea(deps: Pick<AppDeps, 'db'>, programmeId: string): Promise<ThemeCountsForArea[]> {
  return inTransaction(deps.db, { programmeId, userId: null }, async (tx) => {
    const areas = await selectProgrammeAreas(tx, programmeId);
    const counts = await countPeopleByAreaAndTheme(tx, programmeId);
    return areas.map((area) => {
      const people = Object.fromEntries(THEME_CODES.map((code) => [code, 0])) as Record<ThemeCode, number>;
      for (const c of counts) if (c.area_id === area.id) people[c.theme] = Number(c.people);
      return { areaId: area.id, areaName: area.name, people };
    });
  });
}
