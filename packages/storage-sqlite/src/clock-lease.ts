import type { Statements } from './statements.js';

/** How many clocks a connection reserves at once: one extra page write per this many appends. */
const BLOCK_SIZE = 4096;

/**
 * Hands out the store-wide clock (`updates.seq`) from blocks reserved in the `clock` table. A
 * commit by another connection voids the current block, so clocks always follow commit order,
 * also when several connections or processes write to one database. Every method must run inside
 * a write transaction.
 */
export class ClockLease {
  #next = 1;
  #last = 0;
  #seenVersion: number | undefined;

  constructor(private readonly statements: Statements) {}

  /** Starts a write transaction; returns whether another connection committed since the last one. */
  begin(): boolean {
    const version = this.statements.dataVersion.get();
    if (version === this.#seenVersion) return false;
    this.#seenVersion = version;
    this.#last = 0;
    return true;
  }

  next(): number {
    if (this.#next > this.#last) {
      this.#last = this.statements.reserveClocks.get(BLOCK_SIZE)!;
      this.#next = this.#last - BLOCK_SIZE + 1;
    }
    return this.#next++;
  }

  /**
   * The highest clock any connection may have handed out, the base of a new document. Voids the
   * current block, so this connection's next clock is above it.
   */
  ceiling(): number {
    this.#last = 0;
    return this.statements.reservedClock.get()!;
  }

  /** After a rolled back transaction: its reservation was rolled back too. */
  abandon(): void {
    this.#last = 0;
  }
}
