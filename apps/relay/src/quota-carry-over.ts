/**
 * The quota a connection leaves behind when it closes, handed to the next connection that comes from
 * the same address to the same place: closing and reconnecting does not refill a quota. Kept for
 * `keepMs` (the time an emptied quota takes to refill), and for at most `maxEntries` closed connections.
 */
export class QuotaCarryOver<T> {
  readonly #left = new Map<string, { readonly quota: T; readonly until: number }>();

  constructor(
    private readonly keepMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** The quota left under `key` by a connection that closed less than `keepMs` ago, if any. */
  take(key: string, now = performance.now()): T | undefined {
    const entry = this.#left.get(key);
    if (entry === undefined) return undefined;
    this.#left.delete(key);
    return entry.until > now ? entry.quota : undefined;
  }

  /** Keeps the quota of a connection that closed, for the next one with the same key. */
  leave(key: string, quota: T, now = performance.now()): void {
    this.#left.delete(key);
    this.#left.set(key, { quota, until: now + this.keepMs });
    // Every entry is kept equally long, so insertion order is expiry order.
    for (const [oldest, entry] of this.#left) {
      if (entry.until > now && this.#left.size <= this.maxEntries) break;
      this.#left.delete(oldest);
    }
  }

  get size(): number {
    return this.#left.size;
  }
}
