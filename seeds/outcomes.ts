import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../src/core/db/schema.ts';
import { ukToday } from '../src/core/http/forms.ts';
import { SERVICE_KINDS, type CheckInAnswers, type LonelyAnswer, type Occasion, type QuestionKey, type ServiceCounts, type ServiceKind, type Source } from '../src/modules/outcomes/measures.ts';
import { insertCheckIn, insertPeriod } from '../src/modules/outcomes/queries.ts';
import type { SeededProgramme } from './demo.ts';

/**
 * What the demo's people said at getting to know and at their reviews, and the services they used before and since,
 * written to fit their stories (stories.ts): Gaz's eviction withdrawn and his A&E visits gone; Maureen warmer and
 * less alone, at her own pace and answering only what she chose; Colin, who came through his GP because he spoke to
 * nobody, now at the allotment and rarely lonely; Kofi better after a year, then lonelier again when the lunch club
 * closed (still less so than at the start). Not every change is for the better, as in life. The two people just
 * introduced have no check-in yet. Everything is fictional.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

type Answers = Partial<Omit<CheckInAnswers, 'declined' | 'lonely'>> & { lonely?: LonelyAnswer; declined?: QuestionKey[] };

interface DemoOutcomes {
  name: string;
  checkIns: { daysAgo: number; occasion: Occasion; answers: Answers }[];
  /** Each count with how it is known; a kind not given is not known. */
  periods: { side: 'before' | 'after'; fromDaysAgo: number; toDaysAgo: number; description: string; counts: Partial<Record<ServiceKind, [number, Source]>> }[];
}

const SIX_MONTHS = 182;

/** The six months before the person was introduced. */
const beforeMeeting = (introducedDaysAgo: number, counts: DemoOutcomes['periods'][number]['counts']) => ({
  side: 'before' as const,
  fromDaysAgo: introducedDaysAgo + SIX_MONTHS,
  toDaysAgo: introducedDaysAgo + 1,
  description: 'The 6 months before we met',
  counts,
});

export const DEMO_OUTCOMES: readonly DemoOutcomes[] = [
  {
    name: 'Gareth Pryce',
    checkIns: [
      {
        daysAgo: 232,
        occasion: 'baseline',
        answers: {
          lifeSatisfaction: 3, worthwhile: 4, happiness: 3, anxiety: 9, lonely: 'some_of_the_time',
          uclaCompanionship: 2, uclaLeftOut: 2, uclaIsolated: 2,
          lacRelationships: 4, lacConfidence: 1, lacHealth: 4, lacCommunity: 3, lacContributing: 1, lacDailyLife: 2,
        },
      },
      {
        daysAgo: 130,
        occasion: 'review',
        answers: {
          lifeSatisfaction: 6, worthwhile: 6, happiness: 6, anxiety: 5, lonely: 'occasionally',
          uclaCompanionship: 2, uclaLeftOut: 1, uclaIsolated: 1,
          lacRelationships: 6, lacConfidence: 5, lacHealth: 5, lacCommunity: 5, lacContributing: 4, lacDailyLife: 6,
        },
      },
      {
        daysAgo: 12,
        occasion: 'review',
        answers: {
          lifeSatisfaction: 7, worthwhile: 8, happiness: 7, anxiety: 3, lonely: 'hardly_ever',
          uclaCompanionship: 1, uclaLeftOut: 1, uclaIsolated: 1,
          lacRelationships: 8, lacConfidence: 7, lacHealth: 6, lacCommunity: 7, lacContributing: 7, lacDailyLife: 7,
        },
      },
    ],
    periods: [
      beforeMeeting(240, { gp: [5, 'known'], ae: [2, 'known'], ambulance: [1, 'known'], hospitalStays: [0, 'known'], hospitalNights: [0, 'known'], police: [1, 'self_reported'], safeguarding: [0, 'known'], eviction: [1, 'known'] }),
      {
        side: 'after', fromDaysAgo: 240, toDaysAgo: 58, description: 'The 6 months since we met',
        counts: { gp: [2, 'known'], ae: [0, 'known'], ambulance: [0, 'known'], hospitalStays: [0, 'known'], hospitalNights: [0, 'known'], police: [0, 'self_reported'], safeguarding: [0, 'known'], eviction: [0, 'known'] },
      },
    ],
  },
  {
    name: 'Maureen Tilsley',
    checkIns: [
      {
        daysAgo: 118,
        occasion: 'baseline',
        // At her own pace: she chose not to answer some questions.
        answers: {
          lifeSatisfaction: 2, happiness: 3, anxiety: 7, lonely: 'often_always',
          uclaCompanionship: 3, uclaLeftOut: 3, uclaIsolated: 3,
          lacRelationships: 2, lacHealth: 2, lacCommunity: 1, lacDailyLife: 3,
          declined: ['worthwhile', 'lacConfidence', 'lacContributing'],
        },
      },
      {
        daysAgo: 8,
        occasion: 'review',
        answers: {
          lifeSatisfaction: 5, worthwhile: 6, happiness: 6, anxiety: 5, lonely: 'some_of_the_time',
          uclaCompanionship: 2, uclaLeftOut: 2, uclaIsolated: 2,
          lacRelationships: 5, lacConfidence: 4, lacHealth: 5, lacCommunity: 5, lacContributing: 3, lacDailyLife: 5,
        },
      },
    ],
    periods: [
      beforeMeeting(150, { gp: [0, 'known'], ae: [1, 'known'], ambulance: [1, 'known'], hospitalStays: [1, 'known'], hospitalNights: [3, 'known'], police: [2, 'known'], safeguarding: [1, 'known'] }),
      {
        side: 'after', fromDaysAgo: 150, toDaysAgo: 8, description: 'Since we met, to this review',
        counts: { gp: [2, 'self_reported'], ae: [0, 'known'], ambulance: [0, 'known'], hospitalStays: [0, 'known'], hospitalNights: [0, 'known'], police: [0, 'known'], safeguarding: [1, 'known'] },
      },
    ],
  },
  {
    name: 'Siobhan Carew',
    checkIns: [
      {
        daysAgo: 165,
        occasion: 'baseline',
        answers: {
          lifeSatisfaction: 3, worthwhile: 5, happiness: 3, anxiety: 8, lonely: 'some_of_the_time',
          uclaCompanionship: 2, uclaLeftOut: 3, uclaIsolated: 2,
          lacRelationships: 3, lacConfidence: 2, lacHealth: 3, lacCommunity: 2, lacContributing: 2, lacDailyLife: 3,
        },
      },
      {
        daysAgo: 20,
        occasion: 'review',
        answers: {
          lifeSatisfaction: 6, worthwhile: 7, happiness: 6, anxiety: 5, lonely: 'occasionally',
          uclaCompanionship: 1, uclaLeftOut: 2, uclaIsolated: 1,
          lacRelationships: 7, lacConfidence: 5, lacHealth: 5, lacCommunity: 6, lacContributing: 3, lacDailyLife: 6,
        },
      },
    ],
    periods: [
      beforeMeeting(180, { gp: [8, 'known'], ae: [1, 'self_reported'] }),
      { side: 'after', fromDaysAgo: 180, toDaysAgo: 20, description: 'Since we met, to this review', counts: { gp: [4, 'known'], ae: [0, 'self_reported'] } },
    ],
  },
  {
    name: 'Nadia Brennan',
    checkIns: [
      {
        daysAgo: 100,
        occasion: 'baseline',
        answers: {
          lifeSatisfaction: 5, worthwhile: 7, happiness: 4, lonely: 'occasionally',
          lacRelationships: 4, lacConfidence: 4, lacHealth: 6, lacCommunity: 4, lacContributing: 5, lacDailyLife: 6,
          declined: ['anxiety'],
        },
      },
      {
        daysAgo: 25,
        occasion: 'review',
        answers: {
          lifeSatisfaction: 6, worthwhile: 7, happiness: 6, anxiety: 4, lonely: 'hardly_ever',
          lacRelationships: 6, lacConfidence: 6, lacHealth: 6, lacCommunity: 5, lacContributing: 5, lacDailyLife: 6,
        },
      },
    ],
    periods: [],
  },
  {
    name: 'Leanne Adeyemi',
    checkIns: [
      {
        daysAgo: 80,
        occasion: 'baseline',
        answers: {
          lifeSatisfaction: 4, worthwhile: 6, happiness: 4, anxiety: 6, lonely: 'often_always',
          uclaCompanionship: 3, uclaLeftOut: 3, uclaIsolated: 3,
          lacRelationships: 2, lacConfidence: 4, lacHealth: 5, lacCommunity: 1, lacContributing: 1, lacDailyLife: 5,
        },
      },
      {
        // A neighbour's shouting this week: her anxiety is where it was, and she says so.
        daysAgo: 4,
        occasion: 'review',
        answers: {
          lifeSatisfaction: 6, worthwhile: 8, happiness: 6, anxiety: 6, lonely: 'some_of_the_time',
          uclaCompanionship: 2, uclaLeftOut: 2, uclaIsolated: 2,
          lacRelationships: 5, lacConfidence: 6, lacHealth: 5, lacCommunity: 4, lacContributing: 6, lacDailyLife: 5,
        },
      },
    ],
    periods: [
      beforeMeeting(90, { gp: [3, 'self_reported'], ae: [1, 'self_reported'], police: [0, 'self_reported'] }),
      { side: 'after', fromDaysAgo: 90, toDaysAgo: 4, description: 'Since we met, to this review', counts: { gp: [1, 'self_reported'], ae: [0, 'self_reported'], police: [0, 'self_reported'] } },
    ],
  },
  {
    name: 'Colin Mabry',
    checkIns: [
      {
        daysAgo: 285,
        occasion: 'baseline',
        answers: {
          lifeSatisfaction: 4, worthwhile: 3, happiness: 4, anxiety: 4, lonely: 'often_always',
          uclaCompanionship: 3, uclaLeftOut: 3, uclaIsolated: 3,
          lacRelationships: 2, lacConfidence: 3, lacHealth: 5, lacCommunity: 2, lacContributing: 1, lacDailyLife: 7,
        },
      },
      {
        daysAgo: 125,
        occasion: 'review',
        answers: {
          lifeSatisfaction: 7, worthwhile: 8, happiness: 7, anxiety: 3, lonely: 'hardly_ever',
          uclaCompanionship: 1, uclaLeftOut: 1, uclaIsolated: 2,
          lacRelationships: 7, lacConfidence: 6, lacHealth: 6, lacCommunity: 8, lacContributing: 6, lacDailyLife: 8,
        },
      },
    ],
    periods: [
      beforeMeeting(300, { gp: [11, 'known'], ae: [0, 'known'] }),
      { side: 'after', fromDaysAgo: 300, toDaysAgo: 125, description: 'Since we met, to this review', counts: { gp: [4, 'known'], ae: [0, 'known'] } },
    ],
  },
  {
    name: 'Shirin Haddad',
    checkIns: [
      {
        daysAgo: 320,
        occasion: 'baseline',
        answers: {
          lifeSatisfaction: 4, worthwhile: 3, happiness: 5, anxiety: 7, lonely: 'some_of_the_time',
          uclaCompanionship: 2, uclaLeftOut: 2, uclaIsolated: 3,
          lacRelationships: 5, lacConfidence: 2, lacHealth: 4, lacCommunity: 4, lacContributing: 1, lacDailyLife: 5,
        },
      },
      {
        daysAgo: 92,
        occasion: 'moving_on',
        answers: {
          lifeSatisfaction: 8, worthwhile: 9, happiness: 7, anxiety: 3, lonely: 'hardly_ever',
          uclaCompanionship: 1, uclaLeftOut: 1, uclaIsolated: 1,
          lacRelationships: 8, lacConfidence: 8, lacHealth: 7, lacCommunity: 7, lacContributing: 9, lacDailyLife: 8,
        },
      },
    ],
    periods: [
      beforeMeeting(330, { gp: [6, 'self_reported'], ae: [0, 'self_reported'] }),
      { side: 'after', fromDaysAgo: 330, toDaysAgo: 92, description: 'Since we met, to moving on', counts: { gp: [2, 'self_reported'], ae: [0, 'self_reported'] } },
    ],
  },
  {
    name: 'Kofi Mensah',
    checkIns: [
      {
        daysAgo: 390,
        occasion: 'baseline',
        answers: { lifeSatisfaction: 4, worthwhile: 4, happiness: 3, anxiety: 5, lonely: 'often_always', uclaCompanionship: 3, uclaLeftOut: 2, uclaIsolated: 3, lacRelationships: 3, lacCommunity: 3, lacDailyLife: 5 },
      },
      {
        daysAgo: 205,
        occasion: 'review',
        answers: { lifeSatisfaction: 7, worthwhile: 6, happiness: 7, anxiety: 3, lonely: 'hardly_ever', uclaCompanionship: 1, uclaLeftOut: 1, uclaIsolated: 1, lacRelationships: 6, lacCommunity: 7, lacDailyLife: 6 },
      },
      {
        // Back in touch now the lunch club has closed.
        daysAgo: 10,
        occasion: 'review',
        answers: { lifeSatisfaction: 5, worthwhile: 5, happiness: 4, anxiety: 5, lonely: 'some_of_the_time', uclaCompanionship: 2, uclaLeftOut: 2, uclaIsolated: 3, lacRelationships: 5, lacCommunity: 4, lacDailyLife: 5 },
      },
    ],
    periods: [],
  },
];

function answersOf(given: Answers): CheckInAnswers {
  const none: Omit<CheckInAnswers, 'declined' | 'lonely'> = {
    lifeSatisfaction: null, worthwhile: null, happiness: null, anxiety: null,
    lacRelationships: null, lacConfidence: null, lacHealth: null, lacCommunity: null, lacContributing: null, lacDailyLife: null,
    uclaCompanionship: null, uclaLeftOut: null, uclaIsolated: null,
  };
  return { ...none, ...given, lonely: given.lonely ?? null, declined: given.declined ?? [] };
}

function countsOf(given: DemoOutcomes['periods'][number]['counts']): ServiceCounts {
  return Object.fromEntries(
    SERVICE_KINDS.map((k) => {
      const entry = given[k.key];
      return [k.key, entry === undefined ? { count: null, source: null } : { count: entry[0], source: entry[1] }];
    }),
  ) as ServiceCounts;
}

/**
 * Writes the demo's check-ins and service use, as their coordinators recorded them, as of `now`. Only on a fresh demo:
 * if the programme has any check-in already, nothing is written (0). Returns how many people were given outcomes.
 */
export async function seedDemoOutcomes(db: Kysely<Database>, programme: Pick<SeededProgramme, 'programmeId'>, now: Date): Promise<number> {
  const { programmeId } = programme;
  const on = (daysAgo: number) => ukToday(new Date(now.getTime() - daysAgo * DAY_MS));
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  return db.transaction().execute(async (tx) => {
    const already = await tx.selectFrom('outcome_check_ins').select('id').where('programme_id', '=', programmeId).limit(1).executeTakeFirst();
    if (already !== undefined) return 0;
    const people = await tx
      .selectFrom('people as p')
      .leftJoin('users as u', 'u.id', 'p.coordinator_id')
      .select(['p.id', 'p.name', 'p.coordinator_id', 'u.name as coordinator_name'])
      .where('p.programme_id', '=', programmeId)
      .where('p.name', 'in', DEMO_OUTCOMES.map((d) => d.name))
      .execute();
    let written = 0;
    for (const demo of DEMO_OUTCOMES) {
      const person = people.find((p) => p.name === demo.name);
      // A demo without this person (they were renamed or removed): nothing to add for them.
      if (person === undefined || person.coordinator_id === null || person.coordinator_name === null) continue;
      const by = person.coordinator_id;
      const base = { programmeId, personId: person.id, by };
      for (const c of demo.checkIns) {
        const details = { occasion: c.occasion, checkedOn: on(c.daysAgo), recordedByName: person.coordinator_name, answers: answersOf(c.answers) };
        await insertCheckIn(tx, { ...base, at: at(c.daysAgo), formToken: randomUUID(), details });
      }
      for (const p of demo.periods) {
        const details = { side: p.side, fromOn: on(p.fromDaysAgo), toOn: on(p.toDaysAgo), description: p.description, counts: countsOf(p.counts) };
        await insertPeriod(tx, { ...base, at: at(p.toDaysAgo), formToken: randomUUID(), details });
      }
      written += 1;
    }
    return written;
  });
}
