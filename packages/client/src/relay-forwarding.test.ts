import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { eventually } from '../test/eventually.js';
import { type ReferenceRelay, startReferenceRelay } from '../test/reference-relay.js';
import { newDocId } from './doc-id.js';
import { awarenessForRelay, filterRelayTraffic, type RelayAudience, updateNeedsRelay } from './relay-forwarding.js';

const MESH = { name: 'the mesh origin' };
const SELF = 1;

const audience = (offRelay: number[]): RelayAudience => {
  const set = new Set(offRelay);
  return { isMeshOrigin: (origin) => origin === MESH, isOffRelay: (c) => set.has(c), clientsOffRelay: () => set };
};

/** A document of client `clientID` and the update of one transaction on it. */
const authoredUpdate = (clientID: number, change: (doc: Y.Doc) => void, base?: Uint8Array): Uint8Array => {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  if (base) Y.applyUpdate(doc, base);
  let update: Uint8Array | undefined;
  doc.on('update', (u: Uint8Array) => {
    update = u;
  });
  doc.transact(() => change(doc));
  if (update === undefined) throw new Error('the change made no update');
  return update;
};

describe('updateNeedsRelay', () => {
  const insertBy7 = authoredUpdate(7, (doc) => doc.getText('t').insert(0, 'abc'));
  const deleteBy9 = authoredUpdate(9, (doc) => doc.getText('t').delete(0, 1), insertBy7);

  it('always sends changes that did not come from the mesh', () => {
    expect(updateNeedsRelay(insertBy7, null, audience([]))).toBe(true);
    expect(updateNeedsRelay(insertBy7, 'local-copy', audience([]))).toBe(true);
  });

  it('leaves a mesh change to its author when everyone present is on the relay', () => {
    expect(updateNeedsRelay(insertBy7, MESH, audience([]))).toBe(false);
    expect(updateNeedsRelay(deleteBy9, MESH, audience([]))).toBe(false);
  });

  it('sends a mesh change written by a client that is off the relay', () => {
    expect(updateNeedsRelay(insertBy7, MESH, audience([7]))).toBe(true);
    expect(updateNeedsRelay(insertBy7, MESH, audience([8]))).toBe(false);
  });

  it('sends a deletion from the mesh whenever someone present is off the relay, since it names no author', () => {
    expect(updateNeedsRelay(deleteBy9, MESH, audience([8]))).toBe(true);
  });
});

describe('awarenessForRelay', () => {
  it('always keeps the local client', () => {
    expect(awarenessForRelay([SELF], 'relay-provider', SELF, audience([]))).toEqual([SELF]);
    expect(awarenessForRelay([SELF], MESH, SELF, audience([]))).toEqual([SELF]);
    expect(awarenessForRelay([SELF], 'local', SELF, audience([]))).toEqual([SELF]);
  });

  it('never echoes others’ states back to where they came from, or local timeouts', () => {
    expect(awarenessForRelay([2, 3], 'relay-provider', SELF, audience([2, 3]))).toEqual([]);
    expect(awarenessForRelay([2], 'timeout', SELF, audience([2]))).toEqual([]);
  });

  it('passes on mesh states of clients that are off the relay, only those', () => {
    expect(awarenessForRelay([2, 3, SELF], MESH, SELF, audience([3]))).toEqual([3, SELF]);
  });
});

describe('filterRelayTraffic on a y-websocket provider', () => {
  let relay: ReferenceRelay;
  const cleanup: (() => void)[] = [];

  beforeEach(async () => {
    relay = await startReferenceRelay();
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) fn();
    await relay.stop();
  });

  const connect = (docId: string, doc: Y.Doc): WebsocketProvider => {
    const provider = new WebsocketProvider(`${relay.url.replace('http', 'ws')}`, docId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    cleanup.push(() => provider.destroy());
    return provider;
  };

  const synced = (provider: WebsocketProvider) =>
    eventually(() => provider.synced, 'the provider synced with the relay');

  it('keeps mesh changes of authors on the relay away from it, and sends those of authors off it', async () => {
    const docId = newDocId();
    const doc = new Y.Doc();
    const offRelay = new Set<number>();
    const provider = connect(docId, doc);
    const unfilter = filterRelayTraffic(provider, doc, new Awareness(doc), {
      isMeshOrigin: (origin) => origin === MESH,
      isOffRelay: (client) => offRelay.has(client),
      clientsOffRelay: () => offRelay,
    });
    cleanup.push(unfilter);
    const watcherDoc = new Y.Doc();
    const watcher = connect(docId, watcherDoc);
    await Promise.all([synced(provider), synced(watcher)]);

    // Client 7 is on the relay: its change, arriving over the mesh, is not sent again. A later local change is,
    // and the relay keeps the order of one connection, so once the watcher has it, it would have had 7's.
    Y.applyUpdate(
      doc,
      authoredUpdate(7, (d) => d.getMap('m').set('seven', 1)),
      MESH,
    );
    doc.getMap('m').set('local', 1);
    await eventually(() => watcherDoc.getMap('m').has('local'), 'the local change reaches the watcher');
    expect(watcherDoc.getMap('m').has('seven')).toBe(false);

    // Client 8 is off the relay: its change goes on to the relay.
    offRelay.add(8);
    Y.applyUpdate(
      doc,
      authoredUpdate(8, (d) => d.getMap('m').set('eight', 1)),
      MESH,
    );
    await eventually(() => watcherDoc.getMap('m').has('eight'), 'the change of a client off the relay reaches it');
  });
});
