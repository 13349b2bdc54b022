import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';

/** Nice value of the relay's worker threads: under contention the event loop gets about ten times their share. */
const WORKER_NICENESS = 10;

export interface WorkerThreadOptions {
  /** Longest one request may take before the thread is stopped (failing every request in it). */
  readonly timeoutMs: number;
  /** Old-generation heap of the thread; work that needs more fails, the relay does not. */
  readonly maxHeapMb: number;
  /** Young-generation heap of the thread, when smaller than V8's default (fewer MiB held, more frequent scavenges). */
  readonly maxYoungHeapMb?: number;
  /** The thread stops after this long without work, giving its memory back. */
  readonly idleMs: number;
}

/** Thrown when a request failed in the thread: it ran out of time or memory, crashed, or the handler threw. */
export class WorkerThreadFailed extends Error {
  override name = 'WorkerThreadFailed';
}

type Reply<T> =
  | { readonly id: number; readonly ok: true; readonly value: T }
  | { readonly id: number; readonly ok: false; readonly message: string };

interface Pending<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: WorkerThreadFailed) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Work that must not run on the event loop (it may take seconds for hostile input), sent to one
 * worker thread started on demand: requests are answered in order, each within a time limit, and the
 * thread is stopped when one times out, when it crashes, or when it has been idle a while.
 */
export class WorkerThread<Request, Result> {
  #worker: Worker | undefined;
  #nextId = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #pending = new Map<number, Pending<Result>>();

  /** `file` is the thread's built entry point, which calls {@link serveRequests}. */
  constructor(
    private readonly file: URL,
    private readonly what: string,
    private readonly options: WorkerThreadOptions,
  ) {}

  request(request: Request): Promise<Result> {
    clearTimeout(this.#idleTimer);
    const worker = this.#start();
    const id = ++this.#nextId;
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(
        () => this.#discard(worker, `${this.what} took over ${this.options.timeoutMs} ms and was stopped`),
        this.options.timeoutMs,
      );
      this.#pending.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, request });
    });
  }

  /** Stops the thread, failing what it was doing (a later request starts a new one). */
  async stop(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#discard(worker, `${this.what} thread stopped`);
    await worker.terminate();
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const { maxHeapMb, maxYoungHeapMb } = this.options;
    const worker = new Worker(this.file, {
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: maxYoungHeapMb },
    });
    worker.on('message', (reply: Reply<Result>) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#settle(reply.id, pending);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new WorkerThreadFailed(`${this.what} threw: ${reply.message}`));
    });
    worker.on('error', (error: Error) => this.#discard(worker, `${this.what} thread failed: ${error.message}`));
    worker.on('exit', (code: number) => this.#discard(worker, `${this.what} thread exited with code ${code}`));
    this.#worker = worker;
    return worker;
  }

  #settle(id: number, pending: Pending<Result>): void {
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    if (this.#pending.size > 0 || this.#worker === undefined) return;
    this.#worker.unref();
    this.#idleTimer = setTimeout(() => void this.stop(), this.options.idleMs);
    this.#idleTimer.unref();
  }

  /** Stops `worker` and fails what it was doing; a thread already replaced or stopped fails nothing more. */
  #discard(worker: Worker, message: string): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    void worker.terminate();
    for (const [id, pending] of this.#pending) {
      this.#settle(id, pending);
      pending.reject(new WorkerThreadFailed(message));
    }
  }
}

/**
 * Lowers the calling thread's scheduling priority: what runs in these threads is work a client can cause (seconds of
 * it, for hostile input), and on a busy machine the event loop delivering everyone's edits must come first. Linux
 * only, where setpriority on a thread id applies to that thread alone; elsewhere it would slow the whole relay.
 */
function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId !== process.pid) setPriority(threadId, WORKER_NICENESS);
  } catch {
    // No /proc or not allowed: the thread keeps the relay's priority, which is only slower under load.
  }
}

/** In a thread's entry point: answers each request with `handle`, reporting what it throws. */
export function serveRequests<Request, Result>(handle: (request: Request) => Result): void {
  lowerThreadPriority();
  parentPort?.on('message', ({ id, request }: { id: number; request: Request }) => {
    let reply: Reply<Result>;
    try {
      reply = { id, ok: true, value: handle(request) };
    } catch (cause) {
      reply = { id, ok: false, message: (cause as Error).message };
    }
    parentPort?.postMessage(reply);
  });
}
