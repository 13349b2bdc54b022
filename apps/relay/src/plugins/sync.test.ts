import { encodeAwarenessMessage, encodeAwarenessUpdate, encodeSyncStep1, encodeSyncUpdate } from '@meshpad/protocol';
import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  rawSocket,
  roomText,
  type StockClient,
  startRelay,
  stockClient,
  synced,
  type TestRelay,
  waitFor,
} from '../../test/harness.js';

let relay: TestRelay;
const clients: StockClient[] = [];
const client = (room: string, doc?: Y.Doc) => {
  const c = stockClient(relay.syncUrl, room, doc);
  clients.push(c);
  return c;
};

beforeEach(async () => {
  relay = await startRelay();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await relay.close();
});

describe('y-websocket drop-in', () => {
  it('converges concurrent edits from several stock clients', async () => {
    const [a, b, c] = [client('room'), client('room'), client('room')];
    await Promise.all([a, b, c].map(synced));
    for (let i = 0; i < 50; i++) {
      a.text.insert(0, 'a');
      b.text.insert(b.text.length, 'b');
      c.text.insert(Math.floor(c.text.length / 2), 'c');
    }
    await waitFor(
      () => [a, b, c].every((x) => x.text.length === 150 && x.text.toString() === a.text.toString()),
      'all three texts equal',
    );
    for (const ch of 'abc') expect(a.text.toString().split(ch).length - 1).toBe(50);
  });

  it('gives a late joiner the whole document, and synced means all of it', async () => {
    const writer = client('late');
    await synced(writer);
    writer.text.insert(0, 'x'.repeat(10_000));
    await waitFor(() => roomText(relay, 'late') === 'x'.repeat(10_000), 'relay has the text');
    const late = client('late');
    await synced(late);
    expect(late.text.toString()).toBe('x'.repeat(10_000));
  });

  it('delivers a 5,000-update document to a new client intact', async () => {
    const writer = client('big');
    await synced(writer);
    for (let i = 0; i < 5_000; i++) writer.text.insert(writer.text.length, `${i % 10}`);
    const expected = writer.text.toString();
    await waitFor(() => roomText(relay, 'big') === expected, 'relay stored 5,000 updates');
    writer.destroy();
    const reader = client('big');
    await synced(reader);
    expect(reader.text.toString()).toBe(expected);
  });

  it('keeps rooms isolated', async () => {
    const [a, b] = [client('one'), client('two')];
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'only in one');
    b.text.insert(0, 'only in two');
    const a2 = client('one');
    await synced(a2);
    await waitFor(() => a2.text.toString() === 'only in one', 'second client of room one');
    expect(b.text.toString()).toBe('only in two');
  });

  it('exchanges awareness, answers query-awareness and removes a closed connection’s states', async () => {
    const a = client('aware');
    const b = client('aware');
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 'b sees Ada');

    // A third client that asks gets everyone's state from the relay.
    const c = client('aware');
    await synced(c);
    await waitFor(() => c.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 'c sees Ada');

    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'b no longer sees Ada');
    await waitFor(() => !c.provider.awareness.getStates().has(a.doc.clientID), 'c no longer sees Ada');
  });

  it('echoes awareness to its sender, so a client alone in a room is never idle long enough to reconnect', async () => {
    const { socket, frames } = await rawSocket(`${relay.syncUrl}/alone`);
    await waitFor(() => frames.length >= 1, 'joined');
    const before = frames.length;
    const update = encodeAwarenessUpdate([{ clientID: 42, clock: 1, state: '{"user":{"name":"Solo"}}' }]);
    socket.send(encodeAwarenessMessage(update));
    await waitFor(() => frames.length > before, 'awareness echoed');
    expect(frames.at(-1)).toEqual(encodeAwarenessMessage(update));
    socket.close();
  });

  it('does not forward awareness copies that change nothing', async () => {
    const a = await rawSocket(`${relay.syncUrl}/echoes`);
    const b = await rawSocket(`${relay.syncUrl}/echoes`);
    await waitFor(() => a.frames.length >= 1 && b.frames.length >= 1, 'joined');
    const ada = encodeAwarenessMessage(encodeAwarenessUpdate([{ clientID: 42, clock: 1, state: '{"name":"Ada"}' }]));
    const bob = encodeAwarenessMessage(encodeAwarenessUpdate([{ clientID: 43, clock: 1, state: '{"name":"Bob"}' }]));
    a.socket.send(ada);
    const gotAda = (frames: Uint8Array[]) => frames.some((f) => Buffer.from(f).equals(ada));
    await waitFor(() => gotAda(a.frames) && gotAda(b.frames), 'both got Ada');
    // Stock clients send back what they applied; the relay drops the copy, then forwards Bob's state.
    const before = a.frames.length;
    b.socket.send(ada);
    b.socket.send(bob);
    await waitFor(() => a.frames.length > before, 'a got the next frame');
    expect(a.frames.slice(before)).toEqual([bob]);
    a.socket.close();
    b.socket.close();
  });

  it('recovers across reconnects, in both directions', async () => {
    const a = client('reconnect');
    const b = client('reconnect');
    await Promise.all([synced(a), synced(b)]);
    a.provider.disconnect();
    a.text.insert(0, 'written while away ');
    b.text.insert(0, 'written meanwhile ');
    a.provider.connect();
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.text.length === 'written while away written meanwhile '.length,
      'both texts equal after reconnect',
    );
  });
});

describe('coalescing', () => {
  it('sends updates received in one turn as one merged update, never back to the sender', async () => {
    const room = 'coalesce';
    const { socket: sender, frames: senderFrames } = await rawSocket(`${relay.syncUrl}/${room}`);
    const { socket: watcher, frames: watcherFrames } = await rawSocket(`${relay.syncUrl}/${room}`);
    const watcherUpdates = () =>
      watcherFrames.flatMap((frame) => {
        const decoder = decoding.createDecoder(frame);
        const isUpdate = decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 2;
        return isUpdate ? [decoding.readVarUint8Array(decoder)] : [];
      });
    // Wait until both joined (each got the relay's sync step 1).
    await waitFor(() => senderFrames.length >= 1, 'sender joined');
    sender.send(encodeSyncStep1(Uint8Array.of(0)));

    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 20; i++) doc.getText('content').insert(i, String.fromCharCode(97 + i));
    const before = senderFrames.length;
    for (const u of updates) sender.send(encodeSyncUpdate(u));

    await waitFor(() => watcherUpdates().length > 0, 'watcher got the updates');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watcherUpdates().length).toBeLessThan(updates.length);
    const check = new Y.Doc();
    for (const u of watcherUpdates()) Y.applyUpdate(check, u);
    expect(check.getText('content').toString()).toBe('abcdefghijklmnopqrst');
    // The sender got its sync step 2 answer and nothing else: none of its own updates came back.
    expect(senderFrames.length - before).toBe(1);
    sender.close();
    watcher.close();
  });
});
