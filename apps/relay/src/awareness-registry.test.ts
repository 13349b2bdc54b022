import { describe, expect, it } from 'vitest';
import { AwarenessRegistry } from './awareness-registry.js';

const state = (clientID: number, clock: number, name = 'Ada') => ({ clientID, clock, state: JSON.stringify({ name }) });
const removal = (clientID: number, clock: number) => ({ clientID, clock, state: 'null' });

describe('AwarenessRegistry', () => {
  it('takes newer states and returns only what changed', () => {
    const registry = new AwarenessRegistry();
    const a = {};
    expect(registry.apply([state(1, 1), state(2, 1)], a)).toEqual([state(1, 1), state(2, 1)]);
    expect(registry.apply([state(1, 1), state(2, 2, 'Bob')], a)).toEqual([state(2, 2, 'Bob')]);
    expect(registry.apply([state(1, 0, 'old')], a)).toEqual([]);
    expect(registry.entries()).toEqual([state(1, 1), state(2, 2, 'Bob')]);
  });

  it('lets a removal at the same clock win, and ignores stale copies of a removed state', () => {
    const registry = new AwarenessRegistry();
    registry.apply([state(1, 3)], {});
    expect(registry.apply([removal(1, 3)], {})).toEqual([removal(1, 3)]);
    expect(registry.size).toBe(0);
    expect(registry.apply([state(1, 3)], {})).toEqual([]);
    expect(registry.apply([removal(1, 3)], {})).toEqual([]);
    expect(registry.apply([state(1, 4)], {})).toEqual([state(1, 4)]);
  });

  it('does not pass on removals of clients it never saw', () => {
    expect(new AwarenessRegistry().apply([removal(9, 5)], {})).toEqual([]);
  });

  it('removes what a closed connection set, with clocks that beat its last states', () => {
    const registry = new AwarenessRegistry();
    const a = {};
    const b = {};
    registry.apply([state(1, 2)], a);
    registry.apply([state(2, 7)], b);
    expect(registry.removeOwner(a)).toEqual([removal(1, 3)]);
    expect(registry.entries()).toEqual([state(2, 7)]);
    expect(registry.apply([state(1, 2)], b)).toEqual([]);
  });
});
