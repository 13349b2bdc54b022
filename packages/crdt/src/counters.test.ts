import { describe, expect, it } from 'vitest';
import {
  createGCounter,
  createPnCounter,
  gCounterIncrement,
  gCounterValue,
  joinGCounters,
  joinPnCounters,
  mergeGCounter,
  mergePnCounter,
  pnCounterAdd,
  pnCounterValue,
} from './index.js';

describe('G-Counter', () => {
  it('sums per-replica totals and joins by maximum', () => {
    const a = createGCounter();
    const b = createGCounter();
    const delta = gCounterIncrement(a, 'a', 3).delta;
    expect(gCounterIncrement(b, 'b').change).toEqual({ previous: 0, value: 1 });
    expect(mergeGCounter(b, delta)).toEqual({ previous: 1, value: 4 });
    expect(mergeGCounter(b, delta)).toBeNull();
    expect(gCounterValue(joinGCounters(a, b))).toBe(4);
  });

  it('refuses amounts that are not positive safe integers, and overflow', () => {
    const counter = createGCounter();
    for (const amount of [0, -1, 1.5, Number.NaN])
      expect(() => gCounterIncrement(counter, 'a', amount)).toThrow(RangeError);
    gCounterIncrement(counter, 'a', Number.MAX_SAFE_INTEGER);
    expect(() => gCounterIncrement(counter, 'a', 1)).toThrow(RangeError);
  });
});

describe('PN-Counter', () => {
  it('adds and subtracts, and joins each side by maximum', () => {
    const a = createPnCounter();
    const b = createPnCounter();
    pnCounterAdd(a, 'a', 5);
    const down = pnCounterAdd(a, 'a', -7);
    expect(down.change).toEqual({ previous: 5, value: -2 });
    pnCounterAdd(b, 'b', 1);
    expect(mergePnCounter(b, down.delta)).toEqual({ previous: 1, value: -6 });
    expect(pnCounterValue(joinPnCounters(a, b))).toBe(-1);
    expect(() => pnCounterAdd(a, 'a', 0)).toThrow(RangeError);
  });
});
