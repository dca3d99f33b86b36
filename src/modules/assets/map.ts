import type { AssetCategory } from './tables.ts';

/**
 * The map of a neighbourhood's assets, laid out on the server: an equirectangular projection (longitude shrunk by
 * the cosine of the latitude, which within a town is as good as any projection) scaled to the points' bounding
 * box. Each category has its own shape as well as its own colour, so the map reads without colour too; every
 * marker has a dark outline for contrast on the pale background. The page always lists the same assets beside it.
 */

export interface MapInput {
  id: string;
  name: string;
  category: AssetCategory;
  latitude: number;
  longitude: number;
}

/** A marker: a circle, or a polygon given by its points. */
export type MarkerShape = { kind: 'circle'; cx: number; cy: number; r: number } | { kind: 'polygon'; points: string };

export interface MapMarker extends MapInput {
  x: number;
  y: number;
  shape: MarkerShape;
  colour: string;
}

export interface MapLayout {
  width: number;
  height: number;
  markers: MapMarker[];
}

/** Colour and shape per category. Colours from the GOV.UK palette; shapes tell them apart without colour. */
export const MARKER_STYLE: Record<AssetCategory, { colour: string; shape: 'circle' | 'square' | 'triangle' | 'diamond' | 'pentagon' | 'star' }> = {
  gifts: { colour: '#f47738', shape: 'circle' },
  association: { colour: '#1d70b8', shape: 'square' },
  organisation: { colour: '#00703c', shape: 'triangle' },
  place: { colour: '#912b88', shape: 'diamond' },
  business: { colour: '#b58840', shape: 'pentagon' },
  culture: { colour: '#d53880', shape: 'star' },
};

const round = (n: number) => Math.round(n * 10) / 10;

function polygon(corners: [number, number][]): MarkerShape {
  return { kind: 'polygon', points: corners.map(([x, y]) => `${round(x)},${round(y)}`).join(' ') };
}

/** `sides` corners on a circle of radius r around (x, y), the first straight up. */
function regular(x: number, y: number, r: number, sides: number, turn = 0): [number, number][] {
  return Array.from({ length: sides }, (_, i) => {
    const angle = -Math.PI / 2 + turn + (i * 2 * Math.PI) / sides;
    return [x + r * Math.cos(angle), y + r * Math.sin(angle)] as [number, number];
  });
}

/** The marker for a category at (x, y), about `size` across. */
export function markerShape(category: AssetCategory, x: number, y: number, size: number): MarkerShape {
  const r = size / 2;
  switch (MARKER_STYLE[category].shape) {
    case 'circle':
      return { kind: 'circle', cx: round(x), cy: round(y), r: round(r * 0.85) };
    case 'square':
      return polygon(regular(x, y, r, 4, Math.PI / 4).map(([px, py]) => [x + (px - x) * 0.9, y + (py - y) * 0.9]));
    case 'triangle':
      return polygon(regular(x, y + r * 0.15, r * 1.1, 3));
    case 'diamond':
      return polygon(regular(x, y, r, 4));
    case 'pentagon':
      return polygon(regular(x, y, r * 0.95, 5));
    case 'star': {
      const outer = regular(x, y, r * 1.1, 5);
      const inner = regular(x, y, r * 0.5, 5, Math.PI / 5);
      return polygon(outer.flatMap((corner, i) => [corner, inner[i] ?? corner]));
    }
  }
}

const WIDTH = 640;
const HEIGHT = 440;
const PADDING = 28;
const MARKER_SIZE = 22;
/** Markers at one spot (one postcode, one building) are spread round it this far, so each can be seen. */
const SPREAD = 12;

/** Lays the assets out to fill the picture, keeping distances true in both directions. */
export function layoutMap(assets: readonly MapInput[]): MapLayout {
  if (assets.length === 0) return { width: WIDTH, height: HEIGHT, markers: [] };
  const meanLatitude = assets.reduce((sum, a) => sum + a.latitude, 0) / assets.length;
  const shrink = Math.cos((meanLatitude * Math.PI) / 180);
  const projected = assets.map((a) => ({ a, px: a.longitude * shrink, py: -a.latitude }));
  const xs = projected.map((p) => p.px);
  const ys = projected.map((p) => p.py);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const inner = { w: WIDTH - 2 * PADDING, h: HEIGHT - 2 * PADDING };
  // One scale for both directions, so the map is not stretched; with a single spot, everything sits in the middle.
  const scale = spanX === 0 && spanY === 0 ? 0 : Math.min(spanX === 0 ? Infinity : inner.w / spanX, spanY === 0 ? Infinity : inner.h / spanY);
  const offsetX = PADDING + (inner.w - spanX * scale) / 2;
  const offsetY = PADDING + (inner.h - spanY * scale) / 2;
  const placed = projected.map((p) => ({ a: p.a, x: offsetX + (p.px - minX) * scale, y: offsetY + (p.py - minY) * scale }));

  const atSpot = new Map<string, typeof placed>();
  for (const p of placed) {
    const key = `${Math.round(p.x)},${Math.round(p.y)}`;
    atSpot.set(key, [...(atSpot.get(key) ?? []), p]);
  }
  const markers: MapMarker[] = [];
  for (const group of atSpot.values()) {
    group.forEach((p, i) => {
      const angle = (i * 2 * Math.PI) / group.length;
      const x = group.length === 1 ? p.x : p.x + SPREAD * Math.sin(angle);
      const y = group.length === 1 ? p.y : p.y - SPREAD * Math.cos(angle);
      markers.push({ ...p.a, x: round(x), y: round(y), shape: markerShape(p.a.category, x, y, MARKER_SIZE), colour: MARKER_STYLE[p.a.category].colour });
    });
  }
  return { width: WIDTH, height: HEIGHT, markers };
}
