#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --max-semi-space-size=1
import { join } from 'node:path';
import { SqliteDocStore } from '@meshpad/storage-sqlite';
import type { FastifyBaseLogger } from 'fastify';
import { SecretError } from './access/relay-secret.js';
import { runTokenCommand } from './access/token-command.js';
import { ConfigError, helpText, parseConfig } from './config.js';
import { createRelay } from './server.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

// Once nobody reads the log (the terminal closed, a pipe's reader exited), keep serving without it.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'token') {
    process.exitCode = await runTokenCommand(argv.slice(1), process.env, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  const config = parseConfig(argv, process.env);
  const dbPath = join(config.dataDir, 'meshpad.sqlite');
  let log: FastifyBaseLogger | undefined;
  const store = await SqliteDocStore.open({
    path: dbPath,
    synchronous: config.sqliteSynchronous,
    checkpointAfterMs: config.checkpointAfterMs,
    onBackgroundError: (err) =>
      log?.error(
        { err },
        'background checkpoint failed, so saves are not confirmed until one succeeds (err says why); check that the data directory still holds the database file, has free space and is writable',
      ),
  });
  const app = await createRelay({ config, store });
  log = app.log;

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS);
    force.unref();
    let exitCode = 0;
    const log = (write: () => void) => {
      try {
        write();
      } catch {
        // A log line must never stop the shutdown: stdout may be a pipe whose reader is gone (EPIPE).
      }
    };
    log(() => app.log.info({ signal }, 'shutting down: storing pending updates and closing connections'));
    app
      .close()
      .catch((cause: unknown) => {
        exitCode = 1;
        log(() => app.log.error({ err: cause }, 'shutdown failed'));
      })
      .finally(() => {
        if (exitCode === 0) log(() => app.log.info('stopped cleanly'));
        process.exit(exitCode);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  app.log.info(
    { dataDir: config.dataDir, webDir: config.webDir, auth: config.auth },
    `Meshpad is running at http://${config.host}:${port}`,
  );
  app.log.info(
    config.auth === 'required'
      ? 'access: every connection needs a token (links from POST /api/docs, or meshpad-relay token)'
      : 'access: open, so anyone who reaches this relay may read and edit any document; view links are not enforced (--auth required to change that)',
  );
}

main(process.argv.slice(2)).catch((cause: unknown) => {
  const code = (cause as NodeJS.ErrnoException).code;
  const hint =
    cause instanceof ConfigError || cause instanceof SecretError
      ? 'Run with --help to see every option.'
      : code === 'EADDRINUSE'
        ? 'Another process uses this port: stop it, or choose another with PORT=<port> (or --port).'
        : undefined;
  const message = `${cause instanceof ConfigError || cause instanceof SecretError ? '' : 'Meshpad relay failed to start: '}${(cause as Error).message}${hint ? `\n${hint}` : ''}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
