import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { PRECACHE_MANIFEST_TOKEN, precacheManifest } from './src/service-worker-routes.js';

const SERVICE_WORKER_FILE = 'service-worker.js';

/**
 * Writes the list of built files (the page and its hashed assets) into the service worker, with a version that
 * changes with them, so a new build installs a new worker and cache.
 */
const precacheServiceWorker = (): Plugin => ({
  name: 'meshpad-precache-service-worker',
  apply: 'build',
  // After Vite's HTML plugin, which adds index.html to the bundle in this same hook.
  enforce: 'post',
  generateBundle(_options, bundle) {
    const worker = bundle[SERVICE_WORKER_FILE];
    if (worker?.type !== 'chunk') return this.error(`${SERVICE_WORKER_FILE} is missing from the build`);
    // A classic service worker cannot import: a module it shares with the app would leave it unable to start.
    if (worker.imports.length > 0) {
      return this.error(
        `${SERVICE_WORKER_FILE} imports ${worker.imports.join(', ')}: keep what it imports out of the app`,
      );
    }
    const token = new RegExp(`(["'\`])${PRECACHE_MANIFEST_TOKEN}\\1`);
    if (!token.test(worker.code)) return this.error(`the precache token is missing from ${SERVICE_WORKER_FILE}`);
    const manifest = precacheManifest(Object.keys(bundle), SERVICE_WORKER_FILE);
    worker.code = worker.code.replace(token, JSON.stringify(JSON.stringify(manifest)));
  },
});

export default defineConfig({
  plugins: [precacheServiceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The editor chunk (CodeMirror with its markdown, HTML, CSS and JS grammars, and Yjs) is ~660 kB; the home page
    // chunk stays small.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        // The service worker is served from the root, so that its scope is the whole app.
        'service-worker': fileURLToPath(new URL('src/service-worker.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'service-worker' ? SERVICE_WORKER_FILE : 'assets/[name]-[hash].js'),
      },
    },
  },
  resolve: {
    // One Yjs for the whole bundle: a second copy breaks its constructor checks.
    dedupe: ['yjs'],
  },
  server: {
    host: '127.0.0.1',
    // In development the relay runs beside Vite (`PORT=4321 node apps/relay/dist/main.js`).
    proxy: {
      '/api': 'http://127.0.0.1:4321',
      '/yjs': { target: 'http://127.0.0.1:4321', ws: true },
      '/signal': { target: 'http://127.0.0.1:4321', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
