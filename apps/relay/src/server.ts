import helmet from '@fastify/helmet';
import websocket, { type WebsocketPluginOptions } from '@fastify/websocket';
import { SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '@meshpad/protocol';
import type { AccessStore, DocStore } from '@meshpad/storage';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { AccessGate } from './access/access-gate.js';
import { LiveGrants } from './access/live-grants.js';
import { loadRelaySecrets } from './access/relay-secret.js';
import { TokenAuthority } from './access/token-authority.js';
import { DEFAULT_CLOCK_OWNER_LIMITS } from './clock-owners.js';
import type { RelayConfig } from './config.js';
import { syncQuotaLimits } from './connection-quota.js';
import { ConnectionsPerAddress } from './connections-per-address.js';
import { DiskGuard } from './disk-guard.js';
import { DEFAULT_HELD_LIMITS } from './held-updates.js';
import apiPlugin from './plugins/api.js';
import healthPlugin from './plugins/health.js';
import originGuard from './plugins/origin-guard.js';
import signalingPlugin from './plugins/signaling.js';
import syncPlugin from './plugins/sync.js';
import webAppPlugin from './plugins/web-app.js';
import { isLoopbackAddress } from './request-origin.js';
import { securityHeaders } from './security-headers.js';

/**
 * How long a connection the relay closed may take to finish the close handshake before its socket
 * is destroyed: a client that does not read never receives the close frame, and its unsent data
 * stays in memory until then.
 */
const CLOSE_GRACE_MS = 1000;

/** Documents one address may create per minute when anyone may create them. */
const CREATES_PER_MINUTE = 30;

/** Updates one address may write through the HTTP API per minute. */
const API_WRITES_PER_MINUTE = 120;

/** Updates from this size on are judged on the intake thread; the HTTP API takes only smaller ones. */
const INTAKE_THREAD_MIN_BYTES = 64 * 1024;

/** A request's path without its query string, which may carry a token (PROTOCOL.md, "Access control"). */
const pathOf = (url: string | undefined): string => (url ?? '').split('?')[0]!;

/**
 * The subprotocol answered to an upgrade: `meshpad` when offered, else the first offered that does not carry
 * a token (as ws would), else none. A token is never echoed back.
 */
function selectSubprotocol(offered: Set<string>): string | false {
  if (offered.has(SUBPROTOCOL)) return SUBPROTOCOL;
  for (const protocol of offered) if (!protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return protocol;
  return false;
}

export interface RelayOptions {
  readonly config: RelayConfig;
  /** Where documents and their capability generations are kept; the relay closes it when it closes. */
  readonly store: DocStore & AccessStore;
  /** Log destination; defaults to stdout. */
  readonly logStream?: NodeJS.WritableStream;
}

/**
 * Builds the relay (not yet listening): security headers, Host and Origin checks, the sync and signaling
 * endpoints, the health check and the web app.
 */
export async function createRelay({ config, store, logStream }: RelayOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // process.stdout rather than pino's own destination: on a closed pipe (EPIPE) the latter retries a
    // synchronous write forever and blocks the event loop, shutdown included.
    logger: {
      level: config.logLevel,
      stream: logStream ?? process.stdout,
      // Query strings never reach the log: y-webrtc and stock y-websocket clients put tokens there.
      serializers: {
        req: (request: { method: string; url?: string; host?: string; ip?: string }) => ({
          method: request.method,
          url: pathOf(request.url),
          host: request.host,
          remoteAddress: request.ip,
        }),
      },
    },
    // Request lines would drown the log in busy deployments; debug and trace show them.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    forceCloseConnections: true,
    // Behind a proxy, the client address (counted by --max-connections-per-address) comes from X-Forwarded-For.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
  });
  // ws (8.23) reads closeTimeout; @types/ws does not list it yet.
  const wsOptions: WebsocketPluginOptions['options'] & { closeTimeout: number } = {
    maxPayload: config.maxMessageBytes,
    closeTimeout: CLOSE_GRACE_MS,
    handleProtocols: selectSubprotocol,
  };
  await app.register(websocket, {
    options: wsOptions,
    // Only stop accepting: each endpoint's own preClose hook closes its connections with a
    // going-away code (waiting for ws's close callback here would wait for those hooks forever).
    preClose: function stopAccepting(this: FastifyInstance, done: () => void) {
      this.websocketServer.close();
      done();
    },
  });
  const diskGuard = await DiskGuard.start(config.dataDir, config.minFreeDiskBytes, app.log);
  app.addHook('onClose', async () => diskGuard.stop());
  const connectionsPerAddress = new ConnectionsPerAddress(config.maxConnectionsPerAddress);
  const secrets = await loadRelaySecrets({
    secret: config.secrets.secret,
    secretFile: config.secretFile,
    previousSecret: config.secrets.previousSecret,
    dataDir: config.dataDir,
  });
  if (secrets.generatedAt !== undefined) {
    app.log.warn(
      { path: secrets.generatedAt },
      'generated the token secret: back it up with the database, or every link stops working on restore',
    );
  }
  const authority = await TokenAuthority.create(
    secrets,
    config.secrets.publicKey ? { publicKey: config.secrets.publicKey } : {},
  );
  const gate = new AccessGate(config.auth, authority, store);
  const liveGrants = new LiveGrants(gate);
  // In this order: @fastify/websocket marks upgrades, helmet's headers are on every answer (refusals
  // too), and the guard runs before any route.
  await app.register(helmet, securityHeaders);
  await app.register(originGuard, {
    loopbackOnly: isLoopbackAddress(config.host),
    publicOrigin: config.publicOrigin,
    allowedOrigins: config.allowedOrigins,
  });
  await app.register(syncPlugin, {
    store,
    maxMessageBytes: config.maxMessageBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    pingIntervalMs: config.pingIntervalMs,
    quota: syncQuotaLimits({
      messagesPerSecond: config.maxMessagesPerSecond,
      bytesPerSecond: config.maxBytesPerSecond,
      structsPerSecond: config.maxStructsPerSecond,
      newClientsPerSecond: config.maxNewClientsPerSecond,
      maxMessageBytes: config.maxMessageBytes,
      maxStructsPerUpdate: config.maxStructsPerUpdate,
      maxClientsPerUpdate: config.maxClientsPerUpdate,
    }),
    connectionsPerAddress,
    compactAfterUpdates: config.compactAfterUpdates,
    compactionDelayMs: config.compactionDelayMs,
    roomLingerMs: config.roomLingerMs,
    // Well inside the 10 s that Docker and systemd wait after SIGTERM before they kill.
    shutdownCompactionBudgetMs: 3000,
    updateLimits: { maxStructsPerUpdate: config.maxStructsPerUpdate, maxClientsPerUpdate: config.maxClientsPerUpdate },
    roomLimits: {
      maxDocumentBytes: config.maxDocumentBytes,
      held: {
        ...DEFAULT_HELD_LIMITS,
        bytesPerConnection: config.maxHeldBytes,
        bytesPerRoom: config.maxHeldBytes * 8,
        maxWaitMs: config.heldUpdateTimeoutMs,
      },
      awareness: {
        clientsPerConnection: config.awarenessClientsPerConnection,
        stateBytes: config.awarenessStateBytes,
        entriesPerMessage: config.awarenessEntriesPerMessage,
        ownerTimeoutMs: config.awarenessOwnerTimeoutMs,
      },
      livenessProbeMs: config.livenessProbeMs,
      clockOwners: { ...DEFAULT_CLOCK_OWNER_LIMITS, timeoutMs: config.clockOwnerTimeoutMs },
    },
    canStore: () => diskGuard.canStore(),
    compactionThread: { timeoutMs: config.compactionTimeoutMs, maxHeapMb: 512, maxYoungHeapMb: 8, idleMs: 10_000 },
    // An update of the most structs accepted decodes and is judged in well under a second; a paste of
    // 64 KiB is a few milliseconds of work, so smaller updates stay on the event loop.
    // Its young heap is kept small: under a flood of large updates V8's default grew it by some 40 MiB.
    intakeThread: {
      minBytes: INTAKE_THREAD_MIN_BYTES,
      timeoutMs: 10_000,
      maxHeapMb: 256,
      maxYoungHeapMb: 4,
      idleMs: 10_000,
    },
    gate,
    liveGrants,
  });
  await app.register(signalingPlugin, {
    maxBufferedBytes: config.maxBufferedBytes,
    connectionsPerAddress,
    gate,
    liveGrants,
  });
  await app.register(apiPlugin, {
    gate,
    minter: authority,
    createToken: config.secrets.createToken,
    createsPerMinute: CREATES_PER_MINUTE,
    publicOrigin: config.publicOrigin,
    corsOrigins: config.allowedOrigins === 'same-host' ? [] : config.allowedOrigins,
    maxUpdateBytes: INTAKE_THREAD_MIN_BYTES,
    writesPerMinute: API_WRITES_PER_MINUTE,
  });
  await app.register(healthPlugin, { store });
  await app.register(webAppPlugin, { webDir: config.webDir });
  return app;
}
