/** A token bucket: allows `perSecond` tokens on average and bursts of up to `burst`. */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = performance.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Tokens in the bucket now. */
  available(now = performance.now()): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    return this.tokens;
  }

  /** Takes `amount` tokens; false (taking none) when the bucket holds fewer. */
  take(amount = 1, now = performance.now()): boolean {
    if (this.available(now) < amount) return false;
    this.tokens -= amount;
    return true;
  }
}
