import { MemoryDocStore } from '@meshpad/storage';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rawSocket, startRelay, type TestRelay, waitFor } from '../test/harness.js';

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('rooms in memory', () => {
  it('keeps a room loaded for --room-linger-ms after its last connection left, so coming back reads nothing', async () => {
    const store = new MemoryDocStore();
    const load = vi.spyOn(store, 'load');
    relay = await startRelay({ store, env: { MESHPAD_ROOM_LINGER_MS: '300' } });
    const loadsOf = (room: string) => load.mock.calls.filter(([name]) => name === room).length;
    const visit = async () => {
      const { socket, closed } = await rawSocket(`${relay!.syncUrl}/lingering`);
      await waitFor(() => relay!.app.rooms.get('lingering')?.connections.size === 1, 'joined');
      socket.close();
      await closed;
    };

    await visit();
    await visit();
    expect(loadsOf('lingering')).toBe(1);
    expect(relay.app.rooms.get('lingering')).toBeDefined();
    await waitFor(() => relay!.app.rooms.get('lingering') === undefined, 'unloaded once the time passed');
    await visit();
    expect(loadsOf('lingering')).toBe(2);
  });
});
