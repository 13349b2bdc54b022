/**
 * Hostile y-websocket frames, written by hand as an attacker would (the idea of
 * test/hostile-updates.ts, in plain JavaScript for the benchmark).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_STEP_1 = 0;
const SYNC_UPDATE = 2;

/** A sync update frame carrying `update`. */
export function updateFrame(update) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The smallest sync step 1 (an empty state vector): 4 bytes that ask for the whole document. */
export function emptySyncStep1Frame() {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP_1);
  encoding.writeVarUint8Array(encoder, Uint8Array.of(0));
  return encoding.toUint8Array(encoder);
}

/**
 * One-character inserts at the start of `content`, one per client id: concurrent, so Yjs must order them all.
 * Client runs are written highest first, as Yjs writes them (the relay refuses any other order).
 */
export function structBomb(clients, firstClient) {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, clients);
  for (let i = clients - 1; i >= 0; i--) {
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeClient(firstClient + i);
    encoding.writeVarUint(encoder.restEncoder, 0);
    new Y.Item(Y.createID(firstClient + i, 0), null, null, null, null, 'content', null, new Y.ContentString('x')).write(
      encoder,
      0,
    );
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** One one-character item whose origin is a later clock of its own client: it can never be integrated. */
export function poisonUpdate(client) {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoder.writeClient(client);
  encoding.writeVarUint(encoder.restEncoder, 0);
  new Y.Item(
    Y.createID(client, 0),
    null,
    Y.createID(client, 5),
    null,
    null,
    null,
    null,
    new Y.ContentString('x'),
  ).write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** An update that only deletes `ranges` one-clock ranges of `client`, which has no structs anywhere. */
export function deleteSetBomb(client, ranges) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, ranges);
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(encoder, i * 2);
    encoding.writeVarUint(encoder, 1);
  }
  return encoding.toUint8Array(encoder);
}

/** An awareness frame of `entries` entries, one per fresh client id from `firstClient`. */
export function awarenessFloodFrame(entries, firstClient) {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries);
  for (let i = 0; i < entries; i++) {
    encoding.writeVarUint(inner, firstClient + i);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, '{"user":{"name":"x"}}');
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}
