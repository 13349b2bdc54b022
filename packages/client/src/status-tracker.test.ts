import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SessionDestroyedError } from './session-destroyed-error.js';
import { type RelayStatus, StatusTracker } from './status-tracker.js';

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
  const initial: TestStatus = { connection: 'connecting', synced: false, loaded: false, unsaved: 0 };
  const tracker = new StatusTracker(provider, 'room', initial, (status) => seen.push(status));
  return { tracker, provider, seen };
};

describe('StatusTracker', () => {
  it('reports a change once, and only when a field differs', () => {
    const { tracker, seen } = track();
    tracker.update({ unsaved: 0 });
    tracker.update({ unsaved: 2 });
    tracker.update({ unsaved: 2 });
    expect(seen).toEqual([{ connection: 'connecting', synced: false, loaded: false, unsaved: 2 }]);
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
});
