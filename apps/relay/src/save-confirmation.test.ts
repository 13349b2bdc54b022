import { decodeSaved, encodeSaveRequest, encodeSyncUpdate, MessageType } from '@meshpad/protocol';
import { MemoryDocStore } from '@meshpad/storage';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { closed, rawSocket, startRelay, stockClient, synced, type TestRelay, waitFor } from '../test/harness.js';

/** A store whose sync to disk the test finishes or fails by hand. */
class ManualSyncStore extends MemoryDocStore {
  readonly pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  override sync(): Promise<void> {
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
}

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const savedSeqs = (frames: Uint8Array[]) => frames.map(decodeSaved).filter((seq) => seq !== undefined);

describe('save confirmation', () => {
  it('answers a save request only once every update sent before it is stored', async () => {
    const store = new MemoryDocStore();
    relay = await startRelay({ store });
    const { socket, frames } = await rawSocket(`${relay.syncUrl}/saving`);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('content');
    text.insert(0, 'hello world');
    text.delete(0, 6);
    for (const u of updates) socket.send(encodeSyncUpdate(u));
    socket.send(encodeSaveRequest(1));
    await waitFor(() => savedSeqs(frames).includes(1), 'saved 1');
    const stored = new Y.Doc();
    for (const u of (await store.load('saving')).updates) Y.applyUpdate(stored, u);
    expect(stored.getText('content').toString()).toBe('world');

    socket.send(encodeSaveRequest(2));
    await waitFor(() => savedSeqs(frames).includes(2), 'saved 2 with nothing new');
    expect(savedSeqs(frames)).toEqual([1, 2]);
    socket.close();
  });

  it('confirms only after the store synced to disk, and closes with 4503 when that fails', async () => {
    const store = new ManualSyncStore();
    relay = await startRelay({ store });
    const { socket, frames } = await rawSocket(`${relay.syncUrl}/disk`);
    const doc = new Y.Doc();
    doc.on('update', (u: Uint8Array) => socket.send(encodeSyncUpdate(u)));
    doc.getText('content').insert(0, 'on disk?');
    socket.send(encodeSaveRequest(1));
    await waitFor(() => store.pending.length === 1, 'sync asked for');
    expect((await store.load('disk')).updates.length).toBe(1);
    expect(savedSeqs(frames)).toEqual([]);
    store.pending.shift()!.resolve();
    await waitFor(() => savedSeqs(frames).includes(1), 'saved after sync');

    const closing = closed(socket);
    socket.send(encodeSaveRequest(2));
    await waitFor(() => store.pending.length === 1, 'second sync asked for');
    store.pending.shift()!.reject(new Error('I/O error (simulated)'));
    expect(await closing).toMatchObject({ code: 4503 });
    expect(savedSeqs(frames)).toEqual([1]);
  });

  it('never sends a Saved frame to a client that did not ask', async () => {
    relay = await startRelay();
    const { socket, frames } = await rawSocket(`${relay.syncUrl}/quiet`);
    const stock = stockClient(relay.syncUrl, 'quiet');
    await synced(stock);
    stock.text.insert(0, 'typing');
    socket.send(encodeSaveRequest(7));
    await waitFor(() => savedSeqs(frames).includes(7), 'asker got its answer');
    const types: number[] = [];
    stock.provider.ws?.addEventListener('message', (event: { data: ArrayBuffer }) => {
      types.push(decoding.readVarUint(decoding.createDecoder(new Uint8Array(event.data))));
    });
    stock.text.insert(0, 'more ');
    socket.send(encodeSaveRequest(8));
    await waitFor(() => savedSeqs(frames).includes(8), 'asker got its second answer');
    expect(types).not.toContain(MessageType.Saved);
    stock.destroy();
    socket.close();
  });
});
