import { type AwarenessEntry, DEFAULT_AWARENESS_LIMITS, isRemoval } from '@meshpad/protocol';

/** Bounds on what one connection can put into a room's awareness (see PROTOCOL.md "Awareness ownership"). */
export interface AwarenessLimits {
  /** Client ids one connection may own at once. */
  readonly clientsPerConnection: number;
  /** Longest state accepted, in UTF-8 bytes of JSON text. */
  readonly stateBytes: number;
  /** Entries of one message looked at; the rest are ignored. */
  readonly entriesPerMessage: number;
  /** How long an owner may say nothing about a client id before another connection can take it over. */
  readonly ownerTimeoutMs: number;
}

interface Held<Owner> {
  entry: AwarenessEntry;
  owner: Owner;
  /** Whether the owner forwards this state for another client (a mesh peer) rather than being that client. */
  forwarded: boolean;
  /** When the owner last sent anything about this client id. */
  heardAt: number;
}

/** How many removed clients' clocks a room remembers, so stale copies of their states are not taken back. */
const MAX_REMOVED_CLOCKS = 1024;

/**
 * The awareness states of one room and which connection owns each, kept as raw JSON text so the relay
 * needs no Y.Doc. Entries follow y-protocols' rule: a higher clock wins, and a removal at the same
 * clock wins over a state. On top of that, a client id belongs to the live connection that set its
 * state first: nobody else can change or remove it until that connection closes, or says nothing about
 * it for `ownerTimeoutMs`, except the connection whose own id it is taking it from one that only
 * forwarded it. Entries that break a rule are dropped, never answered with a close: stock clients send
 * back every state they receive, and Meshpad sessions forward their mesh peers' states.
 */
export class AwarenessRegistry<Owner extends object = object> {
  private readonly states = new Map<number, Held<Owner>>();
  /** The client ids each live connection owns. */
  private readonly owned = new Map<Owner, Set<number>>();
  /**
   * Each connection's own client id: that of the first state it sent. y-websocket sends its local state as
   * soon as it connects, before anything it could forward.
   */
  private readonly ownIds = new Map<Owner, number>();
  /** Clocks of removed clients, oldest first; made on the first removal (most rooms are idle). */
  private removedClocks: Map<number, number> | undefined;
  /** Bumped whenever a client id gets a new owner or is freed, so callers can tell that ownership changed. */
  ownersVersion = 0;

  constructor(
    private readonly limits: AwarenessLimits = DEFAULT_AWARENESS_LIMITS,
    private readonly now: () => number = performance.now.bind(performance),
    /**
     * Told when a connection names as its own an id that `owner` holds as its own: either someone is impersonating
     * the owner, or the owner's client is back on a new connection while the old one is still half-open.
     */
    private readonly onContested: (owner: Owner) => void = () => {},
  ) {}

  /**
   * Records entries received from `owner` and returns those that changed something, in order (a
   * subsequence of `entries`). Most entries a relay receives are copies it already has, sent back by
   * stock clients; forwarding those would multiply every awareness renewal by the number of clients.
   */
  apply(entries: readonly AwarenessEntry[], owner: Owner): AwarenessEntry[] {
    const now = this.now();
    const accepted: AwarenessEntry[] = [];
    const count = Math.min(entries.length, this.limits.entriesPerMessage);
    for (let i = 0; i < count; i++) {
      const entry = entries[i]!;
      if (!this.ownIds.has(owner) && !isRemoval(entry)) this.ownIds.set(owner, entry.clientID);
      const held = this.states.get(entry.clientID);
      if (held !== undefined) {
        if (held.owner === owner) held.heardAt = now;
        else if (!this.mayTakeOver(held, owner, now)) {
          if (!held.forwarded && !isRemoval(entry) && this.ownIds.get(owner) === entry.clientID) {
            this.onContested(held.owner);
          }
          continue;
        }
      }
      if (isRemoval(entry)) {
        if (held === undefined || entry.clock < held.entry.clock) continue;
        this.delete(entry.clientID, held, entry.clock);
      } else {
        const known = held?.entry.clock ?? this.removedClocks?.get(entry.clientID);
        if (known !== undefined && entry.clock <= known) continue;
        if (Buffer.byteLength(entry.state, 'utf8') > this.limits.stateBytes) continue;
        if (held?.owner !== owner && !this.makeRoom(owner, now)) continue;
        this.set(entry, owner, held, now);
      }
      accepted.push(entry);
    }
    return accepted;
  }

  /** Forgets every state `owner` set and returns the removal entries to broadcast. */
  removeOwner(owner: Owner): AwarenessEntry[] {
    this.ownIds.delete(owner);
    const removals: AwarenessEntry[] = [];
    for (const clientID of this.owned.get(owner) ?? []) {
      const clock = this.states.get(clientID)!.entry.clock + 1;
      this.delete(clientID, this.states.get(clientID)!, clock);
      removals.push({ clientID, clock, state: 'null' });
    }
    return removals;
  }

  /** Whether `owner` has announced a presence of its own (sent a state that is not a removal). */
  hasOwnId(owner: Owner): boolean {
    return this.ownIds.has(owner);
  }

  /**
   * The connection whose own id `clientID` is (the first state it sent was for it) while it renews that state, or
   * undefined. Forwarded states do not count: a Meshpad session forwards the presence of mesh peers.
   */
  ownConnectionOf(clientID: number): Owner | undefined {
    const held = this.states.get(clientID);
    if (held === undefined || held.forwarded || this.isSilent(held, this.now())) return undefined;
    return held.owner;
  }

  /** Every state renewed within the owner timeout; older ones every y-protocols client has dropped already. */
  entries(): AwarenessEntry[] {
    const now = this.now();
    const live: AwarenessEntry[] = [];
    for (const held of this.states.values()) if (!this.isSilent(held, now)) live.push(held.entry);
    return live;
  }

  get size(): number {
    return this.states.size;
  }

  private isSilent(held: Held<Owner>, now: number): boolean {
    return now - held.heardAt >= this.limits.ownerTimeoutMs;
  }

  /**
   * Whether `claimant` may change a state another connection owns: once the owner has been silent about it
   * for the timeout, or when it is the claimant's own id and the owner only forwards it (a session forwarded
   * a mesh peer while that peer was away from the relay, and the peer is back).
   */
  private mayTakeOver(held: Held<Owner>, claimant: Owner, now: number): boolean {
    return this.isSilent(held, now) || (held.forwarded && this.ownIds.get(claimant) === held.entry.clientID);
  }

  /**
   * Whether `owner` may take one more client id. At its limit, it first gives up the ids it has been silent
   * about for the owner timeout (a mesh peer it forwarded left without a removal): their states are dropped
   * without a broadcast, since every y-protocols client has already timed them out.
   */
  private makeRoom(owner: Owner, now: number): boolean {
    const ids = this.owned.get(owner);
    if (ids === undefined || ids.size < this.limits.clientsPerConnection) return true;
    for (const clientID of ids) {
      const held = this.states.get(clientID)!;
      if (this.isSilent(held, now)) this.delete(clientID, held, held.entry.clock + 1);
    }
    return ids.size < this.limits.clientsPerConnection;
  }

  private set(entry: AwarenessEntry, owner: Owner, held: Held<Owner> | undefined, now: number): void {
    this.removedClocks?.delete(entry.clientID);
    const forwarded = this.ownIds.get(owner) !== entry.clientID;
    if (held?.owner !== owner || held.forwarded !== forwarded) this.ownersVersion++;
    if (held === undefined) {
      this.states.set(entry.clientID, { entry, owner, forwarded, heardAt: now });
    } else {
      if (held.owner !== owner) this.release(held.owner, entry.clientID);
      held.entry = entry;
      held.owner = owner;
      held.forwarded = forwarded;
      held.heardAt = now;
    }
    const ids = this.owned.get(owner);
    if (ids === undefined) this.owned.set(owner, new Set([entry.clientID]));
    else ids.add(entry.clientID);
  }

  private delete(clientID: number, held: Held<Owner>, clock: number): void {
    this.ownersVersion++;
    this.states.delete(clientID);
    this.release(held.owner, clientID);
    this.rememberRemoval(clientID, clock);
  }

  private release(owner: Owner, clientID: number): void {
    const ids = this.owned.get(owner);
    ids?.delete(clientID);
    if (ids?.size === 0) this.owned.delete(owner);
  }

  private rememberRemoval(clientID: number, clock: number): void {
    this.removedClocks ??= new Map();
    const removed = this.removedClocks;
    removed.delete(clientID);
    removed.set(clientID, clock);
    if (removed.size > MAX_REMOVED_CLOCKS) removed.delete(removed.keys().next().value!);
  }
}
