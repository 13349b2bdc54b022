import { describe, expect, it } from 'vitest';
import { formatTimeAgo } from './relative-time.js';

const now = Date.UTC(2025, 4, 20, 12, 0, 0);
const ago = (ms: number) => formatTimeAgo(now - ms, now, 'en');

describe('formatTimeAgo', () => {
  it.each([
    [0, 'just now'],
    [59_000, 'just now'],
    [60_000, '1 minute ago'],
    [5 * 60_000, '5 minutes ago'],
    [3 * 3_600_000, '3 hours ago'],
    [24 * 3_600_000, 'yesterday'],
    [3 * 24 * 3_600_000, '3 days ago'],
  ])('%i ms ago → %s', (ms, expected) => {
    expect(ago(ms)).toBe(expected);
  });

  it('shows a date for anything older than a week', () => {
    expect(ago(30 * 24 * 3_600_000)).toBe('Apr 20, 2025');
  });

  it('treats a time in the future (clock skew) as just now', () => {
    expect(ago(-5_000)).toBe('just now');
  });
});
