import websocket from '@fastify/websocket';
import type { DocStore } from '@meshpad/storage';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { RelayConfig } from './config.js';
import healthPlugin from './plugins/health.js';
import signalingPlugin from './plugins/signaling.js';
import syncPlugin from './plugins/sync.js';
import webAppPlugin from './plugins/web-app.js';

export interface RelayOptions {
  readonly config: RelayConfig;
  /** Where documents are kept; the relay closes it when it closes. */
  readonly store: DocStore;
  /** Log destination; defaults to stdout. */
  readonly logStream?: NodeJS.WritableStream;
}

/** Builds the relay (not yet listening): sync endpoint, health check and the web app. */
export async function createRelay({ config, store, logStream }: RelayOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // process.stdout rather than pino's own destination: on a closed pipe (EPIPE) the latter retries a
    // synchronous write forever and blocks the event loop, shutdown included.
    logger: { level: config.logLevel, stream: logStream ?? process.stdout },
    // Request lines would drown the log in busy deployments; debug and trace show them.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    forceCloseConnections: true,
  });
  await app.register(websocket, {
    options: { maxPayload: config.maxMessageBytes },
    // Only stop accepting: each endpoint's own preClose hook closes its connections with a
    // going-away code (waiting for ws's close callback here would wait for those hooks forever).
    preClose: function stopAccepting(this: FastifyInstance, done: () => void) {
      this.websocketServer.close();
      done();
    },
  });
  await app.register(syncPlugin, {
    store,
    maxMessageBytes: config.maxMessageBytes,
    compactAfterUpdates: config.compactAfterUpdates,
    compactionDelayMs: config.compactionDelayMs,
    // Well inside the 10 s that Docker and systemd wait after SIGTERM before they kill.
    shutdownCompactionBudgetMs: 3000,
    awareness: {
      clientsPerConnection: config.awarenessClientsPerConnection,
      stateBytes: config.awarenessStateBytes,
      entriesPerMessage: config.awarenessEntriesPerMessage,
      ownerTimeoutMs: config.awarenessOwnerTimeoutMs,
    },
  });
  await app.register(signalingPlugin);
  await app.register(healthPlugin, { store });
  await app.register(webAppPlugin, { webDir: config.webDir });
  return app;
}
