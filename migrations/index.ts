import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_person_record.ts';
import * as m0003 from './0003_vision.ts';
import * as m0004 from './0004_circle_of_support.ts';
import * as m0005 from './0005_agreements_and_steps.ts';
import * as m0006 from './0006_journal.ts';
import * as m0007 from './0007_introductions_and_concerns.ts';

/** Every migration, in order. Forward-only: a shipped migration is never edited, a new one is added. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_person_record': m0002,
  '0003_vision': m0003,
  '0004_circle_of_support': m0004,
  '0005_agreements_and_steps': m0005,
  '0006_journal': m0006,
  '0007_introductions_and_concerns': m0007,
};
