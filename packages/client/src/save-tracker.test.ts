import { MessageType } from '@meshpad/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { eventually } from '../test/eventually.js';
import { startReferenceRelay } from '../test/reference-relay.js';
import { type SaveRelay, startSaveRelay } from '../test/save-relay.js';
import { newDocId } from './doc-id.js';
import { relaySocketUrl } from './relay-url.js';
import { SaveTracker } from './save-tracker.js';

interface Replica {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  readonly provider: WebsocketProvider;
  readonly tracker: SaveTracker;
  /** Every count the tracker reported, in order. */
  readonly counts: number[];
}

let relay: SaveRelay;
const cleanups: Array<() => void> = [];

const replica = (room: string, relayUrl = relay.url): Replica => {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(relaySocketUrl(relayUrl), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const tracker = new SaveTracker(provider, (origin) => origin !== provider);
  const counts: number[] = [];
  tracker.on('unsaved', (unsaved) => counts.push(unsaved));
  cleanups.push(() => {
    tracker.destroy();
    provider.destroy();
    doc.destroy();
  });
  return { doc, text: doc.getText('content'), provider, tracker, counts };
};

const synced = (r: Replica) => eventually(() => r.provider.synced, 'the replica syncs with the relay');

beforeEach(async () => {
  relay = await startSaveRelay();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await relay.stop();
});

describe('SaveTracker', () => {
  it('counts each local change until the relay confirms storing it', async () => {
    const room = newDocId();
    const a = replica(room);
    await synced(a);
    expect(a.tracker.unsaved).toBe(0);
    // The request every connection sends after its sync, with nothing to confirm yet.
    await eventually(() => relay.saveRequests === 1, 'the first save request reaches the relay');
    relay.holdStorage();
    a.text.insert(0, 'hello');
    a.text.insert(5, ' world');
    a.text.delete(0, 1);
    expect(a.tracker.unsaved).toBe(3);
    await eventually(() => relay.saveRequests > 1, 'the request for the edits reaches the relay');
    expect(a.tracker.unsaved).toBe(3);
    relay.releaseStorage();
    await eventually(() => a.tracker.unsaved === 0, 'the relay confirms all three changes');
    expect(relay.storedText(room)).toBe('ello world');
    expect(a.counts).toEqual([1, 2, 3, 0]);
  });

  it('counts a deletion, which does not move the state vector, and confirms it only once stored', async () => {
    const room = newDocId();
    const a = replica(room);
    await synced(a);
    a.text.insert(0, 'abcdef');
    await eventually(() => a.tracker.unsaved === 0, 'the insertion is confirmed');
    relay.holdStorage();
    const before = Y.encodeStateVector(a.doc);
    a.text.delete(1, 4);
    expect(Y.encodeStateVector(a.doc)).toEqual(before);
    expect(a.tracker.unsaved).toBe(1);
    relay.releaseStorage();
    await eventually(() => a.tracker.unsaved === 0, 'the deletion is confirmed');
    expect(relay.storedText(room)).toBe('af');
  });

  it('does not count changes that came from the relay', async () => {
    const room = newDocId();
    const a = replica(room);
    const b = replica(room);
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'from a');
    await eventually(() => b.text.toString() === 'from a', 'b receives a’s text');
    expect(b.tracker.unsaved).toBe(0);
    expect(b.counts).toEqual([]);
  });

  it('keeps counting across a relay crash that lost unstored updates, and confirms after the resync', async () => {
    const room = newDocId();
    const a = replica(room);
    await synced(a);
    a.text.insert(0, 'stored. ');
    await eventually(() => a.tracker.unsaved === 0, 'the first edit is confirmed');

    relay.holdStorage();
    a.text.insert(8, 'lost in the crash, ');
    a.text.delete(0, 1);
    const requests = relay.saveRequests;
    await eventually(() => relay.saveRequests > requests, 'the request for the new edits arrives');
    await relay.crash();
    await eventually(() => !a.provider.wsconnected, 'the replica notices the relay is gone');
    a.text.insert(a.text.length, 'typed offline');
    expect(a.tracker.unsaved).toBe(3);
    expect(relay.storedText(room)).toBe('stored. ');

    await relay.restart();
    await eventually(() => a.tracker.unsaved === 0, 'everything is confirmed after the reconnect', 15_000);
    expect(relay.storedText(room)).toBe('tored. lost in the crash, typed offline');
  });

  it('adopts changes counted by an earlier session and confirms them after the next sync', async () => {
    const room = newDocId();
    const offline = new Y.Doc();
    offline.getText('content').insert(0, 'written last week');
    const a = replica(room);
    a.tracker.adopt(4);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(offline), 'local copy');
    expect(a.tracker.unsaved).toBe(5);
    await eventually(() => a.tracker.unsaved === 0, 'the adopted changes are confirmed');
    expect(relay.storedText(room)).toBe('written last week');
  });

  it('never reports saved against a stock y-websocket server, which ignores save requests without errors', async () => {
    const stock = await startReferenceRelay();
    try {
      const a = replica(newDocId(), stock.url);
      await synced(a);
      a.text.insert(0, 'x');
      const b = replica(a.provider.roomname, stock.url);
      await eventually(() => b.text.toString() === 'x', 'the stock server still relays the edit');
      expect(a.tracker.unsaved).toBe(1);
    } finally {
      for (const cleanup of cleanups.splice(0)) cleanup();
      await stock.stop();
    }
  });

  it('gives the provider its own handlers back when destroyed', () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(relaySocketUrl(relay.url), newDocId(), doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      connect: false,
    });
    const sync = provider.messageHandlers[0];
    const tracker = new SaveTracker(provider, () => true);
    expect(provider.messageHandlers[0]).not.toBe(sync);
    expect(provider.messageHandlers[MessageType.Saved]).toBeTypeOf('function');
    tracker.destroy();
    expect(provider.messageHandlers[0]).toBe(sync);
    expect(provider.messageHandlers[MessageType.Saved]).toBeUndefined();
    provider.destroy();
  });
});
