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
});
