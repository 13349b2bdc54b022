/**
 * A set of integers kept as sorted, disjoint, non-adjacent half-open ranges `[start, end)`, stored flat
 * (`start0, end0, start1, end1, …`) because a document's delete set can hold thousands of them.
 */
export class RangeSet {
  #bounds: number[] = [];

  /** A set of the ranges in `bounds`, as {@link bounds} gives them. */
  static fromBounds(bounds: readonly number[]): RangeSet {
    const set = new RangeSet();
    for (let i = 0; i + 1 < bounds.length; i += 2) set.add(bounds[i]!, bounds[i + 1]!);
    return set;
  }

  /** The ranges flat, `start0, end0, start1, end1, …`, for copying the set to another thread. */
  bounds(): number[] {
    return [...this.#bounds];
  }

  /** Number of disjoint ranges. */
  get size(): number {
    return this.#bounds.length / 2;
  }

  /** Adds `[start, end)`, merging it with the ranges it touches. */
  add(start: number, end: number): void {
    if (end <= start) return;
    const bounds = this.#bounds;
    // First range whose end reaches `start`, and first whose start lies beyond `end`.
    const lo = this.#firstEndingAtOrAfter(start);
    let hi = lo;
    while (hi < bounds.length && bounds[hi]! <= end) hi += 2;
    if (lo < hi) {
      start = Math.min(start, bounds[lo]!);
      end = Math.max(end, bounds[hi - 1]!);
    }
    bounds.splice(lo, hi - lo, start, end);
  }

  /** The parts of `[start, end)` that the set does not hold, in order. */
  missing(start: number, end: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const bounds = this.#bounds;
    let cursor = start;
    for (let i = this.#firstEndingAtOrAfter(start + 1); i < bounds.length && cursor < end; i += 2) {
      const rangeStart = bounds[i]!;
      if (rangeStart >= end) break;
      if (rangeStart > cursor) out.push([cursor, rangeStart]);
      cursor = Math.max(cursor, bounds[i + 1]!);
    }
    if (cursor < end) out.push([cursor, end]);
    return out;
  }

  /** Index (into the flat array) of the first range whose end is at least `value`. */
  #firstEndingAtOrAfter(value: number): number {
    const bounds = this.#bounds;
    let lo = 0;
    let hi = bounds.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid * 2 + 1]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo * 2;
  }
}
