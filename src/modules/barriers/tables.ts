import type { ColumnType, Generated } from 'kysely';

/** The system-barrier log (migrations/0009_community_work.ts), added to the shared Database type. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Optional on insert; null when not known. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** The services the Leadership Group brings together, as the log names them. */
export const BARRIER_SERVICES = ['adult_social_care', 'childrens_social_care', 'public_health', 'housing', 'nhs', 'police', 'dwp', 'education'] as const;
export type BarrierService = (typeof BARRIER_SERVICES)[number];

/** Raised, then being worked on, then changed; or closed without change. */
export const BARRIER_STATUSES = ['raised', 'being_worked_on', 'changed', 'closed_without_change'] as const;
export type BarrierStatus = (typeof BARRIER_STATUSES)[number];

export interface SystemBarriersTable {
  id: Generated<string>;
  programme_id: string;
  summary: string;
  what_happened: string;
  services: ColumnType<BarrierService[], BarrierService[] | undefined, BarrierService[]>;
  other_services: Optional<string>;
  raised_with_leadership_on: Optional<string>;
  response: Optional<string>;
  status: ColumnType<BarrierStatus, BarrierStatus | undefined, BarrierStatus>;
  version: Generated<number>;
  form_token: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface SystemBarrierStatusChangesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  programme_id: string;
  barrier_id: string;
  /** Null for the first row: the barrier's recording. */
  from_status: Optional<BarrierStatus>;
  to_status: BarrierStatus;
  note: Optional<string>;
  changed_by: string;
  changed_at: Timestamp;
}

export interface SystemBarrierPeopleTable {
  programme_id: string;
  barrier_id: string;
  person_id: string;
  linked_by: string;
  linked_at: Timestamp;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    system_barriers: SystemBarriersTable;
    system_barrier_status_changes: SystemBarrierStatusChangesTable;
    system_barrier_people: SystemBarrierPeopleTable;
  }
}
