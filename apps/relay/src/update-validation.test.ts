import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode, decodeSaved, encodeSaveRequest, encodeSyncUpdate } from '@meshpad/protocol';
import { MemoryDocStore } from '@meshpad/storage';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  closed,
  rawSocket,
  roomText,
  type StockClient,
  startRelay,
  stockClient,
  synced,
  type TestRelay,
  waitFor,
} from '../test/harness.js';
import { deleteSetBomb, gcRanges, itemUpdate, structBomb, textOfUpdates } from '../test/hostile-updates.js';

let relay: TestRelay | undefined;
const clients: StockClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await relay?.close();
  relay = undefined;
});

function client(room: string, doc?: Y.Doc): StockClient {
  const made = stockClient(relay!.syncUrl, room, doc);
  clients.push(made);
  return made;
}

async function storedText(room: string): Promise<string> {
  return textOfUpdates((await relay!.store.load(room)).updates);
}

const savedSeqs = (frames: Uint8Array[]) => frames.map(decodeSaved).filter((seq) => seq !== undefined);

describe('updates are validated before they are stored', () => {
  it('refuses an update that refers to a later clock of its own client, and stores and forwards none of it', async () => {
    relay = await startRelay();
    const writer = client('poison');
    await synced(writer);
    writer.text.insert(0, 'honest text');
    await waitFor(() => roomText(relay!, 'poison') === 'honest text', 'relay has the honest text');

    // 18 bytes: one item whose origin is a clock its own client has not written yet. Yjs throws on it
    // inside every transaction that meets it.
    const poison = itemUpdate({ client: 4242, clock: 0, origin: Y.createID(4242, 5) });
    const attacker = await rawSocket(`${relay.syncUrl}/poison`);
    const closing = closed(attacker.socket);
    attacker.socket.send(encodeSyncUpdate(poison));
    writer.text.insert(0, 'more ');
    expect((await closing).code).toBe(CloseCode.InvalidUpdate.code);

    await waitFor(() => roomText(relay!, 'poison') === 'more honest text', 'the honest edit of the same turn is kept');
    expect(await storedText('poison')).toBe('more honest text');
    const newcomer = client('poison');
    await synced(newcomer);
    expect(newcomer.text.toString()).toBe('more honest text');
    const refusals = relay.logs().filter((line) => line.closeCode === CloseCode.InvalidUpdate.code);
    expect(refusals).toHaveLength(1);
    expect(String(refusals[0]!.msg)).toMatch(/own client/);
  });

  // Fuzz seed 6221074002000 (fuzz.test.ts): the relay forwarded these GC ranges whole, but Y.mergeUpdates, which
  // counts on the highest client coming first, kept only client 6 in the relay's state: stored documents and
  // newcomers then lacked clocks every client in the room held, and edits built on them stayed pending forever.
  it('refuses client runs in another order than Yjs writes them, and stores and forwards none of it (fuzz seed 6221074002000)', async () => {
    relay = await startRelay();
    const writer = client('order');
    await synced(writer);
    writer.text.insert(0, 'kept');
    await waitFor(() => roomText(relay!, 'order') === 'kept', 'relay has the text');
    const received: Uint8Array[] = [];
    writer.provider.ws?.addEventListener('message', (event: MessageEvent) => received.push(new Uint8Array(event.data)));

    const ascending = Y.mergeUpdates([gcRanges(1, 5, 6), gcRanges(1, 5, 7), gcRanges(1, 5, 8)]).slice();
    // Y.mergeUpdates writes 8, 7, 6; swap in the reverse order (each run is 5 bytes after the count).
    const runs = [0, 1, 2].map((i) => ascending.subarray(1 + i * 5, 6 + i * 5).slice());
    const reordered = Uint8Array.from([3, ...runs[2]!, ...runs[1]!, ...runs[0]!, 0]);
    expect(textOfUpdates([reordered])).toBe('');
    const { socket } = await rawSocket(`${relay.syncUrl}/order`);
    const closing = closed(socket);
    socket.send(encodeSyncUpdate(reordered));
    expect((await closing).code).toBe(CloseCode.InvalidUpdate.code);
    expect(relay.logs().find((line) => line.closeCode === CloseCode.InvalidUpdate.code)?.msg).toMatch(
      /client runs out of order: client 7 after client 6/,
    );
    writer.text.insert(4, '!');
    await waitFor(() => roomText(relay!, 'order') === 'kept!', 'the room still works');
    expect(received.filter((frame) => frame.length > 10)).toEqual([]);
    expect(Y.decodeStateVector(Y.encodeStateVector(writer.doc)).has(7)).toBe(false);
  });

  it('holds a delete-set bomb for a client with no structs, never stores or forwards it, and drops it in time', async () => {
    relay = await startRelay({ env: { MESHPAD_HELD_UPDATE_TIMEOUT_MS: '300' } });
    const watcher = client('bomb');
    await synced(watcher);
    watcher.text.insert(0, 'safe');
    await waitFor(() => roomText(relay!, 'bomb') === 'safe', 'relay has the text');
    const received: Uint8Array[] = [];
    watcher.provider.ws?.addEventListener('message', (event: MessageEvent) =>
      received.push(new Uint8Array(event.data)),
    );
    const before = (await relay.store.load('bomb')).updates.length;

    const attacker = await rawSocket(`${relay.syncUrl}/bomb`);
    const closing = closed(attacker.socket);
    attacker.socket.send(encodeSyncUpdate(deleteSetBomb(999, 200_000)));
    attacker.socket.send(encodeSaveRequest(1));
    expect((await closing).code).toBe(CloseCode.TooManyHeldUpdates.code);
    expect(savedSeqs(attacker.frames)).toEqual([]);
    expect((await relay.store.load('bomb')).updates.length).toBe(before);
    expect(received.every((frame) => frame.length < 1000)).toBe(true);
    const newcomer = client('bomb');
    await synced(newcomer);
    expect(newcomer.text.toString()).toBe('safe');
    expect(newcomer.doc.store.pendingDs).toBeNull();
  });

  it('holds an edit that builds on a peer-to-peer edit the relay lacks, and stores it, confirmed, once that arrives', async () => {
    relay = await startRelay();
    // A and B are linked directly (as over WebRTC); C reaches them only through the relay.
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, update, 'peer'));
    b.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, update, 'peer'));
    const c = client('mesh');
    await synced(c);
    a.getText('content').insert(0, 'Hello');
    const bSocket = await rawSocket(`${relay.syncUrl}/mesh`);
    const bEdits: Uint8Array[] = [];
    b.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && bEdits.push(update));
    b.getText('content').insert(5, ', world');
    bSocket.socket.send(encodeSyncUpdate(bEdits[0]!));
    bSocket.socket.send(encodeSaveRequest(7));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Held: neither stored nor forwarded (C would hold it as pending structs it cannot show).
    expect((await relay.store.load('mesh')).updates).toEqual([]);
    expect(c.doc.store.pendingStructs).toBeNull();
    expect(c.text.toString()).toBe('');
    expect(savedSeqs(bSocket.frames)).toEqual([]);

    const aClient = client('mesh', a);
    await synced(aClient);
    await waitFor(() => c.text.toString() === 'Hello, world', 'C sees both edits');
    await waitFor(() => savedSeqs(bSocket.frames).includes(7), "B's save confirmed");
    expect(await storedText('mesh')).toBe('Hello, world');
    bSocket.socket.close();
  });

  it('closes a held update past its time limit transiently, so its sender resyncs', async () => {
    relay = await startRelay({ env: { MESHPAD_HELD_UPDATE_TIMEOUT_MS: '200' } });
    const orphan = itemUpdate({ client: 7, clock: 0, origin: Y.createID(8, 3) });
    const { socket } = await rawSocket(`${relay.syncUrl}/orphan`);
    const closing = closed(socket);
    socket.send(encodeSyncUpdate(orphan));
    const { code } = await closing;
    expect(code).toBe(CloseCode.TooManyHeldUpdates.code);
    expect(CloseCode.TooManyHeldUpdates.class).toBe('transient');
    expect((await relay.store.load('orphan')).updates).toEqual([]);
  });

  it('stores deletions a reconnecting client sends again only once', async () => {
    relay = await startRelay();
    const doc = new Y.Doc();
    const writer = client('again', doc);
    await synced(writer);
    writer.text.insert(0, 'abcdef');
    writer.text.delete(1, 3);
    await waitFor(() => roomText(relay!, 'again') === 'aef', 'relay has the edits');
    await waitFor(async () => (await relay!.store.load('again')).updates.length === 2, 'both stored');
    const stored = (await relay.store.load('again')).updates.length;
    for (let i = 0; i < 3; i++) {
      writer.provider.disconnect();
      writer.provider.connect();
      await synced(writer);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await relay.store.load('again')).updates.length).toBe(stored);
  });

  it('refuses an update naming more client runs than allowed before decoding it, and keeps other rooms fast', async () => {
    relay = await startRelay({ env: { MESHPAD_MAX_MESSAGE_BYTES: String(8 * 1024 * 1024) } });
    const honest = client('elsewhere');
    await synced(honest);
    const bomb = structBomb(100_000);
    const { socket } = await rawSocket(`${relay.syncUrl}/bombed`);
    const closing = closed(socket);
    const sent = performance.now();
    socket.send(encodeSyncUpdate(bomb));
    honest.text.insert(0, 'still here');
    expect((await closing).code).toBe(CloseCode.InvalidUpdate.code);
    expect(relay.logs().find((line) => line.closeCode === CloseCode.InvalidUpdate.code)?.msg).toMatch(
      /more than 10000 client runs/,
    );
    await waitFor(() => roomText(relay!, 'elsewhere') === 'still here', 'the honest edit is stored');
    expect(performance.now() - sent).toBeLessThan(2_000);
    expect((await relay.store.load('bombed')).updates).toEqual([]);
  });
});

describe('document size limit', () => {
  it('refuses content past the limit transiently, and still stores deletions', async () => {
    relay = await startRelay({ env: { MESHPAD_MAX_DOCUMENT_BYTES: '4096', MESHPAD_COMPACT_AFTER_UPDATES: '2' } });
    const writer = client('big');
    await synced(writer);
    writer.text.insert(0, 'x'.repeat(3000));
    await waitFor(() => roomText(relay!, 'big')?.length === 3000, 'first part stored');
    const closing = new Promise<{ code: number }>((resolve) =>
      writer.provider.once('connection-close', (event: { code: number } | null) => resolve({ code: event?.code ?? 0 })),
    );
    writer.text.insert(0, 'y'.repeat(2000));
    expect((await closing).code).toBe(CloseCode.DocumentTooLarge.code);
    expect(await storedText('big')).toBe('x'.repeat(3000));

    const deleter = client('big');
    await synced(deleter);
    expect(deleter.text.length).toBe(3000);
    deleter.text.delete(0, 2900);
    await waitFor(() => roomText(relay!, 'big')?.length === 100, 'the deletion is stored');
  });
  // Only updates with no structs at all pass the limit: a collected (Y.GC) range of a client the document
  // lacks deletes nothing and adds bytes every replica keeps, and an entry to every state vector (before
  // GC structs counted as deletions, a 4 KiB document took 184 KB from 20 of them, confirmed saved).
  it('refuses garbage-collected ranges of new clients past the limit: they add bytes and delete nothing', async () => {
    relay = await startRelay({ env: { MESHPAD_MAX_DOCUMENT_BYTES: '4096' } });
    const writer = client('gc');
    await synced(writer);
    writer.text.insert(0, 'x'.repeat(4000));
    await waitFor(() => roomText(relay!, 'gc')?.length === 4000, 'the text is stored');
    const { socket, frames } = await rawSocket(`${relay.syncUrl}/gc`);
    let code: number | undefined;
    socket.once('close', (closeCode) => {
      code = closeCode;
    });
    for (let i = 0; i < 20; i++) socket.send(encodeSyncUpdate(gcRanges(1000, 1_000_000, 2_000_000 + i * 1000)));
    socket.send(encodeSaveRequest(1));
    await waitFor(() => code !== undefined || savedSeqs(frames).includes(1), 'a refusal or a save confirmation');
    expect(code).toBe(CloseCode.DocumentTooLarge.code);
    expect((await relay.store.load('gc')).bytes).toBeLessThan(8192);
  });
});

describe('client ids are not authenticated', () => {
  // Known gap, found by the fuzzer (fuzz.test.ts with mutated copies of valid edits, pinned seed 6221074): the
  // fourth update's item names a right origin (clock 7) that lies left of its origin (clock 8), which no Yjs
  // client writes. Yjs places it differently when the four arrive as one merged update (as the relay forwards
  // a turn's updates) than when they are applied one by one (as compaction replays the stored log), with the
  // same state vector, so no resync ever repairs it. Drop `.fails` once such items are refused.
  it.fails('stores what clients hold when an item names a right origin left of its origin', async () => {
    relay = await startRelay();
    const watcher = client('crossed');
    await synced(watcher);
    const updates = [
      '0101cfa1d5cb0100040107636f6e74656e74047971786200',
      '0101cfa1d5cb0104c4cfa1d5cb0101cfa1d5cb01020464696d6d00',
      '0101cfa1d5cb0108c4cfa1d5cb0107cfa1d5cb0102016d00',
      '0101cfa1d5cb0109c4cfa1d5cb0108cfa1d5cb010702746d00',
    ].map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')));
    const { socket } = await rawSocket(`${relay.syncUrl}/crossed`);
    // Sent at once, so the relay admits all four in one turn and forwards them as one merged update.
    for (const update of updates) socket.send(encodeSyncUpdate(update));
    await waitFor(() => watcher.text.length === 11, 'the watcher has all four');
    await waitFor(async () => (await relay!.store.load('crossed')).updates.length > 0, 'stored');
    expect(await storedText('crossed')).toBe(watcher.text.toString());
  });

  // Known gap (#12, PROTOCOL.md "Clock ownership"): a client's next clocks are its own only while its
  // connection lives (clock-ownership.test.ts), so once it is offline any connection may continue them,
  // and a 19-byte garbage-collected range claims its next million. The relay then trims that client's
  // offline edits as already known: the client holds them, nobody else ever gets them. Drop `.fails` once
  // it holds.
  it.fails("keeps a client's offline edits when another connection first claims its next clocks", async () => {
    relay = await startRelay();
    // Destroyed here: once Yjs meets its own id in a remote update it takes a new one, and the provider's
    // destroy throws unless the old id is back (y-websocket looks up awareness under the doc's id).
    const victim = stockClient(relay.syncUrl, 'claimed');
    try {
      await synced(victim);
      victim.text.insert(0, 'hello');
      await waitFor(() => roomText(relay!, 'claimed') === 'hello', 'the first edit is stored');
      victim.provider.disconnect();
      victim.text.insert(5, ' world');
      const attacker = await rawSocket(`${relay.syncUrl}/claimed`);
      attacker.socket.send(encodeSyncUpdate(gcRanges(1, 1_000_000, victim.doc.clientID, 5)));
      attacker.socket.send(encodeSaveRequest(1));
      await waitFor(() => savedSeqs(attacker.frames).includes(1), 'the claim is stored');
      victim.provider.connect();
      await synced(victim);
      attacker.socket.send(encodeSaveRequest(2));
      await waitFor(() => savedSeqs(attacker.frames).includes(2), 'the victim has resynced');
      const newcomer = client('claimed');
      await synced(newcomer);
      expect(victim.text.toString()).toBe('hello world');
      expect(newcomer.text.toString()).toBe('hello world');
    } finally {
      victim.doc.clientID = victim.provider.awareness.clientID;
      victim.destroy();
    }
  });
});

describe('stored updates from before validation', () => {
  // A document of 64 KiB or more is screened in the intake thread, a smaller one on the event loop.
  it.each([
    ['small', 'survivor'],
    ['large', `survivor${'x'.repeat(70_000)}`],
  ])(
    'quarantines a stored row that cannot integrate, opens the rest, and compacts without it (%s)',
    async (_, text) => {
      const store = new MemoryDocStore();
      const honest = new Y.Doc();
      honest.getText('content').insert(0, text);
      await store.append([
        { docName: 'old', update: Y.encodeStateAsUpdate(honest) },
        { docName: 'old', update: itemUpdate({ client: 77, clock: 0, origin: Y.createID(77, 3) }) },
      ]);
      relay = await startRelay({ store });
      const reader = client('old');
      await synced(reader);
      expect(reader.text.toString()).toBe(text);
      const line = relay.logs().find((l) => String(l.msg).startsWith('stored update quarantined'));
      expect(line).toMatchObject({ room: 'old', position: 1, level: 40 });
      reader.text.insert(text.length, '!');
      await waitFor(() => roomText(relay!, 'old') === `${text}!`, 'edits still stored');
      reader.destroy();
      await waitFor(async () => (await store.load('old')).updates.length === 1, 'compacted');
      expect(await storedText('old')).toBe(`${text}!`);
    },
  );
});

describe('disk guard', () => {
  it('stores nothing while the data directory is under its free-space guard, and reads go on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'meshpad-disk-'));
    const store = new MemoryDocStore();
    const earlier = new Y.Doc();
    earlier.getText('content').insert(0, 'readable');
    await store.append([{ docName: 'full', update: Y.encodeStateAsUpdate(earlier) }]);
    // More free space than any disk has: the guard is tripped from the start.
    relay = await startRelay({ store, env: { MESHPAD_DATA_DIR: dataDir, MESHPAD_MIN_FREE_DISK_MB: String(2 ** 30) } });
    expect(relay.logs().some((line) => String(line.msg).includes('no update is stored until space is freed'))).toBe(
      true,
    );
    const reader = client('full');
    await synced(reader);
    expect(reader.text.toString()).toBe('readable');
    const { socket, frames } = await rawSocket(`${relay.syncUrl}/full`);
    const closing = closed(socket);
    const edit = new Y.Doc();
    edit.getText('content').insert(0, 'more');
    socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)));
    socket.send(encodeSaveRequest(1));
    expect((await closing).code).toBe(CloseCode.DiskFull.code);
    expect(CloseCode.DiskFull.class).toBe('transient');
    expect(savedSeqs(frames)).toEqual([]);
    expect(await storedText('full')).toBe('readable');
    rmSync(dataDir, { recursive: true, force: true });
  });
});
