import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ageNow, timeSince, wholeYearsBetween } from './dates.ts';
import { normalisePostcode } from '../../core/http/fields.ts';

describe('calendar arithmetic', () => {
  test('whole years count a birthday only once it has come', () => {
    assert.equal(wholeYearsBetween('1961-03-27', '2026-03-26'), 64);
    assert.equal(wholeYearsBetween('1961-03-27', '2026-03-27'), 65);
    assert.equal(wholeYearsBetween('2000-02-29', '2027-02-28'), 26, 'a leap-day birthday comes on 1 March in other years');
    assert.equal(wholeYearsBetween('2000-02-29', '2027-03-01'), 27);
    assert.equal(wholeYearsBetween('2026-11-02', '2026-11-02'), 0);
  });

  test('an age grows from the day it was recorded; a date of birth wins; nothing known is null', () => {
    assert.equal(ageNow({ dateOfBirth: null, ageWhenRecorded: 45, ageRecordedOn: '2024-11-03' }, '2026-11-02'), 46);
    assert.equal(ageNow({ dateOfBirth: null, ageWhenRecorded: 45, ageRecordedOn: '2024-11-02' }, '2026-11-02'), 47);
    assert.equal(ageNow({ dateOfBirth: '1955-02-14', ageWhenRecorded: null, ageRecordedOn: null }, '2026-11-02'), 71);
    assert.equal(ageNow({ dateOfBirth: null, ageWhenRecorded: null, ageRecordedOn: null }, '2026-11-02'), null);
  });

  test('time since is always looking back, in words', () => {
    const now = new Date('2026-11-02T09:00:00Z');
    const ago = (days: number) => timeSince(new Date(now.getTime() - days * 86_400_000), now);
    assert.deepEqual(
      [0, 1, 5, 13, 14, 20, 60, 61, 364, 730, 1100].map(ago),
      ['today', 'yesterday', '5 days ago', '13 days ago', '2 weeks ago', '2 weeks ago', '8 weeks ago', '2 months ago', '11 months ago', '2 years ago', '3 years ago'],
    );
    // UK calendar days: 23:30 on 1 November is yesterday at 09:00 on 2 November.
    assert.equal(timeSince(new Date('2026-11-01T23:30:00Z'), now), 'yesterday');
    assert.equal(timeSince(new Date('2026-11-03T09:00:00Z'), now), 'today', 'a time a little ahead of the clock is not "in the future"');
  });
});

describe('postcodes', () => {
  test('any spacing and case of a real shape becomes upper-case with one space', () => {
    assert.equal(normalisePostcode(' sw1a1aa '), 'SW1A 1AA');
    assert.equal(normalisePostcode('m1 1aa'), 'M1 1AA');
    assert.equal(normalisePostcode('B33\t8TH'), 'B33 8TH');
    for (const notOne of ['', 'SW1A', '1AA 1AA', 'SW1A 1AAA', 'S W 1 A', 'ÅB1 2CD', "BF1' --"]) assert.equal(normalisePostcode(notOne), undefined, notOne);
  });

  test('normalising is stable: a normalised postcode normalises to itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const once = normalisePostcode(text);
        if (once !== undefined) assert.equal(normalisePostcode(once), once);
      }),
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/),
        (postcode) => /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/.test(normalisePostcode(postcode.toLowerCase()) ?? ''),
      ),
    );
  });
});
