import fc from 'fast-check';

// fast-check prints `{ seed, path }` with every counterexample. Replay one with
// FC_SEED=<seed> FC_PATH=<path> pnpm --filter @meshpad/crdt test; scale effort with FC_RUNS_SCALE.
const seed = process.env.FC_SEED;
const path = process.env.FC_PATH;
fc.configureGlobal({
  ...(seed === undefined ? {} : { seed: Number(seed) }),
  ...(path === undefined ? {} : { path }),
});

/** numRuns scaled by FC_RUNS_SCALE (default 1), so CI can explore more than the default fast run. */
export const runs = (base: number): number => Math.max(1, Math.round(base * Number(process.env.FC_RUNS_SCALE ?? 1)));
