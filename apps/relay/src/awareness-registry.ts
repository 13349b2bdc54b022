import { type AwarenessEntry, isRemoval } from '@meshpad/protocol';

interface Held {
  readonly entry: AwarenessEntry;
  readonly owner: object;
}

/**
 * The awareness states of one room and which connection set each, kept as raw JSON text so the relay
 * needs no Y.Doc. Entries follow y-protocols' rule: a higher clock wins, and a removal at the same
 * clock wins over a state.
 */
export class AwarenessRegistry {
  private readonly states = new Map<number, Held>();

  /** Records entries received from `owner`. */
  apply(entries: readonly AwarenessEntry[], owner: object): void {
    for (const entry of entries) {
      const held = this.states.get(entry.clientID);
      const newer =
        held === undefined ||
        entry.clock > held.entry.clock ||
        (entry.clock === held.entry.clock && isRemoval(entry) && !isRemoval(held.entry));
      if (!newer) continue;
      if (isRemoval(entry)) this.states.delete(entry.clientID);
      else this.states.set(entry.clientID, { entry, owner });
    }
  }

  /** Forgets every state `owner` set and returns the removal entries to broadcast. */
  removeOwner(owner: object): AwarenessEntry[] {
    const removals: AwarenessEntry[] = [];
    for (const [clientID, held] of this.states) {
      if (held.owner !== owner) continue;
      this.states.delete(clientID);
      removals.push({ clientID, clock: held.entry.clock + 1, state: 'null' });
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
}
