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
  | 'programme.administer'
  | 'asset.read'
  | 'asset.update'
  | 'community.work'
  | 'capacity.change'
  | 'barriers.record'
  | 'barriers.list'
  | 'assets.import'
  | 'unit-costs.read'
  | 'unit-costs.manage'
  | 'programme.dashboard'
  | 'avoided.verify'
  | 'impact.manage'
  | 'stories.manage'
  | 'story-consent.record';

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
    // Coordinators know the whole programme's community assets, and keep their own neighbourhoods' up to date.
    case 'asset.read':
      return user.role === 'coordinator' || user.role === 'manager';
    case 'asset.update':
      if (user.role === 'manager') return true;
      return user.role === 'coordinator' && (record === undefined || inMyAreas);
    // Offers and asks, schemes and the capacity ledger are the community side of the work, and system barriers are
    // recorded and followed up by those who walk alongside people: coordinators and managers.
    case 'community.work':
    case 'barriers.record':
      return user.role === 'coordinator' || user.role === 'manager';
    // An initiative is kept up to date by its own neighbourhood's coordinators (and managers), as assets are.
    case 'capacity.change':
      if (user.role === 'manager') return true;
      return user.role === 'coordinator' && (record === undefined || inMyAreas);
    // The Leadership Group sees the barrier log too, as counts only (the service decides what each role is shown).
    case 'barriers.list':
      return user.role === 'coordinator' || user.role === 'manager' || user.role === 'leadership';
    // Importing a directory writes many assets at once across a neighbourhood: a manager's decision.
    case 'assets.import':
      return user.role === 'manager';
    // The unit-cost library is published reference data, not about any person: everyone who works with the evidence
    // reads it (coordinators pick costs when recording avoided outcomes); admins administer, they do not report.
    case 'unit-costs.read':
      return user.role === 'coordinator' || user.role === 'manager' || user.role === 'leadership' || user.role === 'evaluator';
    // A programme's own costs are figures its reports rely on: managers add and change them.
    case 'unit-costs.manage':
      return user.role === 'manager';
    // Only verified avoided outcomes count in reports, so someone other than the recording coordinator checks each:
    // a manager. Funding lines and the full cost-avoided and social-return figures are a manager's too; the
    // Leadership Group sees them only through its own dashboard, with disclosure control.
    case 'avoided.verify':
    case 'impact.manage':
      return user.role === 'manager';
    // The programme's figures, always under disclosure control: for the Leadership Group and evaluators, and for
    // managers, who prepare the monthly report and see exactly what the board will read.
    case 'programme.dashboard':
      return user.role === 'manager' || user.role === 'leadership' || user.role === 'evaluator';
    // A story in the Leadership Group's report is a manager's judgement about what to share and how: managers build
    // and edit stories. Whether the person agrees is recorded by those who walk alongside them (which coordinators,
    // the person's record decides: see withPerson); the Leadership Group reads stories only in its report.
    case 'stories.manage':
      return user.role === 'manager';
    case 'story-consent.record':
      return user.role === 'coordinator' || user.role === 'manager';
  }
}
