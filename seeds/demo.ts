import type { Kysely } from 'kysely';
import type { Database, Role } from '../src/core/db/schema.ts';

/**
 * The demo programme: a fictional borough with two neighbourhoods and one account for each role. Everything
 * here is invented. Later capabilities extend this module with people, journeys and community assets.
 */
export const DEMO_PROGRAMME = {
  name: 'Brookfield Local Area Coordination',
  council: 'Brookfield Borough Council',
  brandColour: '#1d4f76',
};

export const DEMO_AREAS = [
  { key: 'marsh', name: 'Marsh End', population: 10_200, postcodeDistricts: ['BF1', 'BF2'] },
  { key: 'hollins', name: 'Hollins Park', population: 9_800, postcodeDistricts: ['BF3', 'BF4'] },
] as const;

type AreaKey = (typeof DEMO_AREAS)[number]['key'];

export const DEMO_USERS: readonly { email: string; name: string; role: Role; areas: readonly AreaKey[] }[] = [
  { email: 'coordinator.marsh@brookfield.example', name: 'Amara Okafor', role: 'coordinator', areas: ['marsh'] },
  { email: 'coordinator.hollins@brookfield.example', name: 'Tom Hughes', role: 'coordinator', areas: ['hollins'] },
  { email: 'manager@brookfield.example', name: 'Priya Shah', role: 'manager', areas: [] },
  { email: 'leadership@brookfield.example', name: 'Dr Helen Ward', role: 'leadership', areas: [] },
  { email: 'evaluator@brookfield.example', name: 'Sam Reid', role: 'evaluator', areas: [] },
  { email: 'admin@brookfield.example', name: 'Jo Bennett', role: 'admin', areas: [] },
];

export interface SeededProgramme {
  programmeId: string;
  areaIds: Record<AreaKey, string>;
  /** By email. */
  userIds: Record<string, string>;
}

/** True when no programme exists yet: the demo is only ever created in an empty database. */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('programmes').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Creates the demo programme with the owner's connection (the seed stands outside the app, like a migration).
 * `passwordHash` is one argon2id hash shared by the demo accounts, so seeding costs one hash, not six.
 */
export async function seedDemoProgramme(
  db: Kysely<Database>,
  passwordHash: string,
  programme: { name: string; council: string; brandColour: string } = DEMO_PROGRAMME,
  emailDomain = 'brookfield.example',
): Promise<SeededProgramme> {
  return db.transaction().execute(async (tx) => {
    const { id: programmeId } = await tx
      .insertInto('programmes')
      .values({ name: programme.name, council: programme.council, brand_colour: programme.brandColour })
      .returning('id')
      .executeTakeFirstOrThrow();
    const areaIds = {} as Record<AreaKey, string>;
    for (const area of DEMO_AREAS) {
      const { id } = await tx
        .insertInto('areas')
        .values({ programme_id: programmeId, name: area.name, population: area.population, postcode_districts: [...area.postcodeDistricts] })
        .returning('id')
        .executeTakeFirstOrThrow();
      areaIds[area.key] = id;
    }
    const userIds: Record<string, string> = {};
    for (const user of DEMO_USERS) {
      const email = user.email.replace('brookfield.example', emailDomain);
      const { id } = await tx
        .insertInto('users')
        .values({ email, name: user.name, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      userIds[email] = id;
      await tx.insertInto('memberships').values({ user_id: id, programme_id: programmeId, role: user.role }).execute();
      for (const key of user.areas) {
        await tx.insertInto('coordinator_areas').values({ user_id: id, programme_id: programmeId, area_id: areaIds[key] }).execute();
      }
    }
    return { programmeId, areaIds, userIds };
  });
}
