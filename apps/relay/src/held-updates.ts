/** Bounds on updates that wait for what they depend on. */
export interface HeldLimits {
  readonly bytesPerConnection: number;
  readonly countPerConnection: number;
  readonly bytesPerRoom: number;
  readonly countPerRoom: number;
  /** How long an update may wait before its sender is closed to resync. */
  readonly maxWaitMs: number;
}

/** Generous for an honest client whose edits reach the relay a moment before a peer's they build on. */
export const DEFAULT_HELD_LIMITS: HeldLimits = {
  bytesPerConnection: 1024 * 1024,
  countPerConnection: 256,
  bytesPerRoom: 8 * 1024 * 1024,
  countPerRoom: 1024,
  maxWaitMs: 15_000,
};

export interface HeldUpdate<Owner> {
  readonly owner: Owner;
  readonly update: Uint8Array;
  readonly since: number;
}

/**
 * One room's updates that depend on structs it has not received yet (an honest client that also syncs
 * peer-to-peer may send an edit before the relay has the peer's edit it builds on), bounded per sender
 * and per room in bytes, count and time. A sender past a bound loses all it holds here and is closed by
 * the caller, transiently, so it resyncs and sends them again.
 */
export class HeldUpdates<Owner> {
  #entries: HeldUpdate<Owner>[] = [];
  #bytes = 0;
  readonly #perOwner = new Map<Owner, { bytes: number; count: number; waiters: Array<() => void> }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: HeldLimits,
    /** Called when `owner`'s oldest update waited too long; its updates are already dropped. */
    private readonly onExpired: (owner: Owner) => void,
  ) {}

  get size(): number {
    return this.#entries.length;
  }

  holds(owner: Owner): boolean {
    return this.#perOwner.has(owner);
  }

  /** Holds `update` for `owner`; returns the bound it would pass instead (then nothing is held). */
  hold(owner: Owner, update: Uint8Array, now = performance.now()): string | undefined {
    const mine = this.#perOwner.get(owner) ?? { bytes: 0, count: 0, waiters: [] };
    const limits = this.limits;
    if (mine.bytes + update.length > limits.bytesPerConnection)
      return `over ${limits.bytesPerConnection} bytes held for one connection`;
    if (mine.count + 1 > limits.countPerConnection)
      return `over ${limits.countPerConnection} updates held for one connection`;
    if (this.#bytes + update.length > limits.bytesPerRoom) return `over ${limits.bytesPerRoom} bytes held in the room`;
    if (this.#entries.length + 1 > limits.countPerRoom) return `over ${limits.countPerRoom} updates held in the room`;
    mine.bytes += update.length;
    mine.count++;
    this.#perOwner.set(owner, mine);
    this.#entries.push({ owner, update, since: now });
    this.#bytes += update.length;
    this.#schedule();
    return undefined;
  }

  /** Removes and returns everything held, oldest first (to be admitted again). */
  takeAll(): HeldUpdate<Owner>[] {
    const entries = this.#entries;
    this.#entries = [];
    this.#bytes = 0;
    const owners = [...this.#perOwner.values()];
    this.#perOwner.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const owner of owners) for (const wake of owner.waiters) wake();
    return entries;
  }

  /** Drops what `owner` holds (it closed, or passed a bound). */
  drop(owner: Owner): void {
    const mine = this.#perOwner.get(owner);
    if (mine === undefined) return;
    this.#perOwner.delete(owner);
    this.#entries = this.#entries.filter((entry) => entry.owner !== owner);
    this.#bytes -= mine.bytes;
    for (const wake of mine.waiters) wake();
    if (this.#entries.length === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Resolves once `owner` holds nothing here (its updates were admitted again, or dropped). */
  async whenReleased(owner: Owner): Promise<void> {
    // Woken whenever its updates are taken out; some may be held again right after.
    for (let mine = this.#perOwner.get(owner); mine !== undefined; mine = this.#perOwner.get(owner)) {
      const waiting = mine;
      await new Promise<void>((resolve) => waiting.waiters.push(resolve));
    }
  }

  /** Cancels the expiry timer and wakes every waiter. */
  clear(): void {
    this.takeAll();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#entries.length === 0) return;
    const oldest = this.#entries[0]!.since;
    const delay = Math.max(0, oldest + this.limits.maxWaitMs - performance.now());
    this.#timer = setTimeout(this.#expire, delay);
    this.#timer.unref();
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    const deadline = performance.now() - this.limits.maxWaitMs;
    const expired = new Set<Owner>();
    for (const entry of this.#entries) if (entry.since <= deadline) expired.add(entry.owner);
    for (const owner of expired) {
      this.drop(owner);
      this.onExpired(owner);
    }
    this.#schedule();
  };
}
