import { HybridLogicalClock, type Json, YGCounter, YLwwMap, YLwwRegister, YOrSet, YPnCounter } from '@meshpad/crdt';
import {
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MessageType,
  SyncMessageType,
} from '@meshpad/protocol';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { ModelConnection } from './relay-model.js';

/** Transaction origins of updates a replica applies, as its providers would tag them. */
const FROM_RELAY = 'relay';
const FROM_MESH = 'mesh';

/** Everything a document holds that users see: the text and the value of every CRDT. */
export interface DocValues {
  /** The `content` text as a delta: its characters and their formatting. */
  readonly text: unknown[];
  readonly set: Json[];
  readonly register: Json | undefined;
  readonly map: Array<[string, Json]>;
  readonly grow: number;
  readonly counter: number;
}

/** The CRDTs bound into one Y.Doc, as the client binds them (one clock for both LWW types). */
class Bindings {
  readonly set: YOrSet;
  readonly register: YLwwRegister;
  readonly map: YLwwMap;
  readonly grow: YGCounter;
  readonly counter: YPnCounter;

  constructor(doc: Y.Doc, now: () => number, checkpointBytes: number, onRejected: (why: string) => void) {
    const compaction = { minBytes: checkpointBytes };
    const clock = new HybridLogicalClock(doc.clientID.toString(36), { now });
    this.set = new YOrSet(doc.getMap('set'), { compaction });
    this.register = new YLwwRegister(doc.getMap('register'), { clock, compaction });
    this.map = new YLwwMap(doc.getMap('map'), { clock, compaction });
    this.grow = new YGCounter(doc.getMap('grow'), { compaction });
    this.counter = new YPnCounter(doc.getMap('counter'), { compaction });
    for (const binding of [this.set, this.register, this.map, this.grow, this.counter]) {
      binding.observe((event) => {
        if (event.type === 'rejected')
          onRejected(`${binding.constructor.name} rejected ${event.replica}: ${event.error}`);
      });
    }
  }

  values(text: Y.Text): DocValues {
    return {
      text: text.toDelta(),
      set: this.set.values(),
      register: this.register.value,
      map: this.map.entries(),
      grow: this.grow.value,
      counter: this.counter.value,
    };
  }
}

/**
 * The document that `updates` make, with nothing pending (or a problem saying so). A guid is given so that
 * Yjs does not draw one: 31 random numbers, a quarter of the time an empty schedule takes.
 */
export function docOfUpdates(updates: readonly Uint8Array[], problems: string[]): Y.Doc {
  const doc = new Y.Doc({ guid: 'from-store' });
  for (const update of updates) Y.applyUpdate(doc, update);
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    problems.push('the stored updates leave structs or deletions pending');
  }
  return doc;
}

/** A sync frame's type and payload, or undefined for an awareness frame (replicas show no presence). */
function readSyncFrame(frame: Uint8Array): { syncType: number; payload: Uint8Array } | undefined {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.Awareness) return undefined;
  if (type !== MessageType.Sync) throw new Error(`unexpected message type ${type}`);
  return { syncType: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) };
}

export interface ReplicaOptions {
  /** Whether updates from mesh peers go on to the relay, as stock y-websocket beside y-webrtc does. */
  readonly forwardMesh: boolean;
  /** The bindings' checkpoint threshold: small values make them rewrite their slots (and delete) often. */
  readonly checkpointBytes: number;
  /** Physical time of the schedule, for the LWW types' clock. */
  readonly now: () => number;
}

/**
 * One honest client: a Y.Doc with the `content` text and the CRDTs, connected to the relay like a
 * stock y-websocket provider (sync step 1 and its presence on connect, step 2 in answer, every update
 * it did not get from the relay sent on) and to mesh peers like y-webrtc (every update it did not get from the mesh
 * sent to each linked peer). Frames wait in queues the schedule delivers, drops, duplicates or
 * reorders. Updates are applied with `Y.applyUpdate` directly, so a throw fails the test instead of
 * being logged and swallowed as the providers would.
 */
export class Replica {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  readonly problems: string[] = [];
  /** Frames on their way to the relay over the current connection. */
  toRelay: Uint8Array[] = [];
  conn: ModelConnection | undefined;
  /** Frames on their way to each linked peer. */
  readonly toPeer = new Map<Replica, Uint8Array[]>();
  readonly #bindings: Bindings;
  /** The clock of this replica's presence, raised on every connection as y-protocols raises it on every change. */
  #presenceClock = 0;

  constructor(
    readonly name: string,
    clientID: number,
    options: ReplicaOptions,
  ) {
    this.doc = new Y.Doc({ guid: name });
    this.doc.clientID = clientID;
    this.text = this.doc.getText('content');
    this.#bindings = new Bindings(this.doc, options.now, options.checkpointBytes, (why) =>
      this.problems.push(`${name}: ${why}`),
    );
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_MESH) for (const queue of this.toPeer.values()) queue.push(encodeSyncUpdate(update));
      const toRelay = origin !== FROM_RELAY && (origin !== FROM_MESH || options.forwardMesh);
      if (toRelay && this.conn?.isOpen) this.toRelay.push(encodeSyncUpdate(update));
    });
  }

  get connected(): boolean {
    return this.conn?.isOpen === true;
  }

  /**
   * Takes a new relay connection and sends sync step 1 and its presence on it, as y-websocket does on open: the
   * presence makes its client id its own on the relay (PROTOCOL.md, "Clock ownership").
   */
  attach(conn: ModelConnection): void {
    this.conn = conn;
    const presence = { clientID: this.doc.clientID, clock: ++this.#presenceClock, state: '{}' };
    this.toRelay = [
      encodeSyncStep1(Y.encodeStateVector(this.doc)),
      encodeAwarenessMessage(encodeAwarenessUpdate([presence])),
    ];
  }

  /** Forgets the relay connection and what was in flight on it. */
  detach(): void {
    this.conn = undefined;
    this.toRelay = [];
  }

  /** A frame from the relay: step 1 is answered, step 2 and updates applied. */
  receiveFromRelay(frame: Uint8Array): void {
    const reply = this.#receive(frame, FROM_RELAY);
    if (reply !== undefined && this.connected) this.toRelay.push(reply);
  }

  receiveFromPeer(peer: Replica, frame: Uint8Array): void {
    const reply = this.#receive(frame, FROM_MESH);
    if (reply !== undefined) this.toPeer.get(peer)?.push(reply);
  }

  #receive(frame: Uint8Array, origin: string): Uint8Array | undefined {
    const sync = readSyncFrame(frame);
    if (sync === undefined) return undefined;
    const { syncType, payload } = sync;
    if (syncType === SyncMessageType.Step1) return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, payload));
    Y.applyUpdate(this.doc, payload, origin);
    return undefined;
  }

  /** Links two replicas directly; each sends the other sync step 1. */
  link(peer: Replica): void {
    if (peer === this || this.toPeer.has(peer)) return;
    this.toPeer.set(peer, [encodeSyncStep1(Y.encodeStateVector(this.doc))]);
    peer.toPeer.set(this, [encodeSyncStep1(Y.encodeStateVector(peer.doc))]);
  }

  /** Cuts a direct link, with what was in flight on it. */
  unlink(peer: Replica): void {
    this.toPeer.delete(peer);
    peer.toPeer.delete(this);
  }

  /** One local edit, chosen by `kind` from the text and CRDT operations; `a` and `b` pick its arguments. */
  edit(kind: number, a: number, b: number): void {
    const { set, register, map, grow, counter } = this.#bindings;
    const text = this.text;
    switch (kind % 13) {
      case 0:
      case 1:
        // Typing on at the end: Yjs merges such runs into one struct, which overlaps what others hold in part.
        text.insert(text.length, String.fromCharCode(97 + ((a + b) % 26)).repeat(1 + (b % 3)));
        return;
      case 2:
        text.insert(a % (text.length + 1), String.fromCharCode(97 + ((a + b) % 26)).repeat(1 + (b % 3)));
        return;
      case 3:
        // Two changes in one transaction: one update with a struct and a deletion.
        this.doc.transact(() => {
          text.insert(a % (text.length + 1), String.fromCharCode(65 + (b % 26)));
          if (text.length > 1) text.delete(b % text.length, 1);
        });
        return;
      case 4:
      case 5: {
        if (text.length === 0) return;
        const at = a % text.length;
        text.delete(at, 1 + (b % Math.min(3, text.length - at)));
        return;
      }
      case 6:
        set.add(`v${a % 4}`);
        return;
      case 7:
        if (b % 5 === 0) set.clear();
        else set.remove(`v${a % 4}`);
        return;
      case 8:
        register.set(a % 7);
        return;
      case 9:
        if (b % 4 === 0) map.delete(`k${a % 3}`);
        else map.set(`k${a % 3}`, b % 5);
        return;
      case 10:
        grow.increment(1 + (a % 3));
        return;
      case 11:
        counter.add((a % 5) - 2 || 3);
        return;
      default: {
        // Formatting: the relay stores what stock clients write, formatted text included.
        if (text.length === 0) return;
        const at = a % text.length;
        text.format(at, 1 + (b % Math.min(3, text.length - at)), { bold: b % 2 === 0 ? true : null });
      }
    }
  }

  values(): DocValues {
    return this.#bindings.values(this.text);
  }

  destroy(): void {
    this.doc.destroy();
  }
}
