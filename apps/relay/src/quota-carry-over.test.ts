import { describe, expect, it } from 'vitest';
import { QuotaCarryOver } from './quota-carry-over.js';

describe('QuotaCarryOver', () => {
  it('hands a closed connection’s quota to the next connection with the same key, once', () => {
    const carry = new QuotaCarryOver<string>(1000);
    carry.leave('1.2.3.4 room', 'drained', 0);
    expect(carry.take('1.2.3.4 other', 10)).toBeUndefined();
    expect(carry.take('1.2.3.4 room', 10)).toBe('drained');
    expect(carry.take('1.2.3.4 room', 20)).toBeUndefined();
  });

  it('forgets a quota once it would have refilled', () => {
    const carry = new QuotaCarryOver<string>(1000);
    carry.leave('a', 'drained', 0);
    carry.leave('b', 'drained', 500);
    carry.leave('c', 'drained', 1200);
    expect(carry.size).toBe(2);
    expect(carry.take('a', 1200)).toBeUndefined();
    expect(carry.take('b', 1200)).toBe('drained');
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const carry = new QuotaCarryOver<number>(10_000, 3);
    for (let i = 0; i < 10; i++) carry.leave(`k${i}`, i, i);
    expect(carry.size).toBe(3);
    expect(carry.take('k6', 10)).toBeUndefined();
    expect(carry.take('k7', 10)).toBe(7);
  });
});
