import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../test/fast-check-setup.js';
import { kinds, orSetKind } from '../test/kinds.js';
import { runCore, type Schedule, schedule } from '../test/network.js';

type AnyKind = (typeof kinds)[0];

function expectConverged(result: { encodings: Uint8Array[]; oracle: Uint8Array }): void {
  for (const encoding of result.encodings) expect(encoding).toEqual(result.oracle);
}

for (const kind of kinds as unknown as AnyKind[]) {
  describe(`${kind.name} replication`, () => {
    it('2–8 replicas exchanging deltas over a lossy, reordering, partitioned network converge', () => {
      fc.assert(
        fc.property(schedule(kind.op), (plan) => {
          const result = runCore(kind, plan, 'delta');
          expectConverged(result);
          if (!kind.specNeedsStates) expect(result.views[0]).toEqual(kind.spec(result.log));
        }),
        { numRuns: runs(60) },
      );
    });

    it('replicas exchanging whole states converge to the concurrent specification', () => {
      fc.assert(
        fc.property(schedule(kind.op), (plan) => {
          const result = runCore(kind, plan, 'state');
          expectConverged(result);
          expect(result.views[0]).toEqual(kind.spec(result.log));
        }),
        { numRuns: runs(60) },
      );
    });

    it('causally ordered operations give the sequential specification', () => {
      // Every operation is followed by a flush, so each one has seen all earlier ones, whatever
      // the replicas' clocks do.
      const causal = schedule(kind.op).map(
        (plan): Schedule<unknown> => ({
          ...plan,
          commands: plan.commands
            .filter((command) => command.kind === 'op')
            .flatMap((command) => [
              command,
              ...Array.from({ length: 8 * 7 }, () => ({ kind: 'deliver', pick: 0 }) as const),
            ]),
        }),
      );
      fc.assert(
        fc.property(causal, (plan) => {
          const result = runCore(kind, plan as Schedule<never>, 'delta');
          expectConverged(result);
          const ops = result.log.map((entry) => entry.op);
          expect(result.views[0]).toEqual(kind.sequential(ops));
        }),
        { numRuns: runs(60) },
      );
    });
  });
}

describe('OR-Set add-wins', () => {
  it('a remove concurrent with an add of the same element keeps the element', () => {
    const plan: Schedule<unknown> = {
      replicas: 2,
      skews: [0, 0],
      commands: [
        { kind: 'op', replica: 0, op: { type: 'add', value: 'x' }, clockStep: 1 },
        { kind: 'deliver', pick: 0 },
        { kind: 'op', replica: 1, op: { type: 'remove', value: 'x' }, clockStep: 1 },
        { kind: 'op', replica: 0, op: { type: 'add', value: 'x' }, clockStep: 1 },
      ],
      flushSeed: 1,
    };
    const result = runCore(orSetKind, plan as Schedule<never>, 'delta');
    expectConverged(result);
    expect(result.views[0]).toEqual(['"x"']);
  });
});
