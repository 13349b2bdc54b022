import * as Y from 'yjs';
import { RangeSet } from './range-set.js';

/**
 * What a relay must know of a document to judge an incoming update without a `Y.Doc`: for every
 * client, the clock up to which the document holds its structs with no gap, and the ranges it knows
 * are deleted. Built once from the document's encoded state, then advanced with each admitted update.
 */
export class DocIndex {
  readonly #clocks = new Map<number, number>();
  readonly #deleted = new Map<number, RangeSet>();

  /** The index of a document held as one encoded (v1) update, e.g. a merged state. */
  static fromState(state: Uint8Array): DocIndex {
    const index = new DocIndex();
    // The state vector of an update counts only structs reachable without a gap from clock 0.
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state))) {
      index.#clocks.set(client, clock);
    }
    for (const [client, items] of Y.decodeUpdate(state).ds.clients) {
      for (const item of items) index.addDeleted(client, item.clock, item.clock + item.len);
    }
    return index;
  }

  /** The next clock of `client` the document lacks: everything below it is present. */
  clock(client: number): number {
    return this.#clocks.get(client) ?? 0;
  }

  /**
   * The state vector of everything admitted so far, encoded as `Y.encodeStateVector` does: no merge of
   * the document needed, however large it is.
   */
  encodeStateVector(): Uint8Array {
    return Y.encodeStateVector(this.#clocks);
  }

  /** Parts of `[start, end)` of `client` not yet known to be deleted. */
  notDeleted(client: number, start: number, end: number): Array<[number, number]> {
    return this.#deleted.get(client)?.missing(start, end) ?? [[start, end]];
  }

  /** Records that `client`'s structs below `clock` are present. */
  advanceClock(client: number, clock: number): void {
    if (clock > this.clock(client)) this.#clocks.set(client, clock);
  }

  addDeleted(client: number, start: number, end: number): void {
    let ranges = this.#deleted.get(client);
    if (ranges === undefined) {
      ranges = new RangeSet();
      this.#deleted.set(client, ranges);
    }
    ranges.add(start, end);
  }
}
