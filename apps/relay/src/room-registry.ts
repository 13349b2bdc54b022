import type { DocStore } from '@meshpad/storage';
import type { FastifyBaseLogger } from 'fastify';
import type { AwarenessLimits } from './awareness-registry.js';
import type { Compactor } from './compactor.js';
import { Room } from './room.js';
import type { UpdateFlusher } from './update-flusher.js';

/** Uncompacted updates, in multiples of the compaction threshold, from which a room compacts soon. */
const BURST_FACTOR = 10;
const BURST_COMPACTION_DELAY_MS = 250;

/** The rooms currently in memory: loaded on first connection, unloaded when the last one leaves. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly store: DocStore,
    private readonly flusher: () => UpdateFlusher,
    private readonly compactor: Compactor,
    private readonly compactAfterUpdates: number,
    private readonly log: FastifyBaseLogger,
    private readonly awarenessLimits: AwarenessLimits,
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  /** Every loaded room. */
  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  /** The room if it is in memory (possibly still loading). */
  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  /** Returns the room, loading it if needed; the caller must `release` it. */
  acquire(name: string): Room {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = new Room(name, this.awarenessLimits);
      this.rooms.set(name, room);
      room.ready = this.load(room);
    }
    room.refs++;
    return room;
  }

  /** Undoes `acquire`; unloads the room when nobody holds it. */
  release(room: Room): void {
    room.refs--;
    if (room.refs > 0 || this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    if (room.logEntries > 1) this.compactor.schedule(room.name);
  }

  /** Called after a room's updates were stored: compacts documents whose log grew long. */
  afterStore(room: Room): void {
    if (room.logEntries >= this.compactAfterUpdates) {
      room.logEntries = 1;
      // After a burst (a paste, an import, a client back from a long time offline), every joiner would
      // download the whole history until the compaction runs, so it runs soon.
      const burst = room.uncompacted >= BURST_FACTOR * this.compactAfterUpdates;
      this.compactor.schedule(room.name, burst ? BURST_COMPACTION_DELAY_MS : undefined);
    }
  }

  private async load(room: Room): Promise<void> {
    // A previous instance of this room may still have updates on their way to storage.
    await this.flusher().drain();
    try {
      const stored = await this.store.load(room.name);
      room.load(stored.updates);
      this.log.debug({ room: room.name, updates: stored.updates.length, bytes: stored.bytes }, 'room loaded');
    } catch (cause) {
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
      throw cause;
    }
  }
}
