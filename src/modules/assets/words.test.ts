import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { layoutMap, markerShape, MARKER_STYLE } from './map.ts';
import { monthsBefore } from './service.ts';
import { ASSET_CATEGORIES } from './tables.ts';
import { cleanTags, parseTime, repeatOf, ruleOf, scheduleText, timeText } from './words.ts';

describe('schedules in words', () => {
  test('times typed the ways people type them', () => {
    const cases: [string, string | undefined][] = [
      ['10', '10:00'],
      ['10:30', '10:30'],
      ['9.15', '09:15'],
      ['10am', '10:00'],
      ['2pm', '14:00'],
      ['2:30 PM', '14:30'],
      ['12pm', '12:00'],
      ['12am', '00:00'],
      ['19:45', '19:45'],
      ['24:00', undefined],
      ['13pm', undefined],
      ['10:60', undefined],
      ['soon', undefined],
      ['', undefined],
    ];
    for (const [typed, expected] of cases) assert.equal(parseTime(typed), expected, typed);
  });

  test('every time of day reads back as it was typed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const hhmm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        assert.equal(parseTime(hhmm), hhmm);
        // The words for it are a time people read, and parse back to the same time (midday aside).
        const words = timeText(hhmm);
        assert.equal(words === 'midday' ? '12:00' : parseTime(words), hhmm);
      }),
    );
  });

  test('weekly and monthly rules, with and without times', () => {
    const rule = { freq: 'weekly' as const, byday: 'TU' as const, weekOfMonth: null, opensAt: '10:00', closesAt: '12:00', description: null };
    assert.equal(scheduleText(rule), 'Every Tuesday, 10am to midday');
    assert.equal(scheduleText({ ...rule, freq: 'monthly', weekOfMonth: -1, byday: 'SA', opensAt: '19:30', closesAt: null }), 'Last Saturday of the month, from 7:30pm');
    assert.equal(scheduleText({ ...rule, freq: 'monthly', weekOfMonth: 1, byday: 'MO', opensAt: null, closesAt: '16:00:00' }), 'First Monday of the month, until 4pm');
    assert.equal(scheduleText({ ...rule, opensAt: null, closesAt: null }), 'Every Tuesday');
    for (const repeat of ['weekly', '1', '2', '3', '4', 'last'] as const) {
      const { freq, weekOfMonth } = ruleOf(repeat);
      assert.equal(repeatOf(freq, weekOfMonth), repeat);
    }
  });

  test('tags are kept lower case, single-spaced, each once, in the order given', () => {
    assert.deepEqual(cleanTags(' Walking,outdoors , ,  Older   People, walking,OUTDOORS'), ['walking', 'outdoors', 'older people']);
    assert.deepEqual(cleanTags(''), []);
    fc.assert(
      fc.property(fc.string(), (text) => {
        const tags = cleanTags(text);
        assert.deepEqual(cleanTags(tags.join(',')), tags);
        for (const tag of tags) assert.ok(tag === tag.toLowerCase() && tag === tag.trim() && tag !== '' && !tag.includes(','));
      }),
    );
  });
});

describe('stale after months', () => {
  test('calendar months back, the day kept where the month has it', () => {
    assert.equal(monthsBefore('2026-11-02', 12), '2025-11-02');
    assert.equal(monthsBefore('2026-03-31', 1), '2026-02-28');
    assert.equal(monthsBefore('2024-03-31', 1), '2024-02-29');
    assert.equal(monthsBefore('2026-01-15', 3), '2025-10-15');
    assert.equal(monthsBefore('2026-11-02', 120), '2016-11-02');
  });
});

describe('the map layout', () => {
  const at = (id: string, latitude: number, longitude: number, category: (typeof ASSET_CATEGORIES)[number] = 'place') => ({ id, name: id, category, latitude, longitude });

  test('north at the top, east to the right, inside the picture, distances true in both directions', () => {
    const map = layoutMap([at('sw', 53.39, -2.18), at('ne', 53.41, -2.12), at('middle', 53.4, -2.15)]);
    const [sw, ne, middle] = ['sw', 'ne', 'middle'].map((id) => map.markers.find((m) => m.id === id));
    assert.ok(sw !== undefined && ne !== undefined && middle !== undefined);
    assert.ok(ne.x > sw.x && ne.y < sw.y, 'north-east is up and to the right');
    for (const m of map.markers) assert.ok(m.x >= 0 && m.x <= map.width && m.y >= 0 && m.y <= map.height);
    // Equirectangular: a degree of longitude is cos(latitude) of a degree of latitude, on screen too.
    const ratio = (ne.x - sw.x) / (sw.y - ne.y);
    const expected = (0.06 * Math.cos((53.4 * Math.PI) / 180)) / 0.02;
    assert.ok(Math.abs(ratio - expected) < 0.01, `${ratio} ≈ ${expected}`);
  });

  test('assets at one spot are spread round it; one asset sits in the middle', () => {
    const map = layoutMap([at('a', 53.4, -2.15), at('b', 53.4, -2.15), at('c', 53.4, -2.15)]);
    const spots = new Set(map.markers.map((m) => `${m.x},${m.y}`));
    assert.equal(spots.size, 3);
    const one = layoutMap([at('only', 53.4, -2.15)]);
    assert.deepEqual([one.markers[0]?.x, one.markers[0]?.y], [one.width / 2, one.height / 2]);
    assert.deepEqual(layoutMap([]).markers, []);
  });

  test('each category has its own shape and colour', () => {
    const shapes = new Set(ASSET_CATEGORIES.map((c) => MARKER_STYLE[c].shape));
    const colours = new Set(ASSET_CATEGORIES.map((c) => MARKER_STYLE[c].colour));
    assert.equal(shapes.size, ASSET_CATEGORIES.length);
    assert.equal(colours.size, ASSET_CATEGORIES.length);
    const drawn = ASSET_CATEGORIES.map((c) => markerShape(c, 10, 10, 16));
    assert.equal(new Set(drawn.map((s) => JSON.stringify(s))).size, ASSET_CATEGORIES.length, 'drawn differently at the same spot');
  });
});
