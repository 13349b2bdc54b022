// A stock y-webrtc client (WebrtcProvider from npm, not Meshpad's session) in a Node process of its own, driven over
// IPC by tests/webrtc.spec.ts. It joins a room with nothing but y-webrtc: no relay, no Meshpad code.
//   argv: <room name> <signaling URL>
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

// y-webrtc's signaling connection uses the global WebSocket, which Node 20 lacks.
globalThis.WebSocket = WebSocket;

const [room, signalingUrl] = process.argv.slice(2);
const doc = new Y.Doc();
// Meshpad keeps a document's text in the Y.Text named 'content'.
const text = doc.getText('content');
const provider = new WebrtcProvider(room, doc, {
  signaling: [signalingUrl],
  peerOpts: { wrtc, config: { iceServers: [] } },
});
provider.awareness.setLocalStateField('user', { name: 'Stock y-webrtc', color: '#0e8047' });

const operations = {
  insert: ({ value }) => {
    text.insert(text.length, value);
    return text.toString();
  },
  text: () => text.toString(),
  peers: () => [...(provider.room?.webrtcConns.values() ?? [])].filter((conn) => conn.connected).length,
  close: () => {
    provider.destroy();
    doc.destroy();
    setTimeout(() => process.exit(0), 250);
    return true;
  },
};

process.on('message', ({ id, op, ...args }) => {
  const operation = operations[op];
  if (operation === undefined) process.send?.({ id, ok: false, error: `unknown operation ${op}` });
  else process.send?.({ id, ok: true, value: operation(args) });
});
process.send?.({ id: 0, ok: true, value: 'ready' });
