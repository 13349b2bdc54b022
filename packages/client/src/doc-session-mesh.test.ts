import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MeshPeer, type OpenOptions, type PeerSnapshot, startMeshPeer, until } from '../test/mesh-peers.js';
import { type ReferenceRelay, startReferenceRelay } from '../test/reference-relay.js';
import { type ReferenceSignaling, startReferenceSignaling } from '../test/reference-signaling.js';
import { newDocId } from './doc-id.js';

// Each session runs in its own process with @roamhq/wrtc: y-webrtc allows one provider per room per process. The
// relay is the stock y-websocket server and signaling the stock y-webrtc server, so the session relies on nothing
// Meshpad's relay adds.

let relay: ReferenceRelay;
let signaling: ReferenceSignaling;
const peers: MeshPeer[] = [];

beforeEach(async () => {
  [relay, signaling] = await Promise.all([startReferenceRelay(), startReferenceSignaling()]);
});

afterEach(async () => {
  try {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
  } finally {
    await Promise.all([relay.stop(), signaling.stop()]);
  }
});

const open = async (
  docId: string,
  name: string,
  mesh: Partial<Exclude<OpenOptions['mesh'], false>> | false = {},
): Promise<MeshPeer> => {
  const peer = await startMeshPeer();
  peers.push(peer);
  await peer.open({
    docId,
    relayUrl: relay.url,
    name,
    mesh: mesh === false ? false : { signalingUrl: signaling.url, ...mesh },
  });
  return peer;
};

const routeTo = (state: PeerSnapshot, clientId: number) => state.network.routes.find(([c]) => c === clientId)?.[1];

describe('DocSession in the WebRTC mesh (Node peers over @roamhq/wrtc)', { timeout: 30_000 }, () => {
  it('connects two sessions directly and keeps co-editing over the data channel while the relay is down; the relay gets it all back', async () => {
    const docId = newDocId();
    const alice = await open(docId, 'Alice');
    const bob = await open(docId, 'Bob');
    const a = await alice.state();
    const b = await bob.state();
    await until(alice, (s) => routeTo(s, b.clientId) === 'direct', 'Alice sees Bob as directly connected');
    const bobSees = await until(
      bob,
      (s) => routeTo(s, a.clientId) === 'direct',
      'Bob sees Alice as directly connected',
    );
    expect(bobSees.network).toMatchObject({ mesh: 'on', directConnections: 1 });
    // Bob may have loaded from Alice before his relay connection opened.
    await until(bob, (s) => s.network.relay, 'Bob is on the relay too');

    await alice.insert('written with the relay up. ');
    await until(bob, (s) => s.text === 'written with the relay up. ', 'Bob gets the first edit');

    await relay.stop();
    await until(alice, (s) => !s.network.relay && s.status.connection === 'offline', 'Alice notices the relay left');
    await until(bob, (s) => !s.network.relay, 'Bob notices the relay left');
    await bob.insert('Bob, relay down. ');
    await until(alice, (s) => s.text.endsWith('Bob, relay down. '), 'Alice gets Bob’s edit without the relay');
    await alice.insert('Alice, relay down.');
    await bob.moveCursor(3);
    const expected = 'written with the relay up. Bob, relay down. Alice, relay down.';
    await until(bob, (s) => s.text === expected, 'Bob gets Alice’s edit without the relay');
    // Presence and cursors survive the relay leaving: y-websocket drops every remote state when its socket closes,
    // and the peers announce themselves again over the data channel.
    const aliceSees = await until(
      alice,
      (s) => s.presence.some((p) => p.clientId === b.clientId && p.hasCursor),
      'Alice sees Bob and his cursor',
    );
    expect(routeTo(aliceSees, b.clientId)).toBe('direct');

    relay = await startReferenceRelay(relay.port);
    await until(alice, (s) => s.network.relay && s.status.synced, 'Alice is back on the relay');
    await until(bob, (s) => s.network.relay && s.status.synced, 'Bob is back on the relay');
    // The restarted reference relay keeps nothing: what a relay-only newcomer loads came back from the peers.
    const carol = await open(docId, 'Carol', false);
    await until(carol, (s) => s.text === expected, 'a relay-only newcomer loads everything written meanwhile');
  });

  it('reaches a session without WebRTC through the relay, edits and cursors both ways', async () => {
    const docId = newDocId();
    const alice = await open(docId, 'Alice');
    const dave = await open(docId, 'Dave', false);
    const a = await alice.state();
    const d = await dave.state();
    expect(d.network.mesh).toBe('off');

    await alice.insert('from the mesh session');
    await until(dave, (s) => s.text === 'from the mesh session', 'Dave gets Alice’s edit');
    await dave.insert(' and back');
    await dave.moveCursor(2);
    const aliceSees = await until(
      alice,
      (s) =>
        s.text === 'from the mesh session and back' && s.presence.some((p) => p.clientId === d.clientId && p.hasCursor),
      'Alice gets Dave’s edit and cursor',
    );
    expect(routeTo(aliceSees, d.clientId)).toBe('relay');
    expect(routeTo(await dave.state(), a.clientId)).toBe('relay');
    expect(aliceSees.network.directConnections).toBe(0);
  });

  it('connects only peers that share the room password; the others still meet through the relay', async () => {
    const docId = newDocId();
    const alice = await open(docId, 'Alice', { password: 'k-9f2c1e7d' });
    const bob = await open(docId, 'Bob', { password: 'k-9f2c1e7d' });
    const eve = await open(docId, 'Eve', { password: 'another key' });
    const [a, b, e] = await Promise.all([alice.state(), bob.state(), eve.state()]);
    await until(alice, (s) => routeTo(s, b.clientId) === 'direct', 'Alice and Bob connect directly');

    await eve.insert('Eve writes; ');
    await alice.insert('Alice writes.');
    await until(bob, (s) => s.text.includes('Eve writes; ') && s.text.includes('Alice writes.'), 'Bob has both edits');
    const eveSees = await until(eve, (s) => s.text.includes('Alice writes.'), 'Eve gets Alice’s edit via the relay');
    expect(eveSees.network.directConnections).toBe(0);
    expect(routeTo(eveSees, a.clientId)).toBe('relay');
    expect(routeTo(await alice.state(), e.clientId)).toBe('relay');
  });
});
