import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloseCode } from '@meshpad/protocol';
import {
  type AccessStore,
  type AppendEntry,
  type CapabilityScope,
  type DocStore,
  MemoryDocStore,
} from '@meshpad/storage';
import { SqliteDocStore } from '@meshpad/storage-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomText, startRelay, startRelayProcess, stockClient, synced, waitFor } from '../test/harness.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'meshpad-relay-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const openSqlite = () => SqliteDocStore.open({ path: join(dataDir, 'meshpad.sqlite') });

async function storedText(store: DocStore, room: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await store.load(room)).updates) Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
}

/** Polls how many entries `room` has stored (its snapshot included) until at most `atMost`, for up to 5 s; returns the count. */
async function storedEntriesSettle(store: DocStore, room: string, atMost: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const entries = (await store.load(room)).updates.length;
    if (entries <= atMost || Date.now() >= deadline) return entries;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Delegates to another store; subclasses change one operation to create a failure. */
class DelegatingStore implements DocStore, AccessStore {
  constructor(protected readonly inner: DocStore & AccessStore) {}
  generations(name: string) {
    return this.inner.generations(name);
  }
  register(name: string, parent?: string) {
    return this.inner.register(name, parent);
  }
  parent(name: string) {
    return this.inner.parent(name);
  }
  rotate(name: string, scope: CapabilityScope) {
    return this.inner.rotate(name, scope);
  }
  load(name: string) {
    return this.inner.load(name);
  }
  append(entries: readonly AppendEntry[]) {
    return this.inner.append(entries);
  }
  compact(name: string, snapshot: Uint8Array, clock: number) {
    return this.inner.compact(name, snapshot, clock);
  }
  logStats(name: string) {
    return this.inner.logStats(name);
  }
  list() {
    return this.inner.list();
  }
  delete(name: string) {
    return this.inner.delete(name);
  }
  sync() {
    return this.inner.sync();
  }
  check() {
    return this.inner.check();
  }
  close() {
    return this.inner.close();
  }
}

class SlowLoadStore extends DelegatingStore {
  override async load(name: string) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return this.inner.load(name);
  }
}

class FlakyAppendStore extends DelegatingStore {
  failing = false;
  override append(entries: readonly AppendEntry[]) {
    return this.failing ? Promise.reject(new Error('disk full (simulated)')) : this.inner.append(entries);
  }
}

describe('persistence', () => {
  it('keeps every update across a restart of the relay (SQLite)', async () => {
    let relay = await startRelay({ store: await openSqlite() });
    const writer = stockClient(relay.syncUrl, 'doc');
    await synced(writer);
    for (let i = 0; i < 300; i++) writer.text.insert(writer.text.length, `${i},`);
    const expected = writer.text.toString();
    await waitFor(() => roomText(relay, 'doc') === expected, 'relay got every edit');
    await relay.close();
    writer.destroy();

    relay = await startRelay({ store: await openSqlite() });
    const reader = stockClient(relay.syncUrl, 'doc');
    await synced(reader);
    expect(reader.text.toString()).toBe(expected);
    reader.destroy();
    await relay.close();
  });

  it('answers the handshake only after storage is read: synced means the whole document', async () => {
    const inner = new MemoryDocStore();
    const seed = new Y.Doc();
    seed.getText('content').insert(0, 'stored long ago');
    await inner.append([{ docName: 'slow', update: Y.encodeStateAsUpdate(seed) }]);
    const relay = await startRelay({ store: new SlowLoadStore(inner) });
    const client = stockClient(relay.syncUrl, 'slow');
    let textWhenSynced: string | undefined;
    client.provider.on('sync', (isSynced: boolean) => {
      if (isSynced) textWhenSynced ??= client.text.toString();
    });
    await synced(client);
    expect(textWhenSynced).toBe('stored long ago');
    client.destroy();
    await relay.close();
  });

  it('unloads a room when its last connection leaves, and reloads it intact', async () => {
    const relay = await startRelay({ store: await openSqlite() });
    const a = stockClient(relay.syncUrl, 'transient');
    await synced(a);
    a.text.insert(0, 'kept');
    await waitFor(async () => (await relay.store.load('transient')).updates.length > 0, 'stored');
    a.destroy();
    await waitFor(() => relay.app.rooms.size === 0, 'room unloaded');
    const b = stockClient(relay.syncUrl, 'transient');
    await synced(b);
    expect(b.text.toString()).toBe('kept');
    b.destroy();
    await relay.close();
  });

  it('stores nothing twice when a client reconnects, and only its new edits after offline work', async () => {
    const store = await openSqlite();
    const relay = await startRelay({ store });
    const client = stockClient(relay.syncUrl, 'reconnecting');
    await synced(client);
    for (let i = 0; i < 20; i++) client.text.insert(0, `line ${i}\n`);
    await waitFor(async () => (await store.logStats('reconnecting')).entries === 20, '20 updates stored');
    expect((await store.logStats('reconnecting')).entries).toBe(20);

    for (let i = 0; i < 3; i++) {
      client.provider.disconnect();
      client.provider.connect();
      await synced(client);
    }
    // Whatever the reconnects sent is stored before the edit that follows on the same connection.
    client.provider.disconnect();
    client.text.insert(0, 'written offline\n');
    client.provider.connect();
    await synced(client);
    await waitFor(async () => (await store.logStats('reconnecting')).entries === 21, 'the offline edit stored');
    expect((await store.logStats('reconnecting')).entries).toBe(21);
    client.destroy();
    await relay.close();
  });

  it('compacts the log in the background without losing content', async () => {
    const store = await openSqlite();
    const relay = await startRelay({
      store,
      env: { MESHPAD_COMPACT_AFTER_UPDATES: '50', MESHPAD_COMPACTION_DELAY_MS: '20' },
    });
    const writer = stockClient(relay.syncUrl, 'compact');
    await synced(writer);
    for (let i = 0; i < 400; i++) {
      writer.text.insert(writer.text.length, 'ab');
      if (i % 3 === 0) writer.text.delete(writer.text.length - 1, 1);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const expected = writer.text.toString();
    writer.destroy();
    await waitFor(() => relay.app.rooms.size === 0, 'room unloaded');
    expect(await storedEntriesSettle(store, 'compact', 1)).toBe(1);
    expect(await storedText(store, 'compact')).toBe(expected);
    await relay.close();
  });

  it('runs the compactions it had scheduled when it stops, so the next start loads a snapshot', async () => {
    let relay = await startRelay({
      store: await openSqlite(),
      env: { MESHPAD_COMPACT_AFTER_UPDATES: '50', MESHPAD_COMPACTION_DELAY_MS: '600000' },
    });
    const writer = stockClient(relay.syncUrl, 'stopping');
    await synced(writer);
    for (let i = 0; i < 120; i++) writer.text.insert(writer.text.length, `${i} `);
    const expected = writer.text.toString();
    await waitFor(() => roomText(relay, 'stopping') === expected, 'relay got every edit');
    writer.destroy();
    await relay.close();

    const store = await openSqlite();
    expect((await store.load('stopping')).updates.length).toBe(1);
    expect(await storedText(store, 'stopping')).toBe(expected);
    relay = await startRelay({ store });
    const reader = stockClient(relay.syncUrl, 'stopping');
    await synced(reader);
    expect(reader.text.toString()).toBe(expected);
    reader.destroy();
    await relay.close();
  });

  it('compacts a document soon after a burst, not after the usual quiet time', async () => {
    const store = await openSqlite();
    const relay = await startRelay({
      store,
      env: { MESHPAD_COMPACT_AFTER_UPDATES: '20', MESHPAD_COMPACTION_DELAY_MS: '600000' },
    });
    const writer = stockClient(relay.syncUrl, 'burst');
    await synced(writer);
    for (let i = 0; i < 400; i++) writer.text.insert(writer.text.length, 'x');
    const expected = writer.text.toString();
    await waitFor(() => roomText(relay, 'burst') === expected, 'relay got the burst');
    expect(await storedEntriesSettle(store, 'burst', 2)).toBeLessThanOrEqual(2);
    expect(await storedText(store, 'burst')).toBe(expected);
    writer.destroy();
    await relay.close();
  });

  it('swaps the compacted snapshot into a loaded room, so joiners get no deleted content', async () => {
    const store = await openSqlite();
    const relay = await startRelay({
      store,
      // Every stored batch (re)starts the countdown, so a compaction always follows the last edit.
      env: { MESHPAD_COMPACT_AFTER_UPDATES: '1', MESHPAD_COMPACTION_DELAY_MS: '20' },
    });
    const writer = stockClient(relay.syncUrl, 'swap');
    await synced(writer);
    for (let i = 0; i < 200; i++) {
      writer.text.insert(writer.text.length, 'x'.repeat(100));
      await new Promise((resolve) => setImmediate(resolve));
    }
    writer.text.delete(0, writer.text.length - 5);
    const room = relay.app.rooms.get('swap')!;
    const before = room.state().byteLength;
    await waitFor(() => room.state().byteLength < before / 10, 'room state compacted', 10_000);
    const stored = await store.load('swap');
    expect(stored.updates.length).toBeLessThanOrEqual(2);

    const reader = stockClient(relay.syncUrl, 'swap');
    await synced(reader);
    expect(reader.text.toString()).toBe('x'.repeat(5));
    writer.text.insert(0, 'still live ');
    await waitFor(() => reader.text.toString() === `still live ${'x'.repeat(5)}`, 'edits after the swap');
    writer.destroy();
    reader.destroy();
    await relay.close();
  });

  it('does not forward updates it failed to store, and gets them again after reconnect', async () => {
    const inner = new MemoryDocStore();
    const flaky = new FlakyAppendStore(inner);
    const relay = await startRelay({ store: flaky });
    const writer = stockClient(relay.syncUrl, 'flaky');
    const watcher = stockClient(relay.syncUrl, 'flaky');
    await Promise.all([synced(writer), synced(watcher)]);
    flaky.failing = true;
    const closing = new Promise<number>((resolve) =>
      writer.provider.once('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)),
    );
    writer.text.insert(0, 'must not be lost');
    expect(await closing).toBe(CloseCode.StorageUnavailable.code);
    expect(watcher.text.toString()).toBe('');
    flaky.failing = false;
    await waitFor(() => watcher.text.toString() === 'must not be lost', 'resent after reconnect', 10_000);
    expect(await storedText(inner, 'flaky')).toBe('must not be lost');
    writer.destroy();
    watcher.destroy();
    await relay.close();
  });
});

describe('process lifecycle', () => {
  const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  const children: ChildProcess[] = [];
  // A failed test must not leave its relay running.
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  const startProcess = () =>
    startRelayProcess({ args: [main], env: { HOST: '127.0.0.1', PORT: '0', MESHPAD_DATA_DIR: dataDir } }, children);

  it('on SIGTERM stores everything, closes sockets with 1001 and exits 0; nothing is lost', async () => {
    const first = startProcess();
    const port = await first.listening;
    const url = `ws://127.0.0.1:${port}/yjs`;
    const writer = stockClient(url, 'term');
    const watcher = stockClient(url, 'term');
    await Promise.all([synced(writer), synced(watcher)]);
    const watcherClosed = new Promise<number>((resolve) =>
      watcher.provider.once('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)),
    );
    for (let i = 0; i < 1_000; i++) writer.text.insert(writer.text.length, 'z');
    // The watcher has them only once the relay stored them; neither client may resend them later.
    await waitFor(() => watcher.text.length === 1_000, 'watcher received every update');
    writer.provider.shouldConnect = false;
    watcher.provider.shouldConnect = false;
    first.child.kill('SIGTERM');
    expect(await watcherClosed).toBe(CloseCode.GoingAway.code);
    expect(await first.exited).toBe(0);
    writer.destroy();
    watcher.destroy();

    const second = startProcess();
    const port2 = await second.listening;
    const reader = stockClient(`ws://127.0.0.1:${port2}/yjs`, 'term');
    await synced(reader);
    expect(reader.text.toString()).toBe('z'.repeat(1_000));
    reader.destroy();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('stopped cleanly');
  });

  it('logs the cause and the fix when its background checkpoint fails', async () => {
    const relay = startRelayProcess(
      {
        args: [main],
        env: { HOST: '127.0.0.1', PORT: '0', MESHPAD_DATA_DIR: dataDir, MESHPAD_CHECKPOINT_AFTER_MS: '20' },
      },
      children,
    );
    const port = await relay.listening;
    // The relay's connections keep the unlinked file; its checkpoint thread notices it is gone.
    rmSync(join(dataDir, 'meshpad.sqlite'));
    const writer = stockClient(`ws://127.0.0.1:${port}/yjs`, 'unlinked');
    await synced(writer);
    writer.text.insert(0, 'still served');
    await waitFor(() => relay.output().includes('background checkpoint failed'), 'the failure logged');
    const line =
      relay
        .output()
        .split('\n')
        .find((l) => l.includes('background checkpoint failed')) ?? '';
    expect(JSON.parse(line)).toMatchObject({ level: 50, err: { type: 'StorageError' } });
    expect(line).toContain('meshpad.sqlite');
    expect(line).toContain('deleted or replaced while open');
    expect(line).toContain('still holds the database file');
    writer.destroy();
    relay.child.kill('SIGTERM');
    await relay.exited;
  });

  it('exits on SIGTERM even when nobody reads its log any more', async () => {
    const relay = startProcess();
    await relay.listening;
    relay.child.stdout?.destroy();
    relay.child.stderr?.destroy();
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
  });

  it('prints every option with its environment variable and default on --help', async () => {
    const child = spawn(process.execPath, [main, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    for (const text of [
      '--port',
      'PORT',
      '4321',
      '--host',
      'HOST',
      '127.0.0.1',
      '--data-dir',
      'MESHPAD_DATA_DIR',
      '--log-level',
    ]) {
      expect(out).toContain(text);
    }
  });

  it('names the option and the fix for a bad value', async () => {
    const child = spawn(process.execPath, [main, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(1);
    expect(err).toContain('--port (PORT) must be an integer');
    expect(err).toContain('--help');
  });
});
