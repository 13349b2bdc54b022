import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real relays and processes; a busy 2-core machine needs the margin.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
