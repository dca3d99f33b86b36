import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../src/core/db/schema.ts';
import { ukToday } from '../src/core/http/forms.ts';
import { LONELY_VALUES, SERVICE_KINDS, type CheckInAnswers, type ServiceCounts } from '../src/modules/outcomes/measures.ts';
import { insertCheckIn, insertPeriod } from '../src/modules/outcomes/queries.ts';
import { randomSource } from './generate.ts';

/**
 * Outcomes for the demo's wider caseload (generate.ts), so the Leadership Group's figures have enough people behind
 * them to show: a check-in when they were got to know and, for those walked alongside for a few months, a review;
 * and, for some, the services they used in the six months before and since. Most lives get somewhat better and some
 * do not, as in life. Fictional, and seeded, so the demo is the same each time.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const SCALES = ['lifeSatisfaction', 'worthwhile', 'happiness', 'lacRelationships', 'lacConfidence', 'lacHealth', 'lacCommunity', 'lacContributing', 'lacDailyLife'] as const;
const UCLA = ['uclaCompanionship', 'uclaLeftOut', 'uclaIsolated'] as const;
/** Before any review: long enough together for things to have changed. */
const REVIEW_AFTER_DAYS = 90;

type Random = ReturnType<typeof randomSource>;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

function startingAnswers(random: Random): CheckInAnswers {
  const answers = Object.fromEntries(SCALES.map((k) => [k, random.int(1, 6)])) as Record<(typeof SCALES)[number], number>;
  return {
    ...answers,
    anxiety: random.int(4, 9),
    lonely: random.pick(LONELY_VALUES.slice(0, 3)),
    ...(Object.fromEntries(UCLA.map((k) => [k, random.int(2, 3)])) as Record<(typeof UCLA)[number], number>),
    declined: [],
  };
}

/** Where they are at review: for most a little better, for some the same, for a few worse. */
function laterAnswers(random: Random, start: CheckInAnswers): CheckInAnswers {
  const drift = () => (random.chance(0.7) ? random.int(1, 3) : random.chance(0.5) ? 0 : -random.int(1, 2));
  const scales = Object.fromEntries(SCALES.map((k) => [k, clamp((start[k] ?? 5) + drift(), 0, 10)])) as Record<(typeof SCALES)[number], number>;
  const lonelyIndex = LONELY_VALUES.indexOf(start.lonely ?? 'some_of_the_time');
  return {
    ...scales,
    anxiety: clamp((start.anxiety ?? 6) - drift(), 0, 10),
    lonely: LONELY_VALUES[clamp(lonelyIndex + drift(), 0, LONELY_VALUES.length - 1)] ?? null,
    ...(Object.fromEntries(UCLA.map((k) => [k, clamp((start[k] ?? 2) - (random.chance(0.6) ? 1 : 0), 1, 3)])) as Record<(typeof UCLA)[number], number>),
    declined: [],
  };
}

function serviceCounts(random: Random, scale: number): ServiceCounts {
  const counts: Record<string, number> = { gp: random.int(1, 8), ae: random.int(0, 3), ambulance: random.int(0, 2), hospitalStays: random.int(0, 1), police: random.int(0, 2), safeguarding: random.int(0, 1), eviction: random.chance(0.15) ? 1 : 0 };
  counts.hospitalNights = (counts.hospitalStays ?? 0) * random.int(1, 6);
  return Object.fromEntries(
    SERVICE_KINDS.map((k) => [k.key, { count: Math.round((counts[k.key] ?? 0) * scale), source: k.key === 'gp' ? 'self_reported' : 'known' }]),
  ) as ServiceCounts;
}

export async function seedNeighbourOutcomes(db: Kysely<Database>, programmeId: string, personIds: readonly string[], now: Date, seed = 2027): Promise<number> {
  if (personIds.length === 0) return 0;
  const random = randomSource(seed);
  const on = (at: Date) => ukToday(at);
  const people = await db
    .selectFrom('people as p')
    .innerJoin('users as u', 'u.id', 'p.coordinator_id')
    .innerJoin('introductions as i', (j) => j.onRef('i.person_id', '=', 'p.id').onRef('i.programme_id', '=', 'p.programme_id'))
    .select(['p.id', 'p.status', 'p.coordinator_id', 'u.name as coordinatorName', 'i.introduced_on'])
    .where('p.programme_id', '=', programmeId)
    .where('p.id', 'in', personIds)
    .where('p.status', '!=', 'introduced')
    .orderBy('p.id')
    .execute();
  let written = 0;
  await db.transaction().execute(async (tx) => {
    for (const person of people) {
      if (person.coordinator_id === null) continue;
      const introduced = new Date(`${person.introduced_on}T12:00:00Z`);
      const metAt = new Date(introduced.getTime() + random.int(7, 21) * DAY_MS);
      if (metAt >= now) continue;
      const base = { programmeId, personId: person.id, by: person.coordinator_id };
      const start = startingAnswers(random);
      await insertCheckIn(tx, { ...base, at: metAt, formToken: randomUUID(), details: { occasion: 'baseline', checkedOn: on(metAt), recordedByName: person.coordinatorName, answers: start } });
      const reviewAt = new Date(metAt.getTime() + random.int(REVIEW_AFTER_DAYS, 200) * DAY_MS);
      const reviewed = person.status !== 'getting_to_know' && reviewAt < now;
      if (reviewed) {
        const occasion = person.status === 'moved_on' || person.status === 'resting' ? 'moving_on' : 'review';
        await insertCheckIn(tx, { ...base, at: reviewAt, formToken: randomUUID(), details: { occasion, checkedOn: on(reviewAt), recordedByName: person.coordinatorName, answers: laterAnswers(random, start) } });
      }
      // Service use for about half of those reviewed: the six months before they were introduced, and since.
      if (reviewed && random.chance(0.5)) {
        const before = serviceCounts(random, 1);
        const after = serviceCounts(random, random.chance(0.75) ? 0.4 : 1);
        const sixMonthsBefore = new Date(introduced.getTime() - 182 * DAY_MS);
        await insertPeriod(tx, { ...base, at: metAt, formToken: randomUUID(), details: { side: 'before', fromOn: on(sixMonthsBefore), toOn: on(new Date(introduced.getTime() - DAY_MS)), description: 'The 6 months before we met', counts: before } });
        await insertPeriod(tx, { ...base, at: reviewAt, formToken: randomUUID(), details: { side: 'after', fromOn: on(introduced), toOn: on(reviewAt), description: 'Since we met', counts: after } });
      }
      written += 1;
    }
  });
  return written;
}
