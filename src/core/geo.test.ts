import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { distanceKm, distanceText } from './geo.ts';

describe('distances', () => {
  test('known distances between real places come out right', () => {
    // London (Charing Cross) to Manchester (Piccadilly): about 262 km as the crow flies.
    assert.ok(Math.abs(distanceKm({ latitude: 51.5073, longitude: -0.1276 }, { latitude: 53.4774, longitude: -2.2309 }) - 262.6) < 1.5);
    // A degree of latitude is about 111.2 km anywhere.
    assert.ok(Math.abs(distanceKm({ latitude: 52, longitude: -1 }, { latitude: 53, longitude: -1 }) - 111.2) < 0.2);
    assert.equal(distanceKm({ latitude: 53.1, longitude: -2.1 }, { latitude: 53.1, longitude: -2.1 }), 0);
  });

  test('symmetric, never negative, and no shorter than any stop on the way (the triangle inequality)', () => {
    const point = fc.record({ latitude: fc.double({ min: 49, max: 61, noNaN: true }), longitude: fc.double({ min: -8, max: 2, noNaN: true }) });
    fc.assert(
      fc.property(point, point, point, (a, b, c) => {
        const ab = distanceKm(a, b);
        assert.ok(ab >= 0);
        assert.ok(Math.abs(ab - distanceKm(b, a)) < 1e-9);
        assert.ok(ab <= distanceKm(a, c) + distanceKm(c, b) + 1e-9);
      }),
    );
  });

  test('in words: metres close by, kilometres further away, miles beside', () => {
    assert.equal(distanceText(0.04), '40 m (under 0.1 miles)');
    assert.equal(distanceText(0.45), '450 m (0.3 miles)');
    assert.equal(distanceText(3.21), '3.2 km (2.0 miles)');
  });
});
