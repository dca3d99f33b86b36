import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../src/core/db/schema.ts';
import { ukToday } from '../src/core/http/forms.ts';
import type { AssetCategory, ScheduleDay } from '../src/modules/assets/tables.ts';
import type { SeededProgramme } from './demo.ts';

/**
 * The demo programme's community: a small, fictional postcode list for Brookfield (BF1 and BF2 in Marsh End, BF3
 * and BF4 in Hollins Park, around a made-up place near 53.40° N, 2.15° W), and about twenty assets of every kind
 * across both neighbourhoods, with when they meet, some in the public directory, some not checked for a long time,
 * one no longer running. Some of the demo's people have them in their lives, as their stories tell.
 *
 * Everything here is invented, the coordinates too. Written with the owner's connection, like every seed.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Fictional postcodes: the demo people's own, and the assets'. */
export const DEMO_POSTCODES: readonly { postcode: string; latitude: number; longitude: number }[] = [
  { postcode: 'BF1 2JS', latitude: 53.4105, longitude: -2.1702 },
  { postcode: 'BF1 2LB', latitude: 53.4098, longitude: -2.169 },
  { postcode: 'BF1 3WG', latitude: 53.408, longitude: -2.1655 },
  { postcode: 'BF1 4QS', latitude: 53.4052, longitude: -2.1628 },
  { postcode: 'BF1 4QT', latitude: 53.405, longitude: -2.162 },
  { postcode: 'BF1 4RC', latitude: 53.4044, longitude: -2.1609 },
  { postcode: 'BF1 4TS', latitude: 53.4039, longitude: -2.1598 },
  { postcode: 'BF1 5DW', latitude: 53.4068, longitude: -2.1585 },
  { postcode: 'BF1 8LU', latitude: 53.411, longitude: -2.156 },
  { postcode: 'BF2 3AD', latitude: 53.4012, longitude: -2.1712 },
  { postcode: 'BF2 3FB', latitude: 53.402, longitude: -2.169 },
  { postcode: 'BF2 4SA', latitude: 53.403, longitude: -2.1668 },
  { postcode: 'BF2 5PB', latitude: 53.4002, longitude: -2.1655 },
  { postcode: 'BF2 7MN', latitude: 53.3995, longitude: -2.173 },
  { postcode: 'BF2 7NP', latitude: 53.399, longitude: -2.17 },
  { postcode: 'BF3 1BH', latitude: 53.4028, longitude: -2.1445 },
  { postcode: 'BF3 2HL', latitude: 53.4015, longitude: -2.141 },
  { postcode: 'BF3 4PC', latitude: 53.3998, longitude: -2.1385 },
  { postcode: 'BF3 5AS', latitude: 53.3985, longitude: -2.143 },
  { postcode: 'BF3 7MU', latitude: 53.4005, longitude: -2.1352 },
  { postcode: 'BF3 9EE', latitude: 53.397, longitude: -2.1368 },
  { postcode: 'BF4 1RW', latitude: 53.3955, longitude: -2.132 },
  { postcode: 'BF4 2CH', latitude: 53.3962, longitude: -2.1298 },
  { postcode: 'BF4 3AU', latitude: 53.3948, longitude: -2.1275 },
  { postcode: 'BF4 6KB', latitude: 53.3935, longitude: -2.131 },
  { postcode: 'BF4 6TT', latitude: 53.393, longitude: -2.134 },
  // Ashby Fields (BF5, BF6), north of the canal, and Kiln Lane (BF7, BF8), south of the old brickworks.
  { postcode: 'BF5 1AF', latitude: 53.4182, longitude: -2.1451 },
  { postcode: 'BF5 2GR', latitude: 53.4168, longitude: -2.1402 },
  { postcode: 'BF5 4HW', latitude: 53.4151, longitude: -2.1476 },
  { postcode: 'BF6 1PL', latitude: 53.4139, longitude: -2.1388 },
  { postcode: 'BF6 3ND', latitude: 53.4197, longitude: -2.1362 },
  { postcode: 'BF7 1HL', latitude: 53.3884, longitude: -2.1611 },
  { postcode: 'BF7 2BR', latitude: 53.3871, longitude: -2.1574 },
  { postcode: 'BF8 2WS', latitude: 53.3838, longitude: -2.1556 },
  { postcode: 'BF8 4TA', latitude: 53.3826, longitude: -2.1603 },
];

interface DemoSchedule {
  /** Every week, or the nth (-1: last) such day of the month. */
  week?: 1 | 2 | 3 | 4 | -1;
  day: ScheduleDay;
  opens?: string;
  closes?: string;
  note?: string;
}

interface DemoAsset<Area extends string = 'marsh' | 'hollins'> {
  key: string;
  area: Area;
  category: AssetCategory;
  name: string;
  description: string;
  address?: string;
  postcode?: string;
  /** Days ago the person with gifts agreed to be listed. */
  agreedDaysAgo?: number;
  contactName?: string;
  phone?: string;
  email?: string;
  website?: string;
  welcomes?: string;
  accessibility?: string;
  free?: boolean;
  cost?: string;
  tags: string[];
  public: boolean;
  /** The key of the organisation that runs it. */
  runBy?: string;
  schedules?: DemoSchedule[];
  recordedDaysAgo: number;
  /** Days ago last checked; absent: never checked since recorded. */
  checkedDaysAgo?: number;
  closedDaysAgo?: number;
}

/** Organisations first: others name them as the one that runs them. */
export const DEMO_ASSETS: readonly DemoAsset[] = [
  {
    key: 'churches',
    area: 'marsh',
    category: 'organisation',
    name: 'Brookfield Churches Together',
    description: 'The churches of Marsh End working together: they run the food bank and lend the church hall.',
    address: "St Aidan's, Canal Street",
    postcode: 'BF2 4SA',
    contactName: 'Revd Ruth Okonjo',
    phone: '01632 960 114',
    tags: ['faith', 'volunteering'],
    public: true,
    recordedDaysAgo: 400,
    checkedDaysAgo: 60,
  },
  {
    key: 'libraries',
    area: 'marsh',
    category: 'organisation',
    name: 'Brookfield Libraries',
    description: 'The borough council’s library service: books, computers, help with forms, and rooms for groups.',
    website: 'https://libraries.brookfield.example',
    tags: ['library', 'computers', 'help with forms'],
    public: true,
    recordedDaysAgo: 400,
    checkedDaysAgo: 30,
  },
  {
    key: 'mind',
    area: 'marsh',
    category: 'organisation',
    name: 'Brookfield Mind',
    description: 'Mental health charity: drop-in, peer support groups and someone to talk to.',
    address: '4 Mill Lane',
    postcode: 'BF2 7MN',
    phone: '01632 960 220',
    tags: ['mental health', 'peer support'],
    public: true,
    recordedDaysAgo: 700,
    checkedDaysAgo: 600,
  },
  {
    key: 'ageuk',
    area: 'hollins',
    category: 'organisation',
    name: 'Age UK Brookfield',
    description: 'Advice, a handyperson service and the Thursday lunch club for older people.',
    address: 'Unit 3, Parkside Parade',
    postcode: 'BF4 3AU',
    phone: '01632 960 331',
    website: 'https://ageuk-brookfield.example',
    tags: ['older people', 'advice', 'handyperson'],
    public: true,
    recordedDaysAgo: 380,
    checkedDaysAgo: 45,
  },
  {
    key: 'homes',
    area: 'hollins',
    category: 'organisation',
    name: 'Brookfield Homes',
    description: 'Housing association with a money advice team for its tenants.',
    address: 'Brookfield House, Station Road',
    postcode: 'BF3 1BH',
    phone: '01632 960 400',
    tags: ['housing', 'money advice'],
    public: false,
    recordedDaysAgo: 500,
  },
  {
    key: 'walking',
    area: 'marsh',
    category: 'association',
    name: 'Tuesday walking group',
    description: 'A gentle hour round Marsh End park and along the canal, then tea. Nobody gets left behind.',
    address: 'Marsh End park gates, Park Road',
    postcode: 'BF1 3WG',
    contactName: 'Bev Tranter',
    phone: '07700 900 118',
    welcomes: 'Anyone, at any pace. Dogs welcome on leads.',
    accessibility: 'Flat paths; one stile on the canal loop, with a way round it.',
    free: true,
    tags: ['walking', 'outdoors', 'older people', 'bereavement'],
    public: true,
    schedules: [{ day: 'TU', opens: '10:00', closes: '11:30', note: 'Meet at the park gates' }],
    recordedDaysAgo: 360,
    checkedDaysAgo: 20,
  },
  {
    key: 'repair',
    area: 'marsh',
    category: 'association',
    name: 'Marsh End Repair Café',
    description: 'Bring something broken (a toaster, a bike, a torn coat) and fix it with a volunteer. Tea and cake.',
    address: 'Tannery Row community room',
    postcode: 'BF1 4RC',
    free: true,
    cost: 'Donations welcome',
    tags: ['repair', 'fixing', 'volunteering'],
    public: true,
    schedules: [{ week: -1, day: 'SA', opens: '10:00', closes: '13:00' }],
    recordedDaysAgo: 300,
    checkedDaysAgo: 90,
  },
  {
    key: 'foodbank',
    area: 'marsh',
    category: 'organisation',
    name: 'Marsh End Food Bank',
    description: 'Food parcels and toiletries, and a warm drink and a chat while you wait. No voucher needed.',
    address: 'Canal Street',
    postcode: 'BF2 3FB',
    welcomes: 'Anyone who needs food.',
    accessibility: 'Step-free; seating inside.',
    free: true,
    tags: ['food', 'money'],
    public: true,
    runBy: 'churches',
    schedules: [
      { day: 'WE', opens: '12:00', closes: '15:00' },
      { day: 'FR', opens: '12:00', closes: '15:00' },
    ],
    recordedDaysAgo: 390,
    checkedDaysAgo: 10,
  },
  {
    key: 'hall',
    area: 'marsh',
    category: 'place',
    name: "St Aidan's church hall",
    description: 'A big hall with a kitchen that groups can use, and a coffee morning on Thursdays.',
    address: "St Aidan's, Canal Street",
    postcode: 'BF2 4SA',
    accessibility: 'Ramp at the side door; accessible toilet; hearing loop.',
    cost: 'Free for community groups; £12 an hour otherwise',
    tags: ['venue', 'coffee morning', 'kitchen'],
    public: true,
    runBy: 'churches',
    schedules: [{ day: 'TH', opens: '10:00', closes: '12:00', note: 'Coffee morning' }],
    recordedDaysAgo: 400,
    checkedDaysAgo: 500,
  },
  {
    key: 'library',
    area: 'marsh',
    category: 'place',
    name: 'Marsh End Library',
    description: 'Books, free computers and wifi, a warm space, and help to get online.',
    address: 'Library Walk',
    postcode: 'BF1 2LB',
    accessibility: 'Step-free; lift to the first floor.',
    free: true,
    tags: ['library', 'computers', 'warm space'],
    public: true,
    runBy: 'libraries',
    schedules: [
      { day: 'TU', opens: '09:00', closes: '17:00' },
      { day: 'TH', opens: '09:00', closes: '19:00' },
      { day: 'SA', opens: '10:00', closes: '13:00' },
    ],
    recordedDaysAgo: 400,
    checkedDaysAgo: 30,
  },
  {
    key: 'chess',
    area: 'marsh',
    category: 'association',
    name: 'Marsh End Chess Club',
    description: 'Friendly chess for all levels; boards provided. Beginners taught.',
    address: 'Marsh End Library, Library Walk',
    postcode: 'BF1 2LB',
    cost: '£1 a night',
    tags: ['chess', 'games'],
    public: true,
    schedules: [{ day: 'TH', opens: '19:00', closes: '21:30' }],
    recordedDaysAgo: 250,
  },
  {
    key: 'heritage',
    area: 'marsh',
    category: 'culture',
    name: 'Marsh End Heritage Society',
    description: 'Local history talks, old photographs of the tannery and the canal, and the mural trail walk.',
    address: 'Marsh End Library, Library Walk',
    postcode: 'BF1 2LB',
    cost: '£2 a talk',
    tags: ['history', 'talks', 'photographs'],
    public: true,
    schedules: [{ week: 2, day: 'TU', opens: '19:00', closes: '21:00' }],
    recordedDaysAgo: 420,
    checkedDaysAgo: 400,
  },
  {
    key: 'stores',
    area: 'marsh',
    category: 'business',
    name: 'Tannery Row Stores',
    description: 'Corner shop with the community noticeboard; gives its short-dated food to the food bank.',
    address: '2 Tannery Row',
    postcode: 'BF1 4TS',
    tags: ['shop', 'noticeboard', 'food'],
    public: false,
    recordedDaysAgo: 200,
    checkedDaysAgo: 100,
  },
  {
    key: 'farida',
    area: 'marsh',
    category: 'gifts',
    name: 'Farida Ahmed',
    description: 'Teaches simple home cooking to anyone who wants to learn, in their kitchen or hers.',
    postcode: 'BF1 4QS',
    agreedDaysAgo: 170,
    contactName: 'Farida Ahmed',
    phone: '07700 900 442',
    tags: ['cooking', 'food'],
    public: false,
    recordedDaysAgo: 170,
    checkedDaysAgo: 50,
  },
  {
    key: 'dean',
    area: 'marsh',
    category: 'gifts',
    name: 'Dean Walsh',
    description: 'Has a van and a free Saturday: helps people move furniture and white goods.',
    postcode: 'BF1 5DW',
    agreedDaysAgo: 150,
    contactName: 'Dean Walsh',
    tags: ['van', 'moving', 'furniture'],
    public: false,
    recordedDaysAgo: 150,
  },
  {
    key: 'mutualaid',
    area: 'marsh',
    category: 'association',
    name: 'Marsh End Mutual Aid',
    description: 'A WhatsApp group of neighbours: lifts, shopping, lending things, finding help fast.',
    contactName: 'Jade Kowalski',
    free: true,
    tags: ['whatsapp', 'neighbours', 'lifts'],
    public: false,
    recordedDaysAgo: 220,
    checkedDaysAgo: 40,
  },
  {
    key: 'toddlers',
    area: 'marsh',
    category: 'association',
    name: 'Marsh End Toddler Group',
    description: 'Play and songs for under-fives and their grown-ups.',
    postcode: 'BF2 4SA',
    tags: ['children', 'parents'],
    public: true,
    schedules: [{ day: 'MO', opens: '09:30', closes: '11:30' }],
    recordedDaysAgo: 500,
    checkedDaysAgo: 200,
    closedDaysAgo: 60,
  },
  {
    key: 'allotments',
    area: 'hollins',
    category: 'association',
    name: 'Hollins Park Allotment Society',
    description: 'Plots to share and a Saturday work party; new growers are paired with old hands.',
    address: 'Allotments, Brook Lane',
    postcode: 'BF3 5AS',
    contactName: 'Ivor Pritchard',
    cost: '£15 a year for a half plot',
    tags: ['gardening', 'outdoors', 'food'],
    public: true,
    schedules: [{ day: 'SA', opens: '09:00', closes: '12:00', note: 'Work party; open day on the first Saturday' }],
    recordedDaysAgo: 400,
    checkedDaysAgo: 35,
  },
  {
    key: 'hub',
    area: 'hollins',
    category: 'place',
    name: 'Hollins Park Community Hub',
    description: 'Café, rooms to book, a free phone and computer, and advice sessions.',
    address: 'Parkside Parade',
    postcode: 'BF4 2CH',
    accessibility: 'Step-free; accessible toilet; quiet room.',
    tags: ['venue', 'café', 'advice', 'warm space'],
    public: true,
    schedules: [
      { day: 'MO', opens: '09:00', closes: '16:00' },
      { day: 'WE', opens: '09:00', closes: '16:00' },
      { day: 'FR', opens: '09:00', closes: '16:00' },
    ],
    recordedDaysAgo: 380,
    checkedDaysAgo: 25,
  },
  {
    key: 'lunchclub',
    area: 'hollins',
    category: 'association',
    name: 'Thursday lunch club',
    description: 'A hot two-course lunch and company, with a quiz or a singer most weeks.',
    address: 'Hollins Park Community Hub, Parkside Parade',
    postcode: 'BF4 2CH',
    welcomes: 'Anyone over 60.',
    cost: '£4.50 for lunch',
    tags: ['older people', 'food', 'company'],
    public: true,
    runBy: 'ageuk',
    schedules: [{ day: 'TH', opens: '12:00', closes: '14:00' }],
    recordedDaysAgo: 380,
    checkedDaysAgo: 25,
  },
  {
    key: 'cafe',
    area: 'hollins',
    category: 'business',
    name: 'Parkside Café',
    description: 'Pay-it-forward coffee, and the back room free for groups in the afternoons.',
    address: '9 Parkside Parade',
    postcode: 'BF3 4PC',
    tags: ['café', 'venue'],
    public: true,
    schedules: [{ day: 'MO', opens: '08:00', closes: '15:00', note: 'Open Monday to Saturday' }],
    recordedDaysAgo: 260,
    checkedDaysAgo: 400,
  },
  {
    key: 'mural',
    area: 'hollins',
    category: 'culture',
    name: 'The canal mural',
    description: 'Painted by Hollins Park children in 2019 with the stories their grandparents told of the mills.',
    address: 'Canal towpath by Brook Lane bridge',
    postcode: 'BF3 7MU',
    free: true,
    tags: ['history', 'art', 'outdoors'],
    public: true,
    recordedDaysAgo: 330,
    checkedDaysAgo: 330,
  },
  {
    key: 'kwame',
    area: 'hollins',
    category: 'gifts',
    name: 'Kwame Boateng',
    description: 'Fixes bikes, and teaches anyone who wants to learn to fix their own.',
    postcode: 'BF4 6KB',
    agreedDaysAgo: 90,
    contactName: 'Kwame Boateng',
    tags: ['bikes', 'repair'],
    public: false,
    recordedDaysAgo: 90,
    checkedDaysAgo: 90,
  },
];

/**
 * The wider demo neighbourhoods' assets (seeds/generate.ts adds those neighbourhoods and their generated people):
 * fewer than Marsh End's and Hollins Park's, enough that a manager's community pages and map show every
 * neighbourhood with something in it.
 */
export const DEMO_NEIGHBOUR_ASSETS: readonly DemoAsset<'Ashby Fields' | 'Kiln Lane'>[] = [
  {
    key: 'ashby-tenants',
    area: 'Ashby Fields',
    category: 'association',
    name: 'Ashby Fields Tenants and Residents',
    description: 'Residents of the three tower blocks: a monthly meeting, a newsletter and a say on repairs.',
    address: 'Community room, Ashby House',
    postcode: 'BF5 2GR',
    contactName: 'Della Price',
    tags: ['housing', 'neighbours'],
    public: true,
    schedules: [{ week: 1, day: 'MO', opens: '18:30', closes: '20:00' }],
    recordedDaysAgo: 300,
    checkedDaysAgo: 45,
  },
  {
    key: 'ashby-pantry',
    area: 'Ashby Fields',
    category: 'organisation',
    name: 'Ashby Pantry',
    description: 'A members’ food pantry: £4 a week for a bag of your choosing, and a cuppa while you shop.',
    address: 'Unit 2, Ashby Parade',
    postcode: 'BF5 1AF',
    cost: '£4 a week',
    tags: ['food', 'money'],
    public: true,
    schedules: [
      { day: 'WE', opens: '10:00', closes: '13:00' },
      { day: 'SA', opens: '10:00', closes: '12:00' },
    ],
    recordedDaysAgo: 280,
    checkedDaysAgo: 30,
  },
  {
    key: 'ashby-park',
    area: 'Ashby Fields',
    category: 'place',
    name: 'Ashby Fields park and pavilion',
    description: 'A park with a pavilion that groups can book for free; toilets open when the pavilion is.',
    postcode: 'BF6 1PL',
    free: true,
    tags: ['outdoors', 'venue'],
    public: true,
    recordedDaysAgo: 260,
    checkedDaysAgo: 400,
  },
  {
    key: 'ashby-sewing',
    area: 'Ashby Fields',
    category: 'gifts',
    name: 'Joyce Amankwah',
    description: 'Alters and mends clothes, and will teach anyone who wants to learn to use a sewing machine.',
    postcode: 'BF6 3ND',
    agreedDaysAgo: 120,
    tags: ['sewing', 'repair'],
    public: false,
    recordedDaysAgo: 120,
    checkedDaysAgo: 120,
  },
  {
    key: 'kiln-men',
    area: 'Kiln Lane',
    category: 'association',
    name: 'Kiln Lane Men’s Shed',
    description: 'A workshop where men (and anyone else) make, mend and talk. Tools and tea provided.',
    address: 'The old brickworks office, Kiln Lane',
    postcode: 'BF7 2BR',
    free: true,
    tags: ['woodwork', 'repair', 'company'],
    public: true,
    schedules: [
      { day: 'TU', opens: '10:00', closes: '15:00' },
      { day: 'TH', opens: '10:00', closes: '15:00' },
    ],
    recordedDaysAgo: 350,
    checkedDaysAgo: 20,
  },
  {
    key: 'kiln-school',
    area: 'Kiln Lane',
    category: 'place',
    name: 'Kiln Lane Primary School hall',
    description: 'The school hall, free to community groups after 4pm and at weekends.',
    postcode: 'BF7 1HL',
    free: true,
    tags: ['venue'],
    public: false,
    recordedDaysAgo: 200,
    checkedDaysAgo: 90,
  },
  {
    key: 'kiln-chippy',
    area: 'Kiln Lane',
    category: 'business',
    name: 'Kiln Lane Chippy',
    description: 'Gives a free meal on Mondays to anyone who asks, no questions; the owner knows everyone.',
    postcode: 'BF8 2WS',
    tags: ['food', 'shop'],
    public: true,
    recordedDaysAgo: 150,
  },
  {
    key: 'kiln-choir',
    area: 'Kiln Lane',
    category: 'culture',
    name: 'Brickworks Community Choir',
    description: 'A choir that sings the songs the brickworks families sang; no auditions and no reading music.',
    postcode: 'BF8 4TA',
    free: true,
    tags: ['music', 'history', 'company'],
    public: true,
    schedules: [{ day: 'WE', opens: '19:00', closes: '20:30' }],
    recordedDaysAgo: 230,
    checkedDaysAgo: 60,
  },
];

/**
 * Writes the wider neighbourhoods' assets, each recorded by its neighbourhood's coordinator, when those
 * neighbourhoods have been seeded (they are not in every test's database). Returns how many assets.
 */
export async function seedDemoNeighbourAssets(db: Kysely<Database>, programmeId: string, now: Date): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const areas = await tx
      .selectFrom('areas as a')
      .innerJoin('coordinator_areas as ca', 'ca.area_id', 'a.id')
      .select(['a.id', 'a.name', 'ca.user_id'])
      .where('a.programme_id', '=', programmeId)
      .where('a.name', 'in', [...new Set(DEMO_NEIGHBOUR_ASSETS.map((a) => a.area))])
      .execute();
    const ids = new Map<string, string>();
    for (const a of DEMO_NEIGHBOUR_ASSETS) {
      const area = areas.find((r) => r.name === a.area);
      if (area !== undefined) ids.set(a.key, await insertDemoAsset(tx, programmeId, area.id, area.user_id, a, ids, now));
    }
    return ids.size;
  });
}

/** Demo people with community assets in their life, as their stories tell. */
export const DEMO_LIFE_ASSETS = [
  { person: 'Siobhan Carew', asset: 'walking', daysAgo: 135, what: 'Walks with the Tuesday group; has made two friends there.' },
  { person: 'Colin Mabry', asset: 'allotments', daysAgo: 240, what: 'Shares a half plot and goes to the Saturday work party.' },
  { person: 'Maureen Tilsley', asset: 'lunchclub', daysAgo: 60, what: 'Goes to lunch with Janet most Thursdays.' },
  { person: 'Gareth Pryce', asset: 'repair', daysAgo: 150, what: 'Helps fix bikes at the repair café.' },
  { person: 'Gareth Pryce', asset: 'farida', daysAgo: 190, what: 'Learning to cook with Mrs Ahmed.', endedDaysAgo: 100 },
] as const;

/**
 * Writes one demo asset and its schedules; `ids` holds the assets written before it, so it can name the organisation
 * that runs it. Returns its id.
 */
async function insertDemoAsset(
  tx: Transaction<Database>,
  programmeId: string,
  areaId: string,
  by: string,
  a: DemoAsset<string>,
  ids: ReadonlyMap<string, string>,
  now: Date,
): Promise<string> {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  const on = (daysAgo: number) => ukToday(at(daysAgo));
  const location = new Map(DEMO_POSTCODES.map((p) => [p.postcode, p]));
  const point = a.postcode === undefined ? undefined : location.get(a.postcode);
  const organisationId = a.runBy === undefined ? null : ids.get(a.runBy);
  if (organisationId === undefined) throw new Error(`${a.name} is run by ${String(a.runBy)}, which comes later`);
  const { id } = await tx
    .insertInto('community_assets')
    .values({
      programme_id: programmeId,
      area_id: areaId,
      category: a.category,
      name: a.name,
      description: a.description,
      address_line_1: a.address ?? null,
      address_town: a.address === undefined ? null : 'Brookfield',
      postcode: a.postcode ?? null,
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
      contact_name: a.contactName ?? null,
      contact_phone: a.phone ?? null,
      contact_email: a.email ?? null,
      website: a.website ?? null,
      who_it_welcomes: a.welcomes ?? null,
      accessibility: a.accessibility ?? null,
      cost: a.cost ?? null,
      free: a.free ?? false,
      tags: a.tags,
      public: a.public,
      person_agreed_on: a.agreedDaysAgo === undefined ? null : on(a.agreedDaysAgo),
      organisation_id: organisationId,
      closed_on: a.closedDaysAgo === undefined ? null : on(a.closedDaysAgo),
      last_verified_on: a.checkedDaysAgo === undefined ? null : on(a.checkedDaysAgo),
      last_verified_by: a.checkedDaysAgo === undefined ? null : by,
      form_token: randomUUID(),
      created_by: by,
      created_at: at(a.recordedDaysAgo),
      updated_by: by,
      updated_at: at(a.closedDaysAgo ?? a.checkedDaysAgo ?? a.recordedDaysAgo),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (a.schedules !== undefined && a.schedules.length > 0) {
    await tx
      .insertInto('asset_schedules')
      .values(
        a.schedules.map((s) => ({
          programme_id: programmeId,
          asset_id: id,
          freq: s.week === undefined ? ('weekly' as const) : ('monthly' as const),
          byday: s.day,
          week_of_month: s.week ?? null,
          opens_at: s.opens ?? null,
          closes_at: s.closes ?? null,
          description: s.note ?? null,
        })),
      )
      .execute();
  }
  return id;
}

/** Writes the demo's postcodes and community assets, in one transaction, as of `now`. Returns how many assets. */
export async function seedDemoCommunity(db: Kysely<Database>, programme: SeededProgramme, now: Date): Promise<number> {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  const on = (daysAgo: number) => ukToday(at(daysAgo));
  const user = (email: string) => {
    const id = programme.userIds[email];
    if (id === undefined) throw new Error(`The demo programme has no ${email}`);
    return id;
  };
  const coordinators = { marsh: user('coordinator.marsh@brookfield.example'), hollins: user('coordinator.hollins@brookfield.example') };

  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('postcodes')
      .values(DEMO_POSTCODES.map((p) => ({ ...p, source: 'demo', imported_at: now })))
      .onConflict((oc) => oc.column('postcode').doNothing())
      .execute();

    const ids = new Map<string, string>();
    for (const a of DEMO_ASSETS) {
      ids.set(a.key, await insertDemoAsset(tx, programme.programmeId, programme.areaIds[a.area], coordinators[a.area], a, ids, now));
    }

    // Only people the demo has written (the community can be seeded without them, as in tests).
    const people = await tx
      .selectFrom('people')
      .select(['id', 'name', 'coordinator_id'])
      .where('programme_id', '=', programme.programmeId)
      .where('name', 'in', DEMO_LIFE_ASSETS.map((l) => l.person))
      .execute();
    for (const link of DEMO_LIFE_ASSETS) {
      const person = people.find((p) => p.name === link.person);
      const assetId = ids.get(link.asset);
      if (person === undefined || assetId === undefined) continue;
      const by = person.coordinator_id ?? user('manager@brookfield.example');
      const ended = 'endedDaysAgo' in link ? link.endedDaysAgo : undefined;
      await tx
        .insertInto('person_assets')
        .values({
          programme_id: programme.programmeId,
          person_id: person.id,
          asset_id: assetId,
          what: link.what,
          started_on: on(link.daysAgo),
          ended_on: ended === undefined ? null : on(ended),
          ended_by: ended === undefined ? null : by,
          ended_at: ended === undefined ? null : at(ended),
          form_token: randomUUID(),
          recorded_by: by,
          recorded_at: at(link.daysAgo),
        })
        .execute();
    }
  });
  return DEMO_ASSETS.length;
}
