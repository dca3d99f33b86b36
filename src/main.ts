import { randomBytes } from 'node:crypto';
import { createApp } from './app.ts';
import { hashPassword } from './core/auth/password.ts';
import { systemClock } from './core/clock.ts';
import { ConfigError, loadConfig } from './core/config.ts';
import { openDatabase } from './core/db/database.ts';
import { migrateToLatest } from './core/db/migrate.ts';
import { DEMO_USERS, isEmpty, seedDemoProgramme } from '../seeds/demo.ts';
import { seedDemoCommunity, seedDemoNeighbourAssets } from '../seeds/community.ts';
import { seedDemoCommunityWork } from '../seeds/community-work.ts';
import { seedDemoImpact } from '../seeds/impact.ts';
import { seedDemoOutcomes } from '../seeds/outcomes.ts';
import { seedDemoPeople } from '../seeds/stories.ts';
import { seedDemoStories } from '../seeds/stories-shared.ts';
import { DEMO_WIDER_AREAS, seedDemoNeighbours } from '../seeds/generate.ts';
import { seedNeighbourOutcomes } from '../seeds/evidence.ts';
import { seedSharedUnitCosts } from './modules/impact/unit-cost-import.ts';

/** Start-up: read the configuration, open the database, migrate it, add the demo if it is empty, then listen. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, () => randomBytes(32).toString('hex'));
  const database = await openDatabase(config.database);
  const { db, engine } = database;
  await migrateToLatest(db);

  if (config.demo.enabled && (await isEmpty(db))) {
    const password = config.demo.password ?? randomBytes(9).toString('base64url');
    const passwordHash = await hashPassword(password);
    const programme = await seedDemoProgramme(db, passwordHash);
    await seedDemoPeople(db, programme, systemClock.now());
    const neighbours = await seedDemoNeighbours(db, programme, passwordHash, systemClock.now());
    await seedDemoCommunity(db, programme, systemClock.now());
    await seedDemoNeighbourAssets(db, programme.programmeId, systemClock.now());
    await seedDemoCommunityWork(db, programme, systemClock.now());
    await seedDemoImpact(db, programme, systemClock.now());
    await seedDemoOutcomes(db, programme, systemClock.now());
    await seedNeighbourOutcomes(db, programme.programmeId, neighbours, systemClock.now());
    await seedDemoStories(db, programme, systemClock.now());
    const lines = [...DEMO_USERS, ...DEMO_WIDER_AREAS.map((a) => ({ role: 'coordinator', email: a.coordinator.email }))].map((u) => `  ${u.role.padEnd(12)} ${u.email}`);
    const shown = config.demo.password === undefined ? `${password}   (generated now and shown only this once)` : 'the value of ALONGSIDE_DEMO_PASSWORD';
    process.stdout.write(`\nA demo programme has been created. Sign in as:\n${lines.join('\n')}\nPassword for every demo account: ${shown}\n\n`);
  }
  // The shared unit-cost library and deflators ship with the product: imported once, on the first start without them.
  const unitCosts = await seedSharedUnitCosts(db, systemClock.now());
  if (unitCosts.length > 0) process.stdout.write(`Imported the shared unit-cost library: ${unitCosts.join('; ')}\n`);

  const app = await createApp({ config, db, engine, clock: systemClock, logger: { level: config.logLevel } });
  const shutdown = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`Alongside is running at http://localhost:${config.port} (database: ${engine === 'pglite' ? `embedded, in ${(config.database as { dataDir: string }).dataDir}` : 'PostgreSQL'})\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Alongside could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof Error && error.cause instanceof Error) process.stderr.write(`  cause: ${error.cause.message}\n`);
  }
  process.exit(1);
});
