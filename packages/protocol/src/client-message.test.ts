import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeAwarenessUpdate } from './awareness-update.js';
import { decodeClientMessage, peekLargeUpdate } from './client-message.js';
import {
  decodeSaved,
  encodeAwarenessMessage,
  encodeQueryAwareness,
  encodeSaved,
  encodeSaveRequest,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from './server-message.js';

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('decodeClientMessage', () => {
  it('decodes every frame the encoders write', () => {
    const update = textUpdate('hello');
    const sv = Y.encodeStateVectorFromUpdate(update);
    expect(decodeClientMessage(encodeSyncStep1(sv))).toEqual({
      ok: true,
      value: { kind: 'sync-step1', stateVector: sv },
    });
    const decoded = Y.decodeUpdate(update);
    expect(decodeClientMessage(encodeSyncStep2(update))).toEqual({
      ok: true,
      value: { kind: 'sync-step2', update, decoded },
    });
    expect(decodeClientMessage(encodeSyncUpdate(update))).toEqual({
      ok: true,
      value: { kind: 'update', update, decoded },
    });
    expect(decodeClientMessage(encodeQueryAwareness())).toEqual({ ok: true, value: { kind: 'query-awareness' } });
    expect(decodeClientMessage(encodeSaveRequest(300))).toEqual({
      ok: true,
      value: { kind: 'save-request', seq: 300 },
    });
    expect(decodeSaved(encodeSaved(300))).toBe(300);
    expect(decodeSaved(encodeSaveRequest(300))).toBeUndefined();
    expect(decodeSaved(Uint8Array.of(101))).toBeUndefined();
    const entries = [{ clientID: 7, clock: 3, state: '{"user":{"name":"Ada"}}' }];
    const awareness = encodeAwarenessUpdate(entries);
    expect(decodeClientMessage(encodeAwarenessMessage(awareness))).toEqual({
      ok: true,
      value: { kind: 'awareness', update: awareness, entries, truncated: false },
    });
  });

  it('names the reason for each kind of bad frame', () => {
    const code = (frame: Uint8Array) => {
      const result = decodeClientMessage(frame);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(code(new Uint8Array())).toBe('MalformedMessage');
    expect(code(Uint8Array.of(9))).toBe('UnknownMessageType');
    expect(code(Uint8Array.of(0, 7, 0))).toBe('UnknownMessageType');
    expect(code(Uint8Array.of(0, 2, 5, 1))).toBe('MalformedMessage');
    expect(code(encodeSyncUpdate(Uint8Array.of(1, 2, 3)))).toBe('InvalidUpdate');
    expect(code(encodeSyncStep1(Uint8Array.of(200)))).toBe('InvalidUpdate');
    expect(code(encodeAwarenessMessage(encodeAwarenessUpdate([{ clientID: 1, clock: 1, state: '{bad' }])))).toBe(
      'InvalidAwareness',
    );
    const trailing = encoding.createEncoder();
    encoding.writeUint8Array(trailing, encodeSyncUpdate(textUpdate('x')));
    encoding.writeUint8(trailing, 0);
    expect(code(encoding.toUint8Array(trailing))).toBe('MalformedMessage');
  });

  it('rejects every truncation of a valid update frame', () => {
    const frame = encodeSyncUpdate(textUpdate('truncate me, all of me'));
    for (let length = 0; length < frame.length; length++) {
      expect(decodeClientMessage(frame.subarray(0, length)).ok, `length ${length}`).toBe(false);
    }
  });

  it('never throws on arbitrary bytes, and whatever passes is safe to merge and apply', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const result = decodeClientMessage(bytes);
        if (result.ok && (result.value.kind === 'update' || result.value.kind === 'sync-step2')) {
          Y.mergeUpdates([textUpdate('a'), result.value.update]);
          Y.applyUpdate(new Y.Doc(), result.value.update);
        }
      }),
      { seed: 20261124, numRuns: 20_000 },
    );
  });

  it('never throws on mutated valid frames', () => {
    const valid = encodeSyncUpdate(textUpdate('mutations'));
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (index, byte) => {
        const frame = valid.slice();
        frame[index] = byte;
        const result = decodeClientMessage(frame);
        if (result.ok && result.value.kind === 'update') Y.applyUpdate(new Y.Doc(), result.value.update);
      }),
      { seed: 7, numRuns: 5_000 },
    );
  });
});

describe('peekLargeUpdate', () => {
  it('finds the update of a large sync step 2 or update frame without decoding it, and nothing else', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'x'.repeat(1000));
    const update = Y.encodeStateAsUpdate(doc);
    expect(peekLargeUpdate(encodeSyncUpdate(update), 500)).toEqual({ kind: 'update', update });
    expect(peekLargeUpdate(encodeSyncStep2(update), 500)).toEqual({ kind: 'sync-step2', update });
    expect(peekLargeUpdate(encodeSyncUpdate(update), 5000)).toBeUndefined();
    expect(peekLargeUpdate(encodeSyncStep1(update), 500)).toBeUndefined();
    expect(peekLargeUpdate(encodeAwarenessMessage(update), 500)).toBeUndefined();
    expect(peekLargeUpdate(encodeSyncUpdate(update).slice(0, -1), 500)).toBeUndefined();
    expect(peekLargeUpdate(Uint8Array.of(...encodeSyncUpdate(update), 0), 500)).toBeUndefined();
  });
});
