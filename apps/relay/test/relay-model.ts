import { CloseCode, type CloseCodeInfo, DEFAULT_UPDATE_LIMITS, decodeClientMessage } from '@meshpad/protocol';
import type { DocStore } from '@meshpad/storage';
import type { FastifyBaseLogger } from 'fastify';
import type { CompactionThread } from '../src/compaction-thread.js';
import { Compactor } from '../src/compactor.js';
import type { AnswerKind, Connection } from '../src/connection.js';
import { DEFAULT_ROOM_LIMITS, type Intake, type Room, type RoomLimits } from '../src/room.js';
import { RoomRegistry } from '../src/room-registry.js';
import { UpdateFlusher } from '../src/update-flusher.js';

/** Never reached within a schedule: compactions run when a schedule asks for one. */
const IDLE_COMPACTION_DELAY_MS = 1_000_000;

/** A log line at warn level or above: the relay only writes those when something went wrong. */
export interface LoggedProblem {
  readonly level: string;
  readonly msg: string;
  readonly fields: unknown;
}

/** A logger that keeps warnings and errors for the test to check, and drops the rest. */
export function recordingLogger(problems: LoggedProblem[]): FastifyBaseLogger {
  const keep =
    (level: string) =>
    (fields: unknown, msg?: string): void => {
      problems.push({ level, msg: msg ?? String(fields), fields });
    };
  const ignore = (): void => {};
  const log = {
    level: 'warn',
    fatal: keep('fatal'),
    error: keep('error'),
    warn: keep('warn'),
    info: ignore,
    debug: ignore,
    trace: ignore,
    silent: ignore,
    child: () => log,
  };
  return log as unknown as FastifyBaseLogger;
}

/** Why the relay closed a connection, as its log line would say. */
export interface RelayClose {
  readonly code: CloseCodeInfo;
  readonly detail: string | undefined;
}

/**
 * The connection boundary, not a stand-in for the relay: what `Room`, `HeldUpdates`, the flusher and
 * the sync plugin call on a connection (`isOpen`, `send`, `answer`, `close`), with frames going to an
 * outbox the schedule delivers, drops, duplicates or reorders instead of to a socket, which takes
 * every frame at once (so a full-state answer is written as soon as it is asked for).
 */
export class ModelConnection {
  readonly outbox: Uint8Array[] = [];
  closedBy: RelayClose | undefined;
  #open = true;

  constructor(private readonly onClose: (conn: ModelConnection) => void) {}

  get isOpen(): boolean {
    return this.#open;
  }

  send(frame: Uint8Array): void {
    if (this.#open) this.outbox.push(frame);
  }

  /** A model connection is never half-open: it answers every liveness probe. */
  probe(): void {}

  answer(_kind: AnswerKind, make: () => Uint8Array): void {
    this.send(make());
  }

  /** Called by the relay's code: the socket closes, and the room forgets the connection. */
  close(code: CloseCodeInfo, detail?: string): void {
    if (!this.#open) return;
    this.closedBy = { code, detail };
    this.#end();
  }

  /** The client went away (the socket's 'close' event, as the sync plugin handles it). */
  disconnect(): void {
    if (this.#open) this.#end();
  }

  #end(): void {
    this.#open = false;
    this.outbox.length = 0;
    this.onClose(this);
  }
}

const asConnection = (conn: ModelConnection) => conn as unknown as Connection;

/**
 * One relay process, in-process: the relay's own `RoomRegistry` (loading rooms from `store` through
 * `screenStoredUpdates`), `Room` (admission, held updates, delivery), `UpdateFlusher` and `Compactor`.
 * Frames are handled as the sync plugin's `handle` does for sync messages; awareness and save
 * requests are outside these schedules.
 */
export class RelayModel {
  readonly problems: LoggedProblem[] = [];
  readonly log = recordingLogger(this.problems);
  #registry!: RoomRegistry;
  #flusher!: UpdateFlusher;
  #compactor!: Compactor;
  readonly #rooms = new Map<ModelConnection, Room>();

  constructor(
    public store: DocStore,
    readonly docName: string,
    /** Where compactions run: a worker thread, shared by the relays a test runs one after another. */
    private readonly compactionThread: CompactionThread,
    private readonly limits: RoomLimits = DEFAULT_ROOM_LIMITS,
  ) {
    this.#start();
  }

  #start(): void {
    this.#compactor = new Compactor(
      this.store,
      this.log,
      { afterUpdates: Number.MAX_SAFE_INTEGER, delayMs: IDLE_COMPACTION_DELAY_MS },
      this.compactionThread,
      (name) => this.#registry.get(name),
    );
    this.#registry = new RoomRegistry(this.store, () => this.#flusher, this.#compactor, this.limits, this.log);
    this.#flusher = new UpdateFlusher(this.store, this.log, (room, count) => this.#compactor.stored(room.name, count));
  }

  /** The loaded room, if any connection holds it. */
  get room(): Room | undefined {
    return this.#registry.get(this.docName);
  }

  /**
   * Opens a connection: the room is loaded (from storage if it is not in memory) and sends sync step 1.
   * `onClosed` is told once the connection is closed, by either side, and the room has forgotten it.
   */
  async connect(onClosed: (conn: ModelConnection) => void = () => {}): Promise<ModelConnection> {
    const conn = new ModelConnection((closed) => {
      this.#left(closed);
      onClosed(closed);
    });
    const room = this.#registry.acquire(this.docName);
    this.#rooms.set(conn, room);
    await room.ready;
    if (conn.isOpen) room.join(asConnection(conn));
    return conn;
  }

  #left(conn: ModelConnection): void {
    const room = this.#rooms.get(conn);
    if (room === undefined) return;
    this.#rooms.delete(conn);
    this.#settle(room, room.leave(asConnection(conn)));
    this.#registry.release(room);
  }

  /** A frame from `conn`'s client, handled as the sync plugin handles sync messages. */
  receive(conn: ModelConnection, frame: Uint8Array): void {
    const room = this.#rooms.get(conn);
    if (!conn.isOpen || room === undefined) return;
    const decoded = decodeClientMessage(frame, DEFAULT_UPDATE_LIMITS);
    if (!decoded.ok) {
      conn.close(CloseCode[decoded.error.code], `closing connection: ${decoded.error.message}`);
      return;
    }
    const message = decoded.value;
    if (message.kind === 'sync-step1') {
      conn.answer('sync', () => room.syncStep2(message.stateVector));
    } else if (message.kind === 'sync-step2' || message.kind === 'update') {
      this.#settle(room, room.receive(asConnection(conn), message.update, message.decoded, message.kind === 'update'));
    } else if (message.kind === 'awareness') {
      // Applied for the client ids it makes owned; replicas show no presence, so it goes nowhere.
      const owners = room.awareness.ownersVersion;
      room.awareness.apply(message.entries, asConnection(conn));
      if (room.awareness.ownersVersion !== owners && room.held.size > 0) this.#settle(room, room.ownersChanged());
    }
  }

  #settle(room: Room, intake: Intake): void {
    this.#flusher.enqueue(room, intake.ready);
    for (const { conn: refused, code, detail } of intake.refusals) refused.close(code, detail);
  }

  /** Stores what was admitted and forwards it, as the end of an event-loop turn does. */
  flush(): Promise<void> {
    return this.#flusher.drain();
  }

  /** Compacts the document now, as a quiet room's scheduled compaction would. */
  compact(): Promise<void> {
    return this.#compactor.compactNow(this.docName);
  }

  /**
   * Stops the relay as `preClose` and `onClose` do (clients told to go away, pending updates stored),
   * then starts a new one on `store` (the same store, or the same file opened again).
   */
  async restart(reopen?: (store: DocStore) => Promise<DocStore>): Promise<void> {
    for (const conn of [...this.#rooms.keys()]) conn.close(CloseCode.GoingAway, 'relay shutting down');
    await this.#flusher.drain();
    await this.#compactor.close();
    if (reopen !== undefined) this.store = await reopen(this.store);
    this.#start();
  }

  /** Stores what is pending and cancels the compactor's timers; the store stays open. */
  async stop(): Promise<void> {
    await this.#flusher.drain();
    await this.#compactor.close();
  }
}
