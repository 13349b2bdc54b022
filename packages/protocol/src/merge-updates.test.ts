import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concurrentHistory, textOf } from '../test/histories.js';
import { mergeUpdates } from './merge-updates.js';

describe('mergeUpdates', () => {
  it('gives the same document as applying every update, for any count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000 }), fc.nat(), (steps, seed) => {
        const { updates, text } = concurrentHistory(seed, 1 + (seed % 2), steps);
        expect(textOf(mergeUpdates(updates))).toBe(text);
      }),
      { seed: 3, numRuns: 25 },
    );
  }, 60_000);
});
