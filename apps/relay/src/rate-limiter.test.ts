import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate', () => {
    const t0 = 1_000;
    const limiter = new RateLimiter(10, 5, t0);
    for (let i = 0; i < 5; i++) expect(limiter.take(1, t0)).toBe(true);
    expect(limiter.take(1, t0)).toBe(false);
    expect(limiter.take(1, t0 + 100)).toBe(true);
    expect(limiter.take(1, t0 + 100)).toBe(false);
    expect(limiter.take(1, t0 + 10_000)).toBe(true);
    for (let i = 0; i < 4; i++) expect(limiter.take(1, t0 + 10_000)).toBe(true);
    expect(limiter.take(1, t0 + 10_000)).toBe(false);
  });

  it('takes amounts at once, and nothing when they do not fit', () => {
    const t0 = 1_000;
    const limiter = new RateLimiter(1_000, 4_000, t0);
    expect(limiter.take(3_000, t0)).toBe(true);
    expect(limiter.take(1_500, t0)).toBe(false);
    expect(limiter.take(1_000, t0)).toBe(true);
    expect(limiter.take(1_000, t0 + 1_000)).toBe(true);
    expect(limiter.take(4_001, t0 + 60_000)).toBe(false);
  });
});
