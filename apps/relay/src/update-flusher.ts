import { CloseCode } from '@meshpad/protocol';
import type { DocStore } from '@meshpad/storage';
import type { FastifyBaseLogger } from 'fastify';
import type { PendingUpdate, Room } from './room.js';

/**
 * Collects the updates admitted during one event-loop turn, appends them to storage in one
 * transaction, and only then forwards them. Writes run one after another, in turn order.
 */
export class UpdateFlusher {
  private queued = new Map<Room, PendingUpdate[]>();
  private scheduled = false;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: DocStore,
    private readonly log: FastifyBaseLogger,
    /** Told how many updates of `room` were stored (and forwarded). */
    private readonly onStored: (room: Room, count: number) => void,
  ) {}

  enqueue(room: Room, updates: readonly PendingUpdate[]): void {
    if (updates.length === 0) return;
    const batch = this.queued.get(room);
    if (batch === undefined) this.queued.set(room, [...updates]);
    else batch.push(...updates);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushTurn);
    }
  }

  /** Resolves once everything enqueued so far is stored and forwarded (or has failed). */
  drain(): Promise<void> {
    if (this.scheduled) this.flushTurn();
    return this.tail;
  }

  /** Like `drain`, but lets the current turn's batch fill up instead of writing it now. */
  settled(): Promise<void> {
    if (!this.scheduled) return this.tail;
    return new Promise((resolve) => setImmediate(() => this.tail.then(resolve)));
  }

  private readonly flushTurn = (): void => {
    if (!this.scheduled) return;
    this.scheduled = false;
    const batches = [...this.queued];
    this.queued = new Map();
    // `write` handles its own failures; this catch only keeps the chain alive whatever happens.
    this.tail = this.tail
      .then(() => this.write(batches))
      .catch((cause: unknown) => this.log.error({ err: cause }, 'unexpected fault in the update flusher'));
  };

  private async write(queued: ReadonlyArray<readonly [Room, PendingUpdate[]]>): Promise<void> {
    // A room that failed since its updates were admitted stores nothing more: its index counted
    // updates that never reached storage. Its clients reconnect and resend them.
    const batches = queued.filter(([room]) => !room.failed);
    const entries = batches.flatMap(([room, pending]) =>
      pending.map((p) => ({ docName: room.name, update: p.update })),
    );
    if (entries.length === 0) return;
    try {
      await this.store.append(entries);
    } catch (cause) {
      // Nothing of this batch is forwarded: its senders still hold the updates and resend them on reconnect.
      this.log.error(
        { err: cause, updates: entries.length },
        'storing updates failed; closing the rooms they were for',
      );
      for (const [room] of batches) room.fail(CloseCode.StorageUnavailable);
      return;
    }
    for (const [room, pending] of batches) {
      try {
        room.deliver(pending);
        this.onStored(room, pending.length);
      } catch (cause) {
        // Stored, but the room's memory may now be wrong: its clients resync from storage.
        this.log.error({ err: cause, room: room.name }, 'fault while forwarding stored updates; closing the room');
        room.fail(CloseCode.InternalError);
      }
    }
  }
}
