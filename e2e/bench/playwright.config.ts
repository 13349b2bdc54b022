import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

/** `pnpm bench`: the offline benchmarks, one at a time, against the built relay and web app. */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.bench.ts',
  globalSetup: '../global-setup.ts',
  outputDir: '../test-results/bench-artifacts',
  fullyParallel: false,
  workers: 1,
  timeout: 300_000,
  reporter: [['list']],
});
