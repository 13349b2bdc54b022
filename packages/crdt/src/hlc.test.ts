import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../test/fast-check-setup.js';
import { ClockDriftError, compareTimestamps, type HlcTimestamp, HybridLogicalClock, MAX_LOGICAL } from './index.js';

describe('HybridLogicalClock', () => {
  it('is strictly monotonic and ahead of everything received, whatever the physical clock does', () => {
    const action = fc.oneof(
      fc.record({ type: fc.constant('tick' as const), jump: fc.integer({ min: -5_000, max: 5_000 }) }),
      fc.record({
        type: fc.constant('receive' as const),
        jump: fc.integer({ min: -5_000, max: 5_000 }),
        offset: fc.integer({ min: -10_000, max: 1_000 }),
        logical: fc.nat(20),
        replica: fc.constantFrom('a', 'b', 'z'),
      }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 100 }), (actions) => {
        let time = 50_000;
        const clock = new HybridLogicalClock('m', { now: () => time, maxDrift: 1_000 });
        let floor: HlcTimestamp | undefined;
        for (const step of actions) {
          time = Math.max(0, time + step.jump);
          if (step.type === 'tick') {
            const stamp = clock.now();
            if (floor !== undefined) expect(compareTimestamps(stamp, floor)).toBeGreaterThan(0);
            expect(stamp.wall).toBeGreaterThanOrEqual(time);
            floor = stamp;
          } else {
            const remote = { wall: Math.max(0, time + step.offset), logical: step.logical, replica: step.replica };
            clock.receive(remote);
            const after = clock.last;
            expect(compareTimestamps(after, remote)).toBeGreaterThan(0);
            if (floor !== undefined) expect(compareTimestamps(after, floor)).toBeGreaterThan(0);
            floor = after;
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it('keeps wall time close to physical time once the physical clock catches up', () => {
    let time = 10_000;
    const clock = new HybridLogicalClock('a', { now: () => time });
    clock.now();
    time = 5_000;
    expect(clock.now()).toEqual({ wall: 10_000, logical: 1, replica: 'a' });
    expect(clock.now()).toEqual({ wall: 10_000, logical: 2, replica: 'a' });
    time = 12_000;
    expect(clock.now()).toEqual({ wall: 12_000, logical: 0, replica: 'a' });
  });

  it('rejects a remote timestamp beyond the drift bound with a typed error and stays unchanged', () => {
    const time = 100_000;
    const clock = new HybridLogicalClock('a', { now: () => time, maxDrift: 1_000 });
    clock.now();
    const before = clock.last;
    const remote = { wall: time + 1_001, logical: 0, replica: 'b' };
    expect(() => clock.receive(remote)).toThrow(ClockDriftError);
    expect(() => clock.check(remote)).toThrow(ClockDriftError);
    expect(clock.last).toEqual(before);
    try {
      clock.receive(remote);
    } catch (error) {
      expect(error).toMatchObject({ code: 'clock-drift', timestamp: remote, physicalTime: time, maxDrift: 1_000 });
    }
    clock.receive({ wall: time + 1_000, logical: 7, replica: 'b' });
    expect(clock.last).toEqual({ wall: time + 1_000, logical: 8, replica: 'a' });
  });

  it('refuses to follow an absurd logical counter, which would exhaust its own counters', () => {
    const clock = new HybridLogicalClock('a', { now: () => 1_000 });
    const before = clock.now();
    expect(() => clock.receive({ wall: 1_000, logical: Number.MAX_SAFE_INTEGER, replica: 'b' })).toThrow(
      ClockDriftError,
    );
    expect(clock.last).toEqual(before);
    clock.receive({ wall: 1_000, logical: MAX_LOGICAL, replica: 'b' });
    expect(clock.now().logical).toBe(MAX_LOGICAL + 2);
  });

  it('refuses malformed timestamps and options', () => {
    const clock = new HybridLogicalClock('a');
    expect(() => clock.receive({ wall: -1, logical: 0, replica: 'b' })).toThrow(TypeError);
    expect(() => clock.receive({ wall: 1.5, logical: 0, replica: 'b' })).toThrow(TypeError);
    expect(() => clock.receive({ wall: 1, logical: 0, replica: '' })).toThrow(TypeError);
    expect(() => new HybridLogicalClock('')).toThrow(TypeError);
    expect(() => new HybridLogicalClock('a', { maxDrift: -1 })).toThrow(RangeError);
  });

  it('orders timestamps by wall time, then logical counter, then replica id', () => {
    const stamps: HlcTimestamp[] = [
      { wall: 2, logical: 0, replica: 'a' },
      { wall: 1, logical: 5, replica: 'b' },
      { wall: 1, logical: 5, replica: 'a' },
      { wall: 1, logical: 0, replica: 'z' },
    ];
    expect([...stamps].sort(compareTimestamps)).toEqual([stamps[3], stamps[2], stamps[1], stamps[0]]);
  });
});
