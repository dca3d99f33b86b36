import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ukToday } from '../src/core/http/forms.ts';
import type { Database } from '../src/core/db/schema.ts';
import type { SeededProgramme } from './demo.ts';
import { writeJourney, type Journey } from './journeys.ts';

/**
 * The demo programme's people: fictional journeys that follow the stories Local Area Coordination programmes
 * tell of their work (PRODUCT.md), with invented names, places and details. Together they show a living
 * programme: someone just introduced and waiting for a coordinator, people being got to know, people walked
 * alongside for months, someone resting with the door open, someone moved on in their own words, someone
 * re-introduced.
 */
export interface StoryCast {
  marshEnd: string;
  hollinsPark: string;
  /** Amara Okafor, Marsh End. */
  marshCoordinator: string;
  /** Tom Hughes, Hollins Park. */
  hollinsCoordinator: string;
}

export function demoStories(cast: StoryCast): Journey[] {
  const marsh = { areaId: cast.marshEnd, coordinatorId: cast.marshCoordinator };
  const hollins = { areaId: cast.hollinsPark, coordinatorId: cast.hollinsCoordinator };
  return [
    {
      // A man bereaved of his mother, facing eviction for arrears; a benefits check, the eviction withdrawn, a
      // kitchen from the community, learning to cook; his brother-in-law's van then helps others.
      ...marsh,
      name: 'Gareth Pryce',
      preferredName: 'Gaz',
      age: 45,
      postcode: 'BF1 4QT',
      addressLine1: '12 Tannery Row',
      introduction: {
        daysAgo: 240,
        by: 'housing',
        introducerName: 'Kay Lindqvist',
        organisation: 'Brookfield Homes',
        words: 'Mum did everything. Now the letters keep coming and they say I have to leave the flat. I want to stay in my home.',
      },
      events: [
        { daysAgo: 236, kind: 'status', to: 'getting_to_know' },
        { daysAgo: 236, kind: 'journal', how: 'home_visit', entry: 'conversation', minutes: 60, notes: 'First visit with Kay from Brookfield Homes. Gaz showed me his mum\'s photos. A pile of unopened post by the door; he is frightened of it.' },
        { daysAgo: 236, kind: 'themes', themes: ['home_and_housing', 'money_and_debt', 'benefits', 'bereavement', 'managing_daily_life'] },
        { daysAgo: 230, kind: 'circle-join', name: 'Carol Pryce', relationship: 'sister', howTheyHelp: 'Rings most evenings', closeness: 1, supportKind: 'family' },
        { daysAgo: 230, kind: 'circle-join', name: 'Dean Walsh', relationship: 'brother-in-law', closeness: 2, supportKind: 'family' },
        { daysAgo: 230, kind: 'circle-join', name: 'Brookfield Homes', relationship: 'landlord', howTheyHelp: 'Tenancy officer', closeness: 3, supportKind: 'paid' },
        { daysAgo: 224, kind: 'vision', words: 'I want to stay in Mum\'s flat, cook my own tea, and be the one who helps people for a change.' },
        {
          daysAgo: 224,
          kind: 'what-matters',
          whatMatters: 'My home. My sister. Football on a Saturday.',
          gifts: 'Strong, reliable, always on time',
          skills: 'Good with his hands; fixed the bikes at the youth club',
          interests: 'Brookfield Rovers, fishing',
        },
        { daysAgo: 220, kind: 'status', to: 'walking_alongside' },
        {
          daysAgo: 220,
          kind: 'agreement',
          workingOn: 'Keeping the flat; sorting the money; a kitchen that works; learning to cook.',
          whoDoesWhat: 'Gaz opens his post with Amara on Tuesdays. Carol helps with the forms. Amara asks neighbours about a cooker.',
          keepingInTouch: 'Tuesday mornings at the flat; a text if anything urgent comes.',
          reviewInDays: 60,
        },
        { daysAgo: 220, kind: 'step', question: 'gifts', what: 'Open the post together every Tuesday', owner: 'Gaz' },
        { daysAgo: 220, kind: 'step', question: 'gifts', what: 'Learn to cook three meals', owner: 'Gaz' },
        { daysAgo: 220, kind: 'step', question: 'community', what: 'Ask neighbours about a spare cooker and microwave', owner: 'Amara and Gaz' },
        { daysAgo: 220, kind: 'step', question: 'services', what: 'Benefits check with Brookfield Homes money advice', owner: 'Brookfield Homes' },
        { daysAgo: 212, kind: 'step-status', what: 'Open the post together every Tuesday', status: 'under_way' },
        { daysAgo: 212, kind: 'journal', how: 'home_visit', entry: 'practical_action', minutes: 45, notes: 'Opened the post together. Three letters about arrears; rang Brookfield Homes money advice with Gaz on speaker.', steps: ['Open the post together every Tuesday'] },
        { daysAgo: 196, kind: 'step-status', what: 'Benefits check with Brookfield Homes money advice', status: 'done' },
        { daysAgo: 190, kind: 'circle-join', name: 'Mrs Farida Ahmed', relationship: 'neighbour', howTheyHelp: 'Gave her old stove and microwave', closeness: 2, supportKind: 'neighbour' },
        { daysAgo: 190, kind: 'step-status', what: 'Ask neighbours about a spare cooker and microwave', status: 'done' },
        { daysAgo: 190, kind: 'journal', how: 'in_person', entry: 'practical_action', minutes: 90, notes: 'Mrs Ahmed\'s stove and microwave carried over with Dean. Gaz made beans on toast and was very proud.', steps: ['Ask neighbours about a spare cooker and microwave'], people: ['Mrs Farida Ahmed', 'Dean Walsh'] },
        { daysAgo: 183, kind: 'step', question: 'community', what: 'Age UK handyperson to plumb in the donated washing machine', owner: 'Age UK Brookfield' },
        { daysAgo: 170, kind: 'step-status', what: 'Age UK handyperson to plumb in the donated washing machine', status: 'done' },
        { daysAgo: 160, kind: 'circle-change', name: 'Dean Walsh', closeness: 1, howTheyHelp: 'Cooks with Gaz on Sundays; lends his van' },
        { daysAgo: 150, kind: 'step-status', what: 'Learn to cook three meals', status: 'done' },
        { daysAgo: 150, kind: 'journal', how: 'home_visit', entry: 'conversation', minutes: 30, notes: 'Eviction proceedings withdrawn: the arrears are on a plan Gaz can keep to. He cooked shepherd\'s pie.', steps: ['Learn to cook three meals'] },
        {
          daysAgo: 130,
          kind: 'agreement',
          workingOn: 'Staying on top of the money; helping others with Dean\'s van.',
          whoDoesWhat: 'Gaz opens the post himself and rings Amara if stuck. Dean and Gaz help neighbours move furniture.',
          keepingInTouch: 'A call every other week.',
          reviewInDays: 140,
        },
        { daysAgo: 12, kind: 'journal', how: 'phone', entry: 'conversation', minutes: 15, notes: 'Gaz and Dean moved a wardrobe for a neighbour on Tannery Row. Dean\'s friend Mo would like to meet Amara.' },
      ],
    },
    {
      // An older woman whose home is full, with no heating and sore legs, introduced by a PCSO after the police
      // had to force her door. Everything at her own pace.
      ...hollins,
      name: 'Maureen Tilsley',
      age: 71,
      postcode: 'BF3 2HL',
      addressLine1: '4 Quarry Lane',
      introduction: {
        daysAgo: 150,
        by: 'police',
        introducerName: 'PCSO Dan Rees',
        organisation: 'Brookfield Neighbourhood Policing',
        words: 'Leave my things alone. I would like to be warm, and my legs to stop hurting.',
      },
      events: [
        { daysAgo: 146, kind: 'status', to: 'getting_to_know' },
        {
          daysAgo: 146,
          kind: 'concern',
          raisedBy: 'Tom Hughes',
          concern: 'No heating in cold weather, and the front door does not lock since it was forced.',
          whatWasDone: 'Talked with Maureen; with her agreement, asked Brookfield Homes for an urgent door repair and a heating check.',
          informedWho: 'Duty safeguarding officer',
          informedOrganisation: 'Brookfield Adult Social Care',
          closed: { daysAgo: 120, outcome: 'Door repaired and heating working; Maureen says she feels safe at home.' },
        },
        { daysAgo: 146, kind: 'journal', how: 'home_visit', entry: 'conversation', minutes: 20, notes: 'Spoke on the doorstep. Maureen did not want me inside yet, which is fine. She asked me to come back next Thursday.' },
        { daysAgo: 139, kind: 'journal', how: 'home_visit', entry: 'conversation', minutes: 40, notes: 'Invited in to the kitchen. No heating; she wears her coat indoors. Her legs are sore but she does not want the GP called.' },
        { daysAgo: 140, kind: 'themes', themes: ['home_and_housing', 'physical_health', 'loneliness_and_isolation', 'managing_daily_life', 'safety'] },
        { daysAgo: 120, kind: 'vision', words: 'To be warm in my own house, with my things, and to have people round for a cup of tea again.' },
        {
          daysAgo: 120,
          kind: 'what-matters',
          whatMatters: 'My late husband\'s records and books. The cat. Being left to decide for myself.',
          gifts: 'Knows every plant by name',
          experience: 'Ran the Hollins Park flower show for twenty years',
        },
        { daysAgo: 118, kind: 'circle-join', name: 'Sid', relationship: 'the cat', closeness: 1, supportKind: 'family' },
        { daysAgo: 118, kind: 'circle-join', name: 'Janet Cole', relationship: 'old friend from the flower show', closeness: 3, supportKind: 'friend' },
        { daysAgo: 100, kind: 'status', to: 'walking_alongside' },
        {
          daysAgo: 100,
          kind: 'agreement',
          workingOn: 'Heating; getting up and down the stairs safely; seeing friends again.',
          whoDoesWhat: 'Maureen chooses one room at a time. Tom helps with the grant forms. Janet comes for tea on Thursdays.',
          keepingInTouch: 'Tom visits on Thursday afternoons; Maureen does not use the phone.',
          reviewInDays: 90,
        },
        { daysAgo: 100, kind: 'step', question: 'gifts', what: 'Choose which room to clear first', owner: 'Maureen' },
        { daysAgo: 100, kind: 'step', question: 'community', what: 'Thursday tea with Janet', owner: 'Janet Cole' },
        { daysAgo: 100, kind: 'step', question: 'services', what: 'Warm home grant forms', owner: 'Tom and Maureen' },
        { daysAgo: 100, kind: 'step', question: 'services', what: 'Stair rails fitted', owner: 'Brookfield Care and Repair' },
        { daysAgo: 80, kind: 'step-status', what: 'Warm home grant forms', status: 'done' },
        { daysAgo: 62, kind: 'step-status', what: 'Stair rails fitted', status: 'done' },
        { daysAgo: 60, kind: 'circle-change', name: 'Janet Cole', closeness: 2, howTheyHelp: 'Tea every Thursday; takes her to the lunch club' },
        { daysAgo: 45, kind: 'step-status', what: 'Choose which room to clear first', status: 'under_way' },
        { daysAgo: 45, kind: 'journal', how: 'home_visit', entry: 'practical_action', minutes: 120, notes: 'Cleared half the front room together; Maureen decided what stayed. Found her flower show cups.', steps: ['Choose which room to clear first'] },
        { daysAgo: 8, kind: 'journal', how: 'community_venue', entry: 'conversation', minutes: 60, notes: 'Met Maureen and Janet at the lunch club. She is talking about entering the flower show again.', people: ['Janet Cole'] },
      ],
    },
    {
      // A widow with arthritis, a full house and a teenager who is transgender, introduced by a mental health
      // charity: a walking group, a dining table, and another mum in the same situation.
      ...marsh,
      name: 'Siobhan Carew',
      age: 52,
      postcode: 'BF2 7NP',
      introduction: {
        daysAgo: 180,
        by: 'mental_health',
        introducerName: 'Lou Pereira',
        organisation: 'Brookfield Mind',
        words: 'Since Frank died I can\'t face the house. I want us to eat together at a table again, and for Alex to be happy.',
      },
      events: [
        { daysAgo: 176, kind: 'status', to: 'getting_to_know' },
        { daysAgo: 170, kind: 'themes', themes: ['bereavement', 'mental_wellbeing', 'physical_health', 'managing_daily_life', 'family_and_caring'] },
        { daysAgo: 165, kind: 'vision', words: 'A home we can have friends in, eating round a table, and Alex being who they are without a fight.' },
        { daysAgo: 165, kind: 'what-matters', whatMatters: 'Alex. Frank\'s garden.', gifts: 'Warm, funny, a great listener', skills: 'Used to sew costumes for the panto' },
        { daysAgo: 160, kind: 'circle-join', name: 'Alex Carew', relationship: 'child (they/them)', closeness: 1, supportKind: 'family' },
        { daysAgo: 160, kind: 'circle-join', name: 'Lou Pereira', relationship: 'Brookfield Mind', closeness: 3, supportKind: 'paid' },
        { daysAgo: 150, kind: 'status', to: 'walking_alongside' },
        {
          daysAgo: 150,
          kind: 'agreement',
          workingOn: 'Clearing the dining room; getting out walking; finding other parents who understand.',
          whoDoesWhat: 'Siobhan clears one box a day. Amara finds the walking group. Alex helps choose a table.',
          keepingInTouch: 'Fortnightly at the Marsh End community café.',
          reviewInDays: 155,
        },
        { daysAgo: 150, kind: 'step', question: 'gifts', what: 'Clear one box a day from the dining room', owner: 'Siobhan' },
        { daysAgo: 150, kind: 'step', question: 'community', what: 'Join the Tuesday walking group at Marsh End park', owner: 'Siobhan' },
        { daysAgo: 150, kind: 'step', question: 'community', what: 'A dining table from the furniture swap', owner: 'Amara' },
        { daysAgo: 135, kind: 'circle-join', name: 'Tuesday walking group', relationship: 'walking group', closeness: 2, supportKind: 'community' },
        { daysAgo: 135, kind: 'step-status', what: 'Join the Tuesday walking group at Marsh End park', status: 'done' },
        { daysAgo: 110, kind: 'step-status', what: 'A dining table from the furniture swap', status: 'done' },
        { daysAgo: 110, kind: 'journal', how: 'home_visit', entry: 'practical_action', minutes: 60, notes: 'Table delivered from the furniture swap. Alex laid it for tea.', steps: ['A dining table from the furniture swap'], people: ['Alex Carew'] },
        { daysAgo: 90, kind: 'step-status', what: 'Clear one box a day from the dining room', status: 'done' },
        { daysAgo: 40, kind: 'circle-leave', name: 'Lou Pereira' },
        { daysAgo: 20, kind: 'journal', how: 'community_venue', entry: 'conversation', minutes: 45, notes: 'Coffee at the café. Siobhan and Nadia have met twice; both glad of it.' },
      ],
    },
    {
      // The other mum in the same situation; the two are introduced to each other with both agreeing.
      ...marsh,
      name: 'Nadia Brennan',
      age: 44,
      postcode: 'BF2 3AD',
      introduction: {
        daysAgo: 120,
        by: 'school_or_college',
        introducerName: 'Mrs Okon',
        organisation: 'Marsh End Academy',
        words: 'My daughter has come out as trans and I want to get it right for her. I don\'t know anyone who has been through it.',
      },
      events: [
        { daysAgo: 115, kind: 'status', to: 'getting_to_know' },
        { daysAgo: 115, kind: 'themes', themes: ['family_and_caring', 'mental_wellbeing'] },
        { daysAgo: 100, kind: 'vision', words: 'My girl thriving, and me having people to talk to who get it.' },
        { daysAgo: 90, kind: 'status', to: 'walking_alongside' },
        { daysAgo: 30, kind: 'journal', how: 'video', entry: 'conversation', minutes: 30, notes: 'Nadia would like to meet another parent; asked Siobhan, who said yes.' },
      ],
    },
    {
      // A single mother new to the area, caring for a son with cerebral palsy: her own vision of a good life
      // first, which then lets her work with services on his independence.
      ...hollins,
      name: 'Leanne Adeyemi',
      age: 33,
      postcode: 'BF4 1RW',
      introduction: {
        daysAgo: 90,
        by: 'childrens_services',
        introducerName: 'Ben Hart',
        organisation: 'Brookfield Children\'s Services',
        words: 'Everyone asks about Kai. Nobody asks about me. I\'ve just moved here and I don\'t know a soul.',
      },
      events: [
        { daysAgo: 85, kind: 'status', to: 'getting_to_know' },
        { daysAgo: 80, kind: 'vision', words: 'To finish my hairdressing course, to have a friend to go to the pictures with, and for Kai to do more for himself.' },
        { daysAgo: 80, kind: 'themes', themes: ['family_and_caring', 'loneliness_and_isolation', 'learning_volunteering_and_work'] },
        { daysAgo: 80, kind: 'what-matters', whatMatters: 'Kai. Getting my qualification.', gifts: 'Does hair beautifully', experience: 'Two years at a salon before Kai was born' },
        { daysAgo: 75, kind: 'circle-join', name: 'Kai Adeyemi', relationship: 'son', closeness: 1, supportKind: 'family' },
        { daysAgo: 60, kind: 'status', to: 'walking_alongside' },
        {
          daysAgo: 60,
          kind: 'agreement',
          workingOn: 'Leanne\'s course; meeting people nearby; Kai\'s independence, with his school.',
          whoDoesWhat: 'Leanne asks the college about evening classes. Tom introduces her to the Hollins Park parents\' group.',
          keepingInTouch: 'Texts, and a walk round the park every fortnight.',
          reviewInDays: 70,
        },
        { daysAgo: 60, kind: 'step', question: 'gifts', what: 'Offer haircuts at the parents\' group', owner: 'Leanne' },
        { daysAgo: 60, kind: 'step', question: 'community', what: 'Go to the Hollins Park parents\' group', owner: 'Leanne' },
        { daysAgo: 60, kind: 'step', question: 'services', what: 'Evening hairdressing course at Brookfield College', owner: 'Brookfield College' },
        { daysAgo: 60, kind: 'step', question: 'services', what: 'Independence plan for Kai with his school', owner: 'Kai\'s school' },
        { daysAgo: 45, kind: 'circle-join', name: 'Precious Mbeki', relationship: 'friend from the parents\' group', closeness: 2, supportKind: 'friend' },
        { daysAgo: 45, kind: 'step-status', what: 'Go to the Hollins Park parents\' group', status: 'done' },
        { daysAgo: 30, kind: 'step-status', what: 'Evening hairdressing course at Brookfield College', status: 'under_way' },
        { daysAgo: 30, kind: 'journal', how: 'message', entry: 'conversation', notes: 'Leanne started the course. Precious is minding Kai on Wednesday evenings.', people: ['Precious Mbeki'] },
        {
          daysAgo: 6,
          kind: 'concern',
          raisedBy: 'Tom Hughes',
          concern: 'Leanne mentioned a neighbour shouting at Kai in the stairwell and following them to the door.',
          whatWasDone: 'Listened; agreed with Leanne that she would keep a note, and that Tom would let the housing officer know.',
          informedWho: 'Neighbourhood housing officer',
          informedOrganisation: 'Brookfield Homes',
        },
        { daysAgo: 4, kind: 'journal', how: 'in_person', entry: 'conversation', minutes: 40, notes: 'Walk round the park. Leanne has done three haircuts at the parents\' group and wants to talk to Kai\'s school about him using the bus.' },
      ],
    },
    {
      // Resting, with the door open.
      ...hollins,
      name: 'Colin Mabry',
      age: 67,
      postcode: 'BF3 9EE',
      introduction: {
        daysAgo: 300,
        by: 'gp_primary_care',
        organisation: 'Hollins Park Surgery',
        words: 'Since I retired I don\'t speak to anyone from one week to the next.',
      },
      events: [
        { daysAgo: 295, kind: 'status', to: 'getting_to_know' },
        { daysAgo: 290, kind: 'themes', themes: ['loneliness_and_isolation'] },
        { daysAgo: 280, kind: 'vision', words: 'Something to get up for, and people to have a laugh with.' },
        { daysAgo: 270, kind: 'status', to: 'walking_alongside' },
        { daysAgo: 270, kind: 'step', question: 'community', what: 'Try the allotment society open day', owner: 'Colin' },
        { daysAgo: 240, kind: 'step-status', what: 'Try the allotment society open day', status: 'done' },
        { daysAgo: 240, kind: 'circle-join', name: 'Hollins Park Allotment Society', relationship: 'allotment', closeness: 2, supportKind: 'community' },
        { daysAgo: 120, kind: 'status', to: 'resting', reason: 'Colin is busy at the allotment and will ring if he wants to talk.' },
      ],
    },
    {
      // Moved on, in her own words.
      ...marsh,
      name: 'Shirin Haddad',
      age: 34,
      postcode: 'BF1 2JS',
      introduction: { daysAgo: 330, by: 'self', words: 'I want to work again after being ill, but I have lost my confidence.' },
      events: [
        { daysAgo: 325, kind: 'status', to: 'getting_to_know' },
        { daysAgo: 320, kind: 'themes', themes: ['learning_volunteering_and_work', 'mental_wellbeing'] },
        { daysAgo: 300, kind: 'status', to: 'walking_alongside' },
        { daysAgo: 300, kind: 'step', question: 'gifts', what: 'Volunteer at the library homework club', owner: 'Shirin' },
        { daysAgo: 250, kind: 'step-status', what: 'Volunteer at the library homework club', status: 'done' },
        { daysAgo: 90, kind: 'status', to: 'moved_on', reason: 'I got the job at the library and I have my friends around me now.' },
      ],
    },
    {
      // Rested, then back in touch through his daughter: a re-introduction.
      ...marsh,
      name: 'Kofi Mensah',
      age: 79,
      postcode: 'BF1 8LU',
      introduction: { daysAgo: 400, by: 'family_or_friend', introducerName: 'Ama Mensah', words: 'Dad is on his own since Mum went into the home.' },
      events: [
        { daysAgo: 395, kind: 'status', to: 'getting_to_know' },
        { daysAgo: 380, kind: 'status', to: 'walking_alongside' },
        { daysAgo: 200, kind: 'status', to: 'resting', reason: 'Kofi feels settled with the church lunch club.' },
        {
          daysAgo: 14,
          kind: 'reintroduction',
          by: 'family_or_friend',
          introducerName: 'Ama Mensah',
          words: 'The lunch club has closed and Dad has stopped going out.',
        },
      ],
    },
    {
      // Just introduced, recorded by the manager: waiting for a coordinator.
      areaId: cast.hollinsPark,
      coordinatorId: null,
      name: 'Derek Foyle',
      age: 58,
      postcode: 'BF4 6TT',
      introduction: {
        daysAgo: 5,
        by: 'social_prescribing',
        introducerName: 'Sunita Rao',
        organisation: 'Brookfield Primary Care Network',
        words: 'Struggling since the accident; wants to get out of the house.',
        knows: 'knows_not_agreed',
      },
      events: [],
    },
    {
      // Just introduced by herself, in Marsh End.
      ...marsh,
      name: 'Ruth Ellery',
      age: 26,
      postcode: 'BF2 5PB',
      introduction: { daysAgo: 2, by: 'self', words: 'I saw the poster in the launderette. I\'d like to meet people round here.' },
      events: [],
    },
  ];
}

/** People the demo connects with both their agreement: two mums in the same situation. */
export const DEMO_CONNECTIONS = [
  { between: ['Siobhan Carew', 'Nadia Brennan'], daysAgo: 28, why: 'Both mums of a trans teenager; both wanted to talk to someone who understands.' },
] as const;

/** Writes the demo's people into the demo programme, in one transaction, as of `now`. */
export async function seedDemoPeople(db: Kysely<Database>, programme: SeededProgramme, now: Date): Promise<number> {
  const user = (email: string) => {
    const id = programme.userIds[email];
    if (id === undefined) throw new Error(`The demo programme has no ${email}`);
    return id;
  };
  const journeys = demoStories({
    marshEnd: programme.areaIds.marsh,
    hollinsPark: programme.areaIds.hollins,
    marshCoordinator: user('coordinator.marsh@brookfield.example'),
    hollinsCoordinator: user('coordinator.hollins@brookfield.example'),
  });
  const manager = user('manager@brookfield.example');
  await db.transaction().execute(async (tx) => {
    const ids = new Map<string, string>();
    for (const journey of journeys) ids.set(journey.name, await writeJourney(tx, programme.programmeId, journey, now, manager));
    for (const connection of DEMO_CONNECTIONS) {
      // Each pair is kept once, the lower id first (see migrations/0006_journal.ts).
      const [first, second] = connection.between.map((name) => ids.get(name) ?? '').sort();
      const agreedAt = new Date(now.getTime() - connection.daysAgo * 24 * 60 * 60 * 1000);
      await tx
        .insertInto('person_connections')
        .values({
          programme_id: programme.programmeId,
          first_person_id: first ?? '',
          second_person_id: second ?? '',
          why: connection.why,
          agreed_on: ukToday(agreedAt),
          form_token: randomUUID(),
          recorded_at: agreedAt,
          recorded_by: user('coordinator.marsh@brookfield.example'),
        })
        .execute();
    }
  });
  return journeys.length;
}
