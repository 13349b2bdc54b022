import { describe, expect, it } from 'vitest';
import { OrderedWork } from './ordered-work.js';

describe('OrderedWork', () => {
  it('runs plain work at once and holds what comes after asynchronous work until it settles, in order', async () => {
    const work = new OrderedWork(100);
    const done: string[] = [];
    let finish = () => {};
    work.run(() => void done.push('a'), 1);
    work.run(() => {
      done.push('b started');
      return new Promise<void>((resolve) => {
        finish = () => {
          done.push('b');
          resolve();
        };
      });
    }, 1);
    work.run(() => void done.push('c'), 1);
    work.run(() => void done.push('d'), 1);
    expect(done).toEqual(['a', 'b started']);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual(['a', 'b started', 'b', 'c', 'd']);
    work.run(() => void done.push('e'), 1);
    expect(done.at(-1)).toBe('e');
  });

  it('refuses work once the waiting frames would pass the limit', async () => {
    const work = new OrderedWork(10);
    let finish = () => {};
    work.run(() => new Promise<void>((resolve) => (finish = resolve)), 5);
    expect(work.run(() => undefined, 6)).toBe(true);
    expect(work.run(() => undefined, 5)).toBe(false);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(work.run(() => undefined, 10)).toBe(true);
  });
});
