import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocIndex } from './doc-index.js';

describe('DocIndex.encodeStateVector', () => {
  it('is the state vector of the state it indexes, kept until a clock advances', () => {
    const docs = [1, 2, 3].map((clientID) => {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      doc.getText('content').insert(0, 'x'.repeat(clientID));
      return doc;
    });
    const state = Y.mergeUpdates(docs.map((doc) => Y.encodeStateAsUpdate(doc)));
    const index = DocIndex.fromState(state);
    const encoded = index.encodeStateVector();
    expect(Y.decodeStateVector(encoded)).toEqual(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state)));
    expect(index.encodeStateVector()).toBe(encoded);
    index.advanceClock(2, 1);
    expect(index.encodeStateVector()).toBe(encoded);
    index.advanceClock(9, 4);
    expect(Y.decodeStateVector(index.encodeStateVector()).get(9)).toBe(4);
  });

  it('holds and encodes any client id and clock an update can carry, as a Map would', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.integer({ min: 0, max: 2 ** 32 - 1 }),
              fc.integer({ min: 0, max: 8 }).map((n) => 2 ** 32 + n),
              fc.maxSafeNat(),
            ),
            fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          ),
          { maxLength: 5_000, size: 'max' },
        ),
        (writes) => {
          const index = new DocIndex();
          const expected = new Map<number, number>();
          for (const [client, clock] of writes) {
            index.advanceClock(client, clock);
            expected.set(client, Math.max(expected.get(client) ?? 0, clock));
            expect(index.clock(client)).toBe(expected.get(client));
          }
          for (const [client, clock] of expected) expect(index.clock(client)).toBe(clock);
          expect(Y.decodeStateVector(index.encodeStateVector())).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('tells ids past 2^32 from those below, and encodes clocks up to 2^53', () => {
    const index = new DocIndex();
    const ids = [0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1];
    for (let i = 1; i <= 1_000; i++) ids.push((i * 2 ** 20) >>> 0);
    for (const [i, id] of ids.entries()) index.advanceClock(id, i + 1);
    for (const [i, id] of ids.entries()) expect(index.clock(id)).toBe(i + 1);
    expect(index.clock(12345)).toBe(0);
    index.advanceClock(7, 2 ** 53 - 1);
    const decoded = Y.decodeStateVector(index.encodeStateVector());
    expect(decoded.size).toBe(new Set(ids).size + 1);
    expect(decoded.get(7)).toBe(2 ** 53 - 1);
  });
});
