import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, PersonStatus } from '../src/core/db/schema.ts';
import { ukToday } from '../src/core/http/forms.ts';
import type { StepQuestion, StepStatus } from '../src/modules/agreements/tables.ts';
import type { Closeness, SupportKind } from '../src/modules/circle/schemas.ts';
import type { JournalHow, JournalKind } from '../src/modules/journal/tables.ts';
import type { PersonKnows } from '../src/modules/people/schemas.ts';
import type { ThemeCode } from '../src/modules/vision/themes.ts';

/**
 * A person's journey as data: who they are, how they were introduced, and what happened since, each event so
 * many days ago. The demo's stories and the scale generator both describe people this way, and `writeJourney`
 * is the one place that turns a journey into rows, so the two never drift apart.
 *
 * Seeds write with the owner's connection, like migrations, so they can set the dates things happened on.
 */
export interface Journey {
  name: string;
  preferredName?: string;
  pronouns?: string;
  /** Age when introduced, recorded on the day of the introduction (so the record's age grows with time). */
  age?: number;
  postcode: string;
  addressLine1?: string;
  phone?: string;
  areaId: string;
  /** Null: introduced and still waiting for a coordinator. */
  coordinatorId: string | null;
  introduction: Introduction & { daysAgo: number };
  events: JourneyEvent[];
}

interface Introduction {
  by: string;
  introducerName?: string;
  organisation?: string;
  words: string;
  /** Whether they know about and agree to the introduction; they do unless it says otherwise. */
  knows?: PersonKnows;
}

export type JourneyEvent = { daysAgo: number } & (
  /** Someone resting or moved on introduced again: the door re-opens, back to getting to know. */
  | ({ kind: 'reintroduction' } & Introduction)
  | { kind: 'status'; to: Exclude<PersonStatus, 'introduced'>; reason?: string; reIntroduced?: boolean }
  | { kind: 'vision'; words: string }
  | { kind: 'what-matters'; whatMatters: string; gifts: string; skills?: string; interests?: string; experience?: string }
  | { kind: 'themes'; themes: ThemeCode[] }
  | { kind: 'circle-join'; name: string; relationship: string; howTheyHelp?: string; closeness: Closeness; supportKind: SupportKind }
  | { kind: 'circle-change'; name: string; closeness: Closeness; howTheyHelp?: string }
  | { kind: 'circle-leave'; name: string }
  | { kind: 'agreement'; workingOn: string; whoDoesWhat: string; keepingInTouch: string; reviewInDays?: number }
  | { kind: 'step'; question: StepQuestion; what: string; owner: string }
  | { kind: 'step-status'; what: string; status: StepStatus }
  | {
      kind: 'journal';
      how: JournalHow;
      entry: JournalKind;
      minutes?: number;
      notes: string;
      /** Steps (by what they say) and circle members (by name) the entry is about. */
      steps?: string[];
      people?: string[];
    }
  | {
      kind: 'concern';
      raisedBy: string;
      concern: string;
      whatWasDone: string;
      informedWho: string;
      informedOrganisation: string;
      /** Closed this many days ago with this outcome; open when absent. */
      closed?: { daysAgo: number; outcome: string };
    }
);

const DAY_MS = 24 * 60 * 60 * 1000;

type Writer = Transaction<Database> | Kysely<Database>;

/**
 * Writes one journey in event order and returns the person's id. `by` is the user recorded as doing each thing:
 * the person's coordinator, or `fallbackUserId` (a manager) while they have none.
 */
export async function writeJourney(db: Writer, programmeId: string, journey: Journey, now: Date, fallbackUserId: string): Promise<string> {
  const by = journey.coordinatorId ?? fallbackUserId;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  const on = (daysAgo: number) => ukToday(at(daysAgo));
  const introducedAt = at(journey.introduction.daysAgo);

  const { id: personId } = await db
    .insertInto('people')
    .values({
      programme_id: programmeId,
      area_id: journey.areaId,
      name: journey.name,
      preferred_name: journey.preferredName ?? null,
      pronouns: journey.pronouns ?? null,
      age_when_recorded: journey.age ?? null,
      age_recorded_on: journey.age === undefined ? null : on(journey.introduction.daysAgo),
      postcode: journey.postcode,
      address_line_1: journey.addressLine1 ?? null,
      phone: journey.phone ?? null,
      coordinator_id: journey.coordinatorId,
      created_at: introducedAt,
      updated_at: introducedAt,
      updated_by: by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const introduce = (introduction: Introduction, daysAgo: number, reIntroduction: boolean) =>
    db
      .insertInto('introductions')
      .values({
        programme_id: programmeId,
        person_id: personId,
        introduced_by: introduction.by,
        introducer_name: introduction.introducerName ?? null,
        introducer_organisation: introduction.organisation ?? null,
        introduced_on: on(daysAgo),
        what_they_would_like_to_change: introduction.words,
        person_knows: introduction.knows ?? 'knows_and_agrees',
        re_introduction: reIntroduction,
        recorded_by: by,
        form_token: randomUUID(),
        created_at: at(daysAgo),
      })
      .execute();
  await introduce(journey.introduction, journey.introduction.daysAgo, false);

  let status = 'introduced' as PersonStatus;
  let personVersion = 1;
  let whatMattersVersion = 0;
  let themesVersion = 0;
  let agreementVersion = 0;
  const members = new Map<string, { id: string; version: number; relationship: string; kind: SupportKind; howTheyHelp: string | null }>();
  const steps = new Map<string, string>();
  const keyed = { programme_id: programmeId, person_id: personId };

  const changeStatus = async (to: Exclude<PersonStatus, 'introduced'>, when: Date, reason: string | null, reIntroduced: boolean) => {
    await db
      .insertInto('person_status_changes')
      .values({ ...keyed, from_status: status, to_status: to, re_introduced: reIntroduced, reason, changed_by: by, changed_at: when, form_token: randomUUID() })
      .execute();
    status = to;
    personVersion += 1;
    await db.updateTable('people').set({ status, version: personVersion, updated_at: when, updated_by: by }).where('id', '=', personId).execute();
  };

  const events = [...journey.events].sort((a, b) => b.daysAgo - a.daysAgo);
  for (const event of events) {
    const when = at(event.daysAgo);
    const day = on(event.daysAgo);
    switch (event.kind) {
      case 'reintroduction':
        await introduce(event, event.daysAgo, true);
        if (status === 'resting' || status === 'moved_on') await changeStatus('getting_to_know', when, null, true);
        break;
      case 'status':
        await changeStatus(event.to, when, event.reason ?? null, event.reIntroduced ?? false);
        break;
      case 'vision':
        await db
          .insertInto('visions')
          .values({ ...keyed, words: event.words, said_on: day, recorded_by: by, form_token: randomUUID(), created_at: when })
          .execute();
        break;
      case 'what-matters': {
        whatMattersVersion += 1;
        const values = {
          what_matters: event.whatMatters,
          gifts: event.gifts,
          skills: event.skills ?? null,
          interests: event.interests ?? null,
          experience: event.experience ?? null,
          version: whatMattersVersion,
          updated_by: by,
          updated_at: when,
        };
        if (whatMattersVersion === 1) await db.insertInto('what_matters').values({ ...keyed, ...values }).execute();
        else await db.updateTable('what_matters').set(values).where('person_id', '=', personId).execute();
        break;
      }
      case 'themes': {
        themesVersion += 1;
        const values = { version: themesVersion, updated_by: by, updated_at: when };
        if (themesVersion === 1) await db.insertInto('theme_choices').values({ ...keyed, ...values }).execute();
        else await db.updateTable('theme_choices').set(values).where('person_id', '=', personId).execute();
        await db.deleteFrom('person_themes').where('person_id', '=', personId).execute();
        if (event.themes.length > 0) {
          await db
            .insertInto('person_themes')
            .values(event.themes.map((theme) => ({ ...keyed, theme, note: null })))
            .execute();
        }
        break;
      }
      case 'circle-join': {
        const { id } = await db
          .insertInto('circle_members')
          .values({ ...keyed, version: 1, joined_on: day, form_token: randomUUID(), created_at: when, created_by: by, updated_at: when, updated_by: by })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('circle_member_versions')
          .values({
            ...keyed,
            member_id: id,
            version: 1,
            name: event.name,
            relationship: event.relationship,
            how_they_help: event.howTheyHelp ?? null,
            closeness: event.closeness,
            kind: event.supportKind,
            valid_from: day,
            recorded_at: when,
            recorded_by: by,
          })
          .execute();
        members.set(event.name, { id, version: 1, relationship: event.relationship, kind: event.supportKind, howTheyHelp: event.howTheyHelp ?? null });
        break;
      }
      case 'circle-change':
      case 'circle-leave': {
        const member = members.get(event.name);
        if (member === undefined) throw new Error(`Journey of ${journey.name}: ${event.name} is not in the circle`);
        member.version += 1;
        const leaving = event.kind === 'circle-leave';
        await db
          .updateTable('circle_members')
          .set({ version: member.version, left_on: leaving ? day : null, updated_at: when, updated_by: by })
          .where('id', '=', member.id)
          .execute();
        await db
          .updateTable('circle_member_versions')
          .set({ valid_to: day })
          .where('member_id', '=', member.id)
          .where('valid_to', 'is', null)
          .execute();
        if (!leaving) {
          member.howTheyHelp = event.howTheyHelp ?? member.howTheyHelp;
          await db
            .insertInto('circle_member_versions')
            .values({
              ...keyed,
              member_id: member.id,
              version: member.version,
              name: event.name,
              relationship: member.relationship,
              how_they_help: member.howTheyHelp,
              closeness: event.closeness,
              kind: member.kind,
              valid_from: day,
              recorded_at: when,
              recorded_by: by,
            })
            .execute();
        }
        break;
      }
      case 'agreement':
        agreementVersion += 1;
        await db
          .insertInto('shared_agreements')
          .values({
            ...keyed,
            version_number: agreementVersion,
            working_on: event.workingOn,
            who_does_what: event.whoDoesWhat,
            keeping_in_touch: event.keepingInTouch,
            review_on: event.reviewInDays === undefined ? null : on(event.daysAgo - event.reviewInDays),
            agreed_on: day,
            recorded_by: by,
            form_token: randomUUID(),
            created_at: when,
          })
          .execute();
        break;
      case 'step': {
        const { id } = await db
          .insertInto('steps')
          .values({
            ...keyed,
            question: event.question,
            what: event.what,
            owner: event.owner,
            aiming_for: null,
            form_token: randomUUID(),
            created_by: by,
            created_at: when,
            updated_by: by,
            updated_at: when,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        steps.set(event.what, id);
        break;
      }
      case 'journal': {
        const { id: entryId } = await db
          .insertInto('journal_entries')
          .values({ ...keyed, version: 1, form_token: randomUUID(), created_at: when, created_by: by, updated_at: when, updated_by: by })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('journal_entry_versions')
          .values({
            ...keyed,
            entry_id: entryId,
            version: 1,
            happened_on: day,
            how: event.how,
            kind: event.entry,
            duration_minutes: event.minutes ?? null,
            notes: event.notes,
            recorded_at: when,
            recorded_by: by,
          })
          .execute();
        const link = { ...keyed, entry_id: entryId, version: 1 };
        for (const what of event.steps ?? []) {
          const stepId = steps.get(what);
          if (stepId === undefined) throw new Error(`Journey of ${journey.name}: no step "${what}"`);
          await db.insertInto('journal_entry_steps').values({ ...link, step_id: stepId }).execute();
        }
        for (const name of event.people ?? []) {
          const member = members.get(name);
          if (member === undefined) throw new Error(`Journey of ${journey.name}: ${name} is not in the circle`);
          await db.insertInto('journal_entry_circle_members').values({ ...link, member_id: member.id }).execute();
        }
        break;
      }
      case 'concern': {
        const details = {
          raised_on: day,
          raised_by: event.raisedBy,
          concern: event.concern,
          what_was_done: event.whatWasDone,
          informed_who: event.informedWho,
          informed_organisation: event.informedOrganisation,
        };
        const closed = event.closed;
        const closedAt = closed === undefined ? when : at(closed.daysAgo);
        const { id: concernId } = await db
          .insertInto('safeguarding_concerns')
          .values({
            ...keyed,
            ...details,
            version: closed === undefined ? 1 : 2,
            closed_on: closed === undefined ? null : on(closed.daysAgo),
            outcome: closed?.outcome ?? null,
            form_token: randomUUID(),
            created_by: by,
            created_at: when,
            updated_by: by,
            updated_at: closedAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const version = { ...keyed, ...details, concern_id: concernId, recorded_by: by };
        await db.insertInto('safeguarding_concern_versions').values({ ...version, version: 1, closed_on: null, outcome: null, recorded_at: when }).execute();
        if (closed !== undefined) {
          await db
            .insertInto('safeguarding_concern_versions')
            .values({ ...version, version: 2, closed_on: on(closed.daysAgo), outcome: closed.outcome, recorded_at: closedAt })
            .execute();
        }
        break;
      }
      case 'step-status': {
        const id = steps.get(event.what);
        if (id === undefined) throw new Error(`Journey of ${journey.name}: no step "${event.what}"`);
        await db
          .updateTable('steps')
          .set((eb) => ({ status: event.status, version: eb('version', '+', 1), updated_by: by, updated_at: when }))
          .where('id', '=', id)
          .execute();
        break;
      }
    }
  }
  return personId;
}
