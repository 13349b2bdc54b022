import { MemoryDocStore } from '@meshpad/storage';
import { describe, expect, it, vi } from 'vitest';
import { useRelay, waitFor } from '../test/harness.js';

const fixture = useRelay();

describe('rooms in memory', () => {
  it('keeps a room loaded for --room-linger-ms after its last connection left, so coming back reads nothing', async () => {
    const store = new MemoryDocStore();
    const load = vi.spyOn(store, 'load');
    const relay = await fixture.start({ store, env: { MESHPAD_ROOM_LINGER_MS: '300' } });
    const loadsOf = (room: string) => load.mock.calls.filter(([name]) => name === room).length;
    const visit = async () => {
      const { socket, closed } = await fixture.raw('lingering');
      await waitFor(() => relay.app.rooms.get('lingering')?.connections.size === 1, 'joined');
      socket.close();
      await closed;
    };

    await visit();
    await visit();
    expect(loadsOf('lingering')).toBe(1);
    expect(relay.app.rooms.get('lingering')).toBeDefined();
    await waitFor(() => relay.app.rooms.get('lingering') === undefined, 'unloaded once the time passed');
    await visit();
    expect(loadsOf('lingering')).toBe(2);
  });
});
