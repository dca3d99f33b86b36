/**
 * `npm test`: every tier that this machine can run, and a plain account of which ran and why one did not.
 *   1. database tier on PGlite (always),
 *   2. the same tests on PostgreSQL when DATABASE_URL is set,
 *   3. browser tests when a Chromium is found (CHROMIUM_PATH, or /usr/bin/chromium).
 * ALONGSIDE_REQUIRE_ALL_TIERS=1 (set by CI) turns a tier that cannot run into a failure.
 * Pass file paths to run only those files (each in the tier it belongs to).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createTemplate, dropTemplate } from './database.ts';

const root = path.resolve(import.meta.dirname, '..');
const cache = path.join(root, '.cache');
mkdirSync(cache, { recursive: true });

function testFiles(dirs: string[]): string[] {
  return dirs
    .flatMap((dir) => {
      const full = path.join(root, dir);
      if (!existsSync(full)) return [];
      return readdirSync(full, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f));
    })
    .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
    .sort();
}

/**
 * The files that take longest start first: two run at a time, and a long one started last would leave one process
 * working alone at the end. Measured, not guessed; the rest keep their order.
 */
const SLOWEST = ['test/authorization.test.ts', 'e2e/journey.test.ts', 'e2e/security.test.ts', 'e2e/admin.test.ts', 'e2e/coordinator.test.ts', 'e2e/leadership.test.ts'];
const rank = (file: string) => (SLOWEST.includes(file) ? SLOWEST.indexOf(file) : SLOWEST.length);
const slowestFirst = (files: string[]) => [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const only = process.argv.slice(2).map((f) => path.relative(root, path.resolve(f)));
const pick = (files: string[]) => slowestFirst(only.length === 0 ? files : files.filter((f) => only.includes(f)));
const databaseTests = pick(testFiles(['src', 'test', 'migrations', 'seeds']));
const browserTests = pick(testFiles(['e2e']));
const requireAll = process.env.ALONGSIDE_REQUIRE_ALL_TIERS === '1';

interface TierResult {
  name: string;
  ran: boolean;
  why: string;
  passed: number;
  failed: number;
}

/**
 * Runs one tier's files with node's test runner. A tier run beside another keeps its report until it ends (`quiet`),
 * so the two reports are not interleaved.
 */
async function runNodeTests(name: string, files: string[], env: Record<string, string>, quiet = false, concurrency = 2): Promise<TierResult> {
  const tap = path.join(cache, `${name}-${process.pid}.tap`);
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ];
  const heading = `\n=== ${name}: ${files.length} test files ===\n`;
  if (!quiet) process.stdout.write(heading);
  let report = '';
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env } });
    child.stdout?.on('data', (chunk: Buffer) => (report += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (report += chunk.toString()));
    child.on('exit', (c) => {
      resolve(c ?? 1);
    });
  });
  if (quiet) process.stdout.write(heading + report);
  const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  rmSync(tap, { force: true });
  const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(summary)?.[1] ?? '0');
  const passed = count('pass');
  // A crashed run with no failures counted is still a failure.
  const failed = count('fail') + count('cancelled') + (code !== 0 && count('fail') === 0 ? 1 : 0);
  return { name, ran: true, why: `${files.length} files`, passed, failed };
}

function skipped(name: string, why: string): TierResult {
  return { name, ran: false, why, passed: 0, failed: requireAll ? 1 : 0 };
}

const results: TierResult[] = [];

async function pgliteTier(): Promise<TierResult> {
  // One template per run, so two runs at once (two developers, or CI beside a developer) never share one.
  const template = path.join(cache, `pglite-template-${process.pid}.tar`);
  await createTemplate('pglite', template);
  try {
    return await runNodeTests('pglite', databaseTests, { ALONGSIDE_TEST_ENGINE: 'pglite', ALONGSIDE_TEST_PGLITE_TEMPLATE: template });
  } finally {
    rmSync(template, { force: true });
  }
}

async function postgresTier(): Promise<TierResult> {
  const template = `alongside_template_${process.pid}`;
  await createTemplate('postgres', template);
  try {
    return await runNodeTests('postgres', databaseTests, { ALONGSIDE_TEST_ENGINE: 'postgres', ALONGSIDE_TEST_PG_TEMPLATE: template }, true);
  } finally {
    await dropTemplate(template);
  }
}

async function browserTier(): Promise<TierResult> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return skipped('browser', `no Chromium at ${chromium} (install Debian's chromium, or set CHROMIUM_PATH)`);
  // Three at a time: a browser test spends most of its time waiting for pages, not computing.
  return runNodeTests('browser', browserTests, { CHROMIUM_PATH: chromium, ALONGSIDE_TEST_ENGINE: 'pglite' }, false, 3);
}

if (databaseTests.length > 0) {
  // The two database tiers run side by side: PostgreSQL's work is in its own server, so the machine has room for both.
  if (process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '') {
    results.push(await pgliteTier(), skipped('postgres', 'DATABASE_URL is not set'));
  } else {
    results.push(...(await Promise.all([pgliteTier(), postgresTier()])));
  }
}

// The browser tier runs after them: beside them, the machine is too busy for pages to answer in time.
if (browserTests.length === 0) {
  if (only.length === 0) results.push(skipped('browser', 'no browser tests found under e2e/'));
} else {
  results.push(await browserTier());
}

process.stdout.write('\n=== Tiers ===\n');
for (const r of results) {
  const state = r.ran ? `ran (${r.why}): ${r.passed} passed, ${r.failed} failed` : `did not run: ${r.why}${requireAll ? ' (required)' : ''}`;
  process.stdout.write(`${r.name.padEnd(9)} ${state}\n`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
