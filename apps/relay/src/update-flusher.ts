import { CloseCode } from '@meshpad/protocol';
import type { DocStore } from '@meshpad/storage';
import type { FastifyBaseLogger } from 'fastify';
import type { PendingUpdate, Room } from './room.js';

/**
 * Collects the updates accepted during one event-loop turn, appends them to storage in one
 * transaction, and only then forwards them. Writes run one after another, in turn order.
 */
export class UpdateFlusher {
  private readonly dirty = new Set<Room>();
  private scheduled = false;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: DocStore,
    private readonly log: FastifyBaseLogger,
    private readonly onStored: (room: Room) => void,
  ) {}

  enqueue(room: Room, update: PendingUpdate): void {
    room.enqueue(update);
    this.dirty.add(room);
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
    const batches = [...this.dirty].map((room) => [room, room.takePending()] as const);
    this.dirty.clear();
    this.tail = this.tail.then(() => this.write(batches));
  };

  private async write(batches: ReadonlyArray<readonly [Room, PendingUpdate[]]>): Promise<void> {
    const entries = batches.flatMap(([room, pending]) =>
      pending.map((p) => ({ docName: room.name, update: p.update })),
    );
    try {
      await this.store.append(entries);
    } catch (cause) {
      // Nothing of this batch is forwarded: its senders still hold the updates and resend them on reconnect.
      this.log.error({ err: cause, updates: entries.length }, 'storing updates failed; closing their senders');
      for (const [, pending] of batches) {
        for (const { from } of pending) {
          from.close(CloseCode.StorageUnavailable, `update not stored: ${(cause as Error).message}`);
        }
      }
      return;
    }
    for (const [room, pending] of batches) {
      room.deliver(pending);
      this.onStored(room);
    }
  }
}
