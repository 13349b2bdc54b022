import { Worker } from 'node:worker_threads';
import type { QuarantinedUpdate } from '@meshpad/protocol';

export interface CompactionRequest {
  readonly id: number;
  readonly updates: readonly Uint8Array[];
}

export type CompactionReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly snapshot: Uint8Array;
      readonly quarantined: readonly QuarantinedUpdate[];
      /** How many of the updates the snapshot holds. */
      readonly kept: number;
    }
  | { readonly id: number; readonly ok: false; readonly message: string };

export interface CompactionResult {
  readonly snapshot: Uint8Array;
  readonly quarantined: readonly QuarantinedUpdate[];
}

export interface CompactionThreadOptions {
  /** Longest one compaction may take before the thread is stopped and the log kept as is. */
  readonly timeoutMs: number;
  /** Old-generation heap of the thread; a compaction that needs more fails alone. */
  readonly maxHeapMb: number;
  /** The thread stops after this long without work, giving its memory back. */
  readonly idleMs: number;
}

/** Thrown when a compaction failed in the thread: it ran out of time or memory, or threw. */
export class CompactionFailed extends Error {
  override name = 'CompactionFailed';
}

/**
 * Where compactions run: a worker thread started on demand, one compaction at a time (the
 * compactor sends them one after another), stopped when it times out, crashes or stays idle.
 */
export class CompactionThread {
  #worker: Worker | undefined;
  #nextId = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CompactionThreadOptions) {}

  /** Screens and compacts `updates` in the thread. */
  compact(updates: readonly Uint8Array[]): Promise<CompactionResult> {
    clearTimeout(this.#idleTimer);
    const worker = this.#start();
    const id = ++this.#nextId;
    return new Promise<CompactionResult>((resolve, reject) => {
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
        this.#idleTimer = setTimeout(() => void this.stop(), this.options.idleMs);
        this.#idleTimer.unref();
        outcome();
      };
      const fail = (message: string) => {
        this.#discard(worker);
        finish(() => reject(new CompactionFailed(message)));
      };
      const onMessage = (reply: CompactionReply) => {
        if (reply.id !== id) return;
        if (reply.ok) finish(() => resolve({ snapshot: reply.snapshot, quarantined: reply.quarantined }));
        else finish(() => reject(new CompactionFailed(`compaction threw: ${reply.message}`)));
      };
      const onError = (error: Error) => fail(`compaction thread failed: ${error.message}`);
      const onExit = (code: number) => fail(`compaction thread exited with code ${code}`);
      const timer = setTimeout(
        () => fail(`compaction took over ${this.options.timeoutMs} ms and was stopped`),
        this.options.timeoutMs,
      );
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.ref();
      worker.postMessage({ id, updates } satisfies CompactionRequest);
    });
  }

  /** Stops the thread (a later compaction starts a new one). */
  async stop(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    // Always the built file: under the test runner this module is TypeScript source, the worker is not.
    const worker = new Worker(new URL('../dist/compaction-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
    });
    this.#worker = worker;
    return worker;
  }

  #discard(worker: Worker): void {
    if (this.#worker === worker) this.#worker = undefined;
    void worker.terminate();
  }
}
