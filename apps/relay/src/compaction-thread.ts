import type { QuarantinedUpdate } from '@meshpad/protocol';
import { WorkerThread, WorkerThreadFailed, type WorkerThreadOptions } from './worker-thread.js';

export interface CompactionResult {
  readonly snapshot: Uint8Array;
  readonly quarantined: readonly QuarantinedUpdate[];
}

export type CompactionThreadOptions = WorkerThreadOptions;

/** Thrown when a compaction failed in the thread: it ran out of time or memory, or threw. */
export class CompactionFailed extends Error {
  override name = 'CompactionFailed';
}

/**
 * Where compactions run: a worker thread started on demand, one compaction at a time (the
 * compactor sends them one after another), stopped when it times out, crashes or stays idle.
 */
export class CompactionThread {
  readonly #thread: WorkerThread<readonly Uint8Array[], CompactionResult>;

  constructor(options: CompactionThreadOptions) {
    // Always the built file: under the test runner this module is TypeScript source, the worker is not.
    this.#thread = new WorkerThread(new URL('../dist/compaction-worker.js', import.meta.url), 'compaction', options);
  }

  /** Screens and compacts `updates` in the thread. */
  async compact(updates: readonly Uint8Array[]): Promise<CompactionResult> {
    try {
      return await this.#thread.request(updates);
    } catch (cause) {
      throw cause instanceof WorkerThreadFailed ? new CompactionFailed(cause.message) : cause;
    }
  }

  stop(): Promise<void> {
    return this.#thread.stop();
  }
}
