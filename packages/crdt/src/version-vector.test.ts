import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../test/fast-check-setup.js';
import {
  CrdtDecodeError,
  compareVersionVectors,
  createVersionVector,
  decodeVersionVector,
  encodeVersionVector,
  incrementVersionVector,
  joinVersionVectors,
  mergeVersionVector,
  type VersionVector,
  versionVectorGet,
  versionVectorIncludes,
} from './index.js';

const vector: fc.Arbitrary<VersionVector> = fc
  .dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(5))
  .map((entries) => createVersionVector(Object.entries(entries)));

describe('version vectors', () => {
  it('join is commutative, associative, idempotent and an upper bound', () => {
    fc.assert(
      fc.property(vector, vector, vector, (a, b, c) => {
        expect(joinVersionVectors(a, b)).toEqual(joinVersionVectors(b, a));
        expect(joinVersionVectors(joinVersionVectors(a, b), c)).toEqual(
          joinVersionVectors(a, joinVersionVectors(b, c)),
        );
        expect(joinVersionVectors(a, a)).toEqual(a);
        expect(['equal', 'before']).toContain(compareVersionVectors(a, joinVersionVectors(a, b)));
      }),
      { numRuns: runs(200) },
    );
  });

  it('compares by inclusion', () => {
    const a = createVersionVector([['a', 2]]);
    const b = createVersionVector([
      ['a', 2],
      ['b', 1],
    ]);
    const c = createVersionVector([['a', 3]]);
    expect(compareVersionVectors(a, b)).toBe('before');
    expect(compareVersionVectors(b, a)).toBe('after');
    expect(compareVersionVectors(b, c)).toBe('concurrent');
    expect(compareVersionVectors(a, createVersionVector([['a', 2]]))).toBe('equal');
    expect(versionVectorIncludes(b, 'b', 1)).toBe(true);
    expect(versionVectorIncludes(b, 'b', 2)).toBe(false);
  });

  it('increments return the delta and merges report what advanced', () => {
    const a = createVersionVector();
    expect(incrementVersionVector(a, 'x')).toEqual(new Map([['x', 1]]));
    const delta = incrementVersionVector(a, 'x');
    const b = createVersionVector([['y', 4]]);
    expect(mergeVersionVector(b, delta)).toEqual(['x']);
    expect(mergeVersionVector(b, delta)).toEqual([]);
    expect(versionVectorGet(b, 'x')).toBe(2);
    expect(() => createVersionVector([['x', -1]])).toThrow(RangeError);
  });

  it('round-trips through bytes and rejects garbage with CrdtDecodeError', () => {
    fc.assert(
      fc.property(vector, fc.uint8Array({ maxLength: 32 }), (a, garbage) => {
        expect(decodeVersionVector(encodeVersionVector(a))).toEqual(a);
        try {
          const decoded = decodeVersionVector(garbage);
          expect(decodeVersionVector(encodeVersionVector(decoded))).toEqual(decoded);
        } catch (error) {
          expect(error).toBeInstanceOf(CrdtDecodeError);
        }
      }),
      { numRuns: runs(200) },
    );
  });
});
