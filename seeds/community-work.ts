import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../src/core/db/schema.ts';
import { ukToday } from '../src/core/http/forms.ts';
import type { BarrierService, BarrierStatus } from '../src/modules/barriers/tables.ts';
import type { HowHelped } from '../src/modules/capacity/tables.ts';
import type { ItemKind, OfferCategory } from '../src/modules/offers/tables.ts';
import type { SeededProgramme } from './demo.ts';

/**
 * The community side of the demo programme, after its people (stories.ts) and assets (community.ts): offers and
 * asks as the stories tell them (a van lent to help others, a dining table so a family eats together, garden owners
 * and people who want to garden), the groups coordinators helped start, and the barriers raised with the
 * Leadership Group. Everything is fictional; people and assets are found by the names the other seeds gave them.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

type Owner = { person: string } | { asset: string };

interface DemoItem {
  key: string;
  kind: ItemKind;
  from: Owner;
  category: OfferCategory;
  what: string;
  area: 'marsh' | 'hollins';
  daysAgo: number;
  scheme?: string;
}

export const DEMO_SCHEMES = [
  { name: 'Grow Together', category: 'space', description: 'Garden and allotment owners paired with neighbours who want somewhere to grow things.', daysAgo: 200 },
] as const;

export const DEMO_ITEMS: readonly DemoItem[] = [
  { key: 'van', kind: 'offer', from: { asset: 'Dean Walsh' }, category: 'van', what: 'A van and a pair of hands on Saturdays, for moving furniture or clearing a home', area: 'marsh', daysAgo: 150 },
  { key: 'table', kind: 'offer', from: { asset: 'Marsh End Repair Café' }, category: 'furniture', what: 'A refurbished dining table and four chairs', area: 'marsh', daysAgo: 130 },
  { key: 'needTable', kind: 'ask', from: { person: 'Siobhan Carew' }, category: 'furniture', what: 'A dining table, so the family can eat together again', area: 'marsh', daysAgo: 140 },
  { key: 'plot', kind: 'offer', from: { person: 'Colin Mabry' }, category: 'space', what: 'Half an allotment plot, with tools', area: 'hollins', daysAgo: 190, scheme: 'Grow Together' },
  { key: 'needPlot', kind: 'ask', from: { person: 'Derek Foyle' }, category: 'space', what: 'Somewhere to grow vegetables, a morning or two a week', area: 'hollins', daysAgo: 180, scheme: 'Grow Together' },
  { key: 'garden', kind: 'offer', from: { asset: 'Hollins Park Allotment Society' }, category: 'space', what: 'A vacant starter plot for a new member', area: 'hollins', daysAgo: 40, scheme: 'Grow Together' },
  { key: 'needGarden', kind: 'ask', from: { person: 'Ruth Ellery' }, category: 'space', what: 'A bit of garden to help with; I used to grow roses', area: 'marsh', daysAgo: 1, scheme: 'Grow Together' },
  { key: 'needLift', kind: 'ask', from: { person: 'Maureen Tilsley' }, category: 'lift', what: 'A lift to the Thursday lunch club when her legs are bad', area: 'hollins', daysAgo: 30 },
  { key: 'cooking', kind: 'offer', from: { person: 'Gareth Pryce' }, category: 'skill', what: 'Can show someone three simple meals, the way Mrs Ahmed showed him', area: 'marsh', daysAgo: 60 },
  { key: 'needForms', kind: 'ask', from: { person: 'Leanne Adeyemi' }, category: 'skill', what: 'Someone patient to go through the carer’s allowance forms with her', area: 'hollins', daysAgo: 20 },
];

/** Matches between the items above, by key, with when they were agreed and (if it happened) done. */
export const DEMO_MATCHES = [
  { ask: 'needTable', offer: 'table', matchedDaysAgo: 120, doneDaysAgo: 115 },
  { ask: 'needPlot', offer: 'plot', matchedDaysAgo: 170, doneDaysAgo: 160 },
] as const;

export const DEMO_INITIATIVES: readonly {
  name: string;
  description: string;
  area: 'marsh' | 'hollins';
  howHelped: HowHelped;
  startedDaysAgo: number;
  endedDaysAgo?: number;
  people: number;
  assets: string[];
  funding: { amount: string; funder: string; daysAgo: number }[];
  updates: { daysAgo: number; what: string }[];
}[] = [
  {
    name: 'Big Up My Street',
    description: 'Neighbours on Tannery Row who want company paired with neighbours keen to help.',
    area: 'marsh',
    howHelped: 'started',
    startedDaysAgo: 210,
    people: 34,
    assets: ['Marsh End Mutual Aid'],
    funding: [
      { amount: '500.00', funder: 'Brookfield Homes community fund', daysAgo: 200 },
      { amount: '125.50', funder: 'Tannery Row Stores', daysAgo: 90 },
    ],
    updates: [
      { daysAgo: 205, what: 'First street coffee morning: 19 neighbours came, 6 offered to check in on someone.' },
      { daysAgo: 100, what: 'Eleven pairs now meet at least weekly. Two pairs go to the Tuesday walking group together.' },
    ],
  },
  {
    name: 'Hollins Park seed swap',
    description: 'A spring and autumn seed and seedling swap at the community hub.',
    area: 'hollins',
    howHelped: 'sustained',
    startedDaysAgo: 400,
    people: 22,
    assets: ['Hollins Park Allotment Society', 'Hollins Park Community Hub'],
    funding: [{ amount: '80.00', funder: 'Brookfield in Bloom', daysAgo: 60 }],
    updates: [{ daysAgo: 50, what: 'The autumn swap moved indoors to the hub; the allotment society ran a potting table.' }],
  },
  {
    name: 'Winter warm room',
    description: 'Somewhere warm with a hot drink on weekday afternoons over the winter.',
    area: 'marsh',
    howHelped: 'started',
    startedDaysAgo: 330,
    endedDaysAgo: 230,
    people: 27,
    assets: ['Marsh End Library'],
    funding: [{ amount: '1200.00', funder: 'Brookfield Borough Council household support fund', daysAgo: 320 }],
    updates: [{ daysAgo: 230, what: 'Closed for the summer as planned; most regulars now go to the Thursday lunch club.' }],
  },
];

export const DEMO_BARRIERS: readonly {
  summary: string;
  whatHappened: string;
  services: BarrierService[];
  raisedDaysAgo?: number;
  response?: string;
  statuses: { to: BarrierStatus; daysAgo: number; note?: string }[];
  people: string[];
}[] = [
  {
    summary: 'Arrears letters with no way to ask for help in person',
    whatHappened: 'People facing eviction for arrears received letters that named only a phone line, open while they were at work or at appointments. Nobody could be seen in person.',
    services: ['housing'],
    raisedDaysAgo: 200,
    response: 'Brookfield Homes now names a tenancy officer on each letter and holds a drop-in at the community hub on Wednesdays.',
    statuses: [
      { to: 'being_worked_on', daysAgo: 190, note: 'Brookfield Homes agreed to review its letters' },
      { to: 'changed', daysAgo: 120, note: 'New letters and a weekly drop-in' },
    ],
    people: ['Gareth Pryce'],
  },
  {
    summary: 'Carer’s assessment did not ask what the carer needs',
    whatHappened: 'The assessment covered the person cared for but never asked the parent carer about their own health, work or rest.',
    services: ['adult_social_care', 'dwp'],
    raisedDaysAgo: 30,
    statuses: [{ to: 'being_worked_on', daysAgo: 25, note: 'Adult social care is looking at the questions it asks' }],
    people: ['Leanne Adeyemi'],
  },
  {
    summary: 'GP registration asked for proof of address',
    whatHappened: 'A practice turned people away without proof of address, although none is needed to register.',
    services: ['nhs'],
    statuses: [],
    people: [],
  },
];

/** Writes the demo's offers and asks, schemes, initiatives and barriers, in one transaction, as of `now`. */
export async function seedDemoCommunityWork(db: Kysely<Database>, programme: SeededProgramme, now: Date): Promise<void> {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  const on = (daysAgo: number) => ukToday(at(daysAgo));
  const user = (email: string) => {
    const id = programme.userIds[email];
    if (id === undefined) throw new Error(`The demo programme has no ${email}`);
    return id;
  };
  const coordinators = { marsh: user('coordinator.marsh@brookfield.example'), hollins: user('coordinator.hollins@brookfield.example') };
  const manager = user('manager@brookfield.example');
  const pid = programme.programmeId;

  await db.transaction().execute(async (tx) => {
    const find = named(tx, pid);
    const schemes = new Map<string, string>();
    for (const s of DEMO_SCHEMES) {
      const { id } = await tx
        .insertInto('offer_schemes')
        .values({ programme_id: pid, name: s.name, category: s.category, description: s.description, form_token: randomUUID(), created_by: manager, created_at: at(s.daysAgo) })
        .returning('id')
        .executeTakeFirstOrThrow();
      schemes.set(s.name, id);
    }

    const items = new Map<string, string>();
    for (const item of DEMO_ITEMS) {
      const by = coordinators[item.area];
      const { id } = await tx
        .insertInto('offers_and_asks')
        .values({
          programme_id: pid,
          kind: item.kind,
          person_id: 'person' in item.from ? await find.person(item.from.person) : null,
          asset_id: 'asset' in item.from ? await find.asset(item.from.asset) : null,
          category: item.category,
          what: item.what,
          area_id: programme.areaIds[item.area],
          available_from: on(item.daysAgo),
          scheme_id: item.scheme === undefined ? null : (schemes.get(item.scheme) ?? null),
          form_token: randomUUID(),
          created_by: by,
          created_at: at(item.daysAgo),
          updated_by: by,
          updated_at: at(item.daysAgo),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      items.set(item.key, id);
    }
    for (const m of DEMO_MATCHES) {
      const [askId, offerId] = [items.get(m.ask) ?? '', items.get(m.offer) ?? ''];
      await tx
        .insertInto('offer_matches')
        .values({
          programme_id: pid,
          ask_id: askId,
          offer_id: offerId,
          matched_on: on(m.matchedDaysAgo),
          confirmed_by: manager,
          confirmed_at: at(m.matchedDaysAgo),
          done_on: on(m.doneDaysAgo),
          done_by: manager,
          done_at: at(m.doneDaysAgo),
          form_token: randomUUID(),
        })
        .execute();
      await tx
        .updateTable('offers_and_asks')
        .set((eb) => ({ status: 'done', version: eb('version', '+', 2), updated_by: manager, updated_at: at(m.doneDaysAgo) }))
        .where('id', 'in', [askId, offerId])
        .execute();
    }

    for (const i of DEMO_INITIATIVES) {
      const by = coordinators[i.area];
      const { id } = await tx
        .insertInto('capacity_initiatives')
        .values({
          programme_id: pid,
          area_id: programme.areaIds[i.area],
          name: i.name,
          description: i.description,
          how_helped: i.howHelped,
          started_on: on(i.startedDaysAgo),
          ended_on: i.endedDaysAgo === undefined ? null : on(i.endedDaysAgo),
          people_involved: i.people,
          form_token: randomUUID(),
          created_by: by,
          created_at: at(i.startedDaysAgo),
          updated_by: by,
          updated_at: at(i.endedDaysAgo ?? i.startedDaysAgo),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const asset of i.assets) {
        await tx.insertInto('capacity_initiative_assets').values({ programme_id: pid, initiative_id: id, asset_id: await find.asset(asset) }).execute();
      }
      for (const f of i.funding) {
        await tx
          .insertInto('capacity_funding')
          .values({ programme_id: pid, initiative_id: id, amount: f.amount, funder: f.funder, found_on: on(f.daysAgo), form_token: randomUUID(), recorded_by: by, recorded_at: at(f.daysAgo) })
          .execute();
      }
      for (const u of i.updates) {
        await tx
          .insertInto('capacity_updates')
          .values({ programme_id: pid, initiative_id: id, happened_on: on(u.daysAgo), what: u.what, form_token: randomUUID(), recorded_by: by, recorded_at: at(u.daysAgo) })
          .execute();
      }
    }

    for (const [n, b] of DEMO_BARRIERS.entries()) {
      const recordedDaysAgo = (b.raisedDaysAgo ?? 10) + 5 + n;
      const by = coordinators.marsh;
      const last = b.statuses.at(-1);
      const { id } = await tx
        .insertInto('system_barriers')
        .values({
          programme_id: pid,
          summary: b.summary,
          what_happened: b.whatHappened,
          services: b.services,
          raised_with_leadership_on: b.raisedDaysAgo === undefined ? null : on(b.raisedDaysAgo),
          response: b.response ?? null,
          status: last?.to ?? 'raised',
          version: 1 + b.statuses.length,
          form_token: randomUUID(),
          created_by: by,
          created_at: at(recordedDaysAgo),
          updated_by: manager,
          updated_at: at(last?.daysAgo ?? recordedDaysAgo),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let from: BarrierStatus | null = null;
      for (const s of [{ to: 'raised' as const, daysAgo: recordedDaysAgo, note: undefined }, ...b.statuses]) {
        await tx
          .insertInto('system_barrier_status_changes')
          .values({ programme_id: pid, barrier_id: id, from_status: from, to_status: s.to, note: s.note ?? null, changed_by: from === null ? by : manager, changed_at: at(s.daysAgo) })
          .execute();
        from = s.to;
      }
      for (const name of b.people) {
        await tx
          .insertInto('system_barrier_people')
          .values({ programme_id: pid, barrier_id: id, person_id: await find.person(name), linked_by: by, linked_at: at(recordedDaysAgo) })
          .execute();
      }
    }
  });
}

/** People and assets of the programme by the names the other seeds gave them; a missing one is a broken seed. */
function named(tx: Transaction<Database>, programmeId: string) {
  return {
    person: async (name: string) => {
      const row = await tx.selectFrom('people').select('id').where('programme_id', '=', programmeId).where('name', '=', name).executeTakeFirst();
      if (row === undefined) throw new Error(`The demo has no person called ${name}`);
      return row.id;
    },
    asset: async (name: string) => {
      const row = await tx.selectFrom('community_assets').select('id').where('programme_id', '=', programmeId).where('name', '=', name).executeTakeFirst();
      if (row === undefined) throw new Error(`The demo has no community asset called ${name}`);
      return row.id;
    },
  };
}
