import type { Tx } from '../../core/db/transaction.ts';
import { ukToday } from '../../core/http/forms.ts';
import { selectLifeAssets, selectTimelineLifeAssetsEnded, selectTimelineLifeAssetsJoined, type LifeAssetRow } from './queries.ts';
import type { AssetCategory } from './tables.ts';

/**
 * The community assets in a person's life, as the circle of support and the journal read them: reads only, inside
 * a transaction whose caller has decided the user may see the person and audits that. Kept out of service.ts, which
 * reaches a person's record through people/service.ts: the people module reads the circle, and the circle reads
 * these, so having them in service.ts made the import cycle assets → people → circle → assets.
 */

export interface LifeAsset {
  id: string;
  assetId: string;
  name: string;
  category: AssetCategory;
  /** The asset itself has stopped running. */
  assetClosedOn: string | null;
  what: string;
  startedOn: string;
  endedOn: string | null;
  recordedByName: string;
  endedByName: string | null;
}

export function lifeAssetOf(r: LifeAssetRow): LifeAsset {
  return {
    id: r.id,
    assetId: r.asset_id,
    name: r.name,
    category: r.category,
    assetClosedOn: r.closed_on,
    what: r.what,
    startedOn: r.started_on,
    endedOn: r.ended_on,
    recordedByName: r.recorded_by_name,
    endedByName: r.ended_by_name,
  };
}

/**
 * For the circle of support: the community assets in the person's life now. The caller has decided the user may
 * see the person, and audits that; this only reads.
 */
export async function currentLifeAssets(tx: Tx, programmeId: string, personId: string): Promise<LifeAsset[]> {
  return (await selectLifeAssets(tx, programmeId, personId)).filter((r) => r.ended_on === null).map(lifeAssetOf);
}

/**
 * For the journal's entry form: the community assets in the person's life (now, or ever: an entry may be about
 * one they have since stopped going to), each once, as the assets' ids with their names. The caller has checked
 * and audits access.
 */
export async function lifeAssetChoices(tx: Tx, programmeId: string, personId: string): Promise<{ id: string; text: string; current: boolean }[]> {
  const choices = new Map<string, { id: string; text: string; current: boolean }>();
  for (const l of await selectLifeAssets(tx, programmeId, personId)) {
    const seen = choices.get(l.asset_id);
    choices.set(l.asset_id, { id: l.asset_id, text: l.name, current: (seen?.current ?? false) || l.ended_on === null });
  }
  return [...choices.values()].sort((a, b) => a.text.localeCompare(b.text));
}

/** Something that happened with a community asset in a person's life, for their timeline. */
export interface LifeAssetEvent {
  change: 'started' | 'ended';
  linkId: string;
  assetId: string;
  name: string;
  category: AssetCategory;
  /** What it means to them, for one that started. */
  what: string | null;
  on: string;
  at: Date;
  byName: string;
}

/**
 * For the timeline (journal module): assets that became part of the person's life, and those that stopped, each
 * kind at most `limit`, newest first. The caller has checked and audits access.
 */
export async function lifeAssetEvents(tx: Tx, programmeId: string, personId: string, limit: number): Promise<LifeAssetEvent[]> {
  const started = await selectTimelineLifeAssetsJoined(tx, programmeId, personId, limit);
  const ended = await selectTimelineLifeAssetsEnded(tx, programmeId, personId, limit);
  return [
    ...started.map((r) => ({ change: 'started' as const, linkId: r.id, assetId: r.asset_id, name: r.name, category: r.category, what: r.what, on: r.on, at: r.at, byName: r.by_name })),
    ...ended.map((r) => ({
      change: 'ended' as const,
      linkId: r.id,
      assetId: r.asset_id,
      name: r.name,
      category: r.category,
      what: null,
      on: r.on ?? ukToday(r.at ?? new Date(0)),
      at: r.at ?? new Date(0),
      byName: r.by_name,
    })),
  ];
}
