import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { buildTestApp, type TestApp } from '../../../test/app.ts';
import { roundAmount } from './calculations.ts';
import { GMCA_LIBRARY, PRICE_SERIES, REFERENCE_DIR } from './unit-cost-import.ts';
import { loadPriceSeries, valuesOf } from './unit-cost-service.ts';
import { uprateToYear, type PriceSeries } from './uprating.ts';

/** Uprating the imported costs with the imported series: the acceptance figures of IMPACT.md, from database rows. */
let t: TestApp;
let budget2015: PriceSeries;
let hmt2025: PriceSeries;
let joined: PriceSeries;

before(async () => {
  t = await buildTestApp();
  const series = await t.db.selectFrom('price_index_series').select(['id', 'name', 'basis']).where('programme_id', 'is', null).execute();
  const named = async (name: string | undefined) => loadPriceSeries(t.db, series.find((s) => s.name === name) ?? assert.fail(`the series ${name ?? ''}`));
  budget2015 = await named(PRICE_SERIES[0]?.name);
  hmt2025 = await named(PRICE_SERIES[1]?.name);
  joined = await named(PRICE_SERIES[2]?.name);
});
after(async () => {
  await t.close();
});

/** A cost of the shared library, as imported, by its code. */
async function cost(code: string) {
  return t.db
    .selectFrom('unit_costs as c')
    .innerJoin('unit_cost_libraries as l', 'l.id', 'c.library_id')
    .selectAll('c')
    .where('l.name', '=', GMCA_LIBRARY.name)
    .where('l.programme_id', 'is', null)
    .where('c.code', '=', code)
    .orderBy('l.version')
    .executeTakeFirstOrThrow();
}

async function fiscalIn(code: string, year: string, series: PriceSeries) {
  const fiscal = valuesOf(await cost(code)).find((v) => v.kind === 'fiscal');
  assert.ok(fiscal !== undefined, `${code} has a fiscal value`);
  return uprateToYear(fiscal.amount, fiscal.priceYear, year, series);
}

const penny = (result: Awaited<ReturnType<typeof fiscalIn>>) => {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return roundAmount(result.value, 'penny').toFixed(2);
};

describe('uprating a unit cost to a chosen price year with a chosen series', () => {
  test('the joined series gives the workbook’s own figure to 2015/16, and recent financial years’ prices after it', async () => {
    assert.equal(penny(await fiscalIn('SS1.0', '2015/16', joined)), '52675.64');
    assert.equal(penny(await fiscalIn('HO1.0', '2015/16', joined)), '7276.42');
    // 51,080 × 252.3337006… ÷ 190.033434, worked by hand from the two published tables.
    assert.equal(penny(await fiscalIn('SS1.0', '2023/24', joined)), '67825.99');
    const later = await fiscalIn('SS1.0', '2024/25', joined);
    assert.ok(!later.ok && later.missing === 'target-year', 'no index for a year HM Treasury has not published');
  });

  test('SS1.0 child in care £51,080 (2013/14) is £52,675.64 in 2015/16 prices with the 2015 series', async () => {
    const result = await fiscalIn('SS1.0', '2015/16', budget2015);
    assert.equal(penny(result), '52675.64');
    assert.ok(result.ok);
    assert.deepEqual([result.priceYearIndex, result.targetYearIndex].map((i) => new Decimal(i).toString()), ['190.033434', '195.969699']);
  });

  test('HO1.0 complex eviction £6,680 (2010/11) is £7,276.42 in 2015/16 prices with the 2015 series', async () => {
    assert.equal(penny(await fiscalIn('HO1.0', '2015/16', budget2015)), '7276.42');
  });

  test('every line of the 2015/16 rate card reproduces to the pound from the database, except fire (a known misprint)', async () => {
    const card = parse<Record<string, string>>(readFileSync(path.join(REFERENCE_DIR, 'rate-card-2015-16.csv')), { columns: true, skip_empty_lines: true });
    const wrong: string[] = [];
    for (const line of card) {
      const code = line.ucd_code ?? '';
      const row = await cost(code);
      // The Thurrock line adds HE11.0's fiscal and economic values; every other line is the fiscal value alone.
      const values = valuesOf(row).filter((v) => v.kind === 'fiscal' || (code === 'HE11.0' && v.kind === 'economic'));
      const pounds = values
        .map((v) => {
          const uprated = uprateToYear(v.amount, v.priceYear, '2015/16', budget2015);
          assert.ok(uprated.ok);
          return roundAmount(uprated.value, 'pound');
        })
        .reduce((a, b) => a.plus(b), new Decimal(0));
      if (!pounds.equals(line.ratecard_gbp ?? '')) wrong.push(`${code}: ${pounds.toString()} against the card's ${line.ratecard_gbp ?? ''}`);
    }
    assert.deepEqual(wrong, ['FI2.0: 3659 against the card\'s 3657']);
  });

  test('with the December 2025 series, a cost priced in a calendar year uprates to a recent one', () => {
    const result = uprateToYear('510', '2015', '2024', hmt2025);
    assert.ok(result.ok);
    // 510 × 100 ÷ 75.1536
    assert.equal(roundAmount(result.value, 'penny').toFixed(2), '678.61');
  });

  test('refused, in words, when the series has no index for the cost’s price year', async () => {
    const result = await fiscalIn('SS1.0', '2024', hmt2025);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.missing, 'price-year');
    assert.equal(
      result.message,
      'The series “GDP deflators (HM Treasury, December 2025)” has no index for 2013/14, the year this value is priced in. It covers calendar years, like 2015, 1990 to 2024',
    );
  });

  test('refused, in words, when the series has no index for the year asked for', async () => {
    const result = await fiscalIn('HO1.0', '2025/26', budget2015);
    assert.ok(!result.ok);
    assert.equal(result.missing, 'target-year');
    assert.equal(result.message, 'The series “GDP deflators (HM Treasury, Budget 2015)” has no index for 2025/26. It covers financial years, like 2015/16, 1989/90 to 2019/20');
  });
});
