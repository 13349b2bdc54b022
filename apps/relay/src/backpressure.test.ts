import { CloseCode, MessageType, SyncMessageType } from '@meshpad/protocol';
import { MemoryDocStore } from '@meshpad/storage';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type RawClient,
  rawSocket,
  type StockClient,
  startRelay,
  stockClient,
  synced,
  type TestRelay,
  waitFor,
} from '../test/harness.js';

const MiB = 1024 * 1024;
/** Sync step 1 with an empty state vector: 4 bytes that ask for the whole document. */
const WHOLE_DOCUMENT_REQUEST = Uint8Array.of(MessageType.Sync, SyncMessageType.Step1, 1, 0);
const DOCUMENT_BYTES = 4_000_000;
/**
 * RSS growth allowed during an attack (the target for the relay under attack). Without
 * backpressure the relay queued one copy of the document per request: +582 MB from 145 requests.
 */
const RSS_GROWTH_LIMIT = 64 * MiB;

let relay: TestRelay | undefined;
const clients: StockClient[] = [];
const sockets: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.socket.terminate();
  await relay?.close();
  relay = undefined;
});

/** A relay whose room `big` holds a 4 MB document. */
async function relayWithBigDocument(env: Record<string, string> = {}): Promise<TestRelay> {
  const store = new MemoryDocStore();
  const doc = new Y.Doc();
  doc.getText('content').insert(0, 'x'.repeat(DOCUMENT_BYTES));
  await store.append([{ docName: 'big', update: Y.encodeStateAsUpdate(doc) }]);
  relay = await startRelay({ store, env });
  return relay;
}

/** A raw client that stops reading as soon as it is connected: what it is sent piles up on the relay. */
async function nonReader(url: string): Promise<RawClient> {
  const client = await rawSocket(url);
  client.socket.pause();
  sockets.push(client);
  return client;
}

/** Two stock clients in a room of their own, to show the relay keeps serving everyone else. */
async function bystanders(target: TestRelay, room: string): Promise<() => Promise<void>> {
  const [writer, reader] = [stockClient(target.syncUrl, room), stockClient(target.syncUrl, room)];
  clients.push(writer, reader);
  await Promise.all([synced(writer), synced(reader)]);
  let edits = 0;
  return async () => {
    edits += 1;
    writer.text.insert(writer.text.length, `edit ${edits};`);
    const expected = writer.text.toString();
    await waitFor(() => reader.text.toString() === expected, `bystander edit ${edits} arrives`);
  };
}

const yieldToRelay = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Sends `count` whole-document requests in batches while sampling RSS; stops early once RSS grew past
 * twice the limit, so that a relay without backpressure fails the test instead of exhausting memory.
 */
async function askRepeatedly(client: RawClient, count: number, check: () => Promise<void>): Promise<number> {
  const base = process.memoryUsage().rss;
  let peak = 0;
  for (let sent = 0; sent < count && peak < 2 * RSS_GROWTH_LIMIT; sent += 100) {
    for (let i = 0; i < 100; i++) client.socket.send(WHOLE_DOCUMENT_REQUEST);
    await yieldToRelay();
    peak = Math.max(peak, process.memoryUsage().rss - base);
    if (sent % 500 === 0) await check();
  }
  return peak;
}

const loggedClose = (target: TestRelay, code: number) => () => target.logs().some((line) => line.closeCode === code);

describe('backpressure on /yjs', () => {
  it('keeps at most one whole-document answer in flight for a client that asks again without reading', async () => {
    const target = await relayWithBigDocument();
    const check = await bystanders(target, 'elsewhere');
    const attacker = await nonReader(`${target.syncUrl}/big`);

    const peak = await askRepeatedly(attacker, 3_000, check);
    await check();
    expect(peak).toBeLessThan(RSS_GROWTH_LIMIT);

    // Once it reads, it gets the answer in flight, perhaps one the kernel's socket buffers took in whole
    // before it, and one for the 3,000 requests that waited. A query-awareness answer waits behind them all.
    attacker.socket.resume();
    const received = (type: number, subtype?: number) =>
      attacker.frames.filter((f) => f[0] === type && (subtype === undefined || f[1] === subtype));
    await waitFor(() => received(MessageType.Sync, SyncMessageType.Step2).length >= 1, 'an answer', 15_000);
    attacker.socket.send(Uint8Array.of(MessageType.QueryAwareness));
    await waitFor(() => received(MessageType.Awareness).length === 1, 'the answer to the last request', 15_000);
    expect(received(MessageType.Sync, SyncMessageType.Step2).length).toBeLessThanOrEqual(3);
    expect(attacker.socket.readyState).toBe(attacker.socket.OPEN);
  });

  it('closes with SlowReader a client that asks again while more than the mark waits for it', async () => {
    const target = await relayWithBigDocument({ MESHPAD_MAX_BUFFERED_BYTES: String(MiB) });
    const check = await bystanders(target, 'elsewhere');
    const attacker = await nonReader(`${target.syncUrl}/big`);

    const peak = await askRepeatedly(attacker, 3_000, check);
    expect(peak).toBeLessThan(RSS_GROWTH_LIMIT);
    await waitFor(loggedClose(target, CloseCode.SlowReader.code), 'the relay closes the non-reader with 4508');
    await waitFor(() => target.app.rooms.get('big') === undefined, 'the room is released');
    await check();
  });

  it('closes a client that stops reading while a room forwards updates, at the mark', async () => {
    relay = await startRelay({ env: { MESHPAD_MAX_BUFFERED_BYTES: String(MiB) } });
    const target = relay;
    const [writer, reader] = [stockClient(target.syncUrl, 'busy'), stockClient(target.syncUrl, 'busy')];
    clients.push(writer, reader);
    await Promise.all([synced(writer), synced(reader)]);
    await nonReader(`${target.syncUrl}/busy`);
    await waitFor(() => target.app.rooms.get('busy')?.connections.size === 3, 'the non-reader joined');

    // 12 MB in 48 updates: far more than the kernel's socket buffers take in for a client that reads nothing.
    for (let i = 0; i < 48; i++) {
      writer.text.insert(writer.text.length, String.fromCharCode(97 + (i % 26)).repeat(256 * 1024));
      await yieldToRelay();
    }
    const expected = writer.text.toString();
    await waitFor(() => reader.text.toString() === expected, 'the reading client gets every update', 15_000);
    await waitFor(loggedClose(target, CloseCode.SlowReader.code), 'the relay closes the non-reader with 4508');
    await waitFor(() => target.app.rooms.get('busy')?.connections.size === 2, 'the non-reader left the room');
    expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true);
  });
});

describe('backpressure on /signal', () => {
  it('closes a subscriber that stops reading, at the mark, and keeps publishing to the others', async () => {
    relay = await startRelay({ env: { MESHPAD_MAX_BUFFERED_BYTES: String(MiB) } });
    const target = relay;
    const url = `ws://127.0.0.1:${target.port}/signal`;
    const publisher = await rawSocket(url);
    sockets.push(publisher);
    const stalled = await nonReader(url);
    for (const { socket } of [publisher, stalled]) socket.send(JSON.stringify({ type: 'subscribe', topics: ['t'] }));
    await waitFor(() => target.app.signalingTopics.get('t')?.size === 2, 'both subscribed');

    // 9 MB in 150 publishes (within the signaling rate's burst of 200), each just under the 64 KiB limit.
    const message = JSON.stringify({ type: 'publish', topic: 't', data: 'x'.repeat(60_000) });
    for (let i = 0; i < 150; i++) {
      publisher.socket.send(message);
      if (i % 10 === 9) await yieldToRelay();
    }
    await waitFor(() => publisher.frames.length === 150, 'the reading subscriber gets every publish', 15_000);
    await waitFor(
      () => target.logs().some((line) => line.closeCode === CloseCode.SlowReader.code && 'signaling' in line),
      'the relay closes the non-reading subscriber with 4508',
    );
    await waitFor(() => target.app.signalingTopics.get('t')?.size === 1, 'the non-reader is unsubscribed');
    expect(publisher.socket.readyState).toBe(publisher.socket.OPEN);
  });
});
