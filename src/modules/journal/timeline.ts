import type { CurrentUser } from '../../core/auth/can.ts';
import type { Tx } from '../../core/db/transaction.ts';
import { ukToday } from '../../core/http/forms.ts';
import { formatDate } from '../../core/http/views.ts';
import { STEP_STATUS_LABELS, callName, questionHeadings } from '../agreements/service.ts';
import { lifeAssetEvents } from '../assets/service.ts';
import { CLOSENESS_TEXT } from '../circle/schemas.ts';
import { INTRODUCERS } from '../people/schemas.ts';
import { type PersonInContext } from '../people/access.ts';
import { STATUS_LABELS } from '../people/service.ts';
import {
  selectTimelineAgreements,
  selectTimelineCircleLeavings,
  selectTimelineCircleVersions,
  selectTimelineConnectionsEnded,
  selectTimelineConnectionsMade,
  selectTimelineHouseholdAdded,
  selectTimelineHouseholdChanged,
  selectTimelineIntroductions,
  selectTimelineStatusChanges,
  selectTimelineStepsAdded,
  selectTimelineStepsChanged,
} from './queries.ts';
import { HOW_TEXT, KIND_TEXT, TIMELINE_KINDS, durationText, type TimelineKind, type TimelineQuery } from './schemas.ts';
import { currentEntries, type JournalEntry } from './entries.ts';

/** One thing that happened, in the model's words, with who recorded it and where in the record it lives. */
export interface TimelineItem {
  kind: TimelineKind;
  /** Unique on the page: the item's anchor. */
  key: string;
  /** The day it happened, 'YYYY-MM-DD'. */
  on: string;
  /** When it was recorded: orders the items of one day. */
  at: Date;
  title: string;
  /** Someone's own words that belong with it (notes, a reason, what they would like to change), or null. */
  words: string | null;
  /** Short facts shown under the title. */
  facts: string[];
  byName: string;
  href: string;
  linkText: string;
  /** For a journal entry: the entry, to show its links and offer a correction. */
  entry?: JournalEntry;
}

export interface Timeline {
  items: TimelineItem[];
  /** The kinds asked for; empty means everything. */
  kinds: readonly TimelineKind[];
  /** How many items were asked for. */
  show: number;
  /** There is more, earlier than the last item shown. */
  hasEarlier: boolean;
}

/** "A neighbour" becomes "a neighbour" in a sentence, but "GP or primary care" stays as it is. */
function inSentence(text: string): string {
  return /^[A-Z](?![A-Z])/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

const introducerText = new Map<string, string>(INTRODUCERS.map((i) => [i.value, i.text]));

type Source = (tx: Tx, user: CurrentUser, person: PersonInContext, limit: number) => Promise<TimelineItem[]>;

/** Where each kind of item comes from. Each returns at most `limit` items, its newest. */
const SOURCES: Record<TimelineKind, Source> = {
  journal: async (tx, user, person, limit) => {
    const entries = await currentEntries(tx, user.programme.id, person.id, limit);
    return entries.map((e) => ({
      kind: 'journal',
      key: `journal-${e.id}`,
      on: e.happenedOn,
      at: e.createdAt,
      title: `${KIND_TEXT[e.kind]}: ${inSentence(HOW_TEXT[e.how])}`,
      words: e.notes,
      facts: [
        ...(e.durationMinutes === null ? [] : [durationText(e.durationMinutes)]),
        ...(e.version > 1 ? [`Corrected by ${e.recordedByName} on ${formatDate(e.recordedAt)}`] : []),
      ],
      byName: e.createdByName,
      href: `/people/${person.id}/journal/change?entry=${e.id}`,
      linkText: 'Correct this entry',
      entry: e,
    }));
  },

  introduction: async (tx, user, person, limit) => {
    const rows = await selectTimelineIntroductions(tx, user.programme.id, person.id, limit);
    return rows.map((r) => {
      const introducer = [r.introducerName, r.introducerOrganisation].filter((t): t is string => t !== null).join(', ');
      return {
        kind: 'introduction',
        key: `introduction-${r.id}`,
        on: r.on,
        at: r.at,
        title: `${r.reIntroduction ? 'Re-introduced' : 'Introduced'} by ${inSentence(introducerText.get(r.introducedBy) ?? 'someone')}`,
        words: r.words,
        facts: introducer === '' ? [] : [`Introducer: ${introducer}`],
        byName: r.byName,
        href: `/people/${person.id}`,
        linkText: 'See the introduction',
      };
    });
  },

  status: async (tx, user, person, limit) => {
    const rows = await selectTimelineStatusChanges(tx, user.programme.id, person.id, limit);
    return rows.map((r) => ({
      kind: 'status',
      key: `status-${r.id}`,
      on: ukToday(r.at),
      at: r.at,
      title: r.reIntroduced ? 'Re-introduced: getting to know them again' : `Status: ${inSentence(STATUS_LABELS[r.toStatus])}`,
      words: r.reason,
      facts: [`Was: ${inSentence(STATUS_LABELS[r.fromStatus])}`],
      byName: r.byName,
      href: `/people/${person.id}/status`,
      linkText: 'See their status',
    }));
  },

  agreement: async (tx, user, person, limit) => {
    const rows = await selectTimelineAgreements(tx, user.programme.id, person.id, limit);
    return rows.map((r) => ({
      kind: 'agreement',
      key: `agreement-${r.id}`,
      on: r.on,
      at: r.at,
      title: r.versionNumber === 1 ? 'Shared agreement agreed' : `Shared agreement agreed again (version ${r.versionNumber})`,
      words: null,
      facts: [],
      byName: r.byName,
      href: `/people/${person.id}/agreement?version=${r.versionNumber}`,
      linkText: `See version ${r.versionNumber} of the shared agreement`,
    }));
  },

  step: async (tx, user, person, limit) => {
    const headings = questionHeadings(callName(person));
    const added = await selectTimelineStepsAdded(tx, user.programme.id, person.id, limit);
    const changed = await selectTimelineStepsChanged(tx, user.programme.id, person.id, limit);
    const href = (id: string) => `/people/${person.id}/agreement#step-${id}`;
    return [
      ...added.map((r) => ({
        kind: 'step' as const,
        key: `step-added-${r.id}`,
        on: ukToday(r.at),
        at: r.at,
        title: 'Step added',
        words: r.what,
        facts: [headings[r.question]],
        byName: r.byName,
        href: href(r.id),
        linkText: 'See the step',
      })),
      ...changed.map((r) => ({
        kind: 'step' as const,
        key: `step-changed-${r.id}`,
        on: ukToday(r.at),
        at: r.at,
        title: `Step changed: now ${inSentence(STEP_STATUS_LABELS[r.status])}`,
        words: r.what,
        facts: [],
        byName: r.byName,
        href: href(r.id),
        linkText: 'See the step',
      })),
    ];
  },

  circle: async (tx, user, person, limit) => {
    const versions = await selectTimelineCircleVersions(tx, user.programme.id, person.id, limit);
    const leavings = await selectTimelineCircleLeavings(tx, user.programme.id, person.id, limit);
    const href = (id: string) => `/people/${person.id}/circle/change?member=${id}`;
    return [
      ...versions.map((r) => ({
        kind: 'circle' as const,
        key: `circle-${r.id}`,
        on: r.on,
        at: r.at,
        title: r.version === 1 ? `${r.name} joined the circle of support` : `What is recorded about ${r.name} in the circle changed`,
        words: null,
        facts: [`${r.relationship}: ${inSentence(CLOSENESS_TEXT[r.closeness])}`],
        byName: r.byName,
        href: href(r.memberId),
        linkText: `See ${r.name} in the circle`,
      })),
      ...leavings.map((r) => ({
        kind: 'circle' as const,
        key: `circle-left-${r.id}`,
        on: r.on ?? ukToday(r.at),
        at: r.at,
        title: `${r.name} is no longer in the circle of support`,
        words: null,
        facts: [],
        byName: r.byName,
        href: href(r.id),
        linkText: `See what was recorded about ${r.name}`,
      })),
    ];
  },

  household: async (tx, user, person, limit) => {
    const added = await selectTimelineHouseholdAdded(tx, user.programme.id, person.id, limit);
    const changed = await selectTimelineHouseholdChanged(tx, user.programme.id, person.id, limit);
    const item = (r: (typeof added)[number], change: 'added' | 'changed') => ({
      kind: 'household' as const,
      key: `household-${change}-${r.id}`,
      on: ukToday(r.at),
      at: r.at,
      title: change === 'added' ? `${r.name} added to the household` : `What is recorded about ${r.name} in the household changed`,
      words: null,
      facts: [r.relationship],
      byName: r.byName,
      href: `/people/${person.id}/household/change?member=${r.id}`,
      linkText: `See ${r.name} in the household`,
    });
    return [...added.map((r) => item(r, 'added')), ...changed.map((r) => item(r, 'changed'))];
  },

  connection: async (tx, user, person, limit) => {
    const made = await selectTimelineConnectionsMade(tx, user.programme.id, person.id, limit);
    const ended = await selectTimelineConnectionsEnded(tx, user.programme.id, person.id, limit);
    const href = `/people/${person.id}/connections`;
    return [
      ...made.map((r) => ({
        kind: 'connection' as const,
        key: `connection-${r.id}`,
        on: r.agreedOn,
        at: r.recordedAt,
        title: `Connected with ${r.otherName}`,
        words: r.why,
        facts: ['Both agreed to be connected'],
        byName: r.recordedByName,
        href,
        linkText: 'See their connections',
      })),
      ...ended.map((r) => ({
        kind: 'connection' as const,
        key: `connection-ended-${r.id}`,
        on: r.endedOn ?? ukToday(r.recordedAt),
        at: r.endedAt ?? r.recordedAt,
        title: `Connection with ${r.otherName} ended`,
        words: null,
        facts: [],
        byName: r.endedByName ?? r.recordedByName,
        href,
        linkText: 'See their connections',
      })),
    ];
  },

  asset: async (tx, user, person, limit) => {
    const events = await lifeAssetEvents(tx, user.programme.id, person.id, limit);
    return events.map((e) => ({
      kind: 'asset' as const,
      key: `asset-${e.change}-${e.linkId}`,
      on: e.on,
      at: e.at,
      title: e.change === 'started' ? `${e.name} became part of their life` : `${e.name} is no longer part of their life`,
      words: e.what,
      facts: [],
      byName: e.byName,
      href: `/people/${person.id}/assets`,
      linkText: 'See the community assets in their life',
    }));
  },
};

/** Newest first: by the day it happened, then when it was recorded, then a fixed order so pages are stable. */
function newestFirst(a: TimelineItem, b: TimelineItem): number {
  if (a.on !== b.on) return a.on < b.on ? 1 : -1;
  if (a.at.getTime() !== b.at.getTime()) return b.at.getTime() - a.at.getTime();
  return a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
}

/**
 * The person's timeline: the newest `show` items of the kinds asked for (all when none). Each source gives its own
 * newest `show + 1`, so the newest `show` of all of them together are among those, and one more says whether
 * there is anything earlier.
 */
export async function buildTimeline(tx: Tx, user: CurrentUser, person: PersonInContext, query: TimelineQuery): Promise<Timeline> {
  const kinds = query.kind.length === 0 ? TIMELINE_KINDS : query.kind;
  const all: TimelineItem[] = [];
  for (const kind of kinds) all.push(...(await SOURCES[kind](tx, user, person, query.show + 1)));
  all.sort(newestFirst);
  return { items: all.slice(0, query.show), kinds: query.kind, show: query.show, hasEarlier: all.length > query.show };
}
