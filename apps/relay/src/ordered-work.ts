/**
 * Runs one room's work in arrival order: work that returns a promise (a large update judged in another
 * thread) holds back what arrives after it until it settles, up to `maxWaitingBytes` of waiting frames.
 */
export class OrderedWork {
  #busy = false;
  #waiting: Array<{ readonly work: () => undefined | Promise<void>; readonly bytes: number }> = [];
  #waitingBytes = 0;

  constructor(private readonly maxWaitingBytes: number) {}

  /**
   * Runs `work` now, or after what is running and waiting; false (dropping it) when the frames waiting
   * would pass the limit. `work` must not reject.
   */
  run(work: () => undefined | Promise<void>, bytes: number): boolean {
    if (!this.#busy) {
      this.#start(work);
      return true;
    }
    if (this.#waitingBytes + bytes > this.maxWaitingBytes) return false;
    this.#waiting.push({ work, bytes });
    this.#waitingBytes += bytes;
    return true;
  }

  #start(work: () => undefined | Promise<void>): void {
    const running = work();
    if (running === undefined) return;
    this.#busy = true;
    void running.finally(() => {
      this.#busy = false;
      while (!this.#busy && this.#waiting.length > 0) {
        const next = this.#waiting.shift()!;
        this.#waitingBytes -= next.bytes;
        this.#start(next.work);
      }
    });
  }
}
