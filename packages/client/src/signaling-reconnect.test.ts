import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebrtcConn, WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

// y-webrtc's signaling connection uses the global WebSocket; Node 20 has none.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

let server: Server | undefined;
const sockets: Socket[] = [];
let provider: WebrtcProvider | undefined;

afterEach(async () => {
  provider?.destroy();
  provider = undefined;
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.close();
  server = undefined;
});

/** A server that accepts TCP connections and never answers the WebSocket handshake: sockets to it stay connecting. */
async function silentServer(): Promise<string> {
  server = createServer((socket) => sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return `ws://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

describe('y-webrtc patch: signaling while the signaling socket is not open', () => {
  it('drops the signals a peer connection produces instead of throwing from WebSocket.send', async () => {
    const url = await silentServer();
    provider = new WebrtcProvider('meshpad:reconnecting', new Y.Doc(), { signaling: [url], peerOpts: { wrtc } });
    const signaling = provider.signalingConns[0]!;
    await once(server!, 'connection');
    expect(signaling.ws?.readyState).toBe(WebSocket.CONNECTING);
    const uncaught: unknown[] = [];
    const report = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', report);
    try {
      // A connection this peer starts emits its offer (and ICE candidates) at once, through the signaling socket.
      const conn = new WebrtcConn(signaling, true, 'remote-peer', provider.room!);
      const offered = await new Promise<boolean>((resolve) => {
        conn.peer.once('signal', () => setTimeout(() => resolve(true), 50));
        setTimeout(() => resolve(false), 5_000);
      });
      // Before the patch WebSocket.send threw inside simple-peer, which destroyed the connection before it offered.
      expect(offered).toBe(true);
      expect(conn.peer.destroyed).toBe(false);
      conn.destroy();
    } finally {
      process.off('uncaughtException', report);
    }
    expect(uncaught).toEqual([]);
  });
});
