/** Bounds on the client ids a connection without presence owns by writing (PROTOCOL.md, "Clock ownership"). */
export interface ClockOwnerLimits {
  /** How long an owner may send no new clocks of a client id before it stops owning it. */
  readonly timeoutMs: number;
  /** Client ids one connection may own at once; new ids past it are left unowned. */
  readonly clientsPerConnection: number;
}

/**
 * Covers a pause in typing; short enough that an id a stock client forwarded for a mesh peer is free again before
 * that peer's own held edits time out (15 s).
 */
export const DEFAULT_CLOCK_OWNER_LIMITS: ClockOwnerLimits = {
  timeoutMs: 10_000,
  clientsPerConnection: 8,
};

interface Owned<Owner> {
  readonly owner: Owner;
  /** When the owner last had new clocks of the id admitted. */
  heardAt: number;
}

/**
 * Which live connection owns the new clocks of each client id of a room that no connection owns by presence: the
 * first to write under an id nobody owns, until it closes or has no new clocks of the id admitted for the timeout.
 * Lapsed entries are forgotten when looked up, or when their owner needs room for another id.
 */
export class ClockOwners<Owner> {
  readonly #owners = new Map<number, Owned<Owner>>();
  readonly #byOwner = new Map<Owner, Set<number>>();

  constructor(
    private readonly limits: ClockOwnerLimits = DEFAULT_CLOCK_OWNER_LIMITS,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /** The owner of `client`'s new clocks, or undefined when nobody owns them (any more). */
  ownerOf(client: number): Owner | undefined {
    const owned = this.#owners.get(client);
    if (owned === undefined) return undefined;
    if (!this.#lapsed(owned, this.now())) return owned.owner;
    this.#forget(client, owned.owner);
    return undefined;
  }

  /** Renews the ids among `clients` that `owner` owns: it had new clocks of them admitted. */
  renew(owner: Owner, clients: Iterable<number>): void {
    if (!this.#byOwner.has(owner)) return;
    const now = this.now();
    for (const client of clients) {
      const owned = this.#owners.get(client);
      if (owned?.owner === owner) owned.heardAt = now;
    }
  }

  /** Gives `client` to `owner` unless a live owner has it or `owner` is at its limit; returns whether it did. */
  introduce(owner: Owner, client: number): boolean {
    if (this.ownerOf(client) !== undefined) return false;
    const now = this.now();
    let mine = this.#byOwner.get(owner);
    if (mine === undefined) {
      mine = new Set();
      this.#byOwner.set(owner, mine);
    }
    if (mine.size >= this.limits.clientsPerConnection) {
      for (const id of mine) {
        if (!this.#lapsed(this.#owners.get(id)!, now)) continue;
        mine.delete(id);
        this.#owners.delete(id);
      }
      if (mine.size >= this.limits.clientsPerConnection) return false;
    }
    mine.add(client);
    this.#owners.set(client, { owner, heardAt: now });
    return true;
  }

  /** Frees every id `owner` owns (it closed); returns whether it owned any. */
  removeOwner(owner: Owner): boolean {
    const mine = this.#byOwner.get(owner);
    if (mine === undefined) return false;
    this.#byOwner.delete(owner);
    for (const client of mine) this.#owners.delete(client);
    return mine.size > 0;
  }

  #lapsed(owned: Owned<Owner>, now: number): boolean {
    return now - owned.heardAt >= this.limits.timeoutMs;
  }

  #forget(client: number, owner: Owner): void {
    this.#owners.delete(client);
    const mine = this.#byOwner.get(owner);
    mine?.delete(client);
    if (mine?.size === 0) this.#byOwner.delete(owner);
  }
}
