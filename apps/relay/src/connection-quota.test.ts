import { describe, expect, it } from 'vitest';
import { ConnectionQuota, syncQuotaLimits } from './connection-quota.js';

const MiB = 1024 * 1024;
const someLimits = {
  messagesPerSecond: 1_000,
  bytesPerSecond: 2 * MiB,
  structsPerSecond: 10_000,
  newClientsPerSecond: 100,
  maxMessageBytes: 4 * MiB,
  maxStructsPerUpdate: 100_000,
  maxClientsPerUpdate: 10_000,
};

describe('ConnectionQuota', () => {
  it('lets a burst of ten seconds through, then the sustained rate', () => {
    const t0 = 1_000;
    const quota = new ConnectionQuota(
      syncQuotaLimits({ ...someLimits, messagesPerSecond: 100, bytesPerSecond: 10 * MiB, maxMessageBytes: MiB }),
      t0,
    );
    for (let i = 0; i < 1_000; i++) expect(quota.takeFrame(4, t0)).toBeUndefined();
    expect(quota.takeFrame(4, t0)).toBe('messages');
    expect(quota.takeFrame(4, t0 + 10)).toBe(undefined);
    expect(quota.describe('messages')).toBe('more than 100 messages per second (bursts of 1000)');
  });

  it('always lets two messages of the largest size through on a fresh connection', () => {
    const t0 = 1_000;
    const limits = syncQuotaLimits({ ...someLimits, bytesPerSecond: 1024, maxMessageBytes: 16 * MiB });
    expect(limits.bytes).toEqual({ perSecond: 1024, burst: 32 * MiB });
    const quota = new ConnectionQuota(limits, t0);
    expect(quota.takeFrame(16 * MiB, t0)).toBeUndefined();
    expect(quota.takeFrame(16 * MiB, t0)).toBeUndefined();
    expect(quota.takeFrame(1024, t0)).toBe('bytes');
    expect(quota.takeFrame(1024, t0 + 1_000)).toBeUndefined();
  });

  it('lets a client back from offline send two of the largest updates at once, then the sustained struct rate', () => {
    const t0 = 1_000;
    const limits = syncQuotaLimits(someLimits);
    expect(limits.structs).toEqual({ perSecond: 10_000, burst: 200_000 });
    const quota = new ConnectionQuota(limits, t0);
    expect(quota.take('structs', 100_000, t0)).toBe(true);
    expect(quota.take('structs', 100_000, t0)).toBe(true);
    expect(quota.take('structs', 1, t0)).toBe(false);
    expect(quota.take('structs', 10_000, t0 + 1_000)).toBe(true);
  });

  it('lets a document with the most client runs of two updates into an empty room, then a hundred new ids a second', () => {
    const t0 = 1_000;
    const limits = syncQuotaLimits(someLimits);
    expect(limits.clients).toEqual({ perSecond: 100, burst: 20_000 });
    const quota = new ConnectionQuota(limits, t0);
    expect(quota.take('clients', 20_000, t0)).toBe(true);
    expect(quota.take('clients', 1, t0)).toBe(false);
    expect(quota.stillOver(t0 + 500)).toBe('clients');
    expect(quota.stillOver(t0 + 1_000)).toBeUndefined();
    expect(quota.describe('clients')).toBe('more than 100 client ids new to the document per second (bursts of 20000)');
  });
});
