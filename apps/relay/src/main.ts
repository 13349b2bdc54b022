#!/usr/bin/env node
import { join } from 'node:path';
import { SqliteDocStore } from '@meshpad/storage-sqlite';
import { ConfigError, helpText, parseConfig } from './config.js';
import { createRelay } from './server.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  const config = parseConfig(argv, process.env);
  const dbPath = join(config.dataDir, 'meshpad.sqlite');
  const store = await SqliteDocStore.open({ path: dbPath, synchronous: config.sqliteSynchronous });
  const app = await createRelay({ config, store });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: storing pending updates and closing connections');
    const force = setTimeout(() => {
      app.log.error(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    app.close().then(
      () => {
        app.log.info('stopped cleanly');
        process.exit(0);
      },
      (cause: unknown) => {
        app.log.error({ err: cause }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  app.log.info(
    { dataDir: config.dataDir, webDir: config.webDir },
    `Meshpad is running at http://${config.host}:${port}`,
  );
}

main(process.argv.slice(2)).catch((cause: unknown) => {
  const code = (cause as NodeJS.ErrnoException).code;
  const hint =
    cause instanceof ConfigError
      ? 'Run with --help to see every option.'
      : code === 'EADDRINUSE'
        ? 'Another process uses this port: stop it, or choose another with PORT=<port> (or --port).'
        : undefined;
  const message = `${cause instanceof ConfigError ? '' : 'Meshpad relay failed to start: '}${(cause as Error).message}${hint ? `\n${hint}` : ''}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
