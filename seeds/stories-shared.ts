import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../src/core/db/schema.ts';
import { ukToday } from '../src/core/http/forms.ts';
import { indicativeCostsFromRecord } from '../src/modules/stories/service.ts';
import type { ConsentHow } from '../src/modules/stories/tables.ts';
import type { SeededProgramme } from './demo.ts';

/**
 * The demo's anonymised stories (src/modules/stories), written from three of the journeys in seeds/stories.ts:
 * each person agreed to a story being shared, two stories are ready for the Leadership Group's report and one is
 * still a draft. The words are a manager's, as the story form would leave them: an initial, an age band, and no
 * names of anyone in their lives. Costs come from the person's verified avoided outcomes when the demo has any,
 * otherwise from the indicative figures in PRODUCT.md.
 */
interface DemoStory {
  /** Whose journey, by the name seeds/stories.ts gives them. */
  name: string;
  coordinator: string;
  consent: { daysAgo: number; how: ConsentHow; note?: string };
  story: {
    daysAgo: number;
    status: 'draft' | 'ready';
    initial: string;
    age: string;
    whatMattered: string;
    whatHappened: string;
    costsAvoided: string | null;
    costsText: string | null;
  };
}

const DEMO_SHARED_STORIES: readonly DemoStory[] = [
  {
    name: 'Gareth Pryce',
    coordinator: 'coordinator.marsh@brookfield.example',
    consent: { daysAgo: 30, how: 'in_person' },
    story: {
      daysAgo: 20,
      status: 'ready',
      initial: 'G',
      age: 'in their 40s',
      whatMattered:
        'After his mum died, the letters about rent arrears kept coming and he was told he would have to leave. In his own words: “I want to stay in Mum’s flat, cook my own tea, and be the one who helps people for a change.”',
      whatHappened:
        'He and his coordinator opened the post together every Tuesday, and a benefits check with the housing association’s money advice put the arrears on a plan he can keep to: the eviction was withdrawn. A neighbour gave a stove and a microwave, a charity a washing machine, which a handyperson scheme plumbed in. He learned to cook three meals with his brother-in-law. Now the two of them use the van to help neighbours move furniture, and have introduced a friend to the coordinator.',
      costsAvoided: '7770.00',
      costsText: 'A complex eviction avoided (indicative unit cost).',
    },
  },
  {
    name: 'Maureen Tilsley',
    coordinator: 'coordinator.hollins@brookfield.example',
    consent: { daysAgo: 25, how: 'in_writing', note: 'Happy for the flower show to be mentioned, not her health.' },
    story: {
      daysAgo: 15,
      status: 'ready',
      initial: 'M',
      age: 'in their 70s',
      whatMattered:
        'Introduced by a PCSO after her door had to be forced, she had no heating and wanted her things left alone. In her words: “To be warm in my own house, with my things, and to have people round for a cup of tea again.”',
      whatHappened:
        'Everything went at her pace: the coordinator visited on the doorstep until she was ready to invite him in. The door was repaired and the heating checked; together they filled in the warm home grant forms, and stair rails were fitted. She chose which room to clear first. An old friend from the flower show now comes for tea every Thursday and takes her to the lunch club, and she is talking about entering the flower show again.',
      costsAvoided: '2030.00',
      costsText: 'A hospital episode (£1,864) and an A&E attendance (£166) avoided (indicative unit costs).',
    },
  },
  {
    name: 'Siobhan Carew',
    coordinator: 'coordinator.marsh@brookfield.example',
    consent: { daysAgo: 10, how: 'by_phone', note: 'Nothing about her child beyond that they eat together.' },
    story: {
      daysAgo: 5,
      status: 'draft',
      initial: 'S',
      age: 'in their 50s',
      whatMattered: 'After her husband died she could not face the house. She wanted a home where friends could come, and the family eating round a table again.',
      whatHappened:
        'She cleared one box a day from the dining room. She joined a walking group in the park, and a table came from the furniture swap. She met another mum in the same situation, with both agreeing, and they now meet for coffee.',
      costsAvoided: null,
      costsText: null,
    },
  },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Writes the demo's consents and stories, as of `now`; the people must already be seeded. Returns how many stories. */
export async function seedDemoStories(db: Kysely<Database>, programme: SeededProgramme, now: Date): Promise<number> {
  const user = (email: string) => {
    const id = programme.userIds[email];
    if (id === undefined) throw new Error(`The demo programme has no ${email}`);
    return id;
  };
  const manager = user('manager@brookfield.example');
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  await db.transaction().execute(async (tx) => {
    for (const demo of DEMO_SHARED_STORIES) {
      const person = await tx
        .selectFrom('people')
        .select('id')
        .where('programme_id', '=', programme.programmeId)
        .where('name', '=', demo.name)
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('story_consents')
        .values({
          programme_id: programme.programmeId,
          person_id: person.id,
          decision: 'given',
          decided_on: ukToday(at(demo.consent.daysAgo)),
          how: demo.consent.how,
          note: demo.consent.note ?? null,
          form_token: randomUUID(),
          recorded_by: user(demo.coordinator),
          recorded_at: at(demo.consent.daysAgo),
        })
        .execute();
      const recorded = await indicativeCostsFromRecord(tx, programme.programmeId, person.id);
      const { costsAvoided, costsText, daysAgo, whatMattered, whatHappened, ...story } = demo.story;
      await tx
        .insertInto('stories')
        .values({
          programme_id: programme.programmeId,
          person_id: person.id,
          ...story,
          what_mattered: whatMattered,
          what_happened: whatHappened,
          costs_avoided: recorded.amount ?? costsAvoided,
          costs_text: recorded.amount === null ? costsText : recorded.text,
          form_token: randomUUID(),
          created_by: manager,
          created_at: at(daysAgo),
          updated_by: manager,
          updated_at: at(daysAgo),
        })
        .execute();
    }
  });
  return DEMO_SHARED_STORIES.length;
}
