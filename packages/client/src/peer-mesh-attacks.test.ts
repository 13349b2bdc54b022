import { once } from 'node:events';
import { encodeAwarenessMessage, encodeAwarenessUpdate, encodeSyncUpdate } from '@meshpad/protocol';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  type MeshPeer,
  type PeerMeshSettings,
  type PeerSnapshot,
  type RoguePeer,
  startMeshPeer,
  startRoguePeer,
  until,
} from '../test/mesh-peers.js';
import { type ReferenceRelay, startReferenceRelay } from '../test/reference-relay.js';
import { type ReferenceSignaling, startReferenceSignaling } from '../test/reference-signaling.js';
import { newDocId } from './doc-id.js';
import { meshRoomName } from './mesh-room.js';
import type { PeerMessageLimits } from './peer-message-filter.js';

// Hostile input to honest mesh peers, which are Meshpad sessions in child processes (test/mesh-peer.mjs). The attacker
// is a raw WebSocket on the signaling server, or a stock y-webrtc peer that sends frames of the test's choosing over
// its data channel (test/rogue-peer.mjs). Signaling is y-webrtc's own server, which forwards every publish to every
// subscriber as the relay's /signal does; MESHPAD_SIGNALING_URL (`ws://127.0.0.1:<port>/signal` of a running Meshpad
// relay) runs the same attacks through the relay instead.

let relay: ReferenceRelay;
let signaling: ReferenceSignaling | undefined;
let signalingUrl: string;
const peers: Array<MeshPeer | RoguePeer> = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  const external = process.env.MESHPAD_SIGNALING_URL;
  [relay, signaling] = await Promise.all([
    startReferenceRelay(),
    external === undefined ? startReferenceSignaling() : undefined,
  ]);
  signalingUrl = external ?? (signaling as ReferenceSignaling).url;
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  try {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
  } finally {
    await Promise.all([relay.stop(), signaling?.stop()]);
  }
});

const open = async (docId: string, name: string, mesh: Partial<PeerMeshSettings> = {}): Promise<MeshPeer> => {
  const peer = await startMeshPeer();
  peers.push(peer);
  await peer.open({ docId, relayUrl: relay.url, name, mesh: { signalingUrl, ...mesh } });
  return peer;
};

/** A raw signaling connection subscribed to `topic`, as anyone who knows a document's id can open. */
const attacker = async (topic: string) => {
  const socket = new WebSocket(signalingUrl);
  sockets.push(socket);
  const received: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
  await once(socket, 'open');
  const send = (message: object) => socket.send(JSON.stringify(message));
  send({ type: 'subscribe', topics: [topic] });
  return {
    /** Every message the server sent it: the publishes of everyone in the room, its own included. */
    received,
    publish: (data: unknown) => send({ type: 'publish', topic, data }),
    /**
     * Resolves once someone announced themselves in the room (encrypted with a room password): a peer subscribes
     * before it announces, so it then gets what is published. Its peer id becomes known before that.
     */
    announced: () =>
      until({ state: async () => received }, (all) => all.some((m) => m.type === 'publish'), 'an announcement'),
    /** Resolves once the server has handled everything sent before: it forwards a publish as it reads it. */
    flushed: async () => {
      const pongs = received.filter((m) => m.type === 'pong').length;
      send({ type: 'ping' });
      await until(
        { state: async () => received.filter((m) => m.type === 'pong').length },
        (count) => count > pongs,
        'the signaling server’s pong',
      );
    },
  };
};

/** What y-webrtc's encryption writes (algorithm, iv, ciphertext), in base64, with a ciphertext no key made. */
const ciphertext = (algorithm: string): string => {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, algorithm);
  encoding.writeVarUint8Array(encoder, new Uint8Array(12));
  encoding.writeVarUint8Array(encoder, new Uint8Array(32));
  return Buffer.from(encoding.toUint8Array(encoder)).toString('base64');
};

const isSignal = (data: unknown): data is { from: unknown; to: unknown } =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'signal';

const peerIdOf = async (peer: MeshPeer): Promise<string> =>
  (await until(peer, (s) => s.peerId !== undefined, 'the peer joined its mesh room')).peerId as string;

const directTo = (state: PeerSnapshot, other: PeerSnapshot) =>
  state.network.routes.some(([client, route]) => client === other.clientId && route === 'direct');

/**
 * A data-channel offer as a browser makes one (no candidates yet: they trickle). It is valid, so each peer connection
 * made for it stays open, waiting for candidates that never come.
 */
const OFFER_SDP = [
  'v=0',
  'o=- 4327858913452918291 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Qx3v',
  'a=ice-pwd:4bhYbQF6yBqzDWzvWcT5pQkQ',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CD:87:32:BE:DD:8C:66:A5:8E:50:55:2F:2C:94:BF:E4:53:7D:1E:69',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  '',
].join('\r\n');

/** Client ids of the awareness states a rogue peer sends. */
const ROGUE_CLIENTS = new Set(Array.from({ length: 20 }, (_, i) => 900_000 + i));

describe('mesh peers under attack (Node peers over @roamhq/wrtc)', { timeout: 60_000 }, () => {
  it('a flood of offers from made-up peer ids costs an honest peer at most maxIncomingConnections peer connections', async () => {
    const docId = newDocId();
    const mallory = await attacker(meshRoomName(docId));
    const alice = await open(docId, 'Alice', { maxConnections: 6, maxIncomingConnections: 3 });
    const aliceId = await peerIdOf(alice);
    await mallory.announced();
    for (let i = 0; i < 30; i++) {
      mallory.publish({
        type: 'signal',
        from: `made-up-${i}`,
        to: aliceId,
        token: 1,
        signal: { type: 'offer', sdp: OFFER_SDP },
      });
    }
    // Alice reads signaling in order, and answers an announcement with an offer while she has fewer than
    // maxConnections connections: her offer to this one shows she has read the whole flood.
    mallory.publish({ type: 'announce', from: 'made-up-last' });
    await until(
      { state: async () => mallory.received },
      (received) => received.some((m) => isSignal(m.data) && m.data.from === aliceId && m.data.to === 'made-up-last'),
      'Alice offers a connection to the last announcement',
    );
    const aliceSees = await alice.state();
    // Three for the offers (each stays open, waiting for candidates, until the 15 s connect timeout), one she started.
    expect(aliceSees.peerConnections).toMatchObject({ created: 4, maxOpen: 4 });
    expect(aliceSees.uncaught).toEqual([]);
  });

  for (const password of [undefined, 'k-5e0c1d8a7b']) {
    it(`malformed signals throw in no peer, ${password ? 'with' : 'without'} a room password; the mesh keeps working`, async () => {
      const docId = newDocId();
      const mallory = await attacker(meshRoomName(docId, password));
      const alice = await open(docId, 'Alice', { password });
      const aliceId = await peerIdOf(alice);
      await mallory.announced();
      const malformed: unknown[] = [
        { type: 'signal', from: 'm1', to: aliceId },
        { type: 'signal', from: 'm2', to: aliceId, signal: null },
        { type: 'signal', from: 'm3', to: aliceId, signal: { type: 'answer', sdp: 'v=0' } },
        { type: 'signal', from: 'm4', signal: { type: 'answer', sdp: 'v=0' } },
        { type: 'signal', from: 'm5', to: aliceId, signal: { type: 'bogus', sdp: 'v=0' } },
        { type: 'signal', from: 'm6', to: aliceId, signal: { type: 'candidate', candidate: { candidate: 'x' } } },
        { type: 'signal', from: 'm7', to: aliceId, signal: { type: 'offer', sdp: 42 } },
        { type: 'signal', from: { not: 'a string' }, to: aliceId, signal: { type: 'offer', sdp: OFFER_SDP } },
        { type: 'announce' },
        { type: 'announce', from: 7 },
        null,
        42,
        'not an object',
        [1, 2],
        // What a room with a password expects instead: base64 of a ciphertext. These do not decrypt.
        'bm90IGEgY2lwaGVydGV4dA==',
        '%%% not base64 %%%',
        ciphertext('ROT13'),
        ciphertext('AES-GCM'),
      ];
      for (const data of malformed) mallory.publish(data);
      await mallory.flushed();
      // Bob joins after all of it; his connection to Alice takes signaling rounds she reads after the malformed ones.
      const bob = await open(docId, 'Bob', { password });
      const b = await bob.state();
      const aliceSees = await until(alice, (s) => directTo(s, b), 'Alice and Bob connect directly');
      expect(aliceSees.uncaught).toEqual([]);
      expect((await bob.state()).uncaught).toEqual([]);
    });
  }

  const rogueUpdate = (text: string): Uint8Array => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };
  const flood = [...ROGUE_CLIENTS].map((clientID, i) => ({
    clientID,
    clock: 1,
    state: JSON.stringify({ user: { name: `ghost ${i}`, color: '#000000' } }),
  }));
  const refused: Array<[string, Partial<PeerMessageLimits>, Uint8Array]> = [
    [
      'an update over maxMessageBytes',
      { maxMessageBytes: 2048 },
      encodeSyncUpdate(rogueUpdate(`rogue ${'x'.repeat(4096)}`)),
    ],
    ['an update followed by stray bytes', {}, Uint8Array.from([...encodeSyncUpdate(rogueUpdate('rogue edit')), 0])],
    [
      'an awareness frame over maxAwarenessEntries',
      { maxAwarenessEntries: 10 },
      encodeAwarenessMessage(encodeAwarenessUpdate(flood)),
    ],
    [
      'an awareness state over maxAwarenessStateBytes',
      { maxAwarenessStateBytes: 1024 },
      encodeAwarenessMessage(
        encodeAwarenessUpdate([
          { clientID: 900_000, clock: 1, state: JSON.stringify({ user: { name: 'x'.repeat(2000) } }) },
        ]),
      ),
    ],
  ];
  for (const [what, peerMessageLimits, frame] of refused) {
    it(`drops ${what} from a peer, unapplied, and disconnects that peer`, async () => {
      const docId = newDocId();
      const alice = await open(docId, 'Alice', { peerMessageLimits });
      const rogue = await startRoguePeer(meshRoomName(docId), signalingUrl);
      peers.push(rogue);
      await until(rogue, (s) => s.connected === 1, 'the rogue peer connects to Alice');
      await until(alice, (s) => s.network.directConnections === 1, 'Alice has the rogue’s data channel open');
      expect(await rogue.send(frame)).toBe(1);
      await until(rogue, (s) => s.closes >= 1, 'Alice closes the connection');
      const aliceSees = await alice.state();
      expect(aliceSees.text).not.toContain('rogue');
      expect(aliceSees.awarenessClients.filter((client) => ROGUE_CLIENTS.has(client))).toEqual([]);
      expect(aliceSees.uncaught).toEqual([]);
    });
  }
});
