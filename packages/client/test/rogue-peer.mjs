// A stock y-webrtc peer (no Meshpad code) that sends, when told to, a frame of the test's choosing over each open data
// channel: the hostile peer of src/peer-mesh-attacks.test.ts, driven over IPC by test/mesh-peers.ts.
//   argv: <room name> <signaling URL>
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

// y-webrtc's signaling connection uses the global WebSocket, which Node 20 lacks.
globalThis.WebSocket = WebSocket;

const [room, signalingUrl] = process.argv.slice(2);
const doc = new Y.Doc();
const provider = new WebrtcProvider(room, doc, {
  signaling: [signalingUrl],
  peerOpts: { wrtc, config: { iceServers: [] } },
});

/** How many of this peer's connections have closed, whichever side closed them. */
let closes = 0;
const watched = new WeakSet();
provider.on('peers', () => {
  for (const conn of provider.room?.webrtcConns.values() ?? []) {
    if (watched.has(conn.peer)) continue;
    watched.add(conn.peer);
    conn.peer.on('close', () => closes++);
  }
});

const openConns = () => [...(provider.room?.webrtcConns.values() ?? [])].filter((conn) => conn.connected);

const operations = {
  state: () => ({ connected: openConns().length, closes }),
  /** Sends a frame (base64) on every open connection; returns on how many. */
  send: ({ frame }) => {
    const bytes = Buffer.from(frame, 'base64');
    const conns = openConns();
    for (const conn of conns) conn.peer.send(bytes);
    return conns.length;
  },
  close: () => {
    provider.destroy();
    doc.destroy();
    setTimeout(() => process.exit(0), 250);
    return true;
  },
};

process.on('message', ({ id, op, ...args }) => {
  try {
    const operation = operations[op];
    if (operation === undefined) throw new Error(`unknown operation ${op}`);
    process.send?.({ id, ok: true, value: operation(args) });
  } catch (error) {
    process.send?.({ id, ok: false, error: error instanceof Error ? error.stack : String(error) });
  }
});
process.send?.({ id: 0, ok: true, value: 'ready' });
