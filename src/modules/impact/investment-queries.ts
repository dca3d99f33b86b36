import { sql } from 'kysely';
import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { Partner } from './investment-tables.ts';

/** A funding line as a manager writes it. */
export interface InvestmentContent {
  partner: Partner;
  partnerName: string | null;
  financialYear: string;
  amount: string;
  note: string | null;
}

const columns = [
  'i.id',
  'i.version',
  'i.partner',
  'i.partner_name as partnerName',
  'i.financial_year as financialYear',
  'i.amount',
  'i.note',
  'i.updated_at as updatedAt',
  'u.name as updatedByName',
] as const;

/** The programme's funding lines still in force, by year then partner. */
export async function selectInvestments(tx: Tx, programmeId: string) {
  return tx
    .selectFrom('investments as i')
    .innerJoin('users as u', 'u.id', 'i.updated_by')
    .select(columns)
    .where('i.programme_id', '=', programmeId)
    .where('i.deleted_at', 'is', null)
    .orderBy('i.financial_year')
    .orderBy('i.partner')
    .orderBy('i.partner_name')
    .orderBy('i.id')
    .execute();
}

export type InvestmentRow = Awaited<ReturnType<typeof selectInvestments>>[number];

/**
 * The funding lines as the ledger stood at the end of the day `to`: each in its version then (by when it was
 * recorded), leaving out those not yet recorded and those deleted by then.
 */
export async function selectInvestmentsAsAt(tx: Tx, programmeId: string, to: string): Promise<InvestmentRow[]> {
  const { rows } = await sql<InvestmentRow>`
    SELECT v.investment_id AS id, v.version, v.partner, v.partner_name AS "partnerName", v.financial_year AS "financialYear", v.amount, v.note,
      v.recorded_at AS "updatedAt", u.name AS "updatedByName"
    FROM (
      SELECT DISTINCT ON (investment_id) * FROM investment_versions
      WHERE programme_id = ${programmeId} AND recorded_at < ${to}::date + 1
      ORDER BY investment_id, version DESC
    ) v
    JOIN users u ON u.id = v.recorded_by
    WHERE NOT v.deleted
    ORDER BY v.financial_year, v.partner, v.partner_name, v.investment_id
  `.execute(tx);
  return rows;
}

export async function selectInvestment(tx: Tx, programmeId: string, id: string) {
  return tx
    .selectFrom('investments as i')
    .innerJoin('users as u', 'u.id', 'i.updated_by')
    .select(columns)
    .where('i.programme_id', '=', programmeId)
    .where('i.id', '=', id)
    .where('i.deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function selectInvestmentVersions(tx: Tx, programmeId: string, id: string) {
  return tx
    .selectFrom('investment_versions as v')
    .innerJoin('users as u', 'u.id', 'v.recorded_by')
    .select(['v.version', 'v.partner', 'v.partner_name as partnerName', 'v.financial_year as financialYear', 'v.amount', 'v.note', 'v.deleted', 'v.recorded_at as recordedAt', 'u.name as recordedByName'])
    .where('v.programme_id', '=', programmeId)
    .where('v.investment_id', '=', id)
    .orderBy('v.version', 'desc')
    .execute();
}

export function selectInvestmentIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'investments', { programmeId, formToken });
}

interface Written {
  programmeId: string;
  by: string;
  at: Date;
}

const contentColumns = (c: InvestmentContent) => ({ partner: c.partner, partner_name: c.partnerName, financial_year: c.financialYear, amount: c.amount, note: c.note });

async function insertVersion(tx: Tx, row: Written & { id: string; version: number; content: InvestmentContent; deleted: boolean }) {
  await tx
    .insertInto('investment_versions')
    .values({ programme_id: row.programmeId, investment_id: row.id, version: row.version, ...contentColumns(row.content), deleted: row.deleted, recorded_by: row.by, recorded_at: row.at })
    .execute();
}

export async function insertInvestment(tx: Tx, row: Written & { formToken: string; content: InvestmentContent }): Promise<string> {
  const { id } = await tx
    .insertInto('investments')
    .values({ programme_id: row.programmeId, ...contentColumns(row.content), form_token: row.formToken, created_by: row.by, created_at: row.at, updated_by: row.by, updated_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertVersion(tx, { ...row, id, version: 1, deleted: false });
  return id;
}

/** A new version (a correction, or the line deleted) if nobody saved since `expectedVersion`; false if someone did. */
export async function updateInvestment(tx: Tx, row: Written & { id: string; expectedVersion: number; content: InvestmentContent; deleted: boolean }): Promise<boolean> {
  const updated = await tx
    .updateTable('investments')
    .set((eb) => ({
      ...contentColumns(row.content),
      version: eb('version', '+', 1),
      updated_by: row.by,
      updated_at: row.at,
      ...(row.deleted ? { deleted_at: row.at, deleted_by: row.by } : {}),
    }))
    .where('programme_id', '=', row.programmeId)
    .where('id', '=', row.id)
    .where('version', '=', row.expectedVersion)
    .where('deleted_at', 'is', null)
    .returning('version')
    .executeTakeFirst();
  if (updated === undefined) return false;
  await insertVersion(tx, { ...row, version: updated.version });
  return true;
}
