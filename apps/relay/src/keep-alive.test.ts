import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closed,
  type RawClient,
  rawSocket,
  type StockClient,
  startRelay,
  stockClient,
  synced,
  type TestRelay,
  waitFor,
} from '../test/harness.js';

const PING_INTERVAL_MS = 100;

let relay: TestRelay;
const clients: StockClient[] = [];
const sockets: RawClient[] = [];

beforeEach(async () => {
  relay = await startRelay({ env: { MESHPAD_PING_INTERVAL_MS: String(PING_INTERVAL_MS) } });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.socket.terminate();
  await relay.close();
});

/** A client whose pongs never come back, as when its machine went away without closing the connection. */
async function halfOpen(room: string): Promise<RawClient> {
  const client = await rawSocket(`${relay.syncUrl}/${room}`, { autoPong: false });
  sockets.push(client);
  return client;
}

describe('ping on /yjs', () => {
  it('drops a connection that does not answer pings, and its room with it', async () => {
    const silent = await halfOpen('alone');
    const started = Date.now();
    await waitFor(() => relay.app.rooms.get('alone')?.connections.size === 1, 'it joined');
    const { code } = await closed(silent.socket);
    // Dropped after its first unanswered ping, at the second: within two intervals (plus a busy machine's delays).
    expect(Date.now() - started).toBeGreaterThanOrEqual(PING_INTERVAL_MS);
    expect(code).toBe(1006);
    await waitFor(() => relay.app.rooms.get('alone') === undefined, 'the room is unloaded');
    expect(relay.logs().some((line) => line.msg === 'no answer to the last ping; dropping the connection')).toBe(true);
  });

  it('keeps stock clients, which answer pings by themselves', async () => {
    const [a, b] = [stockClient(relay.syncUrl, 'kept'), stockClient(relay.syncUrl, 'kept')];
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    const silent = await halfOpen('kept');
    await closed(silent.socket);
    await new Promise((resolve) => setTimeout(resolve, 10 * PING_INTERVAL_MS));
    expect(relay.app.rooms.get('kept')?.connections.size).toBe(2);
    a.text.insert(0, 'still here');
    await waitFor(() => b.text.toString() === 'still here', 'the stock clients still sync');
  });
});
