import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { buildTestApp, signedInClient, type Client, type TestApp } from '../../../test/app.ts';
import { auditMark, auditSince } from '../../../test/fixtures.ts';
import { MISSING_COLUMNS, PostcodeCsvError, readPostcodeText } from './postcodes.ts';

/** The postcode list: reading ONS Postcode Directory files, the admin's paste box, and the command line. */

/** A few columns of the ONS Postcode Directory's real header, in its order: the ones we need among others. */
const ONS_HEADER = 'pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,usertype,oseast1m,osnrth1m,osgrdind,lat,long,imd';
const onsRow = (pcds: string, lat: string, long: string) => `"${pcds.replace(' ', '')}","${pcds.replace(' ', '  ')}","${pcds}","199001","","E99999999","","E08000007","E05000800","0","389000","389000","1",${lat},${long},"12345"`;

describe('reading a postcode file', () => {
  test('the ONS Postcode Directory: pcds as written, lat and long, every other column ignored', () => {
    const text = [ONS_HEADER, onsRow('BF1 4QT', '53.405000', '-2.162000'), onsRow('BF3 2HL', '53.401500', '-2.141000')].join('\r\n');
    const { rows, reader } = readPostcodeText(`\uFEFF${text}\r\n`);
    assert.deepEqual(rows, [
      { postcode: 'BF1 4QT', latitude: '53.405000', longitude: '-2.162000' },
      { postcode: 'BF3 2HL', latitude: '53.401500', longitude: '-2.141000' },
    ]);
    assert.equal(reader.skipped, 0);
  });

  test('the older pcd column, or a simple postcode,latitude,longitude file, any case and order', () => {
    assert.deepEqual(readPostcodeText('LAT,PCD,LONG\n53.1,BF1  1AA,-2.1\n').rows, [{ postcode: 'BF1 1AA', latitude: '53.1', longitude: '-2.1' }]);
    assert.deepEqual(readPostcodeText('Postcode , Latitude, Longitude\n bf11aa , 53.12345678 , -2\n').rows, [
      { postcode: 'BF1 1AA', latitude: '53.123457', longitude: '-2' },
    ]);
  });

  test('rows with a bad postcode or location are skipped and counted, with the first five reasons', () => {
    const lines = [
      'postcode,latitude,longitude',
      'BF1 1AA,53.1,-2.1',
      'not a postcode,53.1,-2.1',
      // The ONS Postcode Directory's way of saying "no location".
      'ZZ9 9ZZ,99.999999,0.000000',
      'BF1 1AB,53.1,',
      'BF1 1AC,north,-2.1',
      ',53.1,-2.1',
      'BF1 1AD,53.1,-200',
      'BF1 1AE,53.1',
    ];
    const { rows, reader } = readPostcodeText(lines.join('\n'));
    assert.deepEqual(rows.map((r) => r.postcode), ['BF1 1AA']);
    assert.equal(reader.skipped, 7);
    assert.deepEqual(reader.reasons, [
      'Line 3: “not a postcode” is not a full UK postcode',
      'Line 4: ZZ9 9ZZ has no latitude between -90 and 90',
      'Line 5: BF1 1AB has no longitude between -180 and 180',
      'Line 6: BF1 1AC has no latitude between -90 and 90',
      'Line 7: no postcode',
    ]);
  });

  test('a file without the columns, or that is not CSV, is refused with a reason', () => {
    assert.throws(() => readPostcodeText('postcode,easting,northing\nBF1 1AA,1,2\n'), new PostcodeCsvError(MISSING_COLUMNS));
    assert.throws(() => readPostcodeText('\n\n'), new PostcodeCsvError(MISSING_COLUMNS));
    assert.throws(() => readPostcodeText('postcode,latitude,longitude\n"BF1 1AA,53.1,-2.1\n'), /The file could not be read as CSV: a quoted field is not closed properly/);
  });
});

let t: TestApp;
let admin: Client;

before(async () => {
  t = await buildTestApp();
  admin = await signedInClient(t.app, 'admin@brookfield.example');
});
after(async () => {
  await t.close();
});

const postcodeRow = (postcode: string) => t.db.selectFrom('postcodes').selectAll().where('postcode', '=', postcode).executeTakeFirst();

describe('the admin’s postcode import', () => {
  test('adds, then updates, with a summary and the reasons rows were skipped; audited with counts', async () => {
    const page = await admin.get('/admin/postcodes');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /You can paste up to 5 MB here/);
    const mark = await auditMark(t.db);
    const csv = 'postcode,latitude,longitude\nBF7 1AA,53.2,-2.2\nBF7 1AB,53.3,-2.3\nnope,1,1\nBF7 1AA,53.25,-2.25\n';
    const first = await admin.post('/admin/postcodes', { source: 'Test file', csv });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /2 added, 0 updated, 1 skipped, 1 repeated later in the file/);
    assert.match(first.body, /Line 4: “nope” is not a full UK postcode/);
    const row = await postcodeRow('BF7 1AA');
    assert.deepEqual([Number(row?.latitude), Number(row?.longitude), row?.source], [53.25, -2.25, 'Test file']);

    const second = await admin.post('/admin/postcodes', { source: '', csv: 'pcds,lat,long\nBF7 1AB,53.35,-2.35\nBF7 1AC,53.4,-2.4\n' });
    assert.match(second.body, /1 added, 1 updated, 0 skipped/);
    assert.equal((await postcodeRow('BF7 1AB'))?.source, 'ONS Postcode Directory');
    const audit = await auditSince(t.db, mark);
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.detail]),
      [
        ['postcodes.import', 'allowed', { added: 2, updated: 0, skipped: 1, repeated: 1 }],
        ['postcodes.import', 'allowed', { added: 1, updated: 1, skipped: 0, repeated: 0 }],
      ],
    );
  });

  test('a file without the columns, or nothing pasted, is explained with the input kept and nothing written', async () => {
    const before = await t.db.selectFrom('postcodes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const noColumns = await admin.post('/admin/postcodes', { source: 'Mine', csv: 'a,b,c\nBF7 2AA,1,2\n' });
    assert.equal(noColumns.statusCode, 400);
    assert.match(noColumns.body, /<a href="#csv">The first line of the file must name its columns/);
    assert.match(noColumns.body, /BF7 2AA,1,2/);
    assert.match(noColumns.body, /name="source"[^>]*value="Mine"/);
    const empty = await admin.post('/admin/postcodes', { csv: '  ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Paste the CSV file’s contents/);
    const after = await t.db.selectFrom('postcodes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  test('this one form takes far more than the usual limit, up to 5 MB', async () => {
    const lines = ['postcode,latitude,longitude'];
    // About 1.2 MB once encoded: twenty times any other form's limit.
    for (let i = 0; i < 30000; i++) lines.push(`BF8 ${i % 10}${String.fromCharCode(65 + ((i / 10) % 26))}${String.fromCharCode(65 + (Math.floor(i / 260) % 26))},53.${String(i).padStart(5, '0')},-2.1`);
    const big = await admin.post('/admin/postcodes', { csv: lines.join('\n') });
    assert.equal(big.statusCode, 200);
    assert.match(big.body, /6760 added/);
    const tooBig = await admin.post('/admin/postcodes', { csv: 'x'.repeat(5 * 1024 * 1024) });
    assert.equal(tooBig.statusCode, 413);
    // Everywhere else, the usual limit.
    const elsewhere = await admin.post('/admin/community', { months: 'x'.repeat(100 * 1024) });
    assert.equal(elsewhere.statusCode, 413);
  });

  test('only admins import postcodes', async () => {
    for (const email of ['manager@brookfield.example', 'coordinator.marsh@brookfield.example']) {
      const client = await signedInClient(t.app, email);
      assert.equal((await client.post('/admin/postcodes', { csv: 'postcode,latitude,longitude\nBF7 9ZZ,53,-2\n' })).statusCode, 403, email);
    }
    assert.equal(await postcodeRow('BF7 9ZZ'), undefined);
  });
});

describe('the command line import', () => {
  // The script runs against an embedded database of its own in either tier: it never touches the tier's database.
  test('npm run import:postcodes -- file.csv reads the same files with the same upsert, into the configured database', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'alongside-postcodes-'));
    try {
      const file = path.join(dir, 'onspd.csv');
      await writeFile(file, [ONS_HEADER, onsRow('BF1 4QT', '53.405', '-2.162'), onsRow('ZZ9 9ZZ', '99.999999', '0.000000')].join('\n'));
      const root = path.resolve(import.meta.dirname, '../../..');
      // An embedded database of its own: never the PostgreSQL the tests run against.
      const env: NodeJS.ProcessEnv = { ...process.env, ALONGSIDE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' };
      delete env.DATABASE_URL;
      const run = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/import-postcodes.ts', ...args], { cwd: root, env });
      const first = await run(file, '--source', 'ONSPD test');
      assert.match(first.stdout, /^1 added, 0 updated, 1 skipped\.\n {2}Line 3: ZZ9 9ZZ has no latitude between -90 and 90\n$/);
      assert.match((await run(file)).stdout, /^0 added, 1 updated, 1 skipped/);
      await assert.rejects(run(path.join(dir, 'missing.csv')), (error: { stderr: string; code: number }) => error.code === 1 && /There is no file/.test(error.stderr));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
