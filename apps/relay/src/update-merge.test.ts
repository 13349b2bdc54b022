import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomEdits, textOf } from '../test/random-edits.js';
import { mergeUpdates } from './update-merge.js';

describe('mergeUpdates', () => {
  it('gives the same document as applying every update, for any count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000 }), fc.nat(), (count, seed) => {
        const { updates, text } = randomEdits(seed, count);
        expect(textOf(mergeUpdates(updates))).toBe(text);
      }),
      { seed: 3, numRuns: 25 },
    );
  });
});
