import { describe, expect, it } from 'vitest';
import { DeferredStart } from './deferred-start.js';

describe('DeferredStart', () => {
  it('starts at once without a promise, and once the promise settles otherwise', async () => {
    const starts: string[] = [];
    const deferred = new DeferredStart();
    deferred.run(undefined, () => starts.push('now'));
    expect(starts).toEqual(['now']);
    const ready = Promise.reject(new Error('registration failed'));
    deferred.run(ready, () => starts.push('after'));
    expect(starts).toEqual(['now']);
    await ready.catch(() => {});
    await Promise.resolve();
    expect(starts).toEqual(['now', 'after']);
  });

  it('drops a start that a cancel or a newer run overtook', async () => {
    const starts: string[] = [];
    const deferred = new DeferredStart();
    const ready = Promise.resolve();
    deferred.run(ready, () => starts.push('cancelled'));
    deferred.cancel();
    deferred.run(ready, () => starts.push('overtaken'));
    deferred.run(ready, () => starts.push('last'));
    await ready;
    await Promise.resolve();
    expect(starts).toEqual(['last']);
  });
});
