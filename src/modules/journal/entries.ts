import type { Tx } from '../../core/db/transaction.ts';
import { selectCurrentEntries, selectEntry, selectEntryLinks, selectEntryVersions, type EntryContent } from './queries.ts';
import { isUuid } from './schemas.ts';

/** Reading journal entries back, for the service's pages and the timeline alike. */

export interface LinkedThings {
  steps: { id: string; text: string }[];
  circleMembers: { id: string; text: string }[];
  householdMembers: { id: string; text: string }[];
  assets: { id: string; text: string }[];
}

export interface EntryVersion extends EntryContent {
  version: number;
  links: LinkedThings;
  recordedByName: string;
  recordedAt: Date;
}

/** An entry as it reads now, with who first wrote it and its versions (newest first, the first being now). */
export interface JournalEntry extends EntryVersion {
  id: string;
  createdByName: string;
  createdAt: Date;
  versions: EntryVersion[];
}

type VersionRow = Awaited<ReturnType<typeof selectEntryVersions>>[number];
type EntryRow = NonNullable<Awaited<ReturnType<typeof selectEntry>>>;
type LinkRows = Awaited<ReturnType<typeof selectEntryLinks>>;

function versionOf(row: VersionRow, links: LinkRows): EntryVersion {
  const at = (list: { entryId: string; version: number; id: string; text: string }[]) =>
    list.filter((l) => l.entryId === row.entryId && l.version === row.version).map((l) => ({ id: l.id, text: l.text }));
  return {
    happenedOn: row.happenedOn,
    how: row.how,
    kind: row.kind,
    durationMinutes: row.durationMinutes,
    notes: row.notes,
    version: row.version,
    links: { steps: at(links.steps), circleMembers: at(links.circleMembers), householdMembers: at(links.householdMembers), assets: at(links.assets) },
    recordedByName: row.recordedByName,
    recordedAt: row.recordedAt,
  };
}

function entryOf(row: EntryRow, links: LinkRows, versions?: EntryVersion[]): JournalEntry {
  const now = versionOf(row, links);
  return { ...now, id: row.entryId, createdByName: row.createdByName, createdAt: row.createdAt, versions: versions ?? [now] };
}

/** The person's entries as they read now, newest first (by the day it happened), at most `limit`. */
export async function currentEntries(tx: Tx, programmeId: string, personId: string, limit: number): Promise<JournalEntry[]> {
  const rows = await selectCurrentEntries(tx, programmeId, personId, limit);
  const links = await selectEntryLinks(tx, programmeId, personId, rows.map((r) => r.entryId));
  return rows.map((r) => entryOf(r, links));
}

/** One of this person's entries with every version, or undefined when the id names none of theirs. */
export async function loadEntry(tx: Tx, programmeId: string, personId: string, entryId: string): Promise<JournalEntry | undefined> {
  if (!isUuid(entryId)) return undefined;
  const row = await selectEntry(tx, programmeId, personId, entryId);
  if (row === undefined) return undefined;
  const links = await selectEntryLinks(tx, programmeId, personId, [row.entryId]);
  const versions = (await selectEntryVersions(tx, programmeId, personId, row.entryId)).map((v) => versionOf(v, links));
  return entryOf(row, links, versions);
}
