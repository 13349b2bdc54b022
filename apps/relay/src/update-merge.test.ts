import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeUpdates } from './update-merge.js';

function randomEdits(seed: number, count: number): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const text = doc.getText('content');
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  for (let i = 0; i < count; i++) {
    if (text.length > 0 && next() % 4 === 0) text.delete(next() % text.length, 1);
    else text.insert(next() % (text.length + 1), String.fromCharCode(97 + (next() % 26)));
  }
  return { updates, text: text.toString() };
}

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
};

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
