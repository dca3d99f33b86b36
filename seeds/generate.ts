import type { Kysely } from 'kysely';
import type { Database, PersonStatus } from '../src/core/db/schema.ts';
import { INTRODUCERS } from '../src/modules/people/schemas.ts';
import { STEP_QUESTIONS, type StepStatus } from '../src/modules/agreements/tables.ts';
import { JOURNAL_HOWS } from '../src/modules/journal/tables.ts';
import { THEMES } from '../src/modules/vision/themes.ts';
import type { SeededProgramme } from './demo.ts';
import { writeJourney, type Journey, type JourneyEvent } from './journeys.ts';

/**
 * Any number of fictional programmes, neighbourhoods, coordinators and people with journeys of realistic shape:
 * most people walked alongside for months, some just introduced, some resting or moved on; circles that grow;
 * steps mostly owned by the person and their community. For tests and benchmarks. The same seed gives the same
 * programme, so a benchmark can be run again on the same data.
 */
export interface ScaleOptions {
  programmes: number;
  areasPerProgramme: number;
  coordinatorsPerArea: number;
  peoplePerArea: number;
  /** Journal entries per person walked alongside, on average. */
  eventsPerPerson: number;
  seed: number;
}

export const DEFAULT_SCALE: ScaleOptions = { programmes: 1, areasPerProgramme: 3, coordinatorsPerArea: 2, peoplePerArea: 200, eventsPerPerson: 12, seed: 1 };

export interface ScaleSummary {
  programmes: { id: string; name: string; managerEmail: string; coordinatorEmails: string[] }[];
  people: number;
}

/** A small, fast, seedable generator (mulberry32): the same seed gives the same programme. */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}

type Random = ReturnType<typeof randomSource>;

const FIRST_NAMES = ['Aisha', 'Bryn', 'Callum', 'Delyth', 'Ebony', 'Fergus', 'Gwen', 'Hamza', 'Imogen', 'Jamal', 'Kerry', 'Lowri', 'Marek', 'Niamh', 'Owain', 'Priti', 'Rhys', 'Samira', 'Tariq', 'Una', 'Viktor', 'Wendy', 'Yusuf', 'Zofia'];
const LAST_NAMES = ['Ashworth', 'Baptiste', 'Chowdhury', 'Davies', 'Evans', 'Fitzgerald', 'Griffiths', 'Hussain', 'Iqbal', 'Jones', 'Kowalski', 'Lloyd', 'Morgan', 'Nowak', "O'Brien", 'Patel', 'Quinn', 'Roberts', 'Singh', 'Thomas', 'Underwood', 'Vaughan', 'Williams', 'Young'];
const PLACE_WORDS = ['Mill', 'Brook', 'Oak', 'Castle', 'Station', 'Chapel', 'Orchard', 'Bridge', 'Meadow', 'Forge'];
const WORDS = [
  'I want to feel part of the street again.',
  'I would like to sort out the money before it gets worse.',
  'Get out of the house more and meet people.',
  'Look after my mum without losing myself.',
  'Find some work, or something useful to do.',
  'Be well enough to go back to the choir.',
  'Stay in my own home.',
];
const VISIONS = [
  'A home that feels like mine, and friends who drop in.',
  'Being useful: helping out at the club and people knowing my name.',
  'Feeling well enough to enjoy my grandchildren.',
  'Work that fits round the kids, and a garden to sit in.',
];
const STEP_WORDS = {
  gifts: ['Teach neighbours to bake', 'Walk to the shop each morning', 'Help at the repair café', 'Write to my brother'],
  community: ['Join the Thursday coffee morning', 'Neighbour to share lifts to the market', 'Try the community garden', 'Go to the chess club with a friend'],
  services: ['Benefits check', 'Occupational therapy assessment', 'Debt advice appointment', 'GP review of medication'],
} as const;
const NOTES = [
  'Talked about what a good week looks like.',
  'Went along to the coffee morning together.',
  'Filled in the form together; they posted it.',
  'Caught up on the phone; things are steadier.',
  'Met at the library and looked at courses.',
];
const CIRCLE = [
  { relationship: 'sister', supportKind: 'family' },
  { relationship: 'son', supportKind: 'family' },
  { relationship: 'friend from school', supportKind: 'friend' },
  { relationship: 'next-door neighbour', supportKind: 'neighbour' },
  { relationship: 'coffee morning', supportKind: 'community' },
  { relationship: 'support worker', supportKind: 'paid' },
] as const;

/** One person's journey: how far along it is decides which parts of the record have been written. */
function randomJourney(random: Random, areaId: string, coordinatorId: string | null, postcodeDistrict: string, entriesPerPerson: number, withinDays = 720): Journey {
  const introducedDaysAgo = random.int(1, withinDays);
  const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const events: JourneyEvent[] = [];
  // Spread the record's events between the introduction and today, in order.
  const days = (share: number) => Math.max(0, Math.round(introducedDaysAgo * (1 - share)));
  const stage = coordinatorId === null ? 0 : random.next();
  const move = (share: number, to: Exclude<PersonStatus, 'introduced'>, reason?: string) => {
    events.push({ daysAgo: days(share), kind: 'status', to, ...(reason === undefined ? {} : { reason }) });
  };
  if (stage > 0.05) {
    move(0.05, 'getting_to_know');
    events.push({ daysAgo: days(0.08), kind: 'themes', themes: [random.pick(THEMES).code, random.pick(THEMES).code].filter((t, i, all) => all.indexOf(t) === i) });
    events.push({ daysAgo: days(0.1), kind: 'vision', words: random.pick(VISIONS) });
  }
  if (stage > 0.15) {
    move(0.15, 'walking_alongside');
    const members = random.int(1, 5);
    for (let m = 0; m < members; m += 1) {
      const who = random.pick(CIRCLE);
      events.push({
        daysAgo: days(0.15 + m * 0.1),
        kind: 'circle-join',
        name: `${random.pick(FIRST_NAMES)} (${who.relationship})`,
        relationship: who.relationship,
        closeness: random.pick([1, 2, 3] as const),
        supportKind: who.supportKind,
      });
    }
    events.push({ daysAgo: days(0.2), kind: 'agreement', workingOn: random.pick(WORDS), whoDoesWhat: 'Agreed together.', keepingInTouch: 'Weekly.', reviewInDays: random.int(28, 120) });
    const stepCount = random.int(1, Math.max(1, Math.min(8, Math.round(random.next() * 8))));
    for (let s = 0; s < stepCount; s += 1) {
      // Most steps are the person's and their community's: thinking natural first.
      const question = random.chance(0.75) ? random.pick(STEP_QUESTIONS.slice(0, 2)) : 'services';
      const what = `${random.pick(STEP_WORDS[question])} (${s + 1})`;
      events.push({ daysAgo: days(0.2), kind: 'step', question, what, owner: question === 'services' ? 'A service' : name.split(' ')[0] ?? name });
      if (random.chance(0.6)) {
        const status: StepStatus = random.pick(['under_way', 'done', 'done', 'no_longer_needed'] as const);
        events.push({ daysAgo: days(random.next() * 0.7 + 0.25), kind: 'step-status', what, status });
      }
    }
  }
  if (stage > 0.05) {
    // Conversations and practical actions while in touch: until resting or moving on, if they did.
    const until = stage > 0.8 ? 0.95 : 1;
    const entries = random.int(0, 2 * entriesPerPerson);
    for (let e = 0; e < entries; e += 1) {
      events.push({
        daysAgo: days(0.05 + random.next() * (until - 0.05)),
        kind: 'journal',
        how: random.pick(JOURNAL_HOWS),
        entry: random.chance(0.7) ? 'conversation' : 'practical_action',
        minutes: random.pick([15, 30, 45, 60, 90]),
        notes: random.pick(NOTES),
      });
    }
  }
  if (stage > 0.8) move(0.95, random.chance(0.5) ? 'resting' : 'moved_on', 'In their own words: things are going well.');
  const sector = random.int(1, 9);
  return {
    name,
    age: random.int(18, 92),
    postcode: `${postcodeDistrict} ${sector}${String.fromCharCode(65 + random.int(0, 25))}${String.fromCharCode(65 + random.int(0, 25))}`,
    addressLine1: `${random.int(1, 120)} ${random.pick(PLACE_WORDS)} Street`,
    areaId,
    coordinatorId,
    introduction: { daysAgo: introducedDaysAgo, by: random.pick(INTRODUCERS).value, words: random.pick(WORDS) },
    events,
  };
}

/** Creates the programmes with the owner's connection. Each area's people are written in one transaction. */
export async function generateScale(db: Kysely<Database>, options: ScaleOptions, passwordHash: string, now: Date): Promise<ScaleSummary> {
  const random = randomSource(options.seed);
  const summary: ScaleSummary = { programmes: [], people: 0 };
  const existing = await db.selectFrom('programmes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  for (let p = 1; p <= options.programmes; p += 1) {
    const number = Number(existing.n) + p;
    const domain = `scale-${number}.example`;
    const { id: programmeId } = await db
      .insertInto('programmes')
      .values({ name: `Scale test programme ${number}`, council: `Scale test council ${number}`, brand_colour: '#1d4f76' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const addUser = async (email: string, name: string, role: 'manager' | 'coordinator') => {
      const { id } = await db.insertInto('users').values({ email, name, password_hash: passwordHash }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('memberships').values({ user_id: id, programme_id: programmeId, role }).execute();
      return id;
    };
    const managerEmail = `manager@${domain}`;
    const managerId = await addUser(managerEmail, `Manager ${number}`, 'manager');
    const coordinatorEmails: string[] = [];
    for (let a = 1; a <= options.areasPerProgramme; a += 1) {
      const district = `SC${a}`;
      const { id: areaId } = await db
        .insertInto('areas')
        .values({ programme_id: programmeId, name: `Area ${a}`, population: random.int(8000, 12000), postcode_districts: [district] })
        .returning('id')
        .executeTakeFirstOrThrow();
      const coordinators: string[] = [];
      for (let c = 1; c <= options.coordinatorsPerArea; c += 1) {
        const email = `coordinator${c}.area${a}@${domain}`;
        const id = await addUser(email, `Coordinator ${c} of area ${a}`, 'coordinator');
        await db.insertInto('coordinator_areas').values({ user_id: id, programme_id: programmeId, area_id: areaId }).execute();
        coordinators.push(id);
        coordinatorEmails.push(email);
      }
      await db.transaction().execute(async (tx) => {
        for (let n = 0; n < options.peoplePerArea; n += 1) {
          // A few people are just introduced and still waiting for a coordinator.
          const coordinatorId = random.chance(0.04) ? null : random.pick(coordinators);
          await writeJourney(tx, programmeId, randomJourney(random, areaId, coordinatorId, district, options.eventsPerPerson), now, managerId);
        }
      });
      summary.people += options.peoplePerArea;
    }
    summary.programmes.push({ id: programmeId, name: `Scale test programme ${number}`, managerEmail, coordinatorEmails });
  }
  return summary;
}

/**
 * The demo programme's other neighbourhoods: two more, each with its own coordinator, whose people are generated
 * (the same each time). They give the programme overview and the monthly report enough people to show figures under
 * disclosure control (with ten people every count would be "fewer than 8"), while the two demo coordinators keep
 * the hand-written stories, which are the ones to read.
 */
export const DEMO_WIDER_AREAS = [
  { name: 'Ashby Fields', population: 10_400, postcodeDistricts: ['BF5', 'BF6'], coordinator: { email: 'coordinator.ashby@brookfield.example', name: 'Nia Roberts' } },
  { name: 'Kiln Lane', population: 9_600, postcodeDistricts: ['BF7', 'BF8'], coordinator: { email: 'coordinator.kiln@brookfield.example', name: 'Marek Nowak' } },
] as const;

export async function seedDemoNeighbours(
  db: Kysely<Database>,
  programme: Pick<SeededProgramme, 'programmeId' | 'userIds'>,
  passwordHash: string,
  now: Date,
  options = { perArea: 90, seed: 2026 },
): Promise<string[]> {
  const random = randomSource(options.seed);
  const manager = programme.userIds['manager@brookfield.example'];
  if (manager === undefined) throw new Error('The demo programme has no manager@brookfield.example');
  const ids: string[] = [];
  await db.transaction().execute(async (tx) => {
    for (const area of DEMO_WIDER_AREAS) {
      const { id: areaId } = await tx
        .insertInto('areas')
        .values({ programme_id: programme.programmeId, name: area.name, population: area.population, postcode_districts: [...area.postcodeDistricts] })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { id: coordinatorId } = await tx
        .insertInto('users')
        .values({ email: area.coordinator.email, name: area.coordinator.name, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx.insertInto('memberships').values({ user_id: coordinatorId, programme_id: programme.programmeId, role: 'coordinator' }).execute();
      await tx.insertInto('coordinator_areas').values({ user_id: coordinatorId, programme_id: programme.programmeId, area_id: areaId }).execute();
      for (let n = 0; n < options.perArea; n += 1) {
        // As in any programme, a few are waiting for a coordinator.
        const journey = randomJourney(random, areaId, random.chance(0.03) ? null : coordinatorId, random.pick(area.postcodeDistricts), 3, 540);
        ids.push(await writeJourney(tx, programme.programmeId, journey, now, manager));
      }
    }
  });
  return ids;
}
