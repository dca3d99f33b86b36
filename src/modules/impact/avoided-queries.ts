import { sql } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { AvoidedStatus, EvidenceType } from './avoided-tables.ts';

/** What a coordinator says about an avoided outcome, with where it stands: the same in the record and its versions. */
export interface AvoidedContent {
  agencyOverride: string | null;
  quantity: string;
  duration: string | null;
  likelihood: string;
  evidence: EvidenceType;
  note: string | null;
  likelyOn: string;
}

export interface AvoidedState {
  status: AvoidedStatus;
  returnedReason: string | null;
}

/** The unit cost as chosen: its library version and values, copied so that a later import never changes them. */
export interface CostSnapshot {
  unitCostId: string;
  libraryName: string;
  libraryVersionLabel: string;
  libraryVersion: number;
  code: string | null;
  description: string;
  unit: string;
  agency: string;
  fiscalValue: string | null;
  fiscalPriceYear: string | null;
  economicValue: string | null;
  economicPriceYear: string | null;
  socialValue: string | null;
  socialPriceYear: string | null;
}

function contentColumns(c: AvoidedContent & AvoidedState) {
  return {
    agency_override: c.agencyOverride,
    quantity: c.quantity,
    duration: c.duration,
    likelihood: c.likelihood,
    evidence: c.evidence,
    note: c.note,
    likely_on: c.likelyOn,
    status: c.status,
    returned_reason: c.returnedReason,
  };
}

const outcomeColumns = [
  'o.id',
  'o.person_id as personId',
  'o.version',
  'o.unit_cost_id as unitCostId',
  'o.library_name as libraryName',
  'o.library_version_label as libraryVersionLabel',
  'o.library_version as libraryVersion',
  'o.cost_code as code',
  'o.cost_description as description',
  'o.cost_unit as unit',
  'o.cost_agency as agency',
  'o.fiscal_value as fiscalValue',
  'o.fiscal_price_year as fiscalPriceYear',
  'o.economic_value as economicValue',
  'o.economic_price_year as economicPriceYear',
  'o.social_value as socialValue',
  'o.social_price_year as socialPriceYear',
  'o.agency_override as agencyOverride',
  'o.quantity',
  'o.duration',
  'o.likelihood',
  'o.evidence',
  'o.note',
  'o.likely_on as likelyOn',
  'o.status',
  'o.returned_reason as returnedReason',
  'o.reviewed_at as reviewedAt',
  'o.created_at as createdAt',
  'o.updated_at as updatedAt',
  'u.name as updatedByName',
] as const;

/** A person's avoided outcomes, the most recent first. */
export async function selectAvoidedOutcomes(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('avoided_outcomes as o')
    .innerJoin('users as u', 'u.id', 'o.updated_by')
    .leftJoin('unit_costs as uc', 'uc.id', 'o.unit_cost_id')
    .leftJoin('unit_cost_libraries as l', 'l.id', 'uc.library_id')
    .select([...outcomeColumns, 'l.attribution'])
    .where('o.programme_id', '=', programmeId)
    .where('o.person_id', '=', personId)
    .orderBy('o.likely_on', 'desc')
    .orderBy('o.created_at', 'desc')
    .execute();
}

export type AvoidedOutcomeRow = Awaited<ReturnType<typeof selectAvoidedOutcomes>>[number];

/** Every version of a person's avoided outcomes, newest first within each. */
export async function selectAvoidedVersions(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('avoided_outcome_versions as v')
    .innerJoin('users as u', 'u.id', 'v.recorded_by')
    .select([
      'v.avoided_outcome_id as outcomeId',
      'v.version',
      'v.agency_override as agencyOverride',
      'v.quantity',
      'v.duration',
      'v.likelihood',
      'v.evidence',
      'v.note',
      'v.likely_on as likelyOn',
      'v.status',
      'v.returned_reason as returnedReason',
      'v.recorded_at as recordedAt',
      'u.name as recordedByName',
    ])
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .orderBy('v.avoided_outcome_id')
    .orderBy('v.version', 'desc')
    .execute();
}

export function selectAvoidedIdByFormToken(tx: Tx, programmeId: string, personId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'avoided_outcomes', { programmeId, personId, formToken });
}

interface Written {
  programmeId: string;
  personId: string;
  by: string;
  at: Date;
}

async function insertVersion(tx: Tx, row: Written & { outcomeId: string; version: number; content: AvoidedContent & AvoidedState }) {
  await tx
    .insertInto('avoided_outcome_versions')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      avoided_outcome_id: row.outcomeId,
      version: row.version,
      ...contentColumns(row.content),
      recorded_by: row.by,
      recorded_at: row.at,
    })
    .execute();
}

/** A new avoided outcome, awaiting verification (version 1), kept in its history too. */
export async function insertAvoidedOutcome(tx: Tx, row: Written & { formToken: string; cost: CostSnapshot; content: AvoidedContent }): Promise<string> {
  const c = row.cost;
  const content = { ...row.content, status: 'awaiting_verification' as const, returnedReason: null };
  const { id } = await tx
    .insertInto('avoided_outcomes')
    .values({
      programme_id: row.programmeId,
      person_id: row.personId,
      unit_cost_id: c.unitCostId,
      library_name: c.libraryName,
      library_version_label: c.libraryVersionLabel,
      library_version: c.libraryVersion,
      cost_code: c.code,
      cost_description: c.description,
      cost_unit: c.unit,
      cost_agency: c.agency,
      fiscal_value: c.fiscalValue,
      fiscal_price_year: c.fiscalPriceYear,
      economic_value: c.economicValue,
      economic_price_year: c.economicPriceYear,
      social_value: c.socialValue,
      social_price_year: c.socialPriceYear,
      ...contentColumns(content),
      form_token: row.formToken,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertVersion(tx, { ...row, outcomeId: id, version: 1, content });
  return id;
}

/**
 * Saves a new version if nobody saved since `expectedVersion` (a coordinator's change, or a manager's decision),
 * keeping it in the history too; false, with nothing written, when someone did.
 */
export async function updateAvoidedOutcome(
  tx: Tx,
  row: Written & { outcomeId: string; expectedVersion: number; content: AvoidedContent & AvoidedState; reviewed: boolean },
): Promise<boolean> {
  const updated = await tx
    .updateTable('avoided_outcomes')
    .set((eb) => ({
      ...contentColumns(row.content),
      version: eb('version', '+', 1),
      updated_by: row.by,
      updated_at: row.at,
      ...(row.reviewed ? { reviewed_by: row.by, reviewed_at: row.at } : {}),
    }))
    .where('programme_id', '=', row.programmeId)
    .where('person_id', '=', row.personId)
    .where('id', '=', row.outcomeId)
    .where('version', '=', row.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  if (updated === undefined) return false;
  await insertVersion(tx, { ...row, version: updated.version });
  return true;
}

/** Every avoided outcome awaiting a manager's verification in the programme, the longest waiting first. */
export async function selectAwaitingVerification(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('avoided_outcomes as o')
    .innerJoin('users as u', 'u.id', 'o.updated_by')
    .innerJoin('people as p', (join) => join.onRef('p.id', '=', 'o.person_id').onRef('p.programme_id', '=', 'o.programme_id'))
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    .leftJoin('unit_costs as uc', 'uc.id', 'o.unit_cost_id')
    .leftJoin('unit_cost_libraries as l', 'l.id', 'uc.library_id')
    .select([...outcomeColumns, 'l.attribution', 'p.name as personName', 'a.name as areaName'])
    .where('o.programme_id', '=', programmeId)
    .where('o.status', '=', 'awaiting_verification')
    .orderBy('o.updated_at')
    .orderBy('o.id')
    .limit(500)
    .execute();
}

/** Verified avoided outcomes, with the person's neighbourhood: what the returns count. Nothing else counts. */
export async function selectVerifiedOutcomes(tx: Tx, programmeId: string, period: { from: string | null; to: string | null }) {
  let query = tx
    .selectFrom('avoided_outcomes as o')
    .innerJoin('people as p', (join) => join.onRef('p.id', '=', 'o.person_id').onRef('p.programme_id', '=', 'o.programme_id'))
    .innerJoin('areas as a', 'a.id', 'p.area_id')
    // The licence of the library the cost came from travels with every figure made from it (CC BY for the GMCA's).
    .leftJoin('unit_costs as uc', 'uc.id', 'o.unit_cost_id')
    .leftJoin('unit_cost_libraries as l', 'l.id', 'uc.library_id')
    .select([
      'o.id',
      'o.person_id as personId',
      'o.unit_cost_id as unitCostId',
      'l.attribution',
      'o.cost_agency as costAgency',
      'o.agency_override as agencyOverride',
      'o.fiscal_value as fiscalValue',
      'o.fiscal_price_year as fiscalPriceYear',
      'o.economic_value as economicValue',
      'o.economic_price_year as economicPriceYear',
      'o.social_value as socialValue',
      'o.social_price_year as socialPriceYear',
      'o.quantity',
      'o.duration',
      'o.likelihood',
      'o.likely_on as likelyOn',
      'a.name as areaName',
    ])
    .where('o.programme_id', '=', programmeId)
    .where('o.status', '=', 'verified');
  if (period.from !== null) query = query.where('o.likely_on', '>=', period.from);
  if (period.to !== null) query = query.where('o.likely_on', '<=', period.to);
  return query.orderBy('o.likely_on').orderBy('o.id').execute();
}

export type VerifiedOutcomeRow = Awaited<ReturnType<typeof selectVerifiedOutcomes>>[number];

/**
 * People walked alongside in a period: they had gone beyond "introduced" by its end and, when it has a start, had
 * not moved on before it began.
 */
export async function countPeopleSupported(tx: Tx, programmeId: string, period: { from: string | null; to: string | null }): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM (
      SELECT min(changed_at) AS started,
        (array_agg(to_status ORDER BY seq DESC) FILTER (WHERE changed_at < ${period.from}::date))[1] AS before_start
      FROM person_status_changes
      WHERE programme_id = ${programmeId}
      GROUP BY person_id
    ) s
    WHERE (${period.to}::date IS NULL OR started < ${period.to}::date + 1)
      AND before_start IS DISTINCT FROM 'moved_on'
  `.execute(tx);
  return Number(rows[0]?.n ?? 0);
}
