import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../src/core/db/schema.ts';
import { ukToday } from '../src/core/http/forms.ts';
import type { AvoidedStatus, EvidenceType } from '../src/modules/impact/avoided-tables.ts';
import type { Partner } from '../src/modules/impact/investment-tables.ts';
import { writeDefaultScenarios } from '../src/modules/impact/scenario-service.ts';
import { seedSharedUnitCosts } from '../src/modules/impact/unit-cost-import.ts';
import { agencyText } from '../src/modules/impact/unit-cost-service.ts';
import type { SeededProgramme } from './demo.ts';
import { demoStories } from './stories.ts';

/**
 * The demo programme's evidence of cost avoided, after its people (stories.ts): what was likely on each person's
 * trajectory, priced from the GMCA library as their stories tell it (an eviction withdrawn, a move into a care home
 * put off, falls and A&E visits that stopped once the stair rails were fitted, support for depression and GP visits
 * no longer needed so often). Most are verified by the manager; one awaits verification and one was returned with
 * the reason. Funding for two financial years from three partners, and the default scenarios. All fictional.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

interface DemoAvoided {
  person: string;
  code: string;
  quantity: string;
  /** For a cost per week or per year: how many. */
  duration?: string;
  /** A share, 0 to 1. */
  likelihood: string;
  evidence: EvidenceType;
  note: string;
  daysAgo: number;
  status: AvoidedStatus;
  returnedReason?: string;
}

export const DEMO_AVOIDED: readonly DemoAvoided[] = [
  {
    person: 'Gareth Pryce',
    code: 'HO1.0',
    quantity: '1',
    likelihood: '0.85',
    evidence: 'record',
    note: 'Brookfield Homes had served a notice seeking possession for rent arrears. Withdrawn after the benefits check and a repayment plan.',
    daysAgo: 196,
    status: 'verified',
  },
  {
    person: 'Maureen Tilsley',
    code: 'SS7.1',
    quantity: '1',
    duration: '26',
    likelihood: '0.4',
    evidence: 'practitioner_judgement',
    note: 'No heating and falling on the stairs: a move into residential care had been raised by her GP. Put off for at least six months now the house is warm and the rails are fitted.',
    daysAgo: 62,
    status: 'verified',
  },
  {
    person: 'Maureen Tilsley',
    code: 'HE4.0',
    quantity: '2',
    likelihood: '0.6',
    evidence: 'agency_confirmed',
    note: 'Two A&E visits after falls in the year before; none since the stair rails went in. The PCSO confirmed the earlier call-outs.',
    daysAgo: 60,
    status: 'verified',
  },
  {
    person: 'Maureen Tilsley',
    code: 'HE3.0',
    quantity: '1',
    likelihood: '0.5',
    evidence: 'practitioner_judgement',
    note: 'An ambulance was called to her twice last winter.',
    daysAgo: 20,
    status: 'awaiting_verification',
  },
  {
    person: 'Siobhan Carew',
    code: 'HE11.0',
    quantity: '1',
    duration: '1',
    likelihood: '0.5',
    evidence: 'agency_confirmed',
    note: 'Brookfield Mind had her on the list for a year of support for anxiety; she left it after the walking group and meeting Nadia.',
    daysAgo: 40,
    status: 'verified',
  },
  {
    person: 'Kofi Mensah',
    code: 'HE20.2',
    quantity: '4',
    likelihood: '0.5',
    evidence: 'practitioner_judgement',
    note: 'He was seeing the GP most months about feeling low after his wife went into the home; fewer since the church lunch club.',
    daysAgo: 210,
    status: 'verified',
  },
  {
    person: 'Leanne Adeyemi',
    code: 'HE20.2',
    quantity: '6',
    likelihood: '0.7',
    evidence: 'practitioner_judgement',
    note: 'GP appointments about her own stress.',
    daysAgo: 30,
    status: 'returned',
    returnedReason: 'Six feels high for the time we have known her: how many did she have in the six months before? Please add what the estimate is based on.',
  },
];

/**
 * Two in three of the programme's other people (the generated neighbours, when the demo has them) get one verified
 * outcome from this palette in turn, so the figures are those of a programme of its size, not of ten stories alone.
 */
const NEIGHBOUR_PALETTE: readonly Omit<DemoAvoided, 'person' | 'daysAgo' | 'status'>[] = [
  { code: 'SS7.1', quantity: '1', duration: '26', likelihood: '0.4', evidence: 'practitioner_judgement', note: 'A move into residential care put off for at least six months.' },
  { code: 'HO1.0', quantity: '1', likelihood: '0.7', evidence: 'record', note: 'Possession proceedings for arrears withdrawn.' },
  { code: 'HE4.0', quantity: '3', likelihood: '0.6', evidence: 'agency_confirmed', note: 'A&E visits after falls, none since.' },
  { code: 'HE11.0', quantity: '1', duration: '1', likelihood: '0.5', evidence: 'agency_confirmed', note: 'A year of support for anxiety no longer needed.' },
  { code: 'HE7.0', quantity: '2', likelihood: '0.5', evidence: 'practitioner_judgement', note: 'Hospital stays when living alone became unsafe.' },
  { code: 'SS3.1', quantity: '1', duration: '12', likelihood: '0.25', evidence: 'agency_confirmed', note: 'A child’s residential placement avoided while the family got support around them.' },
];

export const DEMO_FUNDING: readonly { partner: Partner; year: string; amount: string }[] = [
  { partner: 'adult_social_care', year: '2025/26', amount: '120000.00' },
  { partner: 'public_health', year: '2025/26', amount: '60000.00' },
  { partner: 'nhs', year: '2025/26', amount: '40000.00' },
  { partner: 'adult_social_care', year: '2026/27', amount: '125000.00' },
  { partner: 'public_health', year: '2026/27', amount: '60000.00' },
  { partner: 'nhs', year: '2026/27', amount: '45000.00' },
];

async function writeAvoided(tx: Transaction<Database>, programme: SeededProgramme, item: DemoAvoided, now: Date, people: Map<string, { id: string; coordinatorId: string }>) {
  const person = people.get(item.person);
  if (person === undefined) throw new Error(`The demo has no ${item.person}`);
  const cost = await tx
    .selectFrom('unit_costs as c')
    .innerJoin('unit_cost_libraries as l', 'l.id', 'c.library_id')
    .selectAll('c')
    .select(['l.name as libraryName', 'l.version_label as libraryVersionLabel', 'l.version as libraryVersion'])
    .where('c.programme_id', 'is', null)
    .where('c.code', '=', item.code)
    .orderBy('l.version', 'desc')
    .executeTakeFirstOrThrow();
  const manager = programme.userIds['manager@brookfield.example'] ?? person.coordinatorId;
  const recordedAt = new Date(now.getTime() - item.daysAgo * DAY_MS);
  const reviewedAt = new Date(recordedAt.getTime() + 3 * DAY_MS);
  const content = {
    agency_override: null,
    quantity: item.quantity,
    duration: item.duration ?? null,
    likelihood: item.likelihood,
    evidence: item.evidence,
    note: item.note,
    likely_on: ukToday(recordedAt),
  };
  const decided = item.status !== 'awaiting_verification';
  const { id } = await tx
    .insertInto('avoided_outcomes')
    .values({
      programme_id: programme.programmeId,
      person_id: person.id,
      version: decided ? 2 : 1,
      unit_cost_id: cost.id,
      library_name: cost.libraryName,
      library_version_label: cost.libraryVersionLabel,
      library_version: cost.libraryVersion,
      cost_code: cost.code,
      cost_description: cost.description.replace(/\s+/g, ' ').trim(),
      cost_unit: cost.unit,
      cost_agency: agencyText(cost.agency_l1, cost.agency_l2),
      fiscal_value: cost.fiscal_value,
      fiscal_price_year: cost.fiscal_price_year,
      economic_value: cost.economic_value,
      economic_price_year: cost.economic_price_year,
      social_value: cost.social_value,
      social_price_year: cost.social_price_year,
      ...content,
      status: item.status,
      returned_reason: item.returnedReason ?? null,
      reviewed_by: decided ? manager : null,
      reviewed_at: decided ? reviewedAt : null,
      form_token: randomUUID(),
      created_by: person.coordinatorId,
      created_at: recordedAt,
      updated_by: decided ? manager : person.coordinatorId,
      updated_at: decided ? reviewedAt : recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = { programme_id: programme.programmeId, person_id: person.id, avoided_outcome_id: id, ...content };
  await tx.insertInto('avoided_outcome_versions').values({ ...version, version: 1, status: 'awaiting_verification', returned_reason: null, recorded_by: person.coordinatorId, recorded_at: recordedAt }).execute();
  if (decided) {
    await tx.insertInto('avoided_outcome_versions').values({ ...version, version: 2, status: item.status, returned_reason: item.returnedReason ?? null, recorded_by: manager, recorded_at: reviewedAt }).execute();
  }
}

/** Writes the demo's avoided outcomes, funding and scenarios, in one transaction, as of `now`. */
export async function seedDemoImpact(db: Kysely<Database>, programme: SeededProgramme, now: Date): Promise<{ avoided: number; funding: number }> {
  // The avoided outcomes are priced from the shared library, so it must be there first: importing it is a no-op
  // when it already is.
  await seedSharedUnitCosts(db, now);
  const manager = programme.userIds['manager@brookfield.example'];
  if (manager === undefined) throw new Error('The demo programme has no manager');
  await db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('people').select(['id', 'name', 'status', 'coordinator_id']).where('programme_id', '=', programme.programmeId).execute();
    const people = new Map(rows.map((r) => [r.name, { id: r.id, coordinatorId: r.coordinator_id ?? manager }]));
    for (const item of DEMO_AVOIDED) await writeAvoided(tx, programme, item, now, people);
    // The stories' people have only the outcomes their stories tell.
    const storyPeople = new Set(demoStories({ marshEnd: '', hollinsPark: '', marshCoordinator: '', hollinsCoordinator: '' }).map((j) => j.name));
    const others = rows.filter((r) => !storyPeople.has(r.name) && r.status !== 'introduced').sort((a, b) => a.name.localeCompare(b.name));
    for (const [i, other] of others.entries()) {
      // Two in three: not everyone walked alongside was heading for a costly crisis.
      if (i % 3 === 2) continue;
      const item = NEIGHBOUR_PALETTE[Math.floor((i * 2) / 3) % NEIGHBOUR_PALETTE.length];
      // By id: generated names can repeat.
      people.set(other.id, { id: other.id, coordinatorId: other.coordinator_id ?? manager });
      if (item !== undefined) await writeAvoided(tx, programme, { ...item, person: other.id, daysAgo: 20 + ((i * 37) % 330), status: 'verified' }, now, people);
    }
    for (const line of DEMO_FUNDING) {
      const at = new Date(`${line.year.slice(0, 4)}-04-01T09:00:00Z`);
      const { id } = await tx
        .insertInto('investments')
        .values({ programme_id: programme.programmeId, partner: line.partner, financial_year: line.year, amount: line.amount, form_token: randomUUID(), created_by: manager, created_at: at, updated_by: manager, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('investment_versions')
        .values({ programme_id: programme.programmeId, investment_id: id, version: 1, partner: line.partner, financial_year: line.year, amount: line.amount, recorded_by: manager, recorded_at: at })
        .execute();
    }
    await writeDefaultScenarios(tx, programme.programmeId, now);
  });
  return { avoided: DEMO_AVOIDED.length, funding: DEMO_FUNDING.length };
}
