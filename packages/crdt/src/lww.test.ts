import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../test/fast-check-setup.js';
import { lwwMapKind } from '../test/kinds.js';
import { states } from '../test/states.js';
import {
  ClockDriftError,
  cloneLwwMap,
  createLwwMap,
  createLwwRegister,
  encodeLwwMap,
  encodeLwwRegister,
  HybridLogicalClock,
  joinLwwRegisters,
  type LwwRegister,
  lwwMapDelete,
  lwwMapEntries,
  lwwMapGet,
  lwwMapSet,
  lwwRegisterGet,
  lwwRegisterSet,
  mergeLwwMap,
  mergeLwwRegister,
} from './index.js';

const clockAt = (replica: string, time: { now: number }, maxDrift = 60_000) =>
  new HybridLogicalClock(replica, { now: () => time.now, maxDrift });

describe('LWW-Register', () => {
  it('keeps the write with the later timestamp, in either merge order', () => {
    const time = { now: 1_000 };
    const early = createLwwRegister();
    const late = createLwwRegister();
    lwwRegisterSet(early, 'early', clockAt('z', time));
    time.now = 2_000;
    lwwRegisterSet(late, 'late', clockAt('a', time));
    expect(lwwRegisterGet(joinLwwRegisters(early, late))).toBe('late');
    expect(lwwRegisterGet(joinLwwRegisters(late, early))).toBe('late');
    expect(mergeLwwRegister(early, late)).toEqual({ previous: 'early', value: 'late' });
    expect(mergeLwwRegister(early, late)).toBeNull();
  });

  it('breaks a tie between equal timestamps by canonical value, so merge stays commutative', () => {
    const timestamp = { wall: 5, logical: 0, replica: 'a' };
    const a: LwwRegister = { current: { key: '"a"', value: 'a', timestamp } };
    const b: LwwRegister = { current: { key: '"b"', value: 'b', timestamp } };
    expect(encodeLwwRegister(joinLwwRegisters(a, b))).toEqual(encodeLwwRegister(joinLwwRegisters(b, a)));
    expect(lwwRegisterGet(joinLwwRegisters(a, b))).toBe('b');
  });

  it('rejects a write from beyond the drift bound and changes nothing', () => {
    const time = { now: 1_000_000 };
    const local = createLwwRegister();
    const clock = clockAt('local', time, 1_000);
    lwwRegisterSet(local, 'mine', clock);
    const future = createLwwRegister();
    lwwRegisterSet(future, 'poison', clockAt('remote', { now: time.now + 5_000 }));
    const before = [encodeLwwRegister(local), clock.last];
    expect(() => mergeLwwRegister(local, future, clock)).toThrow(ClockDriftError);
    expect([encodeLwwRegister(local), clock.last]).toEqual(before);
    time.now += 4_500;
    expect(mergeLwwRegister(local, future, clock)).toEqual({ previous: 'mine', value: 'poison' });
  });

  it('orders a write after every write it has merged, even with a clock running behind', () => {
    const ahead = createLwwRegister();
    lwwRegisterSet(ahead, 'ahead', clockAt('a', { now: 50_000 }));
    const behindTime = { now: 10_000 };
    const behindClock = clockAt('b', behindTime);
    const behind = createLwwRegister();
    mergeLwwRegister(behind, ahead, behindClock);
    lwwRegisterSet(behind, 'after', behindClock);
    mergeLwwRegister(ahead, behind);
    expect(lwwRegisterGet(ahead)).toBe('after');
  });
});

describe('LWW-Map', () => {
  it('merge reports exactly the keys whose visible value changed', () => {
    fc.assert(
      fc.property(states(lwwMapKind), ([a, b]) => {
        const target = cloneLwwMap(a);
        const change = mergeLwwMap(target, b);
        const before = new Map(lwwMapEntries(a).map(([key, value]) => [key, JSON.stringify(value)]));
        const after = new Map(lwwMapEntries(target).map(([key, value]) => [key, JSON.stringify(value)]));
        const differing = [...new Set([...before.keys(), ...after.keys()])].filter(
          (key) => before.get(key) !== after.get(key),
        );
        expect((change?.changed ?? []).map((entry) => entry.key).sort()).toEqual(differing.sort());
        for (const entry of change?.changed ?? []) expect(entry.value).toEqual(lwwMapGet(target, entry.key));
      }),
      { numRuns: runs(150) },
    );
  });

  it('a removal beats older writes that arrive later, and loses to newer ones', () => {
    const time = { now: 1_000 };
    const map = createLwwMap();
    const older = createLwwMap();
    lwwMapSet(older, 'k', 'old', clockAt('b', { now: 500 }));
    lwwMapDelete(map, 'k', clockAt('a', time));
    expect(mergeLwwMap(map, older)).toBeNull();
    expect(lwwMapGet(map, 'k')).toBeUndefined();
    const newer = createLwwMap();
    lwwMapSet(newer, 'k', 'new', clockAt('b', { now: 2_000 }));
    expect(mergeLwwMap(map, newer)).toEqual({ changed: [{ key: 'k', previous: undefined, value: 'new' }] });
  });

  it('rejects a delta with any timestamp beyond the drift bound and changes nothing', () => {
    const time = { now: 1_000_000 };
    const clock = clockAt('local', time, 1_000);
    const map = createLwwMap();
    lwwMapSet(map, 'a', 1, clock);
    const remote = createLwwMap();
    lwwMapSet(remote, 'b', 2, clockAt('remote', time));
    lwwMapSet(remote, 'c', 3, clockAt('remote2', { now: time.now + 10_000 }));
    const before = [encodeLwwMap(map), clock.last];
    expect(() => mergeLwwMap(map, remote, clock)).toThrow(ClockDriftError);
    expect([encodeLwwMap(map), clock.last]).toEqual(before);
  });

  it('refuses keys with lone surrogates', () => {
    expect(() => lwwMapSet(createLwwMap(), '\ud800', 1, new HybridLogicalClock('a'))).toThrow(TypeError);
  });
});
