import { describe, expect, it } from 'vitest';
import { LoadWaiters } from './load-waiters.js';

describe('LoadWaiters', () => {
  it('resolves every waiting promise once, and later waits wait for the next round', async () => {
    const waiters = new LoadWaiters();
    const first = [waiters.wait(), waiters.wait()];
    waiters.resolveAll();
    await expect(Promise.all(first)).resolves.toEqual([undefined, undefined]);
    const second = waiters.wait();
    waiters.rejectAll(new Error('gone'));
    await expect(second).rejects.toThrow('gone');
  });
});
