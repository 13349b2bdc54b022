import {
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeQueryAwareness,
  encodeSaveRequest,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  err,
  ok,
} from '@meshpad/protocol';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkPeerMessage, DEFAULT_PEER_MESSAGE_LIMITS, peerMessageFilter } from './peer-message-filter.js';

const textUpdate = (text: string): Uint8Array => {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
};

const awareness = (count: number, state: object = { user: { name: 'Ada' } }) =>
  encodeAwarenessMessage(
    encodeAwarenessUpdate(
      Array.from({ length: count }, (_, i) => ({ clientID: i + 1, clock: 1, state: JSON.stringify(state) })),
    ),
  );

const limits = DEFAULT_PEER_MESSAGE_LIMITS;

describe('checkPeerMessage', () => {
  it('passes what y-webrtc peers send: sync steps, updates, awareness, query-awareness', () => {
    const update = textUpdate('hello');
    expect(checkPeerMessage(encodeSyncStep1(Y.encodeStateVectorFromUpdate(update)), limits)).toMatchObject({
      ok: true,
      value: { kind: 'sync-step1' },
    });
    expect(checkPeerMessage(encodeSyncStep2(update), limits)).toMatchObject({
      ok: true,
      value: { kind: 'sync-step2' },
    });
    expect(checkPeerMessage(encodeSyncUpdate(update), limits)).toMatchObject({ ok: true, value: { kind: 'update' } });
    expect(checkPeerMessage(awareness(3), limits)).toMatchObject({ ok: true, value: { kind: 'awareness' } });
    expect(checkPeerMessage(encodeQueryAwareness(), limits)).toMatchObject({
      ok: true,
      value: { kind: 'query-awareness' },
    });
  });

  const refused: Array<[string, Uint8Array]> = [
    ['an empty message', new Uint8Array()],
    ['an update that does not decode', encodeSyncUpdate(Uint8Array.of(1, 2, 3))],
    ['an update followed by stray bytes', Uint8Array.from([...encodeSyncUpdate(textUpdate('x')), 0])],
    ['an unknown sync type', Uint8Array.of(0, 9, 0)],
    [
      'awareness that is not JSON',
      encodeAwarenessMessage(encodeAwarenessUpdate([{ clientID: 1, clock: 1, state: '{' }])),
    ],
    ["y-webrtc's BroadcastChannel peer-id message", Uint8Array.of(4, 1, 1, 0x61)],
    ['an auth message', Uint8Array.of(2, 0)],
    ['a save request', encodeSaveRequest(1)],
  ];
  it.each(refused)('refuses %s', (_, message) => {
    expect(checkPeerMessage(message, limits).ok).toBe(false);
  });

  it('refuses a message over maxMessageBytes before decoding it', () => {
    const message = encodeSyncUpdate(textUpdate('x'.repeat(100)));
    expect(checkPeerMessage(message, { ...limits, maxMessageBytes: message.length }).ok).toBe(true);
    expect(checkPeerMessage(message, { ...limits, maxMessageBytes: message.length - 1 })).toEqual(
      err(`message of ${message.length} bytes is over the limit of ${message.length - 1}`),
    );
  });

  it('refuses an update that can never integrate: an item whose origin is a later clock of its own client', () => {
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeClient(7);
    encoding.writeVarUint(encoder.restEncoder, 0);
    const item = new Y.Item(Y.createID(7, 0), null, Y.createID(7, 5), null, null, null, null, new Y.ContentString('x'));
    item.write(encoder, 0);
    encoding.writeVarUint(encoder.restEncoder, 0);
    const poison = encoder.toUint8Array();
    const doc = new Y.Doc();
    expect(() => Y.applyUpdate(doc, poison)).toThrow();
    const checked = checkPeerMessage(encodeSyncUpdate(poison), DEFAULT_PEER_MESSAGE_LIMITS);
    expect(checked.ok ? 'passed' : checked.error).toMatch(/own client/);
  });

  it('bounds the awareness entries in one message and the size of each state', () => {
    expect(checkPeerMessage(awareness(10), { ...limits, maxAwarenessEntries: 10 }).ok).toBe(true);
    expect(checkPeerMessage(awareness(11), { ...limits, maxAwarenessEntries: 10 })).toEqual(
      err('11 awareness entries, over the limit of 10'),
    );
    const state = { user: { name: 'é'.repeat(100) } };
    const bytes = new TextEncoder().encode(JSON.stringify(state)).length;
    expect(checkPeerMessage(awareness(1, state), { ...limits, maxAwarenessStateBytes: bytes }).ok).toBe(true);
    expect(checkPeerMessage(awareness(1, state), { ...limits, maxAwarenessStateBytes: bytes - 1 }).ok).toBe(false);
  });
});

describe('peerMessageFilter', () => {
  it('lets through what passes the checks, and nothing else', () => {
    const filter = peerMessageFilter(new Y.Doc(), limits);
    expect(filter('peer', encodeSyncUpdate(textUpdate('x')))).toBe(true);
    expect(filter('peer', encodeSyncUpdate(Uint8Array.of(1, 2, 3)))).toBe(false);
  });

  it('hands each update, and the document’s state vector when asked, to the state-aware check', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'abc');
    const seen: Array<{ update: Uint8Array; stateVector: Map<number, number> }> = [];
    const filter = peerMessageFilter(doc, limits, (update, stateVector) => {
      seen.push({ update, stateVector: stateVector() });
      return new TextDecoder().decode(update).includes('refuse') ? err('refused') : ok(undefined);
    });
    const accepted = textUpdate('fine');
    expect(filter('peer', encodeSyncStep2(accepted))).toBe(true);
    expect(filter('peer', encodeSyncUpdate(textUpdate('refuse me')))).toBe(false);
    expect(filter('peer', awareness(1))).toBe(true);
    expect(filter('peer', encodeSyncStep1(Y.encodeStateVector(doc)))).toBe(true);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.update).toEqual(accepted);
    expect(seen[0]?.stateVector).toEqual(new Map([[doc.clientID, 3]]));
  });
});
