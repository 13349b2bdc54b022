import { type ScreenedUpdates, screenUpdates } from '@meshpad/protocol';
import type { DocStore } from '@meshpad/storage';
import type { FastifyBaseLogger } from 'fastify';
import type { Compactor } from './compactor.js';
import { logQuarantined } from './quarantine-log.js';
import { Room, type RoomLimits } from './room.js';
import type { UpdateFlusher } from './update-flusher.js';

/** After a room failed to load, joiners are refused without touching storage for this long, doubling up to the max. */
const LOAD_RETRY_MS = 500;
const MAX_LOAD_RETRY_MS = 30_000;
/** Rooms whose last load failure is remembered (the oldest is forgotten first). */
const MAX_REMEMBERED_FAILURES = 1024;
/** Thrown to a joiner while a room that failed to load waits before its next attempt. */
export class RoomLoadBackoff extends Error {
  override name = 'RoomLoadBackoff';
}

/** The rooms currently in memory: loaded on first connection, unloaded a while after the last one leaves. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loadFailures = new Map<string, { until: number; delay: number }>();
  /** Rooms nobody holds, each with the timer that unloads it. */
  private readonly lingering = new Map<Room, NodeJS.Timeout>();

  constructor(
    private readonly store: DocStore,
    private readonly flusher: () => UpdateFlusher,
    private readonly compactor: Compactor,
    private readonly limits: RoomLimits,
    private readonly log: FastifyBaseLogger,
    /** How long a room stays loaded after its last connection left: a client that comes back reads nothing. */
    private readonly lingerMs = 0,
    /** Screens the stored updates of a room being loaded (`screenUpdates`, here or in another thread). */
    private readonly screen: (
      updates: readonly Uint8Array[],
    ) => ScreenedUpdates | Promise<ScreenedUpdates> = screenUpdates,
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

  /** Returns the room, loading it if needed (or afresh if it failed); the caller must `release` it. */
  acquire(name: string): Room {
    let room = this.rooms.get(name);
    if (room === undefined || room.failed) {
      room = new Room(name, this.limits);
      this.rooms.set(name, room);
      room.ready = this.load(room);
    }
    clearTimeout(this.lingering.get(room));
    this.lingering.delete(room);
    room.refs++;
    return room;
  }

  /** Undoes `acquire`; unloads the room `lingerMs` after nobody holds it any more. */
  release(room: Room): void {
    room.refs--;
    if (room.refs > 0 || this.rooms.get(room.name) !== room) return;
    room.held.clear();
    // A room left while it was still loading knows its log's length once the load is done.
    room.ready.then(
      () => this.compactor.left(room.name),
      () => {},
    );
    const unload = () => {
      this.lingering.delete(room);
      if (room.refs === 0 && this.rooms.get(room.name) === room) {
        this.rooms.delete(room.name);
        // After `left` above has looked at the log's length; unless the room was loaded again meanwhile.
        const forget = () => {
          if (!this.rooms.has(room.name)) this.compactor.forget(room.name);
        };
        room.ready.then(forget, forget);
      }
    };
    if (this.lingerMs === 0) {
      unload();
      return;
    }
    const timer = setTimeout(unload, this.lingerMs);
    timer.unref();
    this.lingering.set(room, timer);
  }

  private async load(room: Room): Promise<void> {
    const failure = this.loadFailures.get(room.name);
    try {
      if (failure !== undefined && performance.now() < failure.until) {
        throw new RoomLoadBackoff(
          `loading failed moments ago; next attempt in ${Math.ceil(failure.until - performance.now())} ms`,
        );
      }
      // A previous instance of this room may still have updates on their way to storage.
      await this.flusher().drain();
      const stored = await this.store.load(room.name);
      const screened = await this.screen(stored.updates);
      logQuarantined(this.log, room.name, screened.quarantined);
      room.load(screened.kept, screened.index);
      this.compactor.loaded(room.name, screened.kept.length);
      this.loadFailures.delete(room.name);
      this.log.debug({ room: room.name, updates: stored.updates.length, bytes: stored.bytes }, 'room loaded');
    } catch (cause) {
      if (!(cause instanceof RoomLoadBackoff)) this.rememberFailure(room.name, failure);
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
      throw cause;
    }
  }

  private rememberFailure(name: string, previous: { delay: number } | undefined): void {
    const delay = Math.min(MAX_LOAD_RETRY_MS, previous === undefined ? LOAD_RETRY_MS : previous.delay * 2);
    this.loadFailures.delete(name);
    this.loadFailures.set(name, { until: performance.now() + delay, delay });
    if (this.loadFailures.size > MAX_REMEMBERED_FAILURES)
      this.loadFailures.delete(this.loadFailures.keys().next().value!);
  }
}
