import { sql, type Expression, type SqlBool } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { ConsentDecision, ConsentHow, StoryStatus } from './tables.ts';

// ---------------------------------------------------------------------------------------------------------------
// Consent to share a story

/** The decision in force for the person the columns name: the latest recorded, or null if never asked. */
function consentInForce(programmeRef: string, personRef: string) {
  return sql<ConsentDecision | null>`(
    SELECT c.decision FROM story_consents c
    WHERE c.programme_id = ${sql.ref(programmeRef)} AND c.person_id = ${sql.ref(personRef)}
    ORDER BY c.seq DESC LIMIT 1
  )`;
}

/** Every decision about sharing a story, the latest (the one in force) first. */
export async function selectConsents(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('story_consents as c')
    .innerJoin('users as u', 'u.id', 'c.recorded_by')
    .select(['c.id', 'c.decision', 'c.decided_on as decidedOn', 'c.how', 'c.note', 'c.recorded_at as recordedAt', 'u.name as recordedByName'])
    .where('c.programme_id', '=', programmeId)
    .where('c.person_id', '=', personId)
    .orderBy('c.seq', 'desc')
    .execute();
}

export async function consentFormTokenUsed(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<boolean> {
  const row = await tx
    .selectFrom('story_consents')
    .select('id')
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .where('form_token', '=', formToken)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertConsent(
  tx: Tx,
  row: { programmeId: string; personId: string; decision: ConsentDecision; decidedOn: string; how: ConsentHow; note: string | null; formToken: string; by: string; at: Date },
): Promise<void> {
  await tx
    .insertInto('story_consents')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      decision: row.decision,
      decided_on: row.decidedOn,
      how: row.how,
      note: row.note,
      form_token: row.formToken,
      recorded_by: row.by,
      recorded_at: row.at,
    })
    .execute();
}

/** Takes every story of the person out of the report; returns how many were withdrawn now. */
export async function withdrawStoriesOf(tx: Tx, row: { programmeId: string; personId: string; by: string; at: Date }): Promise<number> {
  const updated = await tx
    .updateTable('stories')
    .set((eb) => ({ status: 'withdrawn' as const, withdrawn_at: row.at, version: eb('version', '+', 1), updated_by: row.by, updated_at: row.at }))
    .where('programme_id', '=', row.programmeId)
    .where('person_id', '=', row.personId)
    .where('status', '!=', 'withdrawn')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

/** The people whose consent to share a story is in force, to build one from. */
export async function selectPeopleWithConsent(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('people as p')
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .select(['p.id', 'p.name', 'a.name as areaName'])
    .where('p.programme_id', '=', programmeId)
    .where((eb) => eb(consentInForce('p.programme_id', 'p.id'), '=', 'given') as Expression<SqlBool>)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Stories

const storyColumns = [
  's.id',
  's.person_id as personId',
  's.status',
  's.initial',
  's.age',
  's.what_mattered as whatMattered',
  's.what_happened as whatHappened',
  's.costs_avoided as costsAvoided',
  's.costs_text as costsText',
  's.withdrawn_at as withdrawnAt',
  's.version',
  's.created_at as createdAt',
  's.updated_at as updatedAt',
  'cb.name as createdByName',
  'ub.name as updatedByName',
  'p.name as personName',
] as const;

function storiesWithPeople(tx: Tx) {
  return tx
    .selectFrom('stories as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .innerJoin('users as cb', 'cb.id', 's.created_by')
    .innerJoin('users as ub', 'ub.id', 's.updated_by')
    .select(storyColumns)
    .select(consentInForce('s.programme_id', 's.person_id').as('consent'));
}

/** Every story in the programme, the latest changed first, with whose record it came from and the consent in force. */
export async function selectStories(tx: Tx, programmeId: string) {
  return storiesWithPeople(tx).where('s.programme_id', '=', programmeId).orderBy('s.updated_at', 'desc').orderBy('s.id').execute();
}

export async function selectStory(tx: Tx, programmeId: string, storyId: string) {
  return storiesWithPeople(tx).where('s.programme_id', '=', programmeId).where('s.id', '=', storyId).executeTakeFirst();
}

/** Whose record a story was written from, to open that record before the story. */
export async function selectStoryPersonId(tx: Tx, programmeId: string, storyId: string): Promise<string | undefined> {
  const row = await tx.selectFrom('stories').select('person_id').where('programme_id', '=', programmeId).where('id', '=', storyId).executeTakeFirst();
  return row?.person_id;
}

export function selectStoryIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'stories', { programmeId, formToken });
}

/** What the story form writes. */
export interface StoryContent {
  initial: string;
  age: string;
  whatMattered: string;
  whatHappened: string;
  costsAvoided: string | null;
  costsText: string | null;
}

function contentColumns(c: StoryContent) {
  return {
    initial: c.initial,
    age: c.age,
    what_mattered: c.whatMattered,
    what_happened: c.whatHappened,
    costs_avoided: c.costsAvoided,
    costs_text: c.costsText,
  };
}

export async function insertStory(
  tx: Tx,
  row: { programmeId: string; personId: string; status: 'draft' | 'ready'; content: StoryContent; formToken: string; by: string; at: Date },
): Promise<string> {
  const { id } = await tx
    .insertInto('stories')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      status: row.status,
      ...contentColumns(row.content),
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Saves the story if nobody saved since `expectedVersion`; false (and nothing written) when someone did. */
export async function updateStory(
  tx: Tx,
  row: { programmeId: string; storyId: string; expectedVersion: number; status: 'draft' | 'ready'; content: StoryContent; by: string; at: Date },
): Promise<boolean> {
  const updated = await tx
    .updateTable('stories')
    .set((eb) => ({
      ...contentColumns(row.content),
      status: row.status,
      withdrawn_at: null,
      version: eb('version', '+', 1),
      updated_by: row.by,
      updated_at: row.at,
    }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.storyId)
    .where('version', '=', row.expectedVersion)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** The stories ready for the report whose person's consent is in force: only what the report prints. */
export async function selectReportStories(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('stories as s')
    .select([
      's.initial',
      's.age',
      's.what_mattered as whatMattered',
      's.what_happened as whatHappened',
      's.costs_avoided as costsAvoided',
      's.costs_text as costsText',
    ])
    .where('s.programme_id', '=', programmeId)
    .where('s.status', '=', 'ready' satisfies StoryStatus)
    .where((eb) => eb(consentInForce('s.programme_id', 's.person_id'), '=', 'given') as Expression<SqlBool>)
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// What a story is built from: the person's record, read once the caller has opened it (withPerson).

export async function selectStoryFacts(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('people')
    .select([
      'name',
      'preferred_name as preferredName',
      'date_of_birth as dateOfBirth',
      'age_when_recorded as ageWhenRecorded',
      'age_recorded_on as ageRecordedOn',
      'address_line_1 as addressLine1',
      'address_line_2 as addressLine2',
      'address_town as town',
      'postcode',
      'phone',
      'email',
    ])
    .where('programme_id', '=', programmeId)
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
}

/** Their vision as they said it most recently. */
export async function selectLatestVision(tx: Tx, programmeId: string, personId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('visions')
    .select('words')
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .orderBy('said_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.words;
}

export async function selectWhatMattersText(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('what_matters')
    .select(['what_matters as whatMatters', 'gifts', 'skills', 'interests'])
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export async function selectThemeCodes(tx: Tx, programmeId: string, personId: string): Promise<string[]> {
  const rows = await tx.selectFrom('person_themes').select('theme').where('programme_id', '=', programmeId).where('person_id', '=', personId).execute();
  return rows.map((r) => r.theme);
}

/** Steps that were done, in the order they were done. */
export async function selectDoneSteps(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('steps')
    .select(['question', 'what'])
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .where('status', '=', 'done')
    .orderBy('updated_at')
    .orderBy('id')
    .execute();
}

/** Community assets that became part of their life, the first joined first. */
export async function selectJoinedAssets(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('person_assets as pa')
    .innerJoin('community_assets as ca', 'ca.id', 'pa.asset_id')
    .select(['ca.name', 'pa.what', 'pa.ended_on as endedOn'])
    .where('pa.programme_id', '=', programmeId)
    .where('pa.person_id', '=', personId)
    .orderBy('pa.started_on')
    .orderBy('pa.id')
    .execute();
}

/** The other people walked alongside they were connected with: their names, to keep them out of the story. */
export async function selectConnectedPeople(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('person_connections as c')
    .innerJoin('people as p', (join) =>
      join.on((eb) =>
        eb.or([
          eb.and([eb('c.first_person_id', '=', personId), eb('p.id', '=', eb.ref('c.second_person_id'))]),
          eb.and([eb('c.second_person_id', '=', personId), eb('p.id', '=', eb.ref('c.first_person_id'))]),
        ]),
      ),
    )
    .select(['p.name', 'p.preferred_name as preferredName'])
    .where('c.programme_id', '=', programmeId)
    .execute();
}

/** Everyone named in their household and circle of support, at any time, with how they are related. */
export async function selectNamedPeople(tx: Tx, programmeId: string, personId: string) {
  const household = await tx
    .selectFrom('household_members')
    .select(['name', 'relationship'])
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .execute();
  const circle = await tx
    .selectFrom('circle_member_versions')
    .select(['name', 'relationship', 'kind'])
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .execute();
  return [...household, ...circle];
}

/** Their verified avoided outcomes, as priced when recorded: only verified ones count (src/modules/impact). */
export async function selectVerifiedAvoided(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('avoided_outcomes as o')
    .leftJoin('unit_costs as uc', 'uc.id', 'o.unit_cost_id')
    .leftJoin('unit_cost_libraries as l', 'l.id', 'uc.library_id')
    .select([
      'o.cost_description as description',
      'o.library_name as libraryName',
      'l.attribution',
      'o.fiscal_value as fiscalValue',
      'o.fiscal_price_year as fiscalPriceYear',
      'o.quantity',
      'o.duration',
      'o.likelihood',
    ])
    .where('o.programme_id', '=', programmeId)
    .where('o.person_id', '=', personId)
    .where('o.status', '=', 'verified')
    .orderBy('o.likely_on')
    .orderBy('o.id')
    .execute();
}
