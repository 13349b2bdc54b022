import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import { MemoryDocStore } from '@meshpad/storage';
import { parseConfig } from './dist/config.js';
import { createRelay } from './dist/server.js';

const config = parseConfig([], { PORT: '0', LOG_LEVEL: 'warn' });
const app = await createRelay({ config, store: new MemoryDocStore(), logStream: new PassThrough() });
await app.listen({ host: '127.0.0.1', port: 0 });
const url = `ws://127.0.0.1:${app.server.address().port}/yjs`;
const child = fork('./bench/lib/attacker.mjs', [process.argv[2], url, 'attacked'], {
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
await new Promise((r) => child.on('message', (m) => m.ready && r()));
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
for (let i = 0; i < 8; i++) {
  await new Promise((r) => setTimeout(r, 500));
  console.log(
    'loop delay p99',
    (h.percentile(99) / 1e6).toFixed(1),
    'max',
    (h.max / 1e6).toFixed(1),
    'rss',
    (process.memoryUsage().rss / 1048576).toFixed(0),
  );
  h.reset();
}
child.kill('SIGKILL');
await app.close();
