import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate', () => {
    const t0 = 1_000;
    const limiter = new RateLimiter(10, 5, t0);
    for (let i = 0; i < 5; i++) expect(limiter.take(t0)).toBe(true);
    expect(limiter.take(t0)).toBe(false);
    expect(limiter.take(t0 + 100)).toBe(true);
    expect(limiter.take(t0 + 100)).toBe(false);
    expect(limiter.take(t0 + 10_000)).toBe(true);
    for (let i = 0; i < 4; i++) expect(limiter.take(t0 + 10_000)).toBe(true);
    expect(limiter.take(t0 + 10_000)).toBe(false);
  });
});
