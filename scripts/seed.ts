import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/core/auth/password.ts';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase } from '../src/core/db/database.ts';
import { migrateToLatest } from '../src/core/db/migrate.ts';
import { DEFAULT_SCALE, generateScale, type ScaleOptions } from '../seeds/generate.ts';

/**
 * `npm run seed -- --scale [--programmes 1] [--areas 3] [--coordinators 2] [--people 200] [--events 12] [--seed 1]`
 * adds fictional programmes of any size to the configured database (PGlite in ./data, or DATABASE_URL), for
 * trying Alongside at scale and for benchmarks. `--people` and `--coordinators` are per neighbourhood.
 */
const USAGE = 'Usage: npm run seed -- --scale [--programmes N] [--areas N] [--coordinators N] [--people N] [--events N] [--seed N]\n';

function count(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 1_000_000) throw new Error(`--${name} must be a whole number from ${min}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'boolean' },
      programmes: { type: 'string' },
      areas: { type: 'string' },
      coordinators: { type: 'string' },
      people: { type: 'string' },
      events: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (values.scale !== true) {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const options: ScaleOptions = {
    programmes: count(values.programmes, DEFAULT_SCALE.programmes, 'programmes', 1),
    areasPerProgramme: count(values.areas, DEFAULT_SCALE.areasPerProgramme, 'areas', 1),
    coordinatorsPerArea: count(values.coordinators, DEFAULT_SCALE.coordinatorsPerArea, 'coordinators', 1),
    peoplePerArea: count(values.people, DEFAULT_SCALE.peoplePerArea, 'people', 0),
    eventsPerPerson: count(values.events, DEFAULT_SCALE.eventsPerPerson, 'events', 0),
    seed: count(values.seed, DEFAULT_SCALE.seed, 'seed', 0),
  };
  const config = loadConfig(process.env, () => randomBytes(32).toString('hex'));
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const password = config.demo.password ?? randomBytes(9).toString('base64url');
    const started = Date.now();
    const summary = await generateScale(database.db, options, await hashPassword(password), new Date());
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Added ${summary.programmes.length} programme(s) and ${summary.people} people in ${seconds} s.\n`);
    for (const p of summary.programmes) {
      process.stdout.write(`  ${p.name}: manager ${p.managerEmail}; coordinators ${p.coordinatorEmails[0] ?? ''}${p.coordinatorEmails.length > 1 ? ` and ${p.coordinatorEmails.length - 1} more` : ''}\n`);
    }
    const shown = config.demo.password === undefined ? `${password}   (generated now and shown only this once)` : 'the value of ALONGSIDE_DEMO_PASSWORD';
    process.stdout.write(`Password for these accounts: ${shown}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exitCode = 1;
});
