import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * One update holding a single one-character item whose references are whatever the test says, as a
 * hostile client would write it by hand.
 */
export function itemUpdate(item: { client: number; clock: number; origin?: Y.ID; right?: Y.ID }): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoder.writeClient(item.client);
  encoding.writeVarUint(encoder.restEncoder, item.clock);
  const parent = item.origin || item.right ? null : 'content';
  const id = Y.createID(item.client, item.clock);
  new Y.Item(
    id,
    null,
    item.origin ?? null,
    null,
    item.right ?? null,
    parent as never,
    null,
    new Y.ContentString('x'),
  ).write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** An update that deletes `ranges` one-clock ranges of `client`, which has no structs anywhere. */
export function deleteSetBomb(client: number, ranges: number): Uint8Array {
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

/**
 * One-character inserts at the start of `content`, one per client id: concurrent, so Yjs must order them all.
 * Client runs are written highest first, as Yjs writes them.
 */
export function structBomb(clients: number, firstClient = 1_000_000): Uint8Array {
  return bombWithPoison(clients, firstClient, false);
}

/** A struct bomb with one more client, whose item refers to a later clock of its own: it can never integrate. */
export function poisonedStructBomb(clients: number, firstClient = 1_000_000): Uint8Array {
  return bombWithPoison(clients, firstClient, true);
}

function bombWithPoison(clients: number, firstClient: number, poisoned: boolean): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, clients + (poisoned ? 1 : 0));
  if (poisoned) {
    const client = firstClient + clients;
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
  }
  for (let i = clients - 1; i >= 0; i--) {
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeClient(firstClient + i);
    encoding.writeVarUint(encoder.restEncoder, 0);
    new Y.Item(
      Y.createID(firstClient + i, 0),
      null,
      null,
      null,
      null,
      'content' as never,
      null,
      new Y.ContentString('x'),
    ).write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/**
 * Garbage-collected ranges (Y.GC structs, the form deleted content takes) of `clients` client ids from
 * `firstClient` on, `length` clocks each from `clock`: no content, but structs every replica must keep.
 * Client runs are written highest first, as Yjs writes them.
 */
export function gcRanges(clients: number, length: number, firstClient = 2_000_000, clock = 0): Uint8Array {
  return gcRuns(Array.from({ length: clients }, (_, i) => ({ client: firstClient + i, clock, length })));
}

/** One garbage-collected range per run, each of its own client (written highest client first). */
export function gcRuns(runs: ReadonlyArray<{ client: number; clock: number; length: number }>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, runs.length);
  // Highest client first, as Yjs writes them (Y.mergeUpdates drops runs written in another order).
  for (const { client, clock, length } of [...runs].sort((a, b) => b.client - a.client)) {
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, clock);
    new Y.GC(Y.createID(client, clock), length).write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** The text of the `content` Y.Text of a document made of `updates`; throws if any of them does. */
export function textOfUpdates(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
}
