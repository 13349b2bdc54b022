import { CloseCode, encodeAwarenessMessage, encodeSyncUpdate } from '@meshpad/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  closed,
  rawSocket,
  type StockClient,
  startRelay,
  stockClient,
  synced,
  type TestRelay,
  waitFor,
} from '../test/harness.js';

let relay: TestRelay;
let victim: StockClient;
let bystander: StockClient;

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

beforeEach(async () => {
  relay = await startRelay({ env: { MESHPAD_MAX_MESSAGE_BYTES: String(64 * 1024) } });
  victim = stockClient(relay.syncUrl, 'shared');
  bystander = stockClient(relay.syncUrl, 'shared');
  await Promise.all([synced(victim), synced(bystander)]);
  victim.text.insert(0, 'precious text');
  await waitFor(() => bystander.text.toString() === 'precious text', 'bystander has the text');
});

afterEach(async () => {
  victim.destroy();
  bystander.destroy();
  await relay.close();
});

/** After an attack, the room still works for everyone else and the stored document is intact. */
async function expectRoomIntact() {
  victim.text.insert(victim.text.length, ' and more');
  await waitFor(() => bystander.text.toString() === 'precious text and more', 'room still relays');
  const fresh = stockClient(relay.syncUrl, 'shared');
  await synced(fresh);
  expect(fresh.text.toString()).toBe('precious text and more');
  const stored = new Y.Doc();
  for (const update of (await relay.store.load('shared')).updates) Y.applyUpdate(stored, update);
  expect(stored.getText('content').toString()).toBe('precious text and more');
  fresh.destroy();
}

const truncated = validUpdate('truncated');
const cases: Array<[string, () => Uint8Array | string, number]> = [
  ['garbage after a sync header', () => Uint8Array.of(0x00, 0x02, 0xff, 0x13, 0x37), CloseCode.MalformedMessage.code],
  ['random garbage', () => Uint8Array.of(0xff, 0xfe, 0x00, 0x13, 0x37), CloseCode.UnknownMessageType.code],
  ['an empty frame', () => new Uint8Array(), CloseCode.MalformedMessage.code],
  ['an unknown message type', () => Uint8Array.of(42, 0), CloseCode.UnknownMessageType.code],
  ['an unknown sync type', () => Uint8Array.of(0, 9, 0), CloseCode.UnknownMessageType.code],
  [
    'a truncated update',
    () => encodeSyncUpdate(truncated.subarray(0, truncated.length - 3)),
    CloseCode.InvalidUpdate.code,
  ],
  ['a frame cut inside its length', () => encodeSyncUpdate(truncated).subarray(0, 6), CloseCode.MalformedMessage.code],
  [
    'awareness with a non-JSON state',
    () => encodeAwarenessMessage(Uint8Array.of(1, 5, 1, 2, 0x7b, 0x7b)),
    CloseCode.InvalidAwareness.code,
  ],
  ['a text frame', () => 'hello', CloseCode.UnsupportedData.code],
  ['a message over the size limit', () => encodeSyncUpdate(new Uint8Array(65 * 1024)), CloseCode.MessageTooBig.code],
];

describe('bad input closes only the offending connection', () => {
  for (const [what, frame, code] of cases) {
    it(`${what} → close ${code}, one log line, room intact`, async () => {
      const { socket } = await rawSocket(`${relay.syncUrl}/shared`);
      const closing = closed(socket);
      socket.send(frame());
      expect((await closing).code).toBe(code);
      await expectRoomIntact();
      const lines = relay.logs().filter((line) => line.closeCode === code);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ room: 'shared' });
    });
  }

  it('rejects invalid room names with 4404', async () => {
    for (const name of ['a%01b', 'x'.repeat(513)]) {
      const { socket } = await rawSocket(`${relay.syncUrl}/${name}`);
      expect((await closed(socket)).code).toBe(CloseCode.InvalidRoomName.code);
    }
    await expectRoomIntact();
  });

  it('survives a burst of mixed garbage from many connections', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => rawSocket(`${relay.syncUrl}/shared`)));
    const closings = sockets.map(({ socket }) => closed(socket));
    sockets.forEach(({ socket }, i) => {
      const bytes = new Uint8Array(1 + (i % 7) * 3).map((_, j) => (i * 31 + j * 17) % 256);
      bytes[0] = i % 4 === 0 ? 0 : bytes[0]!;
      socket.send(bytes);
    });
    const codes = (await Promise.all(closings)).map((c) => c.code);
    expect(codes.every((c) => c >= 4400 && c < 4500)).toBe(true);
    await expectRoomIntact();
  });
});
