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

/** When a document's log is compacted. */
export interface CompactionPolicy {
  /** Stored updates after which a loaded document's log is compacted. */
  readonly afterUpdates: number;
  /** Quiet time a document waits before a scheduled compaction runs. */
  readonly delayMs: number;
}

/**
 * A log that grew this many times `afterUpdates` since the last compaction (a paste, an import, a client back from
 * a long time offline) is compacted soon: until then every joiner downloads the whole history.
 */
const BURST_FACTOR = 10;
const BURST_COMPACTION_DELAY_MS = 250;

/** What the compactor counts of a loaded document's log. */
interface LogLength {
  /** Rows since the last scheduled compaction (the snapshot it writes counts as one). */
  sinceScheduled: number;
  /** Rows no compaction has covered yet. */
  uncovered: number;
}

/**
 * Rewrites a document's update log as one garbage-collected snapshot, in the background: once its log
 * grew by the policy's number of updates, or its last connection left, and it has been quiet for the
 * delay; one document at a time, on the compaction thread. Appends made meanwhile are kept.
 */
export class Compactor {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly logs = new Map<string, LogLength>();
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  /** Set once a stopping relay stops the compaction that is running. */
  private stopping = false;

  constructor(
    private readonly store: DocStore,
    private readonly log: FastifyBaseLogger,
    private readonly policy: CompactionPolicy,
    private readonly thread: CompactionThread,
    private readonly targetOf: (docName: string) => CompactionTarget | undefined = () => undefined,
  ) {}

  /** A document was loaded with `rows` rows in its log. */
  loaded(docName: string, rows: number): void {
    this.logs.set(docName, { sinceScheduled: rows, uncovered: rows });
  }

  /** `count` more updates of a loaded document were stored: a log that grew long is compacted. */
  stored(docName: string, count: number): void {
    const log = this.logs.get(docName);
    if (log === undefined) return;
    log.sinceScheduled += count;
    log.uncovered += count;
    if (log.sinceScheduled < this.policy.afterUpdates) return;
    log.sinceScheduled = 1;
    const burst = log.uncovered >= BURST_FACTOR * this.policy.afterUpdates;
    this.schedule(docName, burst ? BURST_COMPACTION_DELAY_MS : undefined);
  }

  /** A document's last connection left: a log of more than one row is compacted once it has been quiet. */
  left(docName: string): void {
    if ((this.logs.get(docName)?.sinceScheduled ?? 0) > 1) this.schedule(docName);
  }

  /** A document was unloaded: its log is counted afresh when it is loaded again. */
  forget(docName: string): void {
    this.logs.delete(docName);
  }

  /** (Re)starts the quiet-time countdown for `docName`, of `delayMs` (the policy's delay by default). */
  schedule(docName: string, delayMs = this.policy.delayMs): void {
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
      const target = this.targetOf(docName);
      const seal = target?.seal();
      const log = this.logs.get(docName);
      if (log !== undefined) log.uncovered = 0;
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
