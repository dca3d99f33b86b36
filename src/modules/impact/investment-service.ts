import { audited, CHANGED_MEANWHILE, formProblems } from '../../core/audit/audited.ts';
import { Decimal } from 'decimal.js';
import { scopeOf } from '../../core/auth/acting.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import { onceMoreIfRaced } from '../../core/db/errors.ts';
import { inTransaction, type Tx } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import type { FormErrors, FormResult } from '../../core/http/forms.ts';
import { sumPounds } from '../../core/money.ts';
import {
  insertInvestment,
  selectInvestment,
  selectInvestmentIdByFormToken,
  selectInvestmentVersions,
  selectInvestments,
  selectInvestmentsAsAt,
  updateInvestment,
  type InvestmentContent,
  type InvestmentRow,
} from './investment-queries.ts';
import { PARTNER_TEXT, type InvestmentChangeInput, type InvestmentDeleteInput, type NewInvestmentInput } from './investment-schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export interface InvestmentLine extends InvestmentRow {
  /** The partner in words: the name given for another partner. */
  partnerText: string;
}

const lineOf = (row: InvestmentRow): InvestmentLine => ({ ...row, partnerText: row.partnerName ?? PARTNER_TEXT[row.partner] });

/**
 * The programme's funding lines in force, for the returns (investment in a set of financial years, or all): now, or
 * as the ledger stood at the end of the day `asAt`.
 */
export async function investmentLines(tx: Tx, programmeId: string, asAt?: string): Promise<InvestmentLine[]> {
  return (asAt === undefined ? await selectInvestments(tx, programmeId) : await selectInvestmentsAsAt(tx, programmeId, asAt)).map(lineOf);
}

/** The sum of these lines, exactly. */
export const totalOf = (lines: readonly InvestmentLine[]): Decimal => sumPounds(lines.map((l) => l.amount));

export interface InvestmentPage {
  lines: InvestmentLine[];
  byYear: { year: string; total: Decimal }[];
  total: Decimal;
}

/** Funding by partner and financial year, with totals. Programme figures, not about anyone: not audited when read. */
export async function getInvestmentPage(deps: Deps, user: CurrentUser): Promise<InvestmentPage> {
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const lines = await investmentLines(tx, user.programme.id);
    const years = [...new Set(lines.map((l) => l.financialYear))];
    return { lines, byYear: years.map((year) => ({ year, total: totalOf(lines.filter((l) => l.financialYear === year)) })), total: totalOf(lines) };
  });
}

export type AddInvestmentResult = { kind: 'added'; id: string } | { kind: 'invalid'; errors: FormErrors };

const contentOf = (input: NewInvestmentInput | InvestmentChangeInput): InvestmentContent => ({
  partner: input.partner,
  partnerName: input.partnerName,
  financialYear: input.financialYear,
  amount: input.amount,
  note: input.note,
});

/** Records a funding line; the one-time token makes a double submission one line. */
export async function addInvestment(deps: Deps, user: CurrentUser, form: FormResult<NewInvestmentInput>, requestId: string): Promise<AddInvestmentResult> {
  const programmeId = user.programme.id;
  return onceMoreIfRaced(() =>
    audited(deps, user, 'investment.create', requestId, async (tx, note): Promise<AddInvestmentResult> => {
      if (!form.ok) {
        note.failed(formProblems(form));
        return { kind: 'invalid', errors: form.errors };
      }
      const existing = await selectInvestmentIdByFormToken(tx, programmeId, form.data.formToken);
      const id = existing ?? (await insertInvestment(tx, { programmeId, formToken: form.data.formToken, content: contentOf(form.data), by: user.id, at: deps.clock.now() }));
      note.add({ investmentId: id });
      return { kind: 'added', id };
    }),
  );
}

export interface InvestmentLinePage {
  line: InvestmentLine;
  history: (Awaited<ReturnType<typeof selectInvestmentVersions>>[number] & { partnerText: string })[];
}

async function loadLine(tx: Tx, programmeId: string, id: string): Promise<InvestmentLinePage | undefined> {
  const row = await selectInvestment(tx, programmeId, id);
  if (row === undefined) return undefined;
  const versions = await selectInvestmentVersions(tx, programmeId, id);
  return { line: lineOf(row), history: versions.map((v) => ({ ...v, partnerText: v.partnerName ?? PARTNER_TEXT[v.partner] })) };
}

export async function getInvestmentLine(deps: Deps, user: CurrentUser, id: string): Promise<InvestmentLinePage | undefined> {
  return inTransaction(deps.db, scopeOf(user), (tx) => loadLine(tx, user.programme.id, id));
}

export type ChangeInvestmentResult =
  | { kind: 'saved' }
  | { kind: 'not-found' }
  | { kind: 'invalid'; page: InvestmentLinePage; errors: FormErrors }
  | { kind: 'conflict'; page: InvestmentLinePage; yours: InvestmentContent | null };

const same = (a: InvestmentContent, b: InvestmentContent) =>
  a.partner === b.partner && a.partnerName === b.partnerName && a.financialYear === b.financialYear && new Decimal(a.amount).eq(b.amount) && a.note === b.note;

/**
 * Corrects a funding line (`form` a change) or deletes it (`form` a confirmation), as a new version: the line's
 * history, the deletion included, is kept, and the audit row says which. A stale form is refused.
 */
export async function changeInvestment(
  deps: Deps,
  user: CurrentUser,
  id: string,
  change: { kind: 'correct'; form: FormResult<InvestmentChangeInput> } | { kind: 'delete'; form: FormResult<InvestmentDeleteInput> },
  requestId: string,
): Promise<ChangeInvestmentResult> {
  const programmeId = user.programme.id;
  return audited(deps, user, change.kind === 'delete' ? 'investment.delete' : 'investment.update', requestId, async (tx, note): Promise<ChangeInvestmentResult> => {
    const page = await loadLine(tx, programmeId, id);
    if (page === undefined) {
      note.denied({ investmentId: id, reason: 'no such funding line' });
      return { kind: 'not-found' };
    }
    note.add({ investmentId: id });
    if (!change.form.ok) {
      note.failed(formProblems(change.form));
      return { kind: 'invalid', page, errors: change.form.errors };
    }
    const current: InvestmentContent = { partner: page.line.partner, partnerName: page.line.partnerName, financialYear: page.line.financialYear, amount: page.line.amount, note: page.line.note };
    const yours = change.kind === 'correct' ? contentOf(change.form.data) : null;
    const conflict = (): ChangeInvestmentResult => {
      note.failed(CHANGED_MEANWHILE);
      return { kind: 'conflict', page, yours };
    };
    if (change.form.data.version !== page.line.version) return conflict();
    if (yours !== null && same(yours, current)) return { kind: 'saved' };
    const saved = await updateInvestment(tx, { programmeId, id, expectedVersion: page.line.version, content: yours ?? current, deleted: yours === null, by: user.id, at: deps.clock.now() });
    if (!saved) return conflict();
    note.add({ version: page.line.version + 1 });
    return { kind: 'saved' };
  });
}
