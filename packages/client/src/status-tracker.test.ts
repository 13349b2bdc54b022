import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SessionDestroyedError } from './session-destroyed-error.js';
import { connectedAndSynced, type RelayStatus, StatusTracker } from './status-tracker.js';

/** What a browser's or `ws`'s close event carries that the tracker reads. */
const closeEvent = (code: number, reason: string) => ({ code, reason }) as CloseEvent;

interface TestStatus extends RelayStatus {
  readonly unsaved: number;
}

const providers: WebsocketProvider[] = [];

afterEach(() => {
  for (const provider of providers.splice(0)) provider.destroy();
});

const track = (): { tracker: StatusTracker<TestStatus>; provider: WebsocketProvider; seen: TestStatus[] } => {
  // Never connects: the test plays the provider's events itself.
  const provider = new WebsocketProvider('ws://127.0.0.1:9', 'room', new Y.Doc(), {
    connect: false,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  providers.push(provider);
  const seen: TestStatus[] = [];
  const initial: TestStatus = {
    connection: 'connecting',
    synced: false,
    loaded: false,
    unsaved: 0,
    relayClose: undefined,
  };
  const inStep = (status: TestStatus) => connectedAndSynced(status) && status.unsaved === 0;
  const tracker = new StatusTracker(provider, 'room', initial, (status) => seen.push(status), inStep);
  return { tracker, provider, seen };
};

describe('StatusTracker', () => {
  it('reports a change once, and only when a field differs', () => {
    const { tracker, seen } = track();
    tracker.update({ unsaved: 0 });
    tracker.update({ unsaved: 2 });
    tracker.update({ unsaved: 2 });
    expect(seen).toEqual([
      { connection: 'connecting', synced: false, loaded: false, unsaved: 2, relayClose: undefined },
    ]);
    expect(tracker.current).toBe(seen[0]);
  });

  it('follows the provider: a sync loads, a closed socket goes offline and stays loaded', async () => {
    const { tracker, provider, seen } = track();
    const loaded = tracker.whenLoaded();
    provider.emit('sync', [true]);
    await loaded;
    provider.emit('connection-close', [null, provider]);
    provider.emit('status', [{ status: 'connecting' }]);
    expect(seen.map(({ connection, synced, loaded }) => [connection, synced, loaded])).toEqual([
      ['connecting', true, true],
      ['offline', false, true],
    ]);
  });

  it('rejects waiting and later loads once destroyed, and stops following the provider', async () => {
    const { tracker, provider, seen } = track();
    const pending = tracker.whenLoaded();
    tracker.destroy();
    await expect(pending).rejects.toBeInstanceOf(SessionDestroyedError);
    await expect(tracker.whenLoaded()).rejects.toThrow(/room was destroyed/);
    provider.emit('sync', [true]);
    expect(seen).toEqual([]);
    expect(tracker.current.connection).toBe('offline');
  });

  it('keeps the relay’s last close, by name and class, until the session is back in step', () => {
    const { tracker, provider } = track();
    provider.emit('connection-close', [closeEvent(4513, 'document over its size limit'), provider]);
    const tooLarge = tracker.current.relayClose;
    expect(tooLarge).toEqual({
      code: 4513,
      reason: 'document over its size limit',
      name: 'DocumentTooLarge',
      permanent: false,
    });
    tracker.update({ unsaved: 1 });
    // Reconnected and synced, with the refused change still unsaved: the close stays, and the same close again is no news.
    provider.emit('status', [{ status: 'connected' }]);
    provider.emit('sync', [true]);
    expect(tracker.current).toMatchObject({ connection: 'connected', synced: true, relayClose: tooLarge });
    provider.emit('connection-close', [closeEvent(4513, 'document over its size limit'), provider]);
    expect(tracker.current.relayClose).toBe(tooLarge);
    // Closed from this side (disconnect, or 30 s without a message): the relay said nothing new.
    provider.emit('connection-close', [null, provider]);
    expect(tracker.current.relayClose).toBe(tooLarge);

    provider.emit('status', [{ status: 'connected' }]);
    provider.emit('sync', [true]);
    tracker.update({ unsaved: 0 });
    expect(tracker.current).toMatchObject({ connection: 'connected', synced: true, relayClose: undefined });
  });

  it('marks 44xx closes permanent and names codes the relay does not send as undefined', () => {
    const { tracker, provider } = track();
    provider.emit('connection-close', [closeEvent(4402, 'closing connection: invalid update'), provider]);
    expect(tracker.current).toMatchObject({
      connection: 'offline',
      relayClose: { code: 4402, name: 'InvalidUpdate', permanent: true },
    });
    provider.emit('connection-close', [closeEvent(1006, ''), provider]);
    expect(tracker.current.relayClose).toEqual({ code: 1006, reason: '', name: undefined, permanent: false });
  });
});
