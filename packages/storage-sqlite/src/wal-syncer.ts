import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

type Reply = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly code?: string };

const WORKER_URL = new URL('../worker/checkpoint.cjs', import.meta.url);
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/** A failed checkpoint, with SQLite's error code when there is one. */
class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Makes committed transactions durable by checkpointing the database from a worker thread. Calls
 * made while a checkpoint runs share the next one, so any number of callers cost at most two
 * checkpoints in a row. A worker that dies fails its caller and is replaced on the next call.
 */
export class WalSyncer {
  #worker: Worker | undefined;
  #reply: ((reply: Reply) => void) | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly busyTimeoutMs: number,
  ) {}

  /** Resolves after a checkpoint that started after this call; rejects with the cause if it failed. */
  sync(): Promise<void> {
    if (this.#running === undefined) return this.#start();
    this.#queued ??= this.#running
      .catch(() => {})
      .then(() => {
        this.#queued = undefined;
        return this.#start();
      });
    return this.#queued;
  }

  /** Waits for the checkpoints asked for, then stops the worker. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#queued]);
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // An idle worker is unreferenced: without this, a process with nothing else to do would end
    // before the worker's exit, and the store's last checkpoint and close with it.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  #start(): Promise<void> {
    const running = this.#checkpoint().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }

  #checkpoint(): Promise<void> {
    const worker = this.#ensureWorker();
    // Kept alive only while a checkpoint runs, so an idle store never holds the process open.
    worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.#reply = (reply) => {
        this.#reply = undefined;
        worker.unref();
        if (reply.ok) resolve();
        else reject(new CheckpointError(reply.message, reply.code));
      };
      worker.postMessage('checkpoint');
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_URL, {
      workerData: { path: this.path, busyTimeoutMs: this.busyTimeoutMs, driver: DRIVER },
    });
    const fail = (message: string) => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#reply?.({ ok: false, message });
    };
    worker.on('message', (reply: Reply) => this.#reply?.(reply));
    worker.on('error', (error) => fail(`checkpoint thread failed: ${error.message}`));
    worker.on('exit', (code) => fail(`checkpoint thread exited with code ${code}`));
    this.#worker = worker;
    return worker;
  }
}
