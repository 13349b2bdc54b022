import type { DocStore } from '@meshpad/storage';
import type { FastifyBaseLogger } from 'fastify';
import type { CompactionThread } from './compaction-thread.js';
import { logQuarantined } from './quarantine-log.js';

/** A document loaded in memory, which takes the compacted snapshot in place of what it held. */
export interface CompactionTarget {
  /** Marks what the compaction about to read storage covers; returns a token for `replaceCovered`. */
  seal(): number;
  replaceCovered(seal: number, snapshot: Uint8Array): void;
}

/**
 * Rewrites a document's update log as one garbage-collected snapshot, in the background: after the
 * document has been quiet for `delayMs`, one document at a time, on the compaction thread. Appends
 * made meanwhile are kept.
 */
export class Compactor {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  /** Set once a stopping relay stops the compaction that is running. */
  private stopping = false;

  constructor(
    private readonly store: DocStore,
    private readonly log: FastifyBaseLogger,
    private readonly delayMs: number,
    private readonly thread: CompactionThread,
    private readonly loaded: (docName: string) => CompactionTarget | undefined = () => undefined,
  ) {}

  /** (Re)starts the quiet-time countdown for `docName`, of `delayMs` (the configured delay by default). */
  schedule(docName: string, delayMs = this.delayMs): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(docName));
    const timer = setTimeout(() => {
      this.timers.delete(docName);
      this.tail = this.tail.then(() => this.compact(docName));
    }, delayMs);
    timer.unref();
    this.timers.set(docName, timer);
  }

  /** Compacts `docName` now (after any compaction already running). */
  compactNow(docName: string): Promise<void> {
    clearTimeout(this.timers.get(docName));
    this.timers.delete(docName);
    this.tail = this.tail.then(() => this.compact(docName));
    return this.tail;
  }

  /**
   * Runs the scheduled compactions now, one after another, starting none after `budgetMs`: a relay
   * that stops leaves short logs behind, so its next start loads snapshots, not long logs.
   */
  async compactScheduled(budgetMs: number): Promise<void> {
    const deadline = performance.now() + budgetMs;
    const names = [...this.timers.keys()];
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    // One compaction can take up to its own time limit; a stopping relay does not wait that long.
    const stopRunning = setTimeout(() => {
      this.stopping = true;
      void this.thread.stop();
    }, budgetMs);
    try {
      await this.tail;
      for (const name of names) {
        if (performance.now() >= deadline) {
          this.log.info({ left: names.length - names.indexOf(name) }, 'stopping before every scheduled compaction ran');
          return;
        }
        await this.compact(name);
      }
    } finally {
      clearTimeout(stopRunning);
    }
  }

  /** Cancels scheduled compactions and stops the running one (its log stays as it was). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.stopping = true;
    await this.thread.stop();
    await this.tail;
  }

  private async compact(docName: string): Promise<void> {
    if (this.closed) return;
    try {
      const started = performance.now();
      // Sealed right before storage is read: everything the room holds now is in what the read returns.
      const target = this.loaded(docName);
      const seal = target?.seal();
      const stored = await this.store.load(docName);
      if (stored.updates.length <= 1) return;
      // Rows that cannot integrate would make the compaction throw on every attempt; the thread leaves them out.
      const { snapshot, quarantined } = await this.thread.compact(stored.updates);
      logQuarantined(this.log, docName, quarantined);
      await this.store.compact(docName, snapshot, stored.clock);
      if (seal !== undefined) target?.replaceCovered(seal, snapshot);
      this.log.debug(
        { room: docName, entries: stored.updates.length, bytes: stored.bytes, snapshotBytes: snapshot.length },
        `compacted in ${(performance.now() - started).toFixed(1)} ms`,
      );
    } catch (cause) {
      // The log stays as it was: nothing is lost, the document is just not compacted yet.
      if (this.stopping)
        this.log.info({ room: docName }, 'compaction stopped with the relay; the update log is kept as is');
      else this.log.error({ err: cause, room: docName }, 'compaction failed; the update log is kept as is');
    }
  }
}
