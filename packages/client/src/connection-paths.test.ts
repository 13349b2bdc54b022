import { ObservableV2 } from 'lib0/observable';
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ConnectionPaths, type MeshView } from './connection-paths.js';
import type { PeerMeshEvents } from './peer-mesh.js';
import { LINK_FIELD } from './peer-routes.js';

const RELAY = { name: 'relay provider' };
const ROOM = { name: 'y-webrtc room' };

/**
 * A stand-in for PeerMesh: the real one needs WebRTC peers, which the multi-process tests in doc-session-mesh.test.ts
 * bring. This one only reports what the paths ask.
 */
class MeshStandIn extends ObservableV2<PeerMeshEvents> implements MeshView {
  peerId: string | undefined = 'me';
  direct = new Set<string>();
  tabs = new Set<string>();
  isMeshOrigin(origin: unknown): boolean {
    return origin === ROOM;
  }
  directPeerIds(): Set<string> {
    return this.direct;
  }
  tabPeerIds(): ReadonlySet<string> {
    return this.tabs;
  }
}

const awarenesses: Awareness[] = [];
const newAwareness = (clientID: number, state: Record<string, unknown> | null): Awareness => {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state);
  awarenesses.push(awareness);
  return awareness;
};

/** Delivers `from`'s local state to `to`, as a provider with that origin would. */
const deliver = (from: Awareness, to: Awareness, origin: unknown): void => {
  applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), origin);
};

afterEach(() => {
  for (const awareness of awarenesses.splice(0)) awareness.destroy();
});

describe('ConnectionPaths', () => {
  it('announces its peer id and relay connection in the link field, and follows changes', () => {
    let relayUp = false;
    const mesh = new MeshStandIn();
    const self = newAwareness(1, { user: { name: 'Me' } });
    const paths = new ConnectionPaths(self, RELAY, mesh, () => relayUp);
    paths.refresh();
    expect(self.getLocalState()?.[LINK_FIELD]).toEqual({ peerId: 'me', relay: false });
    relayUp = true;
    paths.refresh();
    expect(self.getLocalState()?.[LINK_FIELD]).toEqual({ peerId: 'me', relay: true });
    paths.destroy();
  });

  it('routes each client: direct, same browser, relay or through other peers', () => {
    const mesh = new MeshStandIn();
    mesh.direct.add('p-direct');
    mesh.tabs.add('p-tab');
    const self = newAwareness(1, {});
    const paths = new ConnectionPaths(self, RELAY, mesh, () => true);
    const changes: number[] = [];
    paths.on('change', (routes) => changes.push(routes.size));
    deliver(newAwareness(2, { [LINK_FIELD]: { peerId: 'p-direct', relay: true } }), self, ROOM);
    deliver(newAwareness(3, { [LINK_FIELD]: { peerId: 'p-tab', relay: true } }), self, ROOM);
    deliver(newAwareness(4, { [LINK_FIELD]: { peerId: 'p-far', relay: true } }), self, RELAY);
    deliver(newAwareness(5, { [LINK_FIELD]: { peerId: 'p-off', relay: false } }), self, ROOM);
    deliver(newAwareness(6, { user: { name: 'stock y-websocket' } }), self, RELAY);
    deliver(newAwareness(7, { user: { name: 'stock y-webrtc' } }), self, ROOM);
    expect(Object.fromEntries(paths.routes)).toEqual({
      2: 'direct',
      3: 'same-browser',
      4: 'relay',
      5: 'mesh',
      6: 'relay',
      7: 'mesh',
    });
    expect(changes).toEqual([1, 2, 3, 4, 5, 6]);

    // A data channel opening is a change of route without any awareness change.
    mesh.direct.add('p-far');
    mesh.emit('change', []);
    expect(paths.routes.get(4)).toBe('direct');
    paths.destroy();
  });

  it('knows who is off the relay, and still answers for a client during the change that removes it', () => {
    const mesh = new MeshStandIn();
    const self = newAwareness(1, {});
    const paths = new ConnectionPaths(self, RELAY, mesh, () => true);
    const onRelay = newAwareness(2, { [LINK_FIELD]: { peerId: 'a', relay: true } });
    const offRelay = newAwareness(3, { [LINK_FIELD]: { peerId: 'b', relay: false } });
    const stock = newAwareness(4, {});
    deliver(onRelay, self, ROOM);
    deliver(offRelay, self, ROOM);
    deliver(stock, self, ROOM);
    expect([...paths.clientsOffRelay()].sort()).toEqual([3, 4]);

    // Registered after the paths, as the relay filter is: it sees the removal with 3 still known as off the relay.
    const seenDuringRemoval: boolean[] = [];
    self.on('update', ({ removed }: { removed: number[] }) => {
      if (removed.includes(3)) seenDuringRemoval.push(paths.isOffRelay(3));
    });
    offRelay.setLocalState(null);
    deliver(offRelay, self, ROOM);
    expect(seenDuringRemoval).toEqual([true]);
    // The next change forgets it.
    stock.setLocalStateField('user', { name: 'renamed' });
    deliver(stock, self, ROOM);
    expect(paths.isOffRelay(3)).toBe(false);

    // A client that joins the relay leaves the set.
    offRelay.setLocalState({ [LINK_FIELD]: { peerId: 'b', relay: true } });
    deliver(offRelay, self, ROOM);
    expect([...paths.clientsOffRelay()]).toEqual([4]);
    paths.destroy();
  });

  it('routes everyone through the relay when the session is not in the mesh', () => {
    const self = newAwareness(1, {});
    const paths = new ConnectionPaths(self, RELAY, undefined, () => true);
    deliver(newAwareness(2, { [LINK_FIELD]: { peerId: 'x', relay: false } }), self, RELAY);
    expect(Object.fromEntries(paths.routes)).toEqual({ 2: 'relay' });
    expect(self.getLocalState()?.[LINK_FIELD]).toBeUndefined();
    paths.refresh();
    expect(self.getLocalState()?.[LINK_FIELD]).toEqual({ peerId: '', relay: true });
    paths.destroy();
  });
});
