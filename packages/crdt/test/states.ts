import fc from 'fast-check';
import { HybridLogicalClock } from '../src/index.js';
import type { Kind, ReplicaContext } from './kinds.js';

/**
 * Three reachable states of `kind`: three replicas with skewed, jumping clocks perform random
 * operations and now and then merge another replica's state first.
 */
export function states<S, Op>(kind: Kind<S, Op>): fc.Arbitrary<[S, S, S]> {
  const step = fc.record({
    replica: fc.nat(2),
    op: kind.op,
    clockStep: fc.integer({ min: -40, max: 60 }),
    mergeFrom: fc.option(fc.nat(2), { freq: 3 }),
  });
  return fc.array(step, { maxLength: 25 }).map((steps) => {
    const replicas = [0, 1, 2].map((i) => {
      const context = { id: `r${i}`, time: 1_000_000 + i * 37 } as ReplicaContext & { time: number; state: S };
      Object.assign(context, {
        clock: new HybridLogicalClock(context.id, { now: () => context.time, maxDrift: 1e12 }),
        state: kind.create(),
      });
      return context;
    });
    for (const { replica, op, clockStep, mergeFrom } of steps) {
      const target = replicas[replica] as (typeof replicas)[number];
      if (mergeFrom !== null && mergeFrom !== replica) {
        kind.merge(target.state, kind.clone((replicas[mergeFrom] as (typeof replicas)[number]).state), target);
      }
      target.time = Math.max(0, target.time + clockStep);
      kind.apply(target.state, target, op);
    }
    return replicas.map((replica) => replica.state) as [S, S, S];
  });
}
