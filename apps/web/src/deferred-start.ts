/**
 * Starts something once a promise settles, unless it was cancelled meanwhile (the element disconnected, or restarted
 * and started again with a newer promise).
 */
export class DeferredStart {
  #generation = 0;

  /** Calls `start` now without `ready`, or once `ready` settles if no cancel or newer run came first. */
  run(ready: Promise<unknown> | undefined, start: () => void): void {
    const generation = ++this.#generation;
    if (ready === undefined) {
      start();
      return;
    }
    // Settled either way, and never an unhandled rejection: a failed registration still lets the session start.
    const go = () => {
      if (generation === this.#generation) start();
    };
    ready.then(go, go);
  }

  cancel(): void {
    this.#generation++;
  }
}
