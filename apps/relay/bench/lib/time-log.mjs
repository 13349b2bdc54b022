/**
 * Times indexed by a writer's Yjs clock (one single-character insert advances it by one), from
 * `base` on: a growable Float64Array in which unset entries are NaN.
 */
export class TimeLog {
  constructor(base = 0) {
    this.base = base;
    this.length = 0;
    this.times = new Float64Array(1024).fill(Number.NaN);
  }

  /** Records `time` for every clock in [from, to), keeping the first time seen. */
  setRange(from, to, time) {
    const start = Math.max(from, this.base);
    if (to - this.base > this.times.length) {
      let size = this.times.length;
      while (to - this.base > size) size *= 2;
      const grown = new Float64Array(size).fill(Number.NaN);
      grown.set(this.times);
      this.times = grown;
    }
    for (let clock = start; clock < to; clock++) {
      const i = clock - this.base;
      if (Number.isNaN(this.times[i])) this.times[i] = time;
    }
    this.length = Math.max(this.length, to - this.base);
  }

  /** Returns what was recorded and starts a new log after it. */
  take() {
    const taken = { base: this.base, times: this.times.slice(0, this.length) };
    this.base += this.length;
    this.length = 0;
    this.times.fill(Number.NaN);
    return taken;
  }
}
