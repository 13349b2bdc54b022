import { CloseCode } from '@meshpad/protocol';
import { type AppendEntry, MemoryDocStore, type StoredDoc } from '@meshpad/storage';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  rawSocket,
  roomText,
  type StockClient,
  startRelay,
  stockClient,
  synced,
  type TestRelay,
  waitFor,
} from '../test/harness.js';
import { textOfUpdates } from '../test/hostile-updates.js';
import { Room } from './room.js';

/** A store that fails, on demand, for the documents the test names. */
class FaultyStore extends MemoryDocStore {
  readonly failAppend = new Set<string>();
  readonly failLoad = new Set<string>();
  loads = 0;
  override async append(entries: readonly AppendEntry[]): Promise<void> {
    const doomed = entries.find((entry) => this.failAppend.has(entry.docName));
    if (doomed !== undefined) throw new Error(`disk I/O error writing ${doomed.docName}`);
    return super.append(entries);
  }
  override async load(docName: string): Promise<StoredDoc> {
    this.loads++;
    if (this.failLoad.has(docName)) throw new Error(`database disk image is malformed (${docName})`);
    return super.load(docName);
  }
}

let relay: TestRelay | undefined;
let store: FaultyStore;
const clients: StockClient[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(async () => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
  store = new FaultyStore();
  relay = await startRelay({ store });
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) client.destroy();
  await relay?.close();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

function client(room: string): StockClient {
  const made = stockClient(relay!.syncUrl, room);
  clients.push(made);
  return made;
}

const closeOf = (c: StockClient) =>
  new Promise<number>((resolve) =>
    c.provider.once('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)),
  );

/** Another room goes on working, and `room` holds exactly `text` in storage. */
async function othersUnharmed(room: string, text: string): Promise<void> {
  const other = client('bystander');
  await synced(other);
  other.text.insert(0, 'fine');
  await waitFor(() => roomText(relay!, 'bystander') === 'fine', 'another room still stores');
  expect(textOfUpdates((await store.load(room)).updates)).toBe(text);
}

describe('faults cost one room, never the process', () => {
  it('closes a room whose updates cannot be stored (4503), and it works again once storage does', async () => {
    const writer = client('doomed');
    // A reader keeps the room loaded: its index counted the update storage refused, so the room must be
    // closed and loaded again, or the writer's resend would be trimmed as already present and lost.
    const reader = client('doomed');
    await Promise.all([synced(writer), synced(reader)]);
    writer.text.insert(0, 'kept');
    await waitFor(() => roomText(relay!, 'doomed') === 'kept', 'first edit stored');
    store.failAppend.add('doomed');
    const closing = closeOf(writer);
    const readerClosing = closeOf(reader);
    writer.text.insert(4, ' lost?');
    expect(await closing).toBe(CloseCode.StorageUnavailable.code);
    expect(await readerClosing).toBe(CloseCode.StorageUnavailable.code);
    expect(reader.text.toString()).toBe('kept');
    await othersUnharmed('doomed', 'kept');
    expect(
      relay!.logs().filter((line) => line.msg === 'storing updates failed; closing the rooms they were for'),
    ).toHaveLength(1);
    store.failAppend.clear();
    await waitFor(
      () => roomText(relay!, 'doomed') === 'kept lost?',
      'the client resent its edit after reconnecting',
      10_000,
    );
    expect(textOfUpdates((await store.load('doomed')).updates)).toBe('kept lost?');
    await waitFor(() => reader.text.toString() === 'kept lost?', 'the reader has the edit', 10_000);
  });

  it('closes a room whose forwarding throws (1011) and keeps what was stored', async () => {
    const writer = client('faulty');
    const reader = client('faulty');
    await Promise.all([synced(writer), synced(reader)]);
    vi.spyOn(Room.prototype, 'deliver').mockImplementationOnce(() => {
      throw new Error('injected merge fault');
    });
    const closing = closeOf(reader);
    writer.text.insert(0, 'stored before the fault');
    expect(await closing).toBe(CloseCode.InternalError.code);
    await othersUnharmed('faulty', 'stored before the fault');
    await waitFor(() => reader.text.toString() === 'stored before the fault', 'the reader resynced', 10_000);
  });

  it('contains a fault while joining a room', async () => {
    vi.spyOn(Room.prototype, 'join').mockImplementationOnce(() => {
      throw new Error('injected join fault');
    });
    const joiner = client('joining');
    expect(await closeOf(joiner)).toBe(CloseCode.InternalError.code);
    await othersUnharmed('joining', '');
    await synced(joiner);
  });

  it('does not hit storage again at once for a room that failed to load', async () => {
    store.failLoad.add('broken');
    const first = await rawSocket(`${relay!.syncUrl}/broken`);
    expect((await first.closed).code).toBe(CloseCode.StorageUnavailable.code);
    const loadsAfterFirst = store.loads;
    // Joiners right after the failure are refused without a read (a reconnect loop would hammer the disk).
    const burst = await Promise.all(Array.from({ length: 10 }, () => rawSocket(`${relay!.syncUrl}/broken`)));
    const codes = await Promise.all(burst.map((raw) => raw.closed));
    expect(codes.map((c) => c.code)).toEqual(Array(10).fill(CloseCode.StorageUnavailable.code));
    expect(store.loads - loadsAfterFirst).toBeLessThanOrEqual(1);
    store.failLoad.clear();
    await othersUnharmed('broken', '');
    const later = client('broken');
    await waitFor(() => later.provider.synced, 'the room loads once storage works again', 10_000);
  });
});
