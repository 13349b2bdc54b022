import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { eventually } from '../test/eventually.js';
import { type SaveRelay, startSaveRelay } from '../test/save-relay.js';
import { newDocId } from './doc-id.js';
import { reconnectWhenOnline } from './reconnect-when-online.js';
import { relaySocketUrl } from './relay-url.js';

let relay: SaveRelay | undefined;
let provider: WebsocketProvider | undefined;

afterEach(async () => {
  provider?.destroy();
  await relay?.stop();
});

describe('reconnectWhenOnline', () => {
  it('starts a new attempt as soon as the network is back, not after the backoff', async () => {
    relay = await startSaveRelay();
    const events = new EventTarget();
    provider = new WebsocketProvider(relaySocketUrl(relay.url), newDocId(), new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 60_000,
    });
    const stop = reconnectWhenOnline(provider, events);
    await eventually(() => provider?.synced === true, 'the provider syncs');
    await relay.crash();
    // The next failed attempt schedules the one after it a minute later.
    provider.wsUnsuccessfulReconnects = 30;
    await eventually(
      () => provider?.ws === null && provider.wsUnsuccessfulReconnects > 30,
      'an attempt fails and the provider waits a minute to retry',
    );
    await relay.restart();
    events.dispatchEvent(new Event('online'));
    expect(provider.ws).not.toBeNull();
    await eventually(() => provider?.synced === true, 'the provider syncs again', 2_000);

    stop();
    await relay.crash();
    await eventually(() => provider?.ws === null, 'the provider waits to retry');
    events.dispatchEvent(new Event('online'));
    expect(provider.ws).toBeNull();
  });

  it('replaces an attempt that hangs', async () => {
    // A server that accepts connections and never answers the WebSocket handshake, as a dead network can.
    const hung: Socket[] = [];
    const blackHole = createServer((socket) => hung.push(socket));
    blackHole.listen(0, '127.0.0.1');
    await once(blackHole, 'listening');
    const port = (blackHole.address() as AddressInfo).port;
    const events = new EventTarget();
    provider = new WebsocketProvider(relaySocketUrl(`http://127.0.0.1:${port}`), newDocId(), new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    reconnectWhenOnline(provider, events);
    await eventually(() => hung.length === 1, 'the first attempt reaches the black hole');
    blackHole.close();
    relay = await startSaveRelay(port);
    expect(provider.wsconnecting).toBe(true);
    events.dispatchEvent(new Event('online'));
    await eventually(() => provider?.synced === true, 'a new attempt syncs', 2_000);
    for (const socket of hung) socket.destroy();
  });

  it('does nothing without a window (Node)', () => {
    expect(reconnectWhenOnline({} as WebsocketProvider)).toBeTypeOf('function');
  });
});
