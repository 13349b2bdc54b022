import { CloseCode, encodeSyncUpdate } from '@meshpad/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
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
import { deleteSetBomb, structBomb } from '../test/hostile-updates.js';

let relay: TestRelay | undefined;
const clients: StockClient[] = [];
const sockets: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.socket.terminate();
  await relay?.close();
  relay = undefined;
});

async function start(env: Record<string, string>): Promise<TestRelay> {
  relay = await startRelay({ env });
  return relay;
}

function client(target: TestRelay, room: string): StockClient {
  const c = stockClient(target.syncUrl, room);
  clients.push(c);
  return c;
}

async function raw(url: string, headers?: Record<string, string>): Promise<RawClient> {
  const c = await rawSocket(url, headers && { headers });
  sockets.push(c);
  return c;
}

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('per-connection quotas on /yjs', () => {
  it('closes a connection that sends more messages per second than allowed', async () => {
    const target = await start({ MESHPAD_MAX_MESSAGES_PER_SECOND: '20' });
    const [a, b] = [client(target, 'flood'), client(target, 'flood')];
    await Promise.all([synced(a), synced(b)]);
    const flooder = await raw(`${target.syncUrl}/flood`);
    const emptyUpdate = encodeSyncUpdate(Uint8Array.of(0, 0));
    const closing = closed(flooder.socket);
    // The bucket holds 10 s worth (200 messages); 1,000 at once go over it.
    for (let i = 0; i < 1_000; i++) flooder.socket.send(emptyUpdate);
    expect((await closing).code).toBe(CloseCode.RateLimited.code);
    expect(
      target.logs().some((line) => String(line.msg).includes('more than 20 messages per second (bursts of 200)')),
    ).toBe(true);
    a.text.insert(0, 'unaffected');
    await waitFor(() => b.text.toString() === 'unaffected', 'the others in the room still sync');
  });

  it('closes a connection that sends more bytes per second than allowed', async () => {
    // Bursts: 10 s of 1 KiB/s, or two of the largest messages (64 KiB): 128 KiB.
    const target = await start({ MESHPAD_MAX_BYTES_PER_SECOND: '1024', MESHPAD_MAX_MESSAGE_BYTES: String(64 * 1024) });
    const heavy = await raw(`${target.syncUrl}/heavy`);
    const closing = closed(heavy.socket);
    for (let i = 0; i < 4; i++) heavy.socket.send(encodeSyncUpdate(textUpdate(String(i).repeat(60_000))));
    expect((await closing).code).toBe(CloseCode.RateLimited.code);
    expect(target.logs().some((line) => String(line.msg).includes('more than 1024 bytes per second'))).toBe(true);
  });

  it('does not refill a quota for a client that reconnects to the room it was closed in', async () => {
    const target = await start({ MESHPAD_MAX_MESSAGES_PER_SECOND: '20' });
    const emptyUpdate = encodeSyncUpdate(Uint8Array.of(0, 0));
    const flood = async (room: string, count: number): Promise<number> => {
      const flooder = await raw(`${target.syncUrl}/${room}`);
      const closing = closed(flooder.socket);
      for (let i = 0; i < count; i++) flooder.socket.send(emptyUpdate);
      flooder.socket.send(encodeSyncUpdate(textUpdate('probe')));
      const timeout = new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: 0 }), 1500));
      const { code } = await Promise.race([closing, timeout]);
      flooder.socket.terminate();
      return code;
    };
    expect(await flood('again', 1_000)).toBe(CloseCode.RateLimited.code);
    // A fresh connection could send 200 at once; one coming back to the same room has next to nothing left.
    expect(await flood('again', 50)).toBe(CloseCode.RateLimited.code);
    expect(await flood('elsewhere', 50)).toBe(0);
  });

  it('refuses a client back before its quota refilled without reading it, and admits it once it has', async () => {
    // Bursts of 200 messages; one that went over gets in again once a second's worth (20) is back.
    const target = await start({ MESHPAD_MAX_MESSAGES_PER_SECOND: '20' });
    const emptyUpdate = encodeSyncUpdate(Uint8Array.of(0, 0));
    const flooder = await raw(`${target.syncUrl}/refill`);
    for (let i = 0; i < 1_000; i++) flooder.socket.send(emptyUpdate);
    expect((await flooder.closed).code).toBe(CloseCode.RateLimited.code);

    const tooSoon = await raw(`${target.syncUrl}/refill`);
    tooSoon.socket.send(encodeSyncUpdate(textUpdate('never read')));
    expect((await tooSoon.closed).code).toBe(CloseCode.RateLimited.code);
    // Refused before the room said anything: no sync step 1, and the update was not read.
    expect(tooSoon.frames).toEqual([]);
    expect(target.app.rooms.get('refill')?.connections.size ?? 0).toBe(0);
    expect((await target.store.load('refill')).updates).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = await raw(`${target.syncUrl}/refill`);
    await waitFor(() => later.frames.length > 0, 'the room greets the client');
    expect(later.socket.readyState).toBe(later.socket.OPEN);
  });

  it('stops reading a client that keeps sending after the relay closed it', async () => {
    const target = await start({ MESHPAD_MAX_MESSAGES_PER_SECOND: '20', LOG_LEVEL: 'debug' });
    const emptyUpdate = encodeSyncUpdate(Uint8Array.of(0, 0));
    const flooder = await raw(`${target.syncUrl}/deaf`);
    // It never reads, so it never sees the close frame nor answers it: ws would go on reading it for its close
    // timeout (1 s). Its writes fail once the relay has ended the socket, which closes it here.
    (flooder.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 1_000; i++) flooder.socket.send(emptyUpdate);
    const started = performance.now();
    const timer = setInterval(() => flooder.socket.send(emptyUpdate), 10);
    try {
      await flooder.closed;
    } finally {
      clearInterval(timer);
    }
    expect(performance.now() - started).toBeLessThan(900);
    expect(target.logs().some((line) => String(line.msg).startsWith('stopped reading the closed connection'))).toBe(
      true,
    );
  });

  it.each([
    ['small', 2_000],
    ['large (counted before the intake thread judges it)', 20_000],
  ])('counts deleted ranges against the struct quota: a %s delete-set bomb', async (_, ranges) => {
    // Bursts: 10 s of 100 per second, or two updates of the most structs accepted (500): 1,000.
    const target = await start({ MESHPAD_MAX_STRUCTS_PER_SECOND: '100', MESHPAD_MAX_STRUCTS_PER_UPDATE: '500' });
    const bomber = await raw(`${target.syncUrl}/deletes`);
    bomber.socket.send(encodeSyncUpdate(deleteSetBomb(77_777, ranges)));
    expect((await bomber.closed).code).toBe(CloseCode.RateLimited.code);
    expect(
      target
        .logs()
        .some((line) => String(line.msg).includes('more than 100 Yjs structs and deleted ranges per second')),
    ).toBe(true);
  });

  it('closes a connection that brings more client ids into the document than allowed, storing none of that update', async () => {
    // Bursts: 10 s of 10 per second, or two updates of the most client runs accepted (500): 1,000.
    const target = await start({ MESHPAD_MAX_NEW_CLIENTS_PER_SECOND: '10', MESHPAD_MAX_CLIENTS_PER_UPDATE: '500' });
    const bomber = await raw(`${target.syncUrl}/ids`);
    for (const first of [1_000_000, 2_000_000, 3_000_000]) bomber.socket.send(encodeSyncUpdate(structBomb(500, first)));
    expect((await bomber.closed).code).toBe(CloseCode.RateLimited.code);
    expect(
      target.logs().some((line) => String(line.msg).includes('more than 10 client ids new to the document per second')),
    ).toBe(true);
    const storedIds = async () => {
      const { updates } = await target.store.load('ids');
      return updates.length === 0
        ? 0
        : Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates))).size;
    };
    await waitFor(async () => (await storedIds()) === 1_000, 'the first two updates are stored');
    // A third update wrongly admitted would be stored by the time a newcomer has synced.
    const newcomer = client(target, 'ids');
    await synced(newcomer);
    expect(await storedIds()).toBe(1_000);
  });

  it('never limits stock clients typing, moving their cursor and pasting, with the defaults', async () => {
    const target = await start({});
    const [writer, reader] = [client(target, 'typing'), client(target, 'typing')];
    await Promise.all([synced(writer), synced(reader)]);
    // Each keystroke is one update message and one awareness message (the cursor moved).
    for (let i = 0; i < 2_000; i++) {
      writer.text.insert(writer.text.length, 'k');
      writer.provider.awareness.setLocalStateField('cursor', { index: i });
    }
    writer.text.insert(writer.text.length, 'p'.repeat(3 * 1024 * 1024));
    const expected = writer.text.toString();
    await waitFor(() => reader.text.toString() === expected, 'the reader has every keystroke and the paste', 15_000);
    expect(target.logs().filter((line) => line.closeCode !== undefined)).toEqual([]);
  });
});

describe('connections per address', () => {
  it('counts /yjs and /signal together, and refuses one more before loading its room', async () => {
    const target = await start({ MESHPAD_MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const a = client(target, 'shared');
    await synced(a);
    const signal = await raw(`ws://127.0.0.1:${target.port}/signal`);
    const second = await raw(`${target.syncUrl}/shared`);

    const refused = await raw(`${target.syncUrl}/never-loaded`);
    expect((await closed(refused.socket)).code).toBe(CloseCode.TooManyConnections.code);
    expect(target.app.rooms.get('never-loaded')).toBeUndefined();
    const refusedSignal = await raw(`ws://127.0.0.1:${target.port}/signal`);
    expect((await closed(refusedSignal.socket)).code).toBe(CloseCode.TooManyConnections.code);

    signal.socket.close();
    await closed(signal.socket);
    const admitted = await raw(`${target.syncUrl}/shared`);
    await waitFor(() => target.app.rooms.get('shared')?.connections.size === 3, 'a place freed up');
    expect(admitted.socket.readyState).toBe(admitted.socket.OPEN);
    expect(second.socket.readyState).toBe(second.socket.OPEN);
  });

  it('takes the client address from X-Forwarded-For only when the proxy is trusted', async () => {
    const behindProxy = await start({ MESHPAD_MAX_CONNECTIONS_PER_ADDRESS: '1', MESHPAD_TRUST_PROXY: '127.0.0.1' });
    const url = `${behindProxy.syncUrl}/proxied`;
    const alice = await raw(url, { 'X-Forwarded-For': '203.0.113.1' });
    const bob = await raw(url, { 'X-Forwarded-For': '203.0.113.2' });
    // nginx appends the address it saw to what the client sent: only that last one counts.
    const aliceAgain = await raw(url, { 'X-Forwarded-For': '198.51.100.9, 203.0.113.1' });
    expect((await closed(aliceAgain.socket)).code).toBe(CloseCode.TooManyConnections.code);
    await waitFor(() => behindProxy.app.rooms.get('proxied')?.connections.size === 2, 'alice and bob joined');
    expect([alice, bob].map((c) => c.socket.readyState)).toEqual([alice.socket.OPEN, bob.socket.OPEN]);
    await behindProxy.close();

    const direct = await start({ MESHPAD_MAX_CONNECTIONS_PER_ADDRESS: '1' });
    await raw(`${direct.syncUrl}/direct`, { 'X-Forwarded-For': '203.0.113.1' });
    const spoofed = await raw(`${direct.syncUrl}/direct`, { 'X-Forwarded-For': '203.0.113.2' });
    expect((await closed(spoofed.socket)).code).toBe(CloseCode.TooManyConnections.code);
  });
});
