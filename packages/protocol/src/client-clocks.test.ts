import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ClientClocks } from './client-clocks.js';

describe('ClientClocks', () => {
  it('holds what a Map holds, as it grows', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.integer({ min: 0, max: 2 ** 32 - 1 }),
              fc.integer({ min: 0, max: 8 }).map((n) => 2 ** 32 + n),
              fc.maxSafeNat(),
            ),
            fc.nat(),
          ),
          { maxLength: 5_000, size: 'max' },
        ),
        (writes) => {
          const clocks = new ClientClocks();
          const expected = new Map<number, number>();
          for (const [client, clock] of writes) {
            clocks.set(client, clock);
            expected.set(client, clock);
            expect(clocks.get(client)).toBe(clock);
          }
          expect(clocks.size).toBe(expected.size);
          for (const [client, clock] of expected) expect(clocks.get(client)).toBe(clock);
          const visited = new Map<number, number>();
          clocks.forEach((clock, client) => {
            visited.set(client, clock);
          });
          expect(visited).toEqual(expected);
          expect(new Set(clocks.keys())).toEqual(new Set(expected.keys()));
          expect(Y.decodeStateVector(clocks.encodeStateVector())).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('tells ids apart that share their low bits, and ids past 2^32 from those below', () => {
    const clocks = new ClientClocks();
    const ids = [0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1];
    for (let i = 1; i <= 1_000; i++) ids.push((i * 2 ** 20) >>> 0);
    for (const [i, id] of ids.entries()) clocks.set(id, i + 1);
    for (const [i, id] of ids.entries()) expect(clocks.get(id)).toBe(i + 1);
    expect(clocks.get(12345)).toBeUndefined();
    expect(clocks.size).toBe(new Set(ids).size);
    clocks.set(7, 2 ** 53 - 1);
    expect(Y.decodeStateVector(clocks.encodeStateVector()).get(7)).toBe(2 ** 53 - 1);
  });
});
