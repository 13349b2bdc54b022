import { defineConfig } from 'vitest/config';

// FC_RUNS_SCALE multiplies every property's numRuns (see test/fast-check-setup.ts); give it time to match.
const scale = Number(process.env.FC_RUNS_SCALE ?? 1);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['./test/fast-check-setup.ts'],
    testTimeout: 20_000 * Math.max(1, scale),
  },
});
