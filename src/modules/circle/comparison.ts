import { CLOSENESS, type Closeness } from './schemas.ts';
import { drawingOrder } from './diagram.ts';

/** Someone in the circle on a given day, as they were recorded that day. */
export interface CircleEntry {
  id: string;
  name: string;
  relationship: string;
  closeness: Closeness;
}

export interface Move {
  /** As they are now. */
  member: CircleEntry;
  from: Closeness;
  to: Closeness;
}

export interface CircleComparison {
  joined: CircleEntry[];
  /** As they were on the earlier date, the last time they were in the circle. */
  left: CircleEntry[];
  closer: Move[];
  further: Move[];
  counts: { closeness: Closeness; text: string; then: number; now: number }[];
  total: { then: number; now: number };
  unchanged: boolean;
}

/** How the circle on an earlier date became the circle now. The same member is the same id, whatever their name. */
export function compareCircles(then: readonly CircleEntry[], now: readonly CircleEntry[]): CircleComparison {
  const before = new Map(then.map((m) => [m.id, m]));
  const after = new Map(now.map((m) => [m.id, m]));
  const joined = drawingOrder(now.filter((m) => !before.has(m.id)));
  const left = drawingOrder(then.filter((m) => !after.has(m.id)));
  const moves = drawingOrder(now).flatMap((member) => {
    const earlier = before.get(member.id);
    return earlier === undefined || earlier.closeness === member.closeness ? [] : [{ member, from: earlier.closeness, to: member.closeness }];
  });
  const counts = CLOSENESS.map(({ value, text }) => ({
    closeness: value,
    text,
    then: then.filter((m) => m.closeness === value).length,
    now: now.filter((m) => m.closeness === value).length,
  }));
  const closer = moves.filter((m) => m.to < m.from);
  const further = moves.filter((m) => m.to > m.from);
  return {
    joined,
    left,
    closer,
    further,
    counts,
    total: { then: then.length, now: now.length },
    unchanged: joined.length === 0 && left.length === 0 && moves.length === 0,
  };
}
