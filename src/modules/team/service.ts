import { record } from '../../core/audit/audit.ts';
import { actorFor, scopeOf } from '../../core/auth/acting.ts';
import type { CurrentUser } from '../../core/auth/can.ts';
import { PERSON_STATUSES, type PersonStatus } from '../../core/db/schema.ts';
import { inTransaction } from '../../core/db/transaction.ts';
import type { AppDeps } from '../../core/http/context.ts';
import { ukToday, type FormErrors, type FormResult } from '../../core/http/forms.ts';
import { workingTogetherFor } from '../agreements/service.ts';
import { selectLastContacts } from '../journal/queries.ts';
import { daysSince } from '../people/dates.ts';
import { selectOpenConcerns } from '../safeguarding/queries.ts';
import { selectCoordinators, selectPeopleInTouch, selectStatusMix } from './queries.ts';
import type { NoContactInput } from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** How far ahead "reviews due" looks: the reviews to arrange in the next fortnight, and any already past. */
export const REVIEW_WINDOW_DAYS = 14;

/** The people a coordinator is actively in touch with: resting and moved on are by the person's choice. */
const IN_TOUCH: readonly PersonStatus[] = ['introduced', 'getting_to_know', 'walking_alongside'];

export interface Caseload {
  coordinatorId: string | null;
  name: string;
  areas: string;
  /** Everyone not moved on. */
  total: number;
  byStatus: Record<PersonStatus, number>;
}

export interface PersonLine {
  id: string;
  name: string;
  areaName: string;
  coordinatorName: string | null;
}

export interface TeamPage {
  today: string;
  caseloads: Caseload[];
  weeks: number | null;
  errors: FormErrors | undefined;
  /** In touch, but no journal entry (or, with none, no introduction) for the chosen number of weeks or more. */
  noContact: (PersonLine & { lastContact: { on: string; ago: string } | null; introducedOn: string | null })[];
  reviewsDue: (PersonLine & { reviewOn: string })[];
  openConcerns: number;
  waiting: number;
}

function emptyMix(): Record<PersonStatus, number> {
  return Object.fromEntries(PERSON_STATUSES.map((s) => [s, 0])) as Record<PersonStatus, number>;
}

/**
 * The manager's view of the team: caseloads and their status mix, people not heard from for a while, reviews
 * coming up, open safeguarding concerns and introductions waiting for a coordinator. One audited read, with
 * counts only: the lists name people, as the caseload does, and the row says how many.
 */
export async function getTeamPage(deps: Deps, user: CurrentUser, form: FormResult<NoContactInput>, requestId: string): Promise<TeamPage> {
  const programmeId = user.programme.id;
  const now = deps.clock.now();
  const today = ukToday(now);
  const weeks = form.ok ? form.data.weeks : null;
  return inTransaction(deps.db, scopeOf(user), async (tx) => {
    const coordinators = await selectCoordinators(tx, programmeId);
    const caseloads = new Map<string | null, Caseload>(
      coordinators.map((c) => [c.id, { coordinatorId: c.id, name: c.name, areas: c.areas ?? '', total: 0, byStatus: emptyMix() }]),
    );
    for (const row of await selectStatusMix(tx, programmeId)) {
      let caseload = caseloads.get(row.coordinator_id);
      if (caseload === undefined) {
        // No coordinator yet, or one who has since left the programme: shown together as not yet agreed.
        caseload = caseloads.get(null) ?? { coordinatorId: null, name: 'No coordinator yet', areas: '', total: 0, byStatus: emptyMix() };
        caseloads.set(null, caseload);
      }
      const people = Number(row.people);
      caseload.byStatus[row.status] += people;
      if (row.status !== 'moved_on') caseload.total += people;
    }

    const inTouch = await selectPeopleInTouch(tx, programmeId, IN_TOUCH);
    const ids = inTouch.map((p) => p.id);
    const lastContacts = await selectLastContacts(tx, programmeId, ids);
    const together = await workingTogetherFor(tx, programmeId, ids);
    const line = (p: (typeof inTouch)[number]): PersonLine => ({ id: p.id, name: p.name, areaName: p.area_name, coordinatorName: p.coordinator_name });

    const noContact: TeamPage['noContact'] = [];
    if (weeks !== null) {
      const since = ukToday(new Date(now.getTime() - weeks * 7 * DAY_MS));
      for (const p of inTouch) {
        const last = lastContacts.get(p.id);
        const reference = last ?? p.last_introduced_on;
        if (reference !== null && reference <= since) {
          noContact.push({ ...line(p), lastContact: last === undefined ? null : { on: last, ago: daysSince(last, today) }, introducedOn: p.last_introduced_on });
        }
      }
      // The longest without contact first: they are the ones to ask about.
      noContact.sort((a, b) => (a.lastContact?.on ?? a.introducedOn ?? '').localeCompare(b.lastContact?.on ?? b.introducedOn ?? ''));
    }

    const horizon = ukToday(new Date(now.getTime() + REVIEW_WINDOW_DAYS * DAY_MS));
    const reviewsDue = inTouch
      .map((p) => ({ ...line(p), reviewOn: together.get(p.id)?.nextReview ?? null }))
      .filter((p): p is PersonLine & { reviewOn: string } => p.reviewOn !== null && p.reviewOn <= horizon)
      .sort((a, b) => a.reviewOn.localeCompare(b.reviewOn));

    const openConcerns = (await selectOpenConcerns(tx, programmeId)).length;
    const waiting = inTouch.filter((p) => p.coordinator_id === null).length;

    await record(tx, actorFor(deps, user, requestId), {
      action: 'team.read',
      outcome: form.ok ? 'allowed' : 'failed',
      detail: { weeks, noContact: noContact.length, reviewsDue: reviewsDue.length, openConcerns, waiting },
    });
    const ordered = [...caseloads.values()].sort((a, b) => Number(a.coordinatorId === null) - Number(b.coordinatorId === null));
    return { today, caseloads: ordered, weeks, errors: form.ok ? undefined : form.errors, noContact, reviewsDue, openConcerns, waiting };
  });
}
