import type { Tx } from '../../core/db/transaction.ts';
import type { ThemeCode } from './themes.ts';

/** Every version of a person's vision, the one they said most recently first. */
export async function selectVisions(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('visions as v')
    .innerJoin('users as u', 'u.id', 'v.recorded_by')
    .select(['v.id', 'v.words', 'v.said_on', 'v.created_at', 'u.name as recorded_by_name'])
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .orderBy('v.said_on', 'desc')
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id', 'desc')
    .execute();
}

export interface NewVisionRow {
  programmeId: string;
  personId: string;
  words: string;
  saidOn: string;
  recordedBy: string;
  formToken: string;
  at: Date;
}

/** A new version. A form token already used (a double submission) adds nothing, also when two race. */
export async function insertVision(tx: Tx, row: NewVisionRow): Promise<boolean> {
  const inserted = await tx
    .insertInto('visions')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      words: row.words,
      said_on: row.saidOn,
      recorded_by: row.recordedBy,
      form_token: row.formToken,
      created_at: row.at,
    })
    .onConflict((oc) => oc.column('form_token').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function selectWhatMatters(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('what_matters as w')
    .innerJoin('users as u', 'u.id', 'w.updated_by')
    .select([
      'w.what_matters',
      'w.gifts',
      'w.skills',
      'w.interests',
      'w.experience',
      'w.version',
      'w.updated_at',
      'u.name as updated_by_name',
    ])
    .where('w.programme_id', '=', programmeId)
    .where('w.person_id', '=', personId)
    .executeTakeFirst();
}

export interface WhatMattersRow {
  programmeId: string;
  personId: string;
  whatMatters: string | null;
  gifts: string | null;
  skills: string | null;
  interests: string | null;
  experience: string | null;
  updatedBy: string;
  at: Date;
}

/**
 * Saves over the version the form was opened on: version 0 means there was no record yet. False when that is no
 * longer the current version (someone else saved first); the row lock makes a racing second save see the first.
 */
export async function saveWhatMattersVersion(tx: Tx, row: WhatMattersRow, openedVersion: number): Promise<boolean> {
  const values = {
    what_matters: row.whatMatters,
    gifts: row.gifts,
    skills: row.skills,
    interests: row.interests,
    experience: row.experience,
    updated_by: row.updatedBy,
    updated_at: row.at,
  };
  const saved =
    openedVersion === 0
      ? await tx
          .insertInto('what_matters')
          .values({ ...values, programme_id: row.programmeId, person_id: row.personId, version: 1 })
          .onConflict((oc) => oc.column('person_id').doNothing())
          .returning('version')
          .executeTakeFirst()
      : await tx
          .updateTable('what_matters')
          .set({ ...values, version: openedVersion + 1 })
          .where('programme_id', '=', row.programmeId)
          .where('person_id', '=', row.personId)
          .where('version', '=', openedVersion)
          .returning('version')
          .executeTakeFirst();
  return saved !== undefined;
}

export async function selectThemeChoices(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('theme_choices as c')
    .innerJoin('users as u', 'u.id', 'c.updated_by')
    .select(['c.version', 'c.updated_at', 'u.name as updated_by_name'])
    .where('c.programme_id', '=', programmeId)
    .where('c.person_id', '=', personId)
    .executeTakeFirst();
}

export async function selectPersonThemes(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('person_themes')
    .select(['theme', 'note'])
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .execute();
}

export interface ThemeChoicesRow {
  programmeId: string;
  personId: string;
  themes: { code: ThemeCode; note: string | null }[];
  updatedBy: string;
  at: Date;
}

/** Like saveWhatMattersVersion, for the themes: the chosen themes replace the old ones only when the version holds. */
export async function saveThemeChoicesVersion(tx: Tx, row: ThemeChoicesRow, openedVersion: number): Promise<boolean> {
  const header = { updated_by: row.updatedBy, updated_at: row.at };
  const saved =
    openedVersion === 0
      ? await tx
          .insertInto('theme_choices')
          .values({ ...header, programme_id: row.programmeId, person_id: row.personId, version: 1 })
          .onConflict((oc) => oc.column('person_id').doNothing())
          .returning('version')
          .executeTakeFirst()
      : await tx
          .updateTable('theme_choices')
          .set({ ...header, version: openedVersion + 1 })
          .where('programme_id', '=', row.programmeId)
          .where('person_id', '=', row.personId)
          .where('version', '=', openedVersion)
          .returning('version')
          .executeTakeFirst();
  if (saved === undefined) return false;
  await tx.deleteFrom('person_themes').where('programme_id', '=', row.programmeId).where('person_id', '=', row.personId).execute();
  if (row.themes.length > 0) {
    await tx
      .insertInto('person_themes')
      .values(row.themes.map((t) => ({ programme_id: row.programmeId, person_id: row.personId, theme: t.code, note: t.note })))
      .execute();
  }
  return true;
}

export async function selectProgrammeAreas(tx: Tx, programmeId: string) {
  return tx.selectFrom('areas').select(['id', 'name']).where('programme_id', '=', programmeId).orderBy('name').orderBy('id').execute();
}

/** How many people in each area have each theme chosen now: counts only, nothing that names a person. */
export async function countPeopleByAreaAndTheme(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('person_themes as t')
    .innerJoin('people as p', (join) => join.onRef('p.id', '=', 't.person_id').onRef('p.programme_id', '=', 't.programme_id'))
    .select((eb) => ['p.area_id', 't.theme', eb.fn.count<string>('t.person_id').distinct().as('people')])
    .where('t.programme_id', '=', programmeId)
    .groupBy(['p.area_id', 't.theme'])
    .execute();
}
