import {
  type Admission,
  admitUpdate,
  type ClaimedBy,
  CloseCode,
  type CloseCodeInfo,
  commitAdmission,
  DEFAULT_AWARENESS_LIMITS,
  type DecodedUpdate,
  DocIndex,
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  mergeUpdates,
  writesOneClient,
} from '@meshpad/protocol';
import * as Y from 'yjs';
import { type AwarenessLimits, AwarenessRegistry } from './awareness-registry.js';
import { type ClockOwnerLimits, ClockOwners, DEFAULT_CLOCK_OWNER_LIMITS } from './clock-owners.js';
import type { Connection } from './connection.js';
import { DocState } from './doc-state.js';
import { DEFAULT_HELD_LIMITS, type HeldLimits, HeldUpdates } from './held-updates.js';
import type { JudgingContext } from './intake-thread.js';
import { OrderedWork } from './ordered-work.js';

/** An accepted update waiting for the end of the turn to be stored and forwarded. */
export interface PendingUpdate {
  /** The connection it came from; undefined for an update written through the HTTP API. */
  readonly from: Connection | undefined;
  readonly update: Uint8Array;
}

/** A connection to close because of what it sent, with the log line saying why. */
export interface Refusal {
  readonly conn: Connection;
  readonly code: CloseCodeInfo;
  readonly detail: string;
}

/** What receiving an update led to: parts to store now (its own and held ones it released), and refusals. */
export interface Intake {
  readonly ready: PendingUpdate[];
  readonly refusals: Refusal[];
}

/** How an update written through the HTTP API was judged. */
export type WholeWrite =
  | { readonly ok: true; readonly intake: Intake }
  | { readonly ok: false; readonly status: 409 | 413 | 422; readonly reason: string };

export interface RoomLimits {
  /** Largest encoded size of a document; updates that only delete are accepted beyond it. */
  readonly maxDocumentBytes: number;
  readonly held: HeldLimits;
  readonly awareness: AwarenessLimits;
  readonly clockOwners: ClockOwnerLimits;
  /** How long the owner of a client id has to answer a ping once another connection claims the id as its own. */
  readonly livenessProbeMs: number;
}

export const DEFAULT_ROOM_LIMITS: RoomLimits = {
  maxDocumentBytes: 32 * 1024 * 1024,
  held: DEFAULT_HELD_LIMITS,
  awareness: DEFAULT_AWARENESS_LIMITS,
  clockOwners: DEFAULT_CLOCK_OWNER_LIMITS,
  livenessProbeMs: 5_000,
};

const EMPTY_STATE_VECTOR_LENGTH = 1;

/** The clients of an admission's client, clock pairs, read only as far as the caller iterates. */
function* clientsOf(clocks: Float64Array): Generator<number> {
  for (let i = 0; i < clocks.length; i += 2) yield clocks[i]!;
}

/**
 * Frames of a room that may wait while one of its large updates is judged in the intake thread: one
 * frame of the largest size accepted by default, far more than a room's typing in the ~100 ms that takes.
 */
const MAX_WAITING_BYTES = 4 * 1024 * 1024;

/** How long a joiner may be sent a sync step 1 made for an earlier state (see `syncStep1`). */
const STEP1_REUSE_MS = 1000;

/**
 * One document's live state on the relay: its connections, awareness, and the document as encoded
 * Yjs updates (merged lazily, swapped for compacted snapshots), never as a Y.Doc, with the index that
 * judges incoming updates and the updates waiting for what they depend on.
 */
export class Room {
  readonly connections = new Set<Connection>();
  readonly awareness: AwarenessRegistry<Connection>;
  /** Connections that joined or are joining; the room is unloaded a while after it drops to zero. */
  refs = 0;
  ready: Promise<void> = Promise.resolve();
  /** Set when the room failed (storage, or a fault): nothing more is stored or sent through it. */
  failed = false;
  readonly held: HeldUpdates<Connection>;
  /** The room's messages, handled in arrival order (see `OrderedWork`). */
  readonly intake = new OrderedWork(MAX_WAITING_BYTES);
  private readonly clockOwners: ClockOwners<Connection>;
  private doc = new DocState();
  private index = new DocIndex();
  /** The sync step 1 every joiner is sent, for the state vector it was made of. */
  private step1: { readonly stateVector: Uint8Array; readonly frame: Uint8Array; readonly madeAt: number } | undefined;
  /** The sync step 2 of the whole document, for the state it was made of. */
  private wholeStep2: { readonly state: Uint8Array; readonly frame: Uint8Array } | undefined;
  /** Bytes admitted but not yet stored. */
  private pendingBytes = 0;

  constructor(
    readonly name: string,
    private readonly limits: RoomLimits = DEFAULT_ROOM_LIMITS,
  ) {
    this.awareness = new AwarenessRegistry<Connection>(limits.awareness, undefined, (owner) =>
      owner.probe(limits.livenessProbeMs),
    );
    this.clockOwners = new ClockOwners<Connection>(limits.clockOwners);
    this.held = new HeldUpdates<Connection>(limits.held, (conn) =>
      conn.close(
        CloseCode.TooManyHeldUpdates,
        `closing connection: an update waited over ${limits.held.maxWaitMs} ms for edits the relay has not received`,
      ),
    );
  }

  /** Sets the state read from storage (already screened) and the index of it. */
  load(updates: readonly Uint8Array[], index: DocIndex): void {
    this.doc = new DocState(updates);
    this.index = index;
  }

  /** Encoded size of the document, including what is admitted and not yet stored. */
  get bytes(): number {
    return this.doc.bytes + this.pendingBytes;
  }

  /** The whole document as one update. */
  state(): Uint8Array {
    return this.doc.state();
  }

  /** What the room holds or has admitted to store next, as a state vector. */
  stateVector(): Uint8Array {
    return this.index.encodeStateVector();
  }

  /** Adds a connection once the room is loaded: sends sync step 1 and the current awareness. */
  join(conn: Connection): void {
    this.connections.add(conn);
    conn.send(this.syncStep1());
    const present = this.awareness.entries();
    if (present.length > 0) conn.send(encodeAwarenessMessage(encodeAwarenessUpdate(present)));
  }

  /**
   * Removes a connection and tells the others that its awareness states are gone. The client ids it owned are free,
   * so held updates that waited for their owner's copy are judged again.
   */
  leave(conn: Connection): Intake {
    const intake: Intake = { ready: [], refusals: [] };
    this.held.drop(conn);
    const ownedClocks = this.clockOwners.removeOwner(conn);
    if (!this.connections.delete(conn)) return intake;
    const removals = this.awareness.removeOwner(conn);
    if (removals.length > 0) this.broadcast(encodeAwarenessMessage(encodeAwarenessUpdate(removals)));
    if (ownedClocks || removals.length > 0) this.releaseHeld(intake);
    return intake;
  }

  /** Judges held updates again after the owners of client ids changed (awareness states were set or removed). */
  ownersChanged(): Intake {
    const intake: Intake = { ready: [], refusals: [] };
    this.releaseHeld(intake);
    return intake;
  }

  /**
   * The sync step 1 a joiner is sent. It names every client of the document (100,000 clients: over 1 MB), so it is
   * kept until the state vector changes, and for up to a second after: an older state vector only makes the joiner
   * send back some edits the room already has, which are trimmed, while a document taking 10,000 new ids a second
   * would otherwise cost a new one for every joiner.
   */
  private syncStep1(): Uint8Array {
    const now = performance.now();
    if (this.step1 !== undefined && now - this.step1.madeAt < STEP1_REUSE_MS) return this.step1.frame;
    const stateVector = this.stateVector();
    if (this.step1?.stateVector !== stateVector) {
      this.step1 = { stateVector, frame: encodeSyncStep1(stateVector), madeAt: now };
    }
    return this.step1.frame;
  }

  /**
   * The sync step 2 that brings a client with `stateVector` up to date. The whole document's frame is
   * kept until the document changes: every newcomer asks for it, and the same frame can go to all of
   * them (the socket sends it without a copy) instead of one copy of the document each.
   */
  syncStep2(stateVector: Uint8Array): Uint8Array {
    const state = this.state();
    if (stateVector.length !== EMPTY_STATE_VECTOR_LENGTH) return encodeSyncStep2(Y.diffUpdate(state, stateVector));
    if (this.wholeStep2?.state !== state) this.wholeStep2 = { state, frame: encodeSyncStep2(state) };
    return this.wholeStep2.frame;
  }

  /**
   * Judges an update from `from` against the document (PROTOCOL.md, "Validation"): the part that
   * integrates now and is new is admitted (to be stored, then forwarded), the part that depends on
   * structs not here yet is held, and an update that can never integrate is refused whole. New clocks
   * of a client id that another live connection owns count as not here yet (PROTOCOL.md, "Clock
   * ownership"); a regular `update` (not a sync step 2) may make its sender the owner of the id it
   * writes under. Admitting something may release held updates of other connections.
   */
  receive(from: Connection, update: Uint8Array, decoded: DecodedUpdate, regular = true): Intake {
    const admission = admitUpdate(this.index, update, decoded, this.claimedFrom(from));
    return this.take(from, admission, regular && writesOneClient(decoded));
  }

  /**
   * Judges an update written through the HTTP API, which has no connection to hold anything for: it is admitted whole
   * and at once (what the room already has trimmed), or refused. Like any update, it may not take new clocks of a
   * client id that a live connection owns.
   */
  receiveWhole(update: Uint8Array, decoded: DecodedUpdate): WholeWrite {
    const admission = admitUpdate(this.index, update, decoded, this.claimedFrom(undefined));
    if (admission.kind === 'refused') return { ok: false, status: 422, reason: `update refused: ${admission.reason}` };
    if (admission.held !== undefined) {
      return {
        ok: false,
        status: 409,
        reason:
          'the update depends on edits the relay does not have, or writes under a client id a live connection owns; ' +
          'read the state first and send only what is new',
      };
    }
    const ready = admission.ready;
    if (ready === undefined) return { ok: true, intake: { ready: [], refusals: [] } };
    if (admission.readyStructs > 0 && this.bytes + ready.length > this.limits.maxDocumentBytes) {
      return {
        ok: false,
        status: 413,
        reason: `the document would pass its limit of ${this.limits.maxDocumentBytes} bytes`,
      };
    }
    commitAdmission(this.index, admission);
    this.pendingBytes += ready.length;
    const intake: Intake = { ready: [{ from: undefined, update: ready }], refusals: [] };
    this.releaseHeld(intake);
    return { ok: true, intake };
  }

  /**
   * What judging an update from `from` in another thread needs: the part of the room's index it
   * consults, and which of the clients it names another connection owns.
   */
  judgingContext(from: Connection, clients: readonly number[], deleteClients: readonly number[]): JudgingContext {
    return { index: this.index.snapshot(clients, deleteClients), claimed: clients.filter(this.claimedFrom(from)) };
  }

  /**
   * Acts on how an update from `from` was judged, as `receive` does: `admission` must have been made
   * against the room's index and owners as they are now (see `judgingContext`). `mayIntroduce`: the
   * update is a regular one of a single client's structs, which may make its sender that id's owner.
   */
  take(from: Connection, admission: Admission, mayIntroduce: boolean): Intake {
    if (admission.kind === 'refused') {
      return {
        ready: [],
        refusals: [
          {
            conn: from,
            code: CloseCode.InvalidUpdate,
            detail: `closing connection: update refused: ${admission.reason}`,
          },
        ],
      };
    }
    const ready = admission.ready;
    if (ready !== undefined && admission.readyStructs > 0 && this.bytes + ready.length > this.limits.maxDocumentBytes) {
      return { ready: [], refusals: [this.tooLarge(from, ready.length)] };
    }
    if (ready !== undefined && !this.chargeNewClients(from, admission.clocks)) {
      const quota = from.quota!;
      return {
        ready: [],
        refusals: [
          { conn: from, code: CloseCode.RateLimited, detail: `closing connection: ${quota.describe('clients')}` },
        ],
      };
    }
    if (admission.held !== undefined) {
      const over = this.held.hold(from, admission.held);
      if (over !== undefined) {
        this.held.drop(from);
        return {
          ready: [],
          refusals: [
            {
              conn: from,
              code: CloseCode.TooManyHeldUpdates,
              detail: `closing connection: updates waiting for missing edits: ${over}`,
            },
          ],
        };
      }
    }
    if (ready === undefined) return { ready: [], refusals: [] };
    commitAdmission(this.index, admission);
    this.noteWriter(from, admission.clocks, mayIntroduce);
    this.pendingBytes += ready.length;
    const intake: Intake = { ready: [{ from, update: ready }], refusals: [] };
    this.releaseHeld(intake);
    return intake;
  }

  /**
   * Charges `from`'s quota for the client ids `clocks` (client, clock pairs) brings into the document: every id is
   * kept in the index and sent to every joiner for good, so ids new to the room cost, apart from structs.
   */
  private chargeNewClients(from: Connection, clocks: Float64Array): boolean {
    const quota = from.quota;
    if (quota === undefined) return true;
    let fresh = 0;
    for (let i = 0; i < clocks.length; i += 2) if (this.index.clock(clocks[i]!) === 0) fresh++;
    return fresh === 0 || quota.take('clients', fresh);
  }

  /** Admits held updates again for as long as that admits something (each may unblock others). */
  private releaseHeld(intake: Intake): void {
    for (let progress = this.held.size > 0; progress; ) {
      progress = false;
      for (const { owner, update, since } of this.held.takeAll()) {
        if (!owner.isOpen) continue;
        // A held part passed every check that can refuse it: only what it depends on was missing.
        const admission = admitUpdate(this.index, update, Y.decodeUpdate(update), this.claimedFrom(owner));
        const refusal =
          admission.kind === 'refused'
            ? {
                conn: owner,
                code: CloseCode.InvalidUpdate,
                detail: `closing connection: held update refused: ${admission.reason}`,
              }
            : admission.ready !== undefined &&
                admission.readyStructs > 0 &&
                this.bytes + admission.ready.length > this.limits.maxDocumentBytes
              ? this.tooLarge(owner, admission.ready.length)
              : undefined;
        if (refusal !== undefined || admission.kind === 'refused') {
          this.held.drop(owner);
          if (refusal !== undefined) intake.refusals.push(refusal);
          continue;
        }
        const over = admission.held === undefined ? undefined : this.held.hold(owner, admission.held, since);
        if (over !== undefined) {
          this.held.drop(owner);
          intake.refusals.push({
            conn: owner,
            code: CloseCode.TooManyHeldUpdates,
            detail: `closing connection: ${over}`,
          });
          continue;
        }
        const ready = admission.ready;
        if (ready === undefined) continue;
        commitAdmission(this.index, admission);
        this.noteWriter(owner, admission.clocks, false);
        this.pendingBytes += ready.length;
        intake.ready.push({ from: owner, update: ready });
        progress = true;
      }
    }
  }

  /**
   * The client ids whose new clocks are not taken from `from`: those whose presence another live connection
   * announced as its own, and those another connection without presence owns by writing under them.
   */
  private claimedFrom(from: Connection | undefined): ClaimedBy {
    return (client) => {
      const owner = this.awareness.ownConnectionOf(client) ?? this.clockOwners.ownerOf(client);
      return owner !== undefined && owner !== from;
    };
  }

  /**
   * Renews the ids `writer` owns by writing, of which it just had new clocks admitted. A writer without presence also
   * takes the id of a regular update that holds one client's structs only (`mayIntroduce`), as a local transaction
   * does, when nobody owns it; a sync step 2 or a restored copy carries other clients' edits and takes nothing.
   */
  private noteWriter(writer: Connection, clocks: Float64Array, mayIntroduce: boolean): void {
    this.clockOwners.renew(writer, clientsOf(clocks));
    if (!mayIntroduce || clocks.length !== 2 || this.awareness.hasOwnId(writer)) return;
    const client = clocks[0]!;
    if (this.awareness.ownConnectionOf(client) === undefined) this.clockOwners.introduce(writer, client);
  }

  private tooLarge(conn: Connection, adding: number): Refusal {
    return {
      conn,
      code: CloseCode.DocumentTooLarge,
      detail: `closing connection: storing ${adding} more bytes would take the document (${this.bytes} bytes) past its limit of ${this.limits.maxDocumentBytes}`,
    };
  }

  /**
   * Adds stored updates to the state and forwards them: one merged update per connection, leaving
   * out what that connection sent itself.
   */
  deliver(batch: readonly PendingUpdate[]): void {
    if (batch.length === 0) return;
    for (const { update } of batch) this.pendingBytes -= update.length;
    const merged = mergeUpdates(batch.map((p) => p.update));
    this.doc.add(merged);
    if (this.connections.size === 0) return;

    const senders = new Set(batch.map((p) => p.from));
    const frameForAll = encodeSyncUpdate(merged);
    for (const conn of this.connections) {
      if (!senders.has(conn)) {
        conn.send(frameForAll);
        continue;
      }
      const others = batch.filter((p) => p.from !== conn).map((p) => p.update);
      if (others.length > 0) conn.send(encodeSyncUpdate(mergeUpdates(others)));
    }
  }

  /**
   * Marks the room failed and closes every connection with `code` (the caller logs the cause once):
   * clients reconnect, the registry loads the room afresh from storage, and they resync.
   */
  fail(code: CloseCodeInfo): void {
    this.failed = true;
    this.held.clear();
    for (const conn of this.connections) conn.close(code);
  }

  /** Marks the state held now as what a compaction reading storage now will cover. */
  seal(): number {
    return this.doc.seal();
  }

  /** Takes a compaction's snapshot in place of what `seal` covered, so memory holds no deleted content. */
  replaceCovered(seal: number, snapshot: Uint8Array): void {
    this.doc.replaceCovered(seal, snapshot);
  }

  /** Sends a frame to every connection except `except`. */
  broadcast(frame: Uint8Array, except?: Connection): void {
    for (const conn of this.connections) {
      if (conn !== except) conn.send(frame);
    }
  }
}
