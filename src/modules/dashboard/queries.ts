import { sql } from 'kysely';
import type { PersonStatus } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { BarrierStatus } from '../barriers/tables.ts';
import type { StepQuestion } from '../agreements/tables.ts';
import type { ThemeCode } from '../vision/themes.ts';

/**
 * The raw counts behind the programme's dashboard and monthly report. Exact numbers, for the service to put
 * through disclosure control before anyone sees them. Every query is bounded by the end of the reporting month
 * (`before`, the first day of the next month), so a past month's report shows what was known then.
 */

export interface Count<K extends string = string> {
  key: K;
  n: number;
}

/** Introductions (first and re-introductions alike) by month and by who made them, within the period. */
export async function countIntroductions(tx: Tx, programmeId: string, from: string, before: string) {
  const rows = await tx
    .selectFrom('introductions')
    .where('programme_id', '=', programmeId)
    .where('introduced_on', '>=', from)
    .where('introduced_on', '<', before)
    .select((eb) => [sql<string>`to_char(introduced_on, 'YYYY-MM')`.as('month'), 'introduced_by as source', eb.fn.countAll<string>().as('n')])
    .groupBy([sql`to_char(introduced_on, 'YYYY-MM')`, 'introduced_by'])
    .execute();
  return rows.map((r) => ({ month: r.month, source: r.source, n: Number(r.n) }));
}

/**
 * Everyone introduced before the end of the month, by neighbourhood and by where their journey stood at that
 * moment: the last status change made before it, or "introduced" if none was.
 */
export async function countPeopleByAreaAndStatus(tx: Tx, programmeId: string, before: string) {
  const rows = await sql<{ area_id: string; status: PersonStatus; n: string }>`
    SELECT p.area_id, coalesce(latest.to_status, 'introduced') AS status, count(*) AS n
    FROM people p
    LEFT JOIN LATERAL (
      SELECT c.to_status FROM person_status_changes c
      WHERE c.programme_id = p.programme_id AND c.person_id = p.id AND c.changed_at < ${before}::date
      ORDER BY c.changed_at DESC, c.seq DESC
      LIMIT 1
    ) latest ON true
    WHERE p.programme_id = ${programmeId}
      AND EXISTS (SELECT 1 FROM introductions i WHERE i.programme_id = p.programme_id AND i.person_id = p.id AND i.introduced_on < ${before}::date)
    GROUP BY p.area_id, coalesce(latest.to_status, 'introduced')
  `.execute(tx);
  return rows.rows.map((r) => ({ areaId: r.area_id, status: r.status, n: Number(r.n) }));
}

/** People who have said what they want to change, by theme (a person counts once under each theme they chose). */
export async function countThemes(tx: Tx, programmeId: string, before: string): Promise<Count<ThemeCode>[]> {
  const rows = await tx
    .selectFrom('person_themes as t')
    .where('t.programme_id', '=', programmeId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('introductions as i')
          .whereRef('i.programme_id', '=', 't.programme_id')
          .whereRef('i.person_id', '=', 't.person_id')
          .where('i.introduced_on', '<', before)
          .select(sql`1`.as('one')),
      ),
    )
    .select((eb) => ['t.theme', eb.fn.countAll<string>().as('n')])
    .groupBy('t.theme')
    .execute();
  return rows.map((r) => ({ key: r.theme, n: Number(r.n) }));
}

/** Steps agreed before the end of the month, by whose they are: the person's gifts, their community, or services. */
export async function countSteps(tx: Tx, programmeId: string, before: string): Promise<Count<StepQuestion>[]> {
  const rows = await tx
    .selectFrom('steps')
    .where('programme_id', '=', programmeId)
    .where('created_at', '<', new Date(`${before}T00:00:00Z`))
    .select((eb) => ['question', eb.fn.countAll<string>().as('n')])
    .groupBy('question')
    .execute();
  return rows.map((r) => ({ key: r.question, n: Number(r.n) }));
}

/** System barriers logged before the end of the month, by their status now. */
export async function countBarriers(tx: Tx, programmeId: string, before: string): Promise<Count<BarrierStatus>[]> {
  const rows = await tx
    .selectFrom('system_barriers')
    .where('programme_id', '=', programmeId)
    .where('created_at', '<', new Date(`${before}T00:00:00Z`))
    .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ key: r.status, n: Number(r.n) }));
}

export async function selectAreaNames(tx: Tx, programmeId: string) {
  return tx.selectFrom('areas').where('programme_id', '=', programmeId).select(['id', 'name']).orderBy('name').execute();
}
