import {
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from '@meshpad/protocol';
import * as Y from 'yjs';
import { type AwarenessLimits, AwarenessRegistry } from './awareness-registry.js';
import type { Connection } from './connection.js';
import { DocState } from './doc-state.js';
import { mergeUpdates } from './update-merge.js';

/** An accepted update waiting for the end of the turn to be stored and forwarded. */
export interface PendingUpdate {
  readonly from: Connection;
  readonly update: Uint8Array;
}

const EMPTY_STATE_VECTOR_LENGTH = 1;

/**
 * One document's live state on the relay: its connections, awareness, and the document as encoded
 * Yjs updates (merged lazily, swapped for compacted snapshots), never as a Y.Doc.
 */
export class Room {
  readonly connections = new Set<Connection>();
  readonly awareness: AwarenessRegistry;
  /** Connections that joined or are joining; the room is unloaded when it drops to zero. */
  refs = 0;
  /** Updates stored since the room was loaded, plus what was stored before, for compaction decisions. */
  logEntries = 0;
  /** Updates held in memory that no compaction has covered yet. */
  uncompacted = 0;
  ready: Promise<void> = Promise.resolve();
  private pending: PendingUpdate[] = [];
  private doc = new DocState();
  private stateVectorCache: Uint8Array | undefined;

  constructor(
    readonly name: string,
    awarenessLimits?: AwarenessLimits,
  ) {
    this.awareness = new AwarenessRegistry(awarenessLimits);
  }

  /** Sets the state read from storage. */
  load(updates: readonly Uint8Array[]): void {
    this.doc = new DocState(updates);
    this.logEntries = updates.length;
    this.uncompacted = updates.length;
    this.stateVectorCache = undefined;
  }

  /** The whole document as one update. */
  state(): Uint8Array {
    return this.doc.state();
  }

  stateVector(): Uint8Array {
    this.stateVectorCache ??= Y.encodeStateVectorFromUpdate(this.state());
    return this.stateVectorCache;
  }

  /** Adds a connection once the room is loaded: sends sync step 1 and the current awareness. */
  join(conn: Connection): void {
    this.connections.add(conn);
    conn.send(encodeSyncStep1(this.stateVector()));
    const present = this.awareness.entries();
    if (present.length > 0) conn.send(encodeAwarenessMessage(encodeAwarenessUpdate(present)));
  }

  /** Removes a connection and tells the others that its awareness states are gone. */
  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    const removals = this.awareness.removeOwner(conn);
    if (removals.length > 0) this.broadcast(encodeAwarenessMessage(encodeAwarenessUpdate(removals)));
  }

  /** The sync step 2 that brings a client with `stateVector` up to date. */
  syncStep2(stateVector: Uint8Array): Uint8Array {
    const state = this.state();
    const diff = stateVector.length === EMPTY_STATE_VECTOR_LENGTH ? state : Y.diffUpdate(state, stateVector);
    return encodeSyncStep2(diff);
  }

  enqueue(update: PendingUpdate): void {
    this.pending.push(update);
  }

  takePending(): PendingUpdate[] {
    const pending = this.pending;
    this.pending = [];
    return pending;
  }

  /**
   * Adds stored updates to the state and forwards them: one merged update per connection, leaving
   * out what that connection sent itself.
   */
  deliver(batch: readonly PendingUpdate[]): void {
    if (batch.length === 0) return;
    const merged = mergeUpdates(batch.map((p) => p.update));
    this.doc.add(merged);
    this.stateVectorCache = undefined;
    this.logEntries += batch.length;
    this.uncompacted += batch.length;
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

  /** Marks the state held now as what a compaction reading storage now will cover. */
  seal(): number {
    this.uncompacted = 0;
    return this.doc.seal();
  }

  /** Takes a compaction's snapshot in place of what `seal` covered, so memory holds no deleted content. */
  replaceCovered(seal: number, snapshot: Uint8Array): void {
    if (this.doc.replaceCovered(seal, snapshot)) this.stateVectorCache = undefined;
  }

  /** Sends a frame to every connection except `except`. */
  broadcast(frame: Uint8Array, except?: Connection): void {
    for (const conn of this.connections) {
      if (conn !== except) conn.send(frame);
    }
  }
}
