// One Meshpad session in a process of its own (y-webrtc allows one provider per room per process), driven over IPC
// by test/mesh-peers.ts and bench/mesh-fanout.mjs. Node has no WebRTC and no global WebSocket: @roamhq/wrtc and ws
// stand in for them.
import { DocSession } from '@meshpad/client';
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';

// y-webrtc's signaling connection uses the global WebSocket.
globalThis.WebSocket = WebSocket;

/** Exceptions and rejections nobody handled. They are reported rather than fatal, so a test can assert there were none. */
const uncaught = [];
const report = (error) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  uncaught.push(text);
  process.stderr.write(`mesh peer: unhandled ${text}\n`);
};
process.on('uncaughtException', report);
process.on('unhandledRejection', report);

/** The session's RTCPeerConnections: how many were made, are open, and were open at most at once. */
const peerConnections = { created: 0, open: 0, maxOpen: 0 };
class CountedPeerConnection extends wrtc.RTCPeerConnection {
  #open = true;
  constructor(...args) {
    super(...args);
    peerConnections.created++;
    peerConnections.open++;
    peerConnections.maxOpen = Math.max(peerConnections.maxOpen, peerConnections.open);
  }
  close() {
    if (this.#open) peerConnections.open--;
    this.#open = false;
    super.close();
  }
}
const countedWrtc = { ...wrtc, RTCPeerConnection: CountedPeerConnection };

/** @type {DocSession | undefined} */
let session;
/** @type {{ marker: string, resolve: (at: number) => void }[]} */
let watchers = [];

const now = () => performance.timeOrigin + performance.now();

const snapshot = () => {
  if (session === undefined) throw new Error('no session: send "open" first');
  const { mesh, relay, directConnections, routes } = session.network;
  return {
    clientId: session.doc.clientID,
    peerId: session.awareness.getLocalState()?.link?.peerId,
    text: session.text.toString(),
    status: session.status,
    network: { mesh, relay, directConnections, routes: [...routes] },
    presence: session.presence.map((p) => ({ clientId: p.clientId, name: p.name, hasCursor: p.hasCursor })),
    awarenessClients: [...session.awareness.getStates().keys()],
    peerConnections: { ...peerConnections },
    uncaught: [...uncaught],
  };
};

const checkWatchers = () => {
  const text = session?.text.toString() ?? '';
  const at = now();
  watchers = watchers.filter((watcher) => {
    if (!text.includes(watcher.marker)) return true;
    watcher.resolve(at);
    return false;
  });
};

const operations = {
  open: ({ docId, relayUrl, name, mesh }) => {
    session = new DocSession({
      docId,
      relayUrl,
      user: { name, colour: '#1670c9' },
      WebSocket,
      localCopy: false,
      mesh: mesh === false ? false : { ...mesh, wrtc: countedWrtc },
    });
    session.text.observe(checkWatchers);
    return session.whenSynced().then(snapshot);
  },
  /** Inserts text; returns the time just before, since peers may receive it before the insert returns. */
  insert: ({ index, text }) => {
    const at = now();
    session?.text.insert(index ?? session.text.length, text);
    return at;
  },
  cursor: ({ anchor }) => {
    session?.awareness.setLocalStateField('cursor', { anchor, head: anchor });
    return now();
  },
  state: () => snapshot(),
  watch: ({ marker }) =>
    new Promise((resolve) => {
      watchers.push({ marker, resolve });
      checkWatchers();
    }),
  // Destroys the session, then ends the process once peers had a moment to get the goodbye. The parent waits for the
  // exit, not for a reply: @roamhq/wrtc now and then dies with SIGSEGV while it tears peer connections down.
  close: () => {
    session?.destroy();
    session = undefined;
    setTimeout(() => process.exit(0), 250);
    return true;
  },
};

process.on('message', async ({ id, op, ...args }) => {
  try {
    const operation = operations[op];
    if (operation === undefined) throw new Error(`unknown operation ${op}`);
    process.send?.({ id, ok: true, value: await operation(args) });
  } catch (error) {
    process.send?.({ id, ok: false, error: error instanceof Error ? error.stack : String(error) });
  }
});
process.send?.({ id: 0, ok: true, value: 'ready' });
