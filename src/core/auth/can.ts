import type { Role } from '../db/schema.ts';

/** The signed-in user as every handler sees them: one programme and one role at a time. */
export interface CurrentUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  programme: { id: string; name: string; council: string; brandColour: string };
  /** The neighbourhoods a coordinator works in; empty for other roles. */
  areaIds: readonly string[];
}

export type Action =
  | 'caseload.view'
  | 'person.create'
  | 'person.read'
  | 'person.update'
  | 'person.audit'
  | 'person.assign'
  | 'team.view'
  | 'concerns.programme'
  | 'programme.administer';

/** A record in a programme, and for people the neighbourhood they live in. */
export interface ProgrammeRecord {
  programmeId: string;
  areaId?: string;
}

/**
 * The one access rule. Coordinators are rooted in neighbourhoods, so they see the people of their own areas;
 * managers see their whole programme; the Leadership Group and evaluators see aggregates only, never a person;
 * admins run the programme and may read who touched a record, but not the record itself (need to know).
 */
export function can(user: CurrentUser, action: Action, record?: ProgrammeRecord): boolean {
  if (record !== undefined && record.programmeId !== user.programme.id) return false;
  const inMyAreas = record?.areaId !== undefined && user.areaIds.includes(record.areaId);
  switch (action) {
    case 'caseload.view':
      return user.role === 'coordinator' || user.role === 'manager';
    case 'person.create':
    case 'person.read':
    case 'person.update':
      if (user.role === 'manager') return true;
      return user.role === 'coordinator' && (record === undefined || inMyAreas);
    case 'person.audit':
      return user.role === 'manager' || user.role === 'admin';
    // Managers share out introductions among coordinators, and look across every open safeguarding concern.
    case 'person.assign':
    case 'concerns.programme':
    case 'team.view':
      return user.role === 'manager';
    case 'programme.administer':
      return user.role === 'admin';
  }
}
