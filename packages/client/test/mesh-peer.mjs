// One Meshpad session in a process of its own (y-webrtc allows one provider per room per process), driven over IPC
// by test/mesh-peers.ts and bench/mesh-fanout.mjs. Node has no WebRTC and no global WebSocket: @roamhq/wrtc and ws
// stand in for them.
import { DocSession } from '@meshpad/client';
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';

// y-webrtc's signaling connection uses the global WebSocket.
globalThis.WebSocket = WebSocket;

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
    text: session.text.toString(),
    status: session.status,
    network: { mesh, relay, directConnections, routes: [...routes] },
    presence: session.presence.map((p) => ({ clientId: p.clientId, name: p.name, hasCursor: p.hasCursor })),
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
      mesh: mesh === false ? false : { ...mesh, wrtc },
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
