import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareCircles, type CircleEntry } from './comparison.ts';
import { DIAGRAM_SIZE, layoutCircle, shortLabel, type DiagramMember } from './diagram.ts';
import type { Closeness } from './schemas.ts';

/** No database here: the diagram's geometry and the comparison are pure. */

const member = (id: string, name: string, closeness: Closeness): DiagramMember => ({ id, name, closeness });
const centre = DIAGRAM_SIZE / 2;
const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe('the label on a marker', () => {
  test('initials of the first and last words, a short name as it is, the start of a long one', () => {
    assert.equal(shortLabel('Kay Brown'), 'KB');
    assert.equal(shortLabel('  mary   anne   smith '), 'MS');
    assert.equal(shortLabel('Mum'), 'Mum');
    assert.equal(shortLabel('Gran'), 'Gran');
    assert.equal(shortLabel('Grandmother'), 'Gra');
    assert.equal(shortLabel('Walking group'), 'WG');
    assert.equal(shortLabel('   '), '?');
  });

  test('letters, not code units: accents, other scripts and emoji stay whole', () => {
    assert.equal(shortLabel('zoë ó súilleabháin'), 'ZS');
    assert.equal(shortLabel('ó súilleabháin'), 'ÓS');
    assert.equal(shortLabel('李小龍'), '李小龍');
    assert.equal(shortLabel('👩‍👧 Family Group'), '👩‍👧G');
    // A letter written with a combining accent is one letter, not two code points.
    assert.equal(shortLabel('e\u0301owyn jones'), 'E\u0301J');
    assert.equal(shortLabel('E\u0301owyn'), 'E\u0301ow');
  });
});

describe('the layout of the circle', () => {
  const circle = [
    member('a', 'Kay Brown', 1),
    member('b', 'Mum', 1),
    member('c', 'Dev Patel', 2),
    member('d', 'Walking group', 3),
    member('e', 'Housing officer', 3),
    member('f', 'Kate Bell', 3),
  ];

  test('the person is at the centre, and each member is on the ring for their closeness', () => {
    const diagram = layoutCircle('Dennis Carver', circle);
    assert.deepEqual(diagram.centre, { x: centre, y: centre, r: 28, label: 'DC', fontSize: diagram.centre.fontSize });
    assert.deepEqual(
      diagram.rings.map((r) => [r.closeness, r.text, r.points.map((p) => p.name)]),
      [
        [1, 'Closest', ['Kay Brown', 'Mum']],
        [2, 'Close', ['Dev Patel']],
        [3, 'Around them', ['Housing officer', 'Kate Bell', 'Walking group']],
      ],
    );
    assert.ok(diagram.rings[0] !== undefined && diagram.rings[1] !== undefined && diagram.rings[2] !== undefined);
    assert.ok(diagram.rings[0].radius > diagram.centre.r && diagram.rings[0].radius < diagram.rings[1].radius);
    assert.ok(diagram.rings[1].radius < diagram.rings[2].radius);
    for (const ring of diagram.rings) {
      for (const p of ring.points) assert.ok(Math.abs(distance(p, diagram.centre) - ring.radius) < 0.2, `${p.name} is on the ${ring.text} ring`);
    }
    assert.deepEqual(diagram.points.map((p) => p.id), ['a', 'b', 'c', 'e', 'f', 'd']);
  });

  test('the same circle is drawn the same way whatever order it arrives in', () => {
    const once = layoutCircle('Dennis Carver', circle);
    const reversed = layoutCircle('Dennis Carver', [...circle].reverse());
    assert.deepEqual(reversed, once);
  });

  test('one member sits at the bottom, away from the ring name at the top; two sit either side', () => {
    const one = layoutCircle('P', [member('a', 'Ann', 2)]);
    assert.deepEqual([one.points[0]?.x, one.points[0]?.y], [centre, centre + 112]);
    const two = layoutCircle('P', [member('a', 'Ann', 2), member('b', 'Bob', 2)]);
    const [left, right] = [two.points[1], two.points[0]];
    assert.ok(left !== undefined && right !== undefined);
    assert.ok(right.x > centre && left.x < centre, 'one on each side');
    assert.equal(left.y, right.y, 'mirror images');
  });

  test('markers on a ring never overlap each other or the ring name, and stay inside the picture', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Closeness>(1, 2, 3), { maxLength: 40 }), (closenesses) => {
        const members = closenesses.map((c, i) => member(`m${String(i).padStart(2, '0')}`, `Person ${i}`, c));
        const diagram = layoutCircle('Someone', members);
        assert.equal(diagram.points.length, members.length);
        for (const ring of diagram.rings) {
          const labelHalfWidth = (ring.text.length * 7.8) / 2;
          for (const [i, p] of ring.points.entries()) {
            assert.ok(p.x - p.r >= 0 && p.y - p.r >= 0 && p.x + p.r <= DIAGRAM_SIZE && p.y + p.r <= DIAGRAM_SIZE, 'inside the viewBox');
            // Clear of the ring's name, which sits at the top of the ring.
            const clearSideways = Math.abs(p.x - ring.labelX) >= labelHalfWidth + p.r - 1;
            const clearBelow = p.y - p.r >= ring.labelY + 6;
            assert.ok(clearSideways || clearBelow, `${p.name} clear of "${ring.text}"`);
            // Up to a crowded ring, neighbours do not overlap; beyond it markers are at their smallest legible size.
            const next = ring.points[i + 1];
            if (next !== undefined && ring.points.length <= 12) assert.ok(distance(p, next) >= p.r + next.r, `${p.name} and ${next.name}`);
            assert.ok(p.r >= 7 && p.r <= 18);
            assert.ok(p.fontSize > 0 && p.fontSize <= p.r * 0.8 + 0.05);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  test('two people with the same initials get different labels, so the list can tell them apart', () => {
    const diagram = layoutCircle('P', [member('x', 'Kay Brown', 1), member('y', 'Kate Bell', 3), member('z', 'Kim Baker', 3)]);
    assert.deepEqual(
      diagram.points.map((p) => [p.name, p.label]),
      [
        ['Kay Brown', 'KB1'],
        ['Kate Bell', 'KB2'],
        ['Kim Baker', 'KB3'],
      ],
    );
  });

  test('an empty circle still has its three named rings and the person', () => {
    const diagram = layoutCircle('Dennis Carver', []);
    assert.deepEqual(diagram.points, []);
    assert.deepEqual(
      diagram.rings.map((r) => r.text),
      ['Closest', 'Close', 'Around them'],
    );
  });
});

describe('comparing the circle on two dates', () => {
  const entry = (id: string, name: string, closeness: Closeness): CircleEntry => ({ id, name, relationship: 'friend', closeness });

  test('who joined, who left, who moved closer or further, and the counts at each closeness', () => {
    const then = [entry('a', 'Ann', 3), entry('b', 'Bob', 1), entry('c', 'Cath', 2), entry('d', 'Dot', 2)];
    const now = [entry('a', 'Ann Smith', 1), entry('b', 'Bob', 2), entry('c', 'Cath', 2), entry('e', 'Eve', 3)];
    const c = compareCircles(then, now);
    assert.deepEqual(c.joined.map((m) => m.name), ['Eve']);
    assert.deepEqual(c.left.map((m) => m.name), ['Dot']);
    assert.deepEqual(c.closer.map((m) => [m.member.name, m.from, m.to]), [['Ann Smith', 3, 1]]);
    assert.deepEqual(c.further.map((m) => [m.member.name, m.from, m.to]), [['Bob', 1, 2]]);
    assert.deepEqual(
      c.counts.map((r) => [r.text, r.then, r.now]),
      [
        ['Closest', 1, 1],
        ['Close', 2, 2],
        ['Around them', 1, 1],
      ],
    );
    assert.deepEqual(c.total, { then: 4, now: 4 });
    assert.equal(c.unchanged, false);
  });

  test('the same circle is unchanged; from an empty circle everyone joined', () => {
    const circle = [entry('a', 'Ann', 1)];
    assert.equal(compareCircles(circle, circle).unchanged, true);
    const fromNothing = compareCircles([], circle);
    assert.deepEqual(fromNothing.joined, circle);
    assert.deepEqual(fromNothing.total, { then: 0, now: 1 });
  });
});
