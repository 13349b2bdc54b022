import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeSet } from './range-set.js';

const range = fc.tuple(fc.nat(200), fc.nat(30)).map(([start, len]) => [start, start + len] as const);

describe('RangeSet', () => {
  it('holds exactly the integers added, and reports the rest as missing', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 40 }), range, (added, [qs, qe]) => {
        const set = new RangeSet();
        const reference = new Set<number>();
        for (const [s, e] of added) {
          set.add(s, e);
          for (let i = s; i < e; i++) reference.add(i);
        }
        const missing = set.missing(qs, qe);
        const expected: number[] = [];
        for (let i = qs; i < qe; i++) if (!reference.has(i)) expected.push(i);
        expect(missing.flatMap(([s, e]) => Array.from({ length: e - s }, (_, k) => s + k))).toEqual(expected);
        for (const [s, e] of missing) expect(s).toBeLessThan(e);
      }),
    );
  });

  it('merges touching ranges', () => {
    const set = new RangeSet();
    set.add(0, 2);
    set.add(4, 6);
    set.add(2, 4);
    expect(set.size).toBe(1);
    expect(set.missing(0, 8)).toEqual([[6, 8]]);
  });
});
