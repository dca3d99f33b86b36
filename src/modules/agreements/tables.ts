import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, kept as 'YYYY-MM-DD' text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;

export const STEP_QUESTIONS = ['gifts', 'community', 'services'] as const;
/** The three questions, in the model's order: the person's gifts; family, friends and community; services and funding. */
export type StepQuestion = (typeof STEP_QUESTIONS)[number];

export const STEP_STATUSES = ['planned', 'under_way', 'done', 'no_longer_needed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** One agreed version of a person's shared agreement; never changed once recorded. */
export interface SharedAgreementsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  version_number: number;
  working_on: string;
  who_does_what: string;
  keeping_in_touch: string;
  review_on: CalendarDate | null;
  agreed_on: CalendarDate;
  recorded_by: string;
  form_token: string;
  created_at: Timestamp;
}

export interface StepsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  question: StepQuestion;
  what: string;
  owner: string;
  status: ColumnType<StepStatus, StepStatus | undefined, StepStatus>;
  aiming_for: CalendarDate | null;
  version: Generated<number>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    shared_agreements: SharedAgreementsTable;
    steps: StepsTable;
  }
}
