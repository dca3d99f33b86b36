import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { inTransaction } from '../../core/db/transaction.ts';
import { buildTestApp, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince, idsOf } from '../../../test/fixtures.ts';
import { GMCA_LIBRARY, PRICE_SERIES, REFERENCE_DIR, importGmcaLibrary, readGmcaWorkbook, seedSharedUnitCosts } from './unit-cost-import.ts';
import { uprate } from './calculations.ts';

/** The GMCA workbook imported as published, checked line by line against the flattened CSV of the same data. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof idsOf>>;

const csvRows = (file: string) => parse<Record<string, string>>(readFileSync(path.join(REFERENCE_DIR, file)), { columns: true, skip_empty_lines: true });
/** The CSV keeps the workbook's cells untrimmed (a code of one space, "Per person "); the import trims them. */
const cell = (text: string | undefined) => ((text ?? '').trim() === '' ? null : (text ?? '').trim());

before(async () => {
  t = await buildTestApp();
  ids = await idsOf(t.db);
});
after(async () => {
  await t.close();
});

async function sharedLibrary() {
  return t.db.selectFrom('unit_cost_libraries').selectAll().where('programme_id', 'is', null).where('name', '=', GMCA_LIBRARY.name).orderBy('version').execute();
}

describe('importing the GMCA Unit Cost Database workbook', () => {
  test('every cost line of the seven cost sheets is imported, and matches the CSV: codes, values, price years, agencies, RAG', async () => {
    const [library] = await sharedLibrary();
    assert.ok(library !== undefined, 'the test database has the shared library, as a first start would');
    assert.equal(library.attribution, 'Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0');
    assert.equal(library.version_label, 'v1.4');
    const costs = await t.db.selectFrom('unit_costs').selectAll().where('library_id', '=', library.id).execute();
    const csv = csvRows('gmca-unit-cost-database-v1.4.csv').filter((r) => (r.code ?? '') !== '');
    assert.equal(csv.length, 684);
    assert.equal(costs.length, csv.length);

    const bySheetRow = new Map(costs.map((c) => [`${c.sheet ?? ''}:${String(c.sheet_row)}`, c]));
    const problems: string[] = [];
    // Amounts compare as the same binary number: the CSV writes a formula's result with 17 digits (72.400000000000006),
    // the import as the shortest text that is that number (72.4).
    const sameAmount = (ours: string | null, theirs: string | undefined) => (ours === null ? cell(theirs) === null : cell(theirs) !== null && Number(ours) === Number(theirs));
    for (const row of csv) {
      const cost = bySheetRow.get(`${row.sheet ?? ''}:${row.row ?? ''}`);
      const label = `${row.sheet ?? ''} row ${row.row ?? ''} (${row.code ?? ''})`;
      if (cost === undefined) {
        problems.push(`${label}: not imported`);
        continue;
      }
      const checks: [string, boolean][] = [
        ['code', cost.code === cell(row.code)],
        ['fiscal value', sameAmount(cost.fiscal_value, row.fiscal_est)],
        ['fiscal price year', cost.fiscal_price_year === cell(row.fiscal_year)],
        ['economic value', sameAmount(cost.economic_value, row.econ_est)],
        ['economic price year', cost.economic_price_year === cell(row.econ_year)],
        ['social value', sameAmount(cost.social_value, row.social_est)],
        ['social price year', cost.social_price_year === cell(row.social_year)],
        ['agency level 1', cost.agency_l1 === cell(row.agency_l1)],
        ['agency level 2', cost.agency_l2 === cell(row.agency_l2)],
        ['RAG', cost.rag === cell(row.rag)],
        ['unit', cost.unit === cell(row.unit)],
        ['description', cost.description === cell(row.description)],
        ['source', cost.source === cell(row.source)],
        ['category', cost.category === cell(row.category)],
        ['detail', cost.detail === cell(row.detail)],
      ];
      for (const [what, ok] of checks) if (!ok) problems.push(`${label}: ${what}`);
    }
    assert.deepEqual(problems, []);
    // Codes are unique, and the one line whose code is a blank cell is kept as a cost without a code.
    const codes = costs.map((c) => c.code).filter((c) => c !== null);
    assert.equal(new Set(codes).size, codes.length);
    assert.deepEqual(
      costs.filter((c) => c.code === null).map((c) => [c.sheet, c.sheet_row, c.fiscal_value, c.fiscal_price_year]),
      [['Crime', 58, '227.92', '2010/11']],
    );
    assert.equal(costs.find((c) => c.code === 'CR1.0')?.rag, 'R');
    assert.match(costs.find((c) => c.code === 'HO1.0')?.source_url ?? '', /^http:\/\/england\.shelter\.org\.uk\//);
  });

  test('the workbook’s own updated figures are its values uprated to 2015/16 with the imported Budget 2015 deflators', async () => {
    const [library] = await sharedLibrary();
    const series = await t.db.selectFrom('price_index_series').selectAll().where('name', '=', PRICE_SERIES[0]?.name ?? '').executeTakeFirstOrThrow();
    assert.equal(series.basis, 'financial-year');
    const index = new Map(
      (await t.db.selectFrom('price_index_values').select(['year', 'index_value']).where('series_id', '=', series.id).execute()).map((v) => [v.year, v.index_value]),
    );
    const costs = await t.db.selectFrom('unit_costs').selectAll().where('library_id', '=', library?.id ?? '').execute();
    const byRow = new Map(costs.map((c) => [`${c.sheet ?? ''}:${String(c.sheet_row)}`, c]));
    let checked = 0;
    for (const row of csvRows('gmca-unit-cost-database-v1.4.csv')) {
      const cost = byRow.get(`${row.sheet ?? ''}:${row.row ?? ''}`);
      for (const [value, year, updated] of [
        [cost?.fiscal_value, cost?.fiscal_price_year, row.fiscal_updated],
        [cost?.economic_value, cost?.economic_price_year, row.econ_updated],
        [cost?.social_value, cost?.social_price_year, row.social_updated],
      ] as const) {
        if (value === null || value === undefined || year === null || year === undefined) continue;
        // The workbook uprates only values above zero (CR8.18.5 is £0): its updated cell is then blank.
        if (cell(updated) === null) {
          assert.ok(new Decimal(value).isZero(), `${row.code ?? ''} has a value but no updated figure`);
          continue;
        }
        const ours = uprate(value, index.get(year) ?? 'NaN', index.get('2015/16') ?? 'NaN');
        // Within a ten-millionth: the published table's indices are rounded to six places, the workbook's are not.
        const difference = ours.minus(updated ?? 'NaN').abs().dividedBy(ours);
        assert.ok(difference.lessThan('1e-7'), `${row.code ?? ''} (${year}): ${ours.toString()} against the workbook's ${updated ?? ''}`);
        checked++;
      }
    }
    assert.ok(checked > 600, `${checked} values checked`);
  });

  test('both deflator series are imported with their years, basis and licence; the forecasts are marked', async () => {
    const series = await t.db.selectFrom('price_index_series').selectAll().where('programme_id', 'is', null).orderBy('name').execute();
    assert.deepEqual(
      series.map((s) => [s.name, s.basis, s.base_year, s.licence]),
      [
        ['GDP deflators (Budget 2015 to 2015/16, then HM Treasury December 2025)', 'financial-year', '1989/90', 'Open Government Licence v3.0'],
        ['GDP deflators (HM Treasury, Budget 2015)', 'financial-year', '1989/90', 'Open Government Licence v3.0'],
        ['GDP deflators (HM Treasury, December 2025)', 'calendar-year', '2024', 'Open Government Licence v3.0'],
      ],
    );
    for (const s of series) {
      const file = PRICE_SERIES.find((p) => p.name === s.name);
      assert.ok(file !== undefined);
      if (!('file' in file)) continue;
      const published = csvRows(path.basename(file.file));
      const values = await t.db.selectFrom('price_index_values').selectAll().where('series_id', '=', s.id).orderBy('year').execute();
      assert.deepEqual(
        values.map((v) => [v.year, new Decimal(v.index_value).toString(), v.forecast]),
        published.map((p) => [p[file.yearColumn], new Decimal(p[file.indexColumn] ?? '').toString(), p.status === 'forecast']),
      );
    }
  });

  test('the joined series keeps the Budget 2015 series to 2015/16 exactly, then carries on with HM Treasury’s, by financial year', async () => {
    const values = async (name: string) => {
      const rows = await t.db
        .selectFrom('price_index_values as v')
        .innerJoin('price_index_series as s', 's.id', 'v.series_id')
        .select(['v.year', 'v.index_value', 'v.forecast'])
        .where('s.name', '=', name)
        .orderBy('v.year')
        .execute();
      return rows.map((r) => [r.year, new Decimal(r.index_value).toString(), r.forecast] as const);
    };
    const [budget, , joined] = PRICE_SERIES.map((p) => p.name);
    const older = await values(budget ?? '');
    const linked = await values(joined ?? '');
    assert.deepEqual(linked.filter(([year]) => year <= '2015/16'), older.filter(([year]) => year <= '2015/16'));
    assert.deepEqual(
      linked.filter(([year]) => year > '2015/16').map(([year, , forecast]) => [year, forecast]),
      ['2016/17', '2017/18', '2018/19', '2019/20', '2020/21', '2021/22', '2022/23', '2023/24'].map((y) => [y, false]),
      'outturn only, and no 2024/25: the calendar series stops at 2024',
    );
    // 2023/24 = 195.969699 × (¾·96.2507 + ¼·100) ÷ (¾·75.1536 + ¼·76.4554) = 195.969699 × 97.188025 ÷ 75.47905
    const last = linked.at(-1);
    assert.equal(new Decimal(last?.[1] ?? '0').toDecimalPlaces(10).toString(), '252.3337006183');
  });

  test('importing again makes a new version and leaves the earlier one exactly as it was; the import is audited', async () => {
    const [first] = await sharedLibrary();
    assert.ok(first !== undefined);
    const before = await t.db.selectFrom('unit_costs').select(['id', 'fiscal_value', 'version', 'updated_at']).where('library_id', '=', first.id).orderBy('id').execute();
    const mark = await auditMark(t.db);
    const second = await importGmcaLibrary(t.db, { at: new Date('2026-11-01T09:00:00Z'), by: null });
    assert.equal(second.version, 2);
    assert.equal(second.costs, 684);
    assert.notEqual(second.libraryId, first.id);
    const after = await t.db.selectFrom('unit_costs').select(['id', 'fiscal_value', 'version', 'updated_at']).where('library_id', '=', first.id).orderBy('id').execute();
    assert.deepEqual(after, before);
    assert.deepEqual(
      (await auditSince(t.db, mark)).map((r) => [r.action, r.outcome, r.programme_id, r.detail]),
      [['unit-costs.import', 'allowed', null, { libraryId: second.libraryId, version: 2, costs: 684 }]],
    );
    // The first start's seeding sees a library there and adds nothing.
    assert.deepEqual(await seedSharedUnitCosts(t.db, new Date()), []);
  });

  test('every programme reads the shared library; the application cannot write or change a shared row', async () => {
    const [library] = await sharedLibrary();
    assert.ok(library !== undefined);
    for (const programmeId of [ids.brookfield, ids.eastmoor]) {
      const seen: { n: string } = await inTransaction(t.db, { programmeId, userId: null }, (tx) =>
        tx.selectFrom('unit_costs').select((eb) => eb.fn.countAll<string>().as('n')).where('library_id', '=', library.id).executeTakeFirstOrThrow(),
      );
      assert.equal(seen.n, '684');
    }
    await assert.rejects(
      inTransaction(t.db, { programmeId: ids.brookfield, userId: null }, (tx) =>
        sql`INSERT INTO unit_cost_libraries (programme_id, name, version_label, version, source, imported_at) VALUES (NULL, 'Forged', 'x', 1, 'x', now())`.execute(tx),
      ),
      /row-level security/,
    );
    // Shared rows are not the programme's to change: an update finds none of them.
    const updated = await inTransaction(t.db, { programmeId: ids.brookfield, userId: null }, (tx) =>
      sql`UPDATE unit_costs SET fiscal_value = 1 WHERE library_id = ${library.id}`.execute(tx),
    );
    assert.equal(Number(updated.numAffectedRows ?? 0), 0);
  });

  test('a workbook that is not the published one is refused with a reason, and nothing is imported', async () => {
    const versions = (await sharedLibrary()).length;
    await assert.rejects(readGmcaWorkbook(path.join(REFERENCE_DIR, 'rate-card-2015-16.csv')), Error);
    await assert.rejects(importGmcaLibrary(t.db, { at: new Date(), by: null }, path.join(REFERENCE_DIR, 'no-such-workbook.xlsx')), /not found|ENOENT/i);
    assert.equal((await sharedLibrary()).length, versions);
  });
});
