import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_person_record.ts';
import * as m0003 from './0003_vision.ts';
import * as m0004 from './0004_circle_of_support.ts';
import * as m0005 from './0005_agreements_and_steps.ts';
import * as m0006 from './0006_journal.ts';
import * as m0007 from './0007_introductions_and_concerns.ts';
import * as m0008 from './0008_community_assets.ts';
import * as m0009 from './0009_community_work.ts';
import * as m0010 from './0010_person_assets_ended.ts';
import * as m0012 from './0012_unit_costs.ts';
import * as m0013 from './0013_outcomes.ts';
import * as m0014 from './0014_avoided_outcomes.ts';
import * as m0015 from './0015_community_changes.ts';
import * as m0016 from './0016_stories.ts';
import * as m0017 from './0017_report_price_year.ts';

/** Every migration, in order. Forward-only: a shipped migration is never edited, a new one is added. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_person_record': m0002,
  '0003_vision': m0003,
  '0004_circle_of_support': m0004,
  '0005_agreements_and_steps': m0005,
  '0006_journal': m0006,
  '0007_introductions_and_concerns': m0007,
  '0008_community_assets': m0008,
  '0009_community_work': m0009,
  '0010_person_assets_ended': m0010,
  '0012_unit_costs': m0012,
  '0013_outcomes': m0013,
  '0014_avoided_outcomes': m0014,
  '0015_community_changes': m0015,
  '0016_stories': m0016,
  '0017_report_price_year': m0017,
};
