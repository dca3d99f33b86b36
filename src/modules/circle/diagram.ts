import { CLOSENESS, type Closeness } from './schemas.ts';

/**
 * The circle of support as a picture: the person at the centre, a ring for each closeness, each member a marker
 * on their ring. Pure geometry, no markup: the template draws it, so Nunjucks escapes every name.
 */

export interface DiagramMember {
  id: string;
  name: string;
  closeness: Closeness;
}

export interface DiagramPoint {
  id: string;
  name: string;
  /** Initials or a short name, unique within the diagram, so a marker reads on a phone. */
  label: string;
  x: number;
  y: number;
  r: number;
  fontSize: number;
}

export interface DiagramRing {
  closeness: Closeness;
  text: string;
  radius: number;
  /** Where the ring's name sits: inside the ring, at the top, in a gap kept free of markers. */
  labelX: number;
  labelY: number;
  points: DiagramPoint[];
}

export interface CircleDiagram {
  size: number;
  centre: { x: number; y: number; r: number; label: string; fontSize: number };
  rings: DiagramRing[];
  /** Every member in drawing order, with the label the list beside the diagram also shows. */
  points: DiagramPoint[];
}

/** The viewBox is square; the SVG scales to its column, so these are proportions more than pixels. */
export const DIAGRAM_SIZE = 360;
const CENTRE = DIAGRAM_SIZE / 2;
const CENTRE_RADIUS = 28;
const RING_RADIUS: Record<Closeness, number> = { 1: 62, 2: 112, 3: 160 };
const MARKER_MAX = 18;
const MARKER_MIN = 7;
const RING_LABEL_INSET = 14;
/** A generous average width of a character of the ring's name (13 units, bold), to keep it clear of markers. */
const RING_LABEL_CHAR_WIDTH = 7.8;

const segmenter = new Intl.Segmenter('en-GB', { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * What a marker shows: a short one-word name as it is ("Mum", "Gran", "Kay"), the first three letters of a longer
 * one, or the initials of the first and last words ("Kay Brown" → "KB"). Letters, not bytes: "Zoë Ó Súilleabháin"
 * → "ZÓ", and an emoji stays whole.
 */
export function shortLabel(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => w !== '');
  const first = words[0];
  const last = words.at(-1);
  if (first === undefined || last === undefined) return '?';
  if (words.length === 1) {
    const letters = graphemes(first);
    return letters.length <= 4 ? first : letters.slice(0, 3).join('');
  }
  const initial = (word: string) => (graphemes(word)[0] ?? '').toLocaleUpperCase('en-GB');
  return initial(first) + initial(last);
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

/** Closest first, then by name, then by id: the same circle is always drawn the same way. */
export function drawingOrder<T extends DiagramMember>(members: readonly T[]): T[] {
  return [...members].sort((a, b) => a.closeness - b.closeness || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Labels for members in drawing order; two "KB"s become "KB1" and "KB2" so the list can tell them apart. */
function uniqueLabels(members: readonly DiagramMember[]): string[] {
  const base = members.map((m) => shortLabel(m.name));
  const total = new Map<string, number>();
  for (const label of base) total.set(label, (total.get(label) ?? 0) + 1);
  const seen = new Map<string, number>();
  return base.map((label) => {
    if (total.get(label) === 1) return label;
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return `${label}${n}`;
  });
}

const round = (value: number) => Math.round(value * 10) / 10;

/** A font size that fits `label` inside a marker of radius `r`. */
function fontSizeFor(label: string, r: number): number {
  return round(Math.min(0.8 * r, (1.6 * r) / (0.75 * Math.max(1, graphemes(label).length))));
}

/**
 * Places every member on their ring. Members of a ring are spread evenly round it, starting just clockwise of a gap
 * at the top kept for the ring's name; markers shrink when a ring is crowded, down to a size that stays legible.
 */
export function layoutCircle(personName: string, members: readonly DiagramMember[]): CircleDiagram {
  const ordered = drawingOrder(members);
  const labels = uniqueLabels(ordered);
  const points: DiagramPoint[] = [];
  const rings: DiagramRing[] = CLOSENESS.map(({ value, text }) => {
    const radius = RING_RADIUS[value];
    const onRing = ordered.flatMap((m, i) => (m.closeness === value ? [{ member: m, label: labels[i] ?? '?' }] : []));
    const gap = Math.min(Math.PI, (text.length * RING_LABEL_CHAR_WIDTH + 2 * MARKER_MAX + 8) / radius);
    const step = (2 * Math.PI - gap) / Math.max(1, onRing.length);
    const r = Math.max(MARKER_MIN, Math.min(MARKER_MAX, Math.floor((step * radius) / 2 - 2)));
    const ringPoints = onRing.map(({ member, label }, k) => {
      const angle = -Math.PI / 2 + gap / 2 + (k + 0.5) * step;
      return {
        id: member.id,
        name: member.name,
        label,
        x: round(CENTRE + radius * Math.cos(angle)),
        y: round(CENTRE + radius * Math.sin(angle)),
        r,
        fontSize: fontSizeFor(label, r),
      };
    });
    points.push(...ringPoints);
    return { closeness: value, text, radius, labelX: CENTRE, labelY: CENTRE - radius + RING_LABEL_INSET, points: ringPoints };
  });
  const centreLabel = shortLabel(personName);
  return {
    size: DIAGRAM_SIZE,
    centre: { x: CENTRE, y: CENTRE, r: CENTRE_RADIUS, label: centreLabel, fontSize: fontSizeFor(centreLabel, CENTRE_RADIUS - 6) },
    rings,
    points,
  };
}
