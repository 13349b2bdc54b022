import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPACTION_THRESHOLDS, shouldCompact } from './compaction-policy.js';

describe('shouldCompact', () => {
  const thresholds = { entries: 10, bytes: 1000 };

  it('waits while the log is below both thresholds', () => {
    expect(shouldCompact({ entries: 9, bytes: 999 }, thresholds)).toBe(false);
  });

  it('compacts once either threshold is reached', () => {
    expect(shouldCompact({ entries: 10, bytes: 1 }, thresholds)).toBe(true);
    expect(shouldCompact({ entries: 1, bytes: 1000 }, thresholds)).toBe(true);
  });

  it('never compacts an empty log', () => {
    expect(shouldCompact({ entries: 0, bytes: 0 }, { entries: 0, bytes: 0 })).toBe(false);
  });

  it('uses the defaults when given no thresholds', () => {
    expect(shouldCompact({ entries: DEFAULT_COMPACTION_THRESHOLDS.entries, bytes: 0 })).toBe(true);
    expect(shouldCompact({ entries: 1, bytes: 1 })).toBe(false);
  });
});
