import * as Y from 'yjs';
import { ClockDriftError, CrdtDecodeError } from './errors.js';
import { assertReplicaId, type ReplicaId } from './replica-id.js';

/** How a binding encodes, decodes and joins one CRDT type. */
export interface CrdtCodec<S, C> {
  create(): S;
  encode(state: S): Uint8Array;
  /** Throws `CrdtDecodeError` on malformed bytes. */
  decode(bytes: Uint8Array): S;
  /** Join `source` into `target`. */
  merge(target: S, source: S): C | null;
  /** Vet a decoded remote state before it is merged: throw `ClockDriftError` to refuse it. */
  admit?(source: S): void;
  /** A number roughly proportional to the encoded size (e.g. the entry count), cheap to compute. */
  weight(state: S): number;
}

/** What a binding reports to its observers. */
export type BindingEvent<C> =
  | {
      readonly type: 'change';
      readonly change: C;
      /** True when the change came from this binding's own operation. */
      readonly local: boolean;
    }
  | {
      /**
       * Data under `replica`'s slot could not be used: undecodable bytes (ignored for good) or
       * timestamps beyond the drift bound (retried on every later change, and kept in the document).
       */
      readonly type: 'rejected';
      readonly replica: ReplicaId;
      readonly error: CrdtDecodeError | ClockDriftError;
    };

interface Incoming<S> {
  readonly state: S;
  readonly blobs: Array<{ readonly key: ReplicaId; readonly blob: Uint8Array }>;
}

/** Listener of {@link BindingEvent}s. */
export type BindingListener<C> = (event: BindingEvent<C>) => void;

/** When a binding rewrites its slot (see README, "Yjs mapping"). */
export interface CompactionOptions {
  /**
   * Snapshot again once the deltas exceed `logFactor × state + minBytes` bytes, or the whole slot
   * `(1 + logFactor) × state + minBytes` (the state's size is estimated from the last snapshot, so
   * that mass removals are noticed). Lower values keep the document closer to the state's size at
   * the cost of more frequent full snapshots. Default 0.5.
   */
  readonly logFactor?: number;
  /** Also once other slots hold `foreignFactor × snapshot + minBytes` bytes already merged here. Default 4. */
  readonly foreignFactor?: number;
  /** Default 1024. */
  readonly minBytes?: number;
}

/** Options shared by all bindings. */
export interface BindingOptions {
  /**
   * This binding's replica id and slot key. Must not be used by any other live binding on the same
   * data; defaults to the document's `clientID` in base 36.
   */
  readonly replica?: ReplicaId;
  readonly compaction?: CompactionOptions;
}

/** The replica id a binding on `root` will use. */
export function bindingReplica(root: Y.Map<unknown>, options: BindingOptions): ReplicaId {
  const doc = root.doc;
  if (doc === null) throw new TypeError('A CRDT binding needs a Y.Map that is part of a Y.Doc');
  const replica = options.replica ?? doc.clientID.toString(36);
  assertReplicaId(replica);
  return replica;
}

/**
 * Keeps a CRDT state in a Y.Map and in memory, in step. Each replica owns one slot, the Y.Array under
 * its replica id, and only appends encoded deltas to it or replaces it with a new array holding its
 * full state (a checkpoint). Every blob any replica writes is joined into the local state, so the
 * CRDT's own merge decides conflicts and Yjs never overwrites one replica's write with another's.
 * A checkpoint also deletes the blobs of other slots that are already merged: they are in the
 * snapshot written by the same transaction, so no concurrent deletion can remove the only copy.
 */
export abstract class YCrdtBinding<S, C> {
  readonly replica: ReplicaId;
  readonly root: Y.Map<unknown>;
  readonly doc: Y.Doc;
  protected readonly state: S;
  private readonly codec: CrdtCodec<S, C>;
  private readonly limits: Required<CompactionOptions>;
  private readonly listeners = new Set<BindingListener<C>>();
  private readonly absorbed = new WeakSet<Uint8Array>();
  private readonly invalid = new WeakSet<Uint8Array>();
  private readonly deferred = new Map<Uint8Array, ReplicaId>();
  private readonly handler: (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => void;
  private ownSlot: Y.Array<Uint8Array> | undefined;
  // The state's encoded size and weight when last measured (at bind time or a checkpoint): the
  // basis for estimating its size now, without encoding it on every operation.
  private baselineBytes: number;
  private baselineWeight: number;
  /** Bytes in the own slot, and how many of them are deltas written since its snapshot. */
  private slotBytes = 0;
  private logBytes = 0;
  private foreignBytes = 0;
  private foreignStale = false;
  private destroyed = false;

  protected constructor(root: Y.Map<unknown>, codec: CrdtCodec<S, C>, options: BindingOptions) {
    this.replica = bindingReplica(root, options);
    this.root = root;
    this.doc = root.doc as Y.Doc;
    this.codec = codec;
    this.limits = { logFactor: 0.5, foreignFactor: 4, minBytes: 1024, ...options.compaction };
    this.state = codec.create();
    const own = root.get(this.replica);
    if (own instanceof Y.Array) {
      // A replica coming back under the id of an earlier session continues its slot.
      this.ownSlot = own;
      for (const blob of own.toArray()) if (blob instanceof Uint8Array) this.slotBytes += blob.length;
      this.logBytes = this.slotBytes;
    }
    const incoming = this.createIncoming();
    root.forEach((value, key) => {
      this.absorbSlot(key, value, incoming);
    });
    this.mergeIncoming(incoming);
    this.baselineBytes = codec.encode(this.state).length;
    this.baselineWeight = codec.weight(this.state);
    this.foreignBytes = this.measureForeign();
    this.handler = (events, transaction) => this.onTransaction(events, transaction);
    root.observeDeep(this.handler);
  }

  /** Call `listener` on every change (local or remote) and every rejected blob. */
  observe(listener: BindingListener<C>): void {
    this.listeners.add(listener);
  }

  /** Stop calling `listener`. */
  unobserve(listener: BindingListener<C>): void {
    this.listeners.delete(listener);
  }

  /** Stop following the Y.Map. The data stays in the document. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.root.unobserveDeep(this.handler);
    this.listeners.clear();
  }

  /**
   * Checkpoint now: replace this replica's slot with one snapshot of its state and delete the blobs of
   * other slots it has merged. Checkpoints also happen on their own (see {@link CompactionOptions});
   * call this after bulk changes to shrink the document at once.
   */
  compact(): void {
    if (this.destroyed) throw new Error(`The binding of replica ${this.replica} was destroyed`);
    this.doc.transact(() => this.checkpoint(), this);
  }

  /** Try again to merge blobs refused for clock drift, e.g. after waiting for the clock to catch up. */
  retry(): void {
    const incoming = this.createIncoming();
    this.retryDeferred(incoming);
    this.mergeIncoming(incoming);
  }

  /**
   * Run a local operation (`null`: nothing to do) and write its delta to the own slot, or
   * checkpoint instead when the slot has grown too large.
   */
  protected commit(operate: () => { readonly delta: S; readonly change: C | null } | null): void {
    if (this.destroyed) throw new Error(`The binding of replica ${this.replica} was destroyed`);
    const update = operate();
    if (update === null) return;
    this.doc.transact(() => {
      // Someone else replaced or removed our slot: rewrite everything we know.
      if (this.ownSlot !== undefined && this.root.get(this.replica) !== this.ownSlot) this.checkpoint();
      else if (this.needsCheckpoint()) this.checkpoint();
      else this.append(this.codec.encode(update.delta));
    }, this);
    if (update.change !== null) this.emit({ type: 'change', change: update.change, local: true });
    if (this.deferred.size > 0) this.retry();
  }

  private needsCheckpoint(): boolean {
    const { logFactor, foreignFactor, minBytes } = this.limits;
    if (this.foreignStale) {
      this.foreignBytes = this.measureForeign();
      this.foreignStale = false;
    }
    // Scaled by the entry count, so that a state that shrank (mass removals) is noticed.
    const weight = this.codec.weight(this.state);
    const stateBytes =
      this.baselineWeight > 0 ? (this.baselineBytes * weight) / this.baselineWeight : this.baselineBytes;
    return (
      this.logBytes > logFactor * Math.min(this.baselineBytes, stateBytes) + minBytes ||
      this.slotBytes > (1 + logFactor) * stateBytes + minBytes ||
      this.foreignBytes > foreignFactor * stateBytes + minBytes
    );
  }

  private append(blob: Uint8Array): void {
    if (this.ownSlot === undefined) {
      const slot = new Y.Array<Uint8Array>();
      this.root.set(this.replica, slot);
      this.ownSlot = slot;
    }
    // At the front: Y.Array.push walks the whole list to find its end, insert(0) does not, and
    // the order of blobs in a slot does not matter.
    this.ownSlot.insert(0, [blob]);
    this.slotBytes += blob.length;
    this.logBytes += blob.length;
  }

  private checkpoint(): void {
    const snapshot = this.codec.encode(this.state);
    const slot = new Y.Array<Uint8Array>();
    slot.insert(0, [snapshot]);
    this.root.forEach((value, key) => {
      if (key === this.replica || !(value instanceof Y.Array)) return;
      const blobs = value.toArray();
      // Delete runs of merged blobs from the end, so that earlier indexes stay valid.
      let end = blobs.length;
      for (let i = blobs.length - 1; i >= -1; i--) {
        const blob = blobs[i];
        if (i >= 0 && blob instanceof Uint8Array && this.absorbed.has(blob)) continue;
        if (end > i + 1) value.delete(i + 1, end - i - 1);
        end = i;
      }
    });
    this.root.set(this.replica, slot);
    this.ownSlot = slot;
    this.baselineBytes = snapshot.length;
    this.baselineWeight = this.codec.weight(this.state);
    this.slotBytes = snapshot.length;
    this.logBytes = 0;
    this.foreignBytes = 0;
  }

  private onTransaction(events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void {
    if (transaction.origin === this) return;
    const incoming = this.createIncoming();
    this.retryDeferred(incoming);
    for (const event of events) {
      if (event.target === this.root) {
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) {
          const value = this.root.get(key);
          if (value !== undefined) this.absorbSlot(key, value, incoming);
        }
      } else if (event.target instanceof Y.Array && event.target.parent === this.root) {
        const key = String(event.path[0]);
        for (const part of event.changes.delta) {
          for (const blob of (part.insert as unknown[] | undefined) ?? []) this.absorbBlob(key, blob, incoming);
        }
      }
    }
    this.foreignStale = true;
    this.mergeIncoming(incoming);
  }

  // Blobs of one transaction are first joined into a scratch state and merged into `state` once:
  // one change event per transaction, computed by the type's own merge, in time linear in the input.
  private createIncoming(): Incoming<S> {
    return { state: this.codec.create(), blobs: [] };
  }

  private mergeIncoming(incoming: Incoming<S>): void {
    if (incoming.blobs.length === 0) return;
    const change = this.codec.merge(this.state, incoming.state);
    for (const { key, blob } of incoming.blobs) {
      this.deferred.delete(blob);
      this.absorbed.add(blob);
      if (key !== this.replica) this.foreignBytes += blob.length;
    }
    if (change !== null) this.emit({ type: 'change', change, local: false });
  }

  private absorbSlot(key: ReplicaId, value: unknown, incoming: Incoming<S>): void {
    if (!(value instanceof Y.Array)) {
      this.reject(key, new CrdtDecodeError(`Slot ${key} holds ${typeof value}, not a Y.Array`));
      return;
    }
    for (const blob of value.toArray()) this.absorbBlob(key, blob, incoming);
  }

  private absorbBlob(key: ReplicaId, blob: unknown, incoming: Incoming<S>): void {
    if (!(blob instanceof Uint8Array)) {
      this.reject(key, new CrdtDecodeError(`Slot ${key} holds ${typeof blob}, not a Uint8Array`));
      return;
    }
    if (this.absorbed.has(blob) || this.invalid.has(blob) || this.deferred.has(blob)) return;
    let source: S;
    try {
      source = this.codec.decode(blob);
    } catch (error) {
      if (!(error instanceof CrdtDecodeError)) throw error;
      this.invalid.add(blob);
      this.reject(key, error);
      return;
    }
    this.admitBlob(key, blob, source, incoming);
  }

  private admitBlob(key: ReplicaId, blob: Uint8Array, source: S, incoming: Incoming<S>): void {
    try {
      this.codec.admit?.(source);
    } catch (error) {
      if (!(error instanceof ClockDriftError)) throw error;
      if (!this.deferred.has(blob)) {
        this.deferred.set(blob, key);
        this.reject(key, error);
      }
      return;
    }
    this.codec.merge(incoming.state, source);
    incoming.blobs.push({ key, blob });
  }

  private retryDeferred(incoming: Incoming<S>): void {
    for (const [blob, key] of [...this.deferred]) this.admitBlob(key, blob, this.codec.decode(blob), incoming);
  }

  private measureForeign(): number {
    let bytes = 0;
    this.root.forEach((value, key) => {
      if (key === this.replica || !(value instanceof Y.Array)) return;
      for (const blob of value.toArray())
        if (blob instanceof Uint8Array && this.absorbed.has(blob)) bytes += blob.length;
    });
    return bytes;
  }

  private reject(replica: ReplicaId, error: CrdtDecodeError | ClockDriftError): void {
    this.emit({ type: 'rejected', replica, error });
  }

  private emit(event: BindingEvent<C>): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
