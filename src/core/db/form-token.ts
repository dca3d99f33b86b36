import { sql } from 'kysely';
import type { Database } from './schema.ts';
import type { Tx } from './transaction.ts';

type TableWith<Columns extends string> = { [T in keyof Database]: Database[T] extends Record<Columns, unknown> ? T : never }[keyof Database];

/** The tables whose rows keep the token of the form that wrote them; the person-level ones among them. */
export type FormTokenTable = TableWith<'id' | 'programme_id' | 'form_token'>;
export type PersonFormTokenTable = TableWith<'id' | 'programme_id' | 'person_id' | 'form_token'>;

/**
 * The row a form already wrote, found by the token it carried: a form sent twice (a double click, a retry after a
 * lost answer) finds the first row instead of writing a second. Within one programme, and for a person-level table
 * within one person's records, so a token can never reach another person's row. The table names are checked by
 * the types above; the SQL is written out because the same three columns are read from whichever table it is.
 */
export async function idByFormToken(tx: Tx, table: FormTokenTable, key: { programmeId: string; formToken: string }): Promise<string | undefined>;
export async function idByFormToken(tx: Tx, table: PersonFormTokenTable, key: { programmeId: string; formToken: string; personId: string }): Promise<string | undefined>;
export async function idByFormToken(tx: Tx, table: FormTokenTable, key: { programmeId: string; formToken: string; personId?: string }): Promise<string | undefined> {
  const person = key.personId === undefined ? sql`` : sql`AND person_id = ${key.personId}`;
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM ${sql.table(table)} WHERE programme_id = ${key.programmeId} AND form_token = ${key.formToken} ${person}
  `.execute(tx);
  return rows[0]?.id;
}
