import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Sessions run against real relays and WebRTC peer processes; some tests wait out y-websocket's
    // reconnect backoff with their own 5 s deadlines, which a busy 2-core machine needs room around.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
