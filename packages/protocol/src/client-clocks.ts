const INITIAL_BITS = 4;

/**
 * Odd multiplier of the hash, chosen per process: an attacker who picks client ids to collide in the table would
 * have to know it.
 */
const MULTIPLIER = (Math.floor(Math.random() * 2 ** 31) * 2 + 1) | 0;
const HIGH_MULTIPLIER = 0x9e3779b1 | 0;

/**
 * Each client id's clock, for the hundreds of thousands of ids a hostile document can hold. A `Map` of that many
 * rehashes them all at once as it grows, on the event loop (43 ms at 270,000 ids, a stall for every room); this
 * open-addressing table in typed arrays grows in a few milliseconds, and holds an id in 13 bytes at most half full.
 * Client ids are Yjs's: unsigned 32-bit integers.
 */
export class ClientClocks {
  #bits = INITIAL_BITS;
  #clients = new Float64Array(2 ** INITIAL_BITS);
  #clocks = new Float64Array(2 ** INITIAL_BITS);
  #used = new Uint8Array(2 ** INITIAL_BITS);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(client: number): number | undefined {
    const slot = this.#slotOf(client);
    return this.#used[slot] === 1 ? this.#clocks[slot] : undefined;
  }

  set(client: number, clock: number): void {
    let slot = this.#slotOf(client);
    if (this.#used[slot] === 0) {
      if ((this.#size + 1) * 2 > this.#used.length) {
        this.#grow();
        slot = this.#slotOf(client);
      }
      this.#used[slot] = 1;
      this.#clients[slot] = client;
      this.#size++;
    }
    this.#clocks[slot] = clock;
  }

  /**
   * The table as a Yjs state vector (`Y.encodeStateVector`'s format), unsorted as readers allow: written straight
   * into one array, since a hostile document's hundreds of thousands of ids made lib0's encoder a 15 ms task.
   */
  encodeStateVector(): Uint8Array {
    // A count takes at most 5 bytes as a varint, an id or a clock (below 2^53) at most 8.
    const out = new Uint8Array(5 + this.#size * 16);
    let at = writeVarUint(out, 0, this.#size);
    for (let slot = 0; slot < this.#used.length; slot++) {
      if (this.#used[slot] === 0) continue;
      at = writeVarUint(out, at, this.#clients[slot]!);
      at = writeVarUint(out, at, this.#clocks[slot]!);
    }
    return out.slice(0, at);
  }

  /** Calls `visit` for every entry, in no particular order. */
  forEach(visit: (clock: number, client: number) => void): void {
    for (let slot = 0; slot < this.#used.length; slot++) {
      if (this.#used[slot] === 1) visit(this.#clocks[slot]!, this.#clients[slot]!);
    }
  }

  *keys(): IterableIterator<number> {
    for (let slot = 0; slot < this.#used.length; slot++) {
      if (this.#used[slot] === 1) yield this.#clients[slot]!;
    }
  }

  /** The slot holding `client`, or the free slot where it would go (linear probing; the table is never full). */
  #slotOf(client: number): number {
    return probe(this.#used, this.#clients, this.#bits, client);
  }

  #grow(): void {
    const clients = this.#clients;
    const clocks = this.#clocks;
    const used = this.#used;
    const bits = ++this.#bits;
    const newClients = new Float64Array(2 ** bits);
    const newClocks = new Float64Array(2 ** bits);
    const newUsed = new Uint8Array(2 ** bits);
    for (let slot = 0; slot < used.length; slot++) {
      if (used[slot] === 0) continue;
      const to = probe(newUsed, newClients, bits, clients[slot]!);
      newUsed[to] = 1;
      newClients[to] = clients[slot]!;
      newClocks[to] = clocks[slot]!;
    }
    this.#clients = newClients;
    this.#clocks = newClocks;
    this.#used = newUsed;
  }
}

/** Linear probing from the high bits of the product: its low bits depend only on the id's low bits. */
function probe(used: Uint8Array, clients: Float64Array, bits: number, client: number): number {
  const mask = used.length - 1;
  // Ids past 2^32 fold their high part in (`>>> 0` alone would make 2^32 the same as 0).
  const folded = (client >>> 0) ^ Math.imul(Math.floor(client / 2 ** 32), HIGH_MULTIPLIER);
  let slot = Math.imul(folded, MULTIPLIER) >>> (32 - bits);
  while (used[slot] === 1 && clients[slot] !== client) slot = (slot + 1) & mask;
  return slot;
}

/** Writes `value` (a non-negative integer below 2^53) as lib0 writes a varuint; returns the next position. */
function writeVarUint(out: Uint8Array, at: number, value: number): number {
  let rest = value;
  while (rest > 0x7f) {
    out[at++] = 0x80 | (rest % 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}
