import { idByFormToken } from '../../core/db/form-token.ts';
import type { Tx } from '../../core/db/transaction.ts';
import type { Closeness, SupportKind } from './schemas.ts';

const versionColumns = [
  'v.member_id',
  'v.version',
  'v.name',
  'v.relationship',
  'v.how_they_help',
  'v.closeness',
  'v.kind',
  'v.valid_from',
  'v.valid_to',
] as const;

/** Everyone in the circle now: each member's open version. */
export async function selectCurrentCircle(tx: Tx, programmeId: string, personId: string) {
  return tx
    .selectFrom('circle_member_versions as v')
    .innerJoin('circle_members as m', 'm.id', 'v.member_id')
    .select([...versionColumns, 'm.version as member_version', 'm.joined_on'])
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .where('v.valid_to', 'is', null)
    .where('m.left_on', 'is', null)
    .execute();
}

/** The circle as it stood at the end of `on` ('YYYY-MM-DD'): the versions valid that day and not replaced that day. */
export async function selectCircleOn(tx: Tx, programmeId: string, personId: string, on: string) {
  return tx
    .selectFrom('circle_member_versions as v')
    .select(versionColumns)
    .where('v.programme_id', '=', programmeId)
    .where('v.person_id', '=', personId)
    .where('v.valid_from', '<=', on)
    .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', on)]))
    .execute();
}

/** A member of this person's circle (nothing for a member of anyone else's), with who changed them last. */
export async function selectMember(tx: Tx, programmeId: string, personId: string, memberId: string) {
  return tx
    .selectFrom('circle_members as m')
    .innerJoin('users as u', 'u.id', 'm.updated_by')
    .select(['m.id', 'm.version', 'm.joined_on', 'm.left_on', 'm.updated_at', 'u.name as updated_by_name'])
    .where('m.programme_id', '=', programmeId)
    .where('m.person_id', '=', personId)
    .where('m.id', '=', memberId)
    .executeTakeFirst();
}

/** A member's versions, newest first. */
export async function selectMemberVersions(tx: Tx, programmeId: string, memberId: string) {
  return tx
    .selectFrom('circle_member_versions as v')
    .select(versionColumns)
    .where('v.programme_id', '=', programmeId)
    .where('v.member_id', '=', memberId)
    .orderBy('v.version', 'desc')
    .execute();
}

export function selectMemberIdByFormToken(tx: Tx, programmeId: string, formToken: string): Promise<string | undefined> {
  return idByFormToken(tx, 'circle_members', { programmeId, formToken });
}

export interface MemberDetails {
  name: string;
  relationship: string;
  howTheyHelp: string | null;
  closeness: Closeness;
  kind: SupportKind;
}

interface Change {
  programmeId: string;
  personId: string;
  /** The calendar day the change takes effect. */
  on: string;
  at: Date;
  by: string;
}

export async function insertMember(tx: Tx, change: Change & { formToken: string }): Promise<string> {
  const { id } = await tx
    .insertInto('circle_members')
    .values({
      programme_id: change.programmeId,
      person_id: change.personId,
      joined_on: change.on,
      form_token: change.formToken,
      created_at: change.at,
      created_by: change.by,
      updated_at: change.at,
      updated_by: change.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertMemberVersion(tx: Tx, change: Change & { memberId: string; version: number; details: MemberDetails }) {
  await tx
    .insertInto('circle_member_versions')
    .values({
      programme_id: change.programmeId,
      person_id: change.personId,
      member_id: change.memberId,
      version: change.version,
      name: change.details.name,
      relationship: change.details.relationship,
      how_they_help: change.details.howTheyHelp,
      closeness: change.details.closeness,
      kind: change.details.kind,
      valid_from: change.on,
      recorded_at: change.at,
      recorded_by: change.by,
    })
    .execute();
}

/** Ends a member's open version on `on`: from that day it is history. */
export async function closeOpenVersion(tx: Tx, programmeId: string, memberId: string, on: string) {
  await tx
    .updateTable('circle_member_versions')
    .set({ valid_to: on })
    .where('programme_id', '=', programmeId)
    .where('member_id', '=', memberId)
    .where('valid_to', 'is', null)
    .execute();
}

/**
 * Moves a member on one version, only if nobody else did first: undefined means the version had already moved
 * (or they had left), and nothing was changed.
 */
export async function advanceMemberVersion(
  tx: Tx,
  change: Change & { memberId: string; expectedVersion: number; leftOn: string | null },
): Promise<number | undefined> {
  const row = await tx
    .updateTable('circle_members')
    .set((eb) => ({ version: eb('version', '+', 1), left_on: change.leftOn, updated_at: change.at, updated_by: change.by }))
    .where('programme_id', '=', change.programmeId)
    .where('person_id', '=', change.personId)
    .where('id', '=', change.memberId)
    .where('version', '=', change.expectedVersion)
    .where('left_on', 'is', null)
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}
