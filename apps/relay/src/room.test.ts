import { DocIndex } from '@meshpad/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Room } from './room.js';

const EMPTY_STATE_VECTOR = Uint8Array.of(0);

function stateOf(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('Room.syncStep2', () => {
  it('answers every newcomer with the same whole-document frame until the document changes', () => {
    const room = new Room('shared');
    const first = stateOf('first');
    room.load([first], DocIndex.fromState(first));
    const frame = room.syncStep2(EMPTY_STATE_VECTOR);
    expect(room.syncStep2(EMPTY_STATE_VECTOR)).toBe(frame);
    const second = stateOf('second');
    room.load([second], DocIndex.fromState(second));
    expect(room.syncStep2(EMPTY_STATE_VECTOR)).not.toBe(frame);
  });
});
