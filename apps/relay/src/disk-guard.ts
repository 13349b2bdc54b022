import { statfs } from 'node:fs/promises';
import type { FastifyBaseLogger } from 'fastify';

const CHECK_INTERVAL_MS = 2_000;

/**
 * Watches the free space of the data directory's file system and says when storing must stop: well
 * before SQLite runs out of room mid-write and fails every writer of every room at once. Reading goes
 * on. Checked every two seconds, so the guard needs a margin larger than two seconds of writes.
 */
export class DiskGuard {
  #full = false;
  readonly #timer: NodeJS.Timeout;

  private constructor(
    private readonly dir: string,
    private readonly minFreeBytes: number,
    private readonly log: FastifyBaseLogger,
  ) {
    this.#timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Starts watching `dir` after a first check. A `minFreeBytes` of 0 turns the guard off. */
  static async start(dir: string, minFreeBytes: number, log: FastifyBaseLogger): Promise<DiskGuard> {
    const guard = new DiskGuard(dir, minFreeBytes, log);
    await guard.check();
    return guard;
  }

  /** Whether updates may be stored. */
  canStore(): boolean {
    return !this.#full;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async check(): Promise<void> {
    if (this.minFreeBytes === 0) return;
    let free: number;
    try {
      const stats = await statfs(this.dir);
      free = stats.bavail * stats.bsize;
    } catch {
      // No such directory (a store that is not on disk): nothing to guard.
      return;
    }
    const full = free < this.minFreeBytes;
    if (full === this.#full) return;
    this.#full = full;
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
    if (full) {
      this.log.error(
        { dataDir: this.dir, freeBytes: free, minFreeBytes: this.minFreeBytes },
        `the data directory has ${mib(free)} free, under the guard of ${mib(this.minFreeBytes)}: no update is stored until space is freed (documents can still be read; clients keep their edits)`,
      );
    } else {
      this.log.info(
        { dataDir: this.dir, freeBytes: free },
        `the data directory has ${mib(free)} free again: storing updates`,
      );
    }
  }
}
