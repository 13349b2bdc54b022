import { type AwarenessEntry, isRemoval } from '@meshpad/protocol';

interface Held {
  readonly entry: AwarenessEntry;
  readonly owner: object;
}

/** How many removed clients' clocks a room remembers, so stale copies of their states are not taken back. */
const MAX_REMOVED_CLOCKS = 1024;

/**
 * The awareness states of one room and which connection set each, kept as raw JSON text so the relay
 * needs no Y.Doc. Entries follow y-protocols' rule: a higher clock wins, and a removal at the same
 * clock wins over a state.
 */
export class AwarenessRegistry {
  private readonly states = new Map<number, Held>();
  /** Clocks of removed clients, oldest first; made on the first removal (most rooms are idle). */
  private removedClocks: Map<number, number> | undefined;

  /**
   * Records entries received from `owner` and returns those that changed something, in order.
   * Stock y-websocket clients send every remote awareness change they apply back to the server, so
   * most entries a relay receives are copies it already has; forwarding those would multiply every
   * awareness renewal by the number of clients in the room.
   */
  apply(entries: readonly AwarenessEntry[], owner: object): AwarenessEntry[] {
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      const held = this.states.get(entry.clientID);
      if (isRemoval(entry)) {
        if (held === undefined || entry.clock < held.entry.clock) continue;
        this.states.delete(entry.clientID);
        this.rememberRemoval(entry.clientID, entry.clock);
      } else {
        const known = held?.entry.clock ?? this.removedClocks?.get(entry.clientID);
        if (known !== undefined && entry.clock <= known) continue;
        this.removedClocks?.delete(entry.clientID);
        this.states.set(entry.clientID, { entry, owner });
      }
      accepted.push(entry);
    }
    return accepted;
  }

  /** Forgets every state `owner` set and returns the removal entries to broadcast. */
  removeOwner(owner: object): AwarenessEntry[] {
    const removals: AwarenessEntry[] = [];
    for (const [clientID, held] of this.states) {
      if (held.owner !== owner) continue;
      const clock = held.entry.clock + 1;
      this.states.delete(clientID);
      this.rememberRemoval(clientID, clock);
      removals.push({ clientID, clock, state: 'null' });
    }
    return removals;
  }

  /** Every current state. */
  entries(): AwarenessEntry[] {
    return [...this.states.values()].map((held) => held.entry);
  }

  get size(): number {
    return this.states.size;
  }

  private rememberRemoval(clientID: number, clock: number): void {
    this.removedClocks ??= new Map();
    const removed = this.removedClocks;
    removed.delete(clientID);
    removed.set(clientID, clock);
    if (removed.size > MAX_REMOVED_CLOCKS) removed.delete(removed.keys().next().value!);
  }
}
