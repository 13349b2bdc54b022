import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The editor chunk (CodeMirror with its markdown, HTML, CSS and JS grammars, and Yjs) is ~660 kB; the home page
    // chunk stays small.
    chunkSizeWarningLimit: 800,
  },
  resolve: {
    // One Yjs for the whole bundle: a second copy breaks its constructor checks.
    dedupe: ['yjs'],
  },
  server: {
    host: '127.0.0.1',
    // In development the relay runs beside Vite (`PORT=4321 node apps/relay/dist/main.js`).
    proxy: { '/yjs': { target: 'http://127.0.0.1:4321', ws: true } },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
