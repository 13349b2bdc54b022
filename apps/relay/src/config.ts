import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_AWARENESS_LIMITS, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_UPDATE_LIMITS } from '@meshpad/protocol';
import type { AuthMode } from './access/access-gate.js';
import { DEFAULT_CLOCK_OWNER_LIMITS } from './clock-owners.js';
import { DEFAULT_HELD_LIMITS } from './held-updates.js';
import { DEFAULT_ROOM_LIMITS } from './room.js';

/** Everything the relay can be configured with, read once at start-up. */
export interface RelayConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly webDir: string;
  readonly logLevel: LogLevel;
  readonly maxMessageBytes: number;
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /** With NORMAL, the longest an accepted update waits for a background sync to disk. */
  readonly checkpointAfterMs: number;
  /** Log entries since the last compaction after which a room is compacted. */
  readonly compactAfterUpdates: number;
  /** Quiet time a room waits before a scheduled compaction runs. */
  readonly compactionDelayMs: number;
  /** Longest one compaction may run on its thread before it is stopped and the log kept. */
  readonly compactionTimeoutMs: number;
  /** How long a room stays loaded after its last connection left. */
  readonly roomLingerMs: number;
  readonly maxDocumentBytes: number;
  readonly maxStructsPerUpdate: number;
  readonly maxClientsPerUpdate: number;
  /** Bytes of updates one connection may have waiting for edits the relay lacks (a room: eight times this). */
  readonly maxHeldBytes: number;
  readonly heldUpdateTimeoutMs: number;
  /** Free space under which the relay stops storing updates (0: no guard). */
  readonly minFreeDiskBytes: number;
  /** Unsent bytes one connection may hold on the relay before it is closed as a slow reader. */
  readonly maxBufferedBytes: number;
  /** Interval of WebSocket pings on `/yjs`; a connection that misses one is dropped. */
  readonly pingIntervalMs: number;
  /** Sustained messages per second per `/yjs` connection (bursts of ten seconds' worth). */
  readonly maxMessagesPerSecond: number;
  /** Sustained bytes per second per `/yjs` connection (bursts of ten seconds' worth, or two largest messages). */
  readonly maxBytesPerSecond: number;
  /** Sustained Yjs structs per second per `/yjs` connection (bursts of ten seconds' worth, or two largest updates). */
  readonly maxStructsPerSecond: number;
  /** Sustained client ids new to the document per second per `/yjs` connection (bursts: 10 s worth, or 2 updates' most). */
  readonly maxNewClientsPerSecond: number;
  /** Open WebSockets (`/yjs` and `/signal` together) one client address may hold. */
  readonly maxConnectionsPerAddress: number;
  /** Proxies whose X-Forwarded-For names the client (addresses, CIDR ranges, or proxy-addr's names); empty: none. */
  readonly trustProxy: readonly string[];
  /** The origin browsers load the app from (`https://pad.example.com`), when the relay is told it. */
  readonly publicOrigin: string | undefined;
  /**
   * Browser origins whose pages may open WebSockets; `same-host` (the default without a public origin)
   * allows a page whose origin names the host the request was addressed to.
   */
  readonly allowedOrigins: readonly string[] | 'same-host';
  /** Awareness client ids one connection may own at once. */
  readonly awarenessClientsPerConnection: number;
  /** Longest awareness state accepted, in UTF-8 bytes. */
  readonly awarenessStateBytes: number;
  /** Entries of one awareness message the relay looks at. */
  readonly awarenessEntriesPerMessage: number;
  /** Silence after which a connection loses a client id it owned. */
  readonly awarenessOwnerTimeoutMs: number;
  /** How long the owner of a client id has to answer a ping once another connection claims the id as its own. */
  readonly livenessProbeMs: number;
  /** How long a connection without presence owns the client id it writes under after its last new edit. */
  readonly clockOwnerTimeoutMs: number;
  /** Whether every connection needs a token (PROTOCOL.md, "Access control"). */
  readonly auth: AuthMode;
  /** File holding the relay's token secret, when `MESHPAD_SECRET` does not give it. */
  readonly secretFile: string | undefined;
  /** Read from the environment only, so that they never show in a process list. */
  readonly secrets: RelaySecretsConfig;
}

/** Secrets of the relay, from the environment. Never logged. */
export interface RelaySecretsConfig {
  /** `MESHPAD_SECRET`: signs and verifies tokens. */
  readonly secret: string | undefined;
  /** `MESHPAD_PREVIOUS_SECRET`: still verifies tokens while a new secret takes over. */
  readonly previousSecret: string | undefined;
  /** `MESHPAD_JWT_PUBLIC_KEY` (PEM or JWK) and its pinned algorithm `MESHPAD_JWT_PUBLIC_KEY_ALG`: a host's key. */
  readonly publicKey: { readonly key: string; readonly alg: 'EdDSA' | 'ES256' } | undefined;
  /** `MESHPAD_CREATE_TOKEN`: when set, only requests bearing it may create documents. */
  readonly createToken: string | undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly description: string;
  readonly defaultValue: string;
}

const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

const OPTIONS = {
  host: { flag: 'host', env: 'HOST', description: 'Address to listen on', defaultValue: '127.0.0.1' },
  port: { flag: 'port', env: 'PORT', description: 'TCP port to listen on (0 picks a free one)', defaultValue: '4321' },
  dataDir: {
    flag: 'data-dir',
    env: 'MESHPAD_DATA_DIR',
    description: 'Directory of the SQLite database',
    defaultValue: './data',
  },
  webDir: {
    flag: 'web-dir',
    env: 'MESHPAD_WEB_DIR',
    description: 'Built web app to serve at /',
    defaultValue: 'apps/web/dist beside the relay',
  },
  logLevel: {
    flag: 'log-level',
    env: 'LOG_LEVEL',
    description: `Log level: ${LOG_LEVELS.join(', ')}`,
    defaultValue: 'info',
  },
  maxMessageBytes: {
    flag: 'max-message-bytes',
    env: 'MESHPAD_MAX_MESSAGE_BYTES',
    description: 'Largest WebSocket message accepted; larger ones close the connection (1009)',
    defaultValue: String(DEFAULT_MAX_MESSAGE_BYTES),
  },
  sqliteSynchronous: {
    flag: 'sqlite-synchronous',
    env: 'MESHPAD_SQLITE_SYNCHRONOUS',
    description:
      'NORMAL: updates survive a relay crash at once and power loss after a background sync; FULL: syncs every write',
    defaultValue: 'NORMAL',
  },
  checkpointAfterMs: {
    flag: 'checkpoint-after-ms',
    env: 'MESHPAD_CHECKPOINT_AFTER_MS',
    description: 'Longest time a stored update waits for the background sync to disk (and save confirmations)',
    defaultValue: '1000',
  },
  compactAfterUpdates: {
    flag: 'compact-after-updates',
    env: 'MESHPAD_COMPACT_AFTER_UPDATES',
    description: 'Stored updates after which a document is compacted into one snapshot',
    defaultValue: '500',
  },
  roomLingerMs: {
    flag: 'room-linger-ms',
    env: 'MESHPAD_ROOM_LINGER_MS',
    description: 'How long a document stays in memory after its last connection left (a reconnect reads nothing)',
    defaultValue: '10000',
  },
  compactionDelayMs: {
    flag: 'compaction-delay-ms',
    env: 'MESHPAD_COMPACTION_DELAY_MS',
    description: 'Quiet time before a scheduled compaction runs',
    defaultValue: '2000',
  },
  compactionTimeoutMs: {
    flag: 'compaction-timeout-ms',
    env: 'MESHPAD_COMPACTION_TIMEOUT_MS',
    description: 'Longest one compaction may run (on its own thread) before it is stopped; the log is kept',
    defaultValue: '30000',
  },
  maxDocumentBytes: {
    flag: 'max-document-bytes',
    env: 'MESHPAD_MAX_DOCUMENT_BYTES',
    description: 'Largest encoded size of a document; past it only updates that delete are stored (4513)',
    defaultValue: String(DEFAULT_ROOM_LIMITS.maxDocumentBytes),
  },
  maxStructsPerUpdate: {
    flag: 'max-structs-per-update',
    env: 'MESHPAD_MAX_STRUCTS_PER_UPDATE',
    description: 'Most Yjs structs in one update, counted before decoding it (4402)',
    defaultValue: String(DEFAULT_UPDATE_LIMITS.maxStructsPerUpdate),
  },
  maxClientsPerUpdate: {
    flag: 'max-clients-per-update',
    env: 'MESHPAD_MAX_CLIENTS_PER_UPDATE',
    description: 'Most client runs in one update, counted before decoding it (4402)',
    defaultValue: String(DEFAULT_UPDATE_LIMITS.maxClientsPerUpdate),
  },
  maxHeldBytes: {
    flag: 'max-held-bytes',
    env: 'MESHPAD_MAX_HELD_BYTES',
    description: 'Bytes of updates one connection may have waiting for edits the relay lacks; a room 8x (4509)',
    defaultValue: String(DEFAULT_HELD_LIMITS.bytesPerConnection),
  },
  heldUpdateTimeoutMs: {
    flag: 'held-update-timeout-ms',
    env: 'MESHPAD_HELD_UPDATE_TIMEOUT_MS',
    description: 'Longest an update waits for the edits it depends on before its sender must resync (4509)',
    defaultValue: String(DEFAULT_HELD_LIMITS.maxWaitMs),
  },
  minFreeDiskMb: {
    flag: 'min-free-disk-mb',
    env: 'MESHPAD_MIN_FREE_DISK_MB',
    description: 'Free space in the data directory under which no update is stored (4507); 0 turns it off',
    defaultValue: '256',
  },
  maxBufferedBytes: {
    flag: 'max-buffered-bytes',
    env: 'MESHPAD_MAX_BUFFERED_BYTES',
    description: 'Unsent bytes a connection may hold on the relay; past it, it is closed as a slow reader (4508)',
    defaultValue: String(8 * 1024 * 1024),
  },
  pingIntervalMs: {
    flag: 'ping-interval-ms',
    env: 'MESHPAD_PING_INTERVAL_MS',
    description: 'Interval of pings on /yjs; a connection that misses one is dropped (within twice this)',
    defaultValue: '30000',
  },
  maxMessagesPerSecond: {
    flag: 'max-messages-per-second',
    env: 'MESHPAD_MAX_MESSAGES_PER_SECOND',
    description: 'Messages per second per /yjs connection, in bursts of 10 s worth; more closes it (4529)',
    defaultValue: '1000',
  },
  maxBytesPerSecond: {
    flag: 'max-bytes-per-second',
    env: 'MESHPAD_MAX_BYTES_PER_SECOND',
    description:
      'Bytes per second per /yjs connection, in bursts of 10 s worth or 2 largest messages; more closes it (4529)',
    defaultValue: String(2 * 1024 * 1024),
  },
  maxStructsPerSecond: {
    flag: 'max-structs-per-second',
    env: 'MESHPAD_MAX_STRUCTS_PER_SECOND',
    description:
      'Yjs structs and deleted ranges per second per /yjs connection, in bursts of 10 s worth or 2 largest updates (4529)',
    defaultValue: '10000',
  },
  maxNewClientsPerSecond: {
    flag: 'max-new-clients-per-second',
    env: 'MESHPAD_MAX_NEW_CLIENTS_PER_SECOND',
    description:
      'Client ids new to the document per second per /yjs connection, in bursts of 10 s worth or 2 updates of the most client runs (4529)',
    defaultValue: '100',
  },
  maxConnectionsPerAddress: {
    flag: 'max-connections-per-address',
    env: 'MESHPAD_MAX_CONNECTIONS_PER_ADDRESS',
    description: 'Open /yjs and /signal connections per client address (IPv6: per /64); more are closed (4530)',
    defaultValue: '64',
  },
  trustProxy: {
    flag: 'trust-proxy',
    env: 'MESHPAD_TRUST_PROXY',
    description:
      'Proxies whose X-Forwarded-For gives the client address: comma-separated addresses, CIDR ranges, loopback, linklocal, uniquelocal; or off',
    defaultValue: 'off',
  },
  publicOrigin: {
    flag: 'public-origin',
    env: 'MESHPAD_PUBLIC_ORIGIN',
    description:
      'Origin browsers reach the relay at (https://pad.example.com); its host is also answered on a loopback bind',
    defaultValue: 'none',
  },
  allowedOrigins: {
    flag: 'allowed-origins',
    env: 'MESHPAD_ALLOWED_ORIGINS',
    description: 'Comma-separated browser origins allowed to open WebSockets; clients that send no Origin always are',
    defaultValue: 'public origin, or same host',
  },
  awarenessClientsPerConnection: {
    flag: 'awareness-clients-per-connection',
    env: 'MESHPAD_AWARENESS_CLIENTS_PER_CONNECTION',
    description: 'Awareness client ids one connection may own (itself and mesh peers it forwards); more are ignored',
    defaultValue: String(DEFAULT_AWARENESS_LIMITS.clientsPerConnection),
  },
  awarenessStateBytes: {
    flag: 'awareness-state-bytes',
    env: 'MESHPAD_AWARENESS_STATE_BYTES',
    description: 'Longest awareness state (presence) in bytes of JSON; longer ones are ignored',
    defaultValue: String(DEFAULT_AWARENESS_LIMITS.stateBytes),
  },
  awarenessEntriesPerMessage: {
    flag: 'awareness-entries-per-message',
    env: 'MESHPAD_AWARENESS_ENTRIES_PER_MESSAGE',
    description: 'Entries of one awareness message the relay looks at; the rest are ignored',
    defaultValue: String(DEFAULT_AWARENESS_LIMITS.entriesPerMessage),
  },
  awarenessOwnerTimeoutMs: {
    flag: 'awareness-owner-timeout-ms',
    env: 'MESHPAD_AWARENESS_OWNER_TIMEOUT_MS',
    description: "Silence after which another connection may take over a client id's awareness state",
    defaultValue: String(DEFAULT_AWARENESS_LIMITS.ownerTimeoutMs),
  },
  livenessProbeMs: {
    flag: 'liveness-probe-ms',
    env: 'MESHPAD_LIVENESS_PROBE_MS',
    description:
      "Time a client id's owner has to answer a ping when a new connection claims the id (a half-open reconnect)",
    defaultValue: String(DEFAULT_ROOM_LIMITS.livenessProbeMs),
  },
  clockOwnerTimeoutMs: {
    flag: 'clock-owner-timeout-ms',
    env: 'MESHPAD_CLOCK_OWNER_TIMEOUT_MS',
    description: 'Time without new edits after which a connection without presence stops owning the id it writes under',
    defaultValue: String(DEFAULT_CLOCK_OWNER_LIMITS.timeoutMs),
  },
  auth: {
    flag: 'auth',
    env: 'MESHPAD_AUTH',
    description:
      'required: every connection needs a token; open: connections without one may edit (a bad token is still refused)',
    defaultValue: 'required',
  },
  secretFile: {
    flag: 'secret-file',
    env: 'MESHPAD_SECRET_FILE',
    description:
      'File with the token secret (mode 600); else MESHPAD_SECRET, else <data-dir>/secret, generated once. Back it up',
    defaultValue: 'none',
  },
} as const satisfies Record<Exclude<keyof RelayConfig, 'minFreeDiskBytes' | 'secrets'> | 'minFreeDiskMb', OptionSpec>;

/** Settings read from the environment only; listed in `--help`. */
const SECRET_ENV = [
  ['MESHPAD_SECRET', 'Token secret (at least 32 bytes); takes precedence over --secret-file'],
  ['MESHPAD_PREVIOUS_SECRET', 'The secret before the current one: its tokens stay valid while links are renewed'],
  ['MESHPAD_JWT_PUBLIC_KEY', "A host application's public key (PEM or JWK) whose tokens are accepted too"],
  ['MESHPAD_JWT_PUBLIC_KEY_ALG', 'Its algorithm, pinned: EdDSA (default) or ES256'],
  ['MESHPAD_CREATE_TOKEN', 'When set, only requests bearing it may create documents (POST /api/docs)'],
] as const;

/** Thrown for an invalid option; the message names the option, the value and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The `--help` text: every option with its environment variable and default. */
export function helpText(): string {
  const rows = Object.values(OPTIONS).map((o) => [`--${o.flag} <value>`, o.env, o.defaultValue, o.description]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  '));
  return [
    'Usage: meshpad-relay [options]',
    '',
    'Meshpad relay: a y-websocket compatible sync server with SQLite persistence that serves the web app.',
    'Each option can also be set by its environment variable; the flag wins.',
    '',
    `${'option'.padEnd(widths[0]!)}  ${'environment'.padEnd(widths[1]!)}  ${'default'.padEnd(widths[2]!)}  meaning`,
    ...lines,
    `${'--help'.padEnd(widths[0]!)}  ${''.padEnd(widths[1]!)}  ${''.padEnd(widths[2]!)}  Print this help`,
    '',
    'From the environment only (secrets are never read from flags, which other users can see):',
    ...SECRET_ENV.map(([env, description]) => `${env.padEnd(28)}  ${description}`),
    '',
    'meshpad-relay token --room <id> --scope view|edit|owner [--expires-in <seconds>]: print a token and link',
  ].join('\n');
}

function integer(name: keyof typeof OPTIONS, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    const o = OPTIONS[name];
    throw new ConfigError(`--${o.flag} (${o.env}) must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Whether `entry` is an address, a CIDR range (address/prefix length) or one of proxy-addr's names. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

function proxyList(raw: string): string[] {
  if (raw.trim() === 'off' || raw.trim() === '') return [];
  const entries = raw.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !isProxyAddress(entry));
  if (bad !== undefined) {
    throw new ConfigError(
      `--trust-proxy (MESHPAD_TRUST_PROXY) must be off or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal, got "${bad}"`,
    );
  }
  return entries;
}

/** Validates an origin (`scheme://host[:port]`, http or https) and returns its normal form. */
function origin(name: 'publicOrigin' | 'allowedOrigins', raw: string): string {
  const o = OPTIONS[name];
  const fail = () =>
    new ConfigError(
      `--${o.flag} (${o.env}) takes origins such as https://pad.example.com (scheme, host, optional port; no path), got "${raw}"`,
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail();
  }
  const bare = url.pathname === '/' && !/[?#]/.test(raw) && url.username === '' && url.password === '';
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) throw fail();
  return url.origin;
}

/** Reads options from flags, then the environment, then defaults. Throws `ConfigError` on bad values. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): RelayConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(Object.values(OPTIONS).map((o) => [o.flag, { type: 'string' as const }])),
    strict: true,
  });
  const raw = (name: keyof typeof OPTIONS): string => {
    const o = OPTIONS[name];
    return (values[o.flag] as string | undefined) ?? env[o.env] ?? o.defaultValue;
  };
  const logLevel = raw('logLevel');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`--log-level (LOG_LEVEL) must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const synchronous = raw('sqliteSynchronous').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigError(
      `--sqlite-synchronous (MESHPAD_SQLITE_SYNCHRONOUS) must be FULL or NORMAL, got "${synchronous}"`,
    );
  }
  const webDirRaw = values[OPTIONS.webDir.flag] ?? env[OPTIONS.webDir.env];
  const optional = (name: 'publicOrigin' | 'allowedOrigins'): string | undefined => {
    const value = (values[OPTIONS[name].flag] as string | undefined) ?? env[OPTIONS[name].env];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const publicOriginRaw = optional('publicOrigin');
  const publicOrigin = publicOriginRaw === undefined ? undefined : origin('publicOrigin', publicOriginRaw);
  const allowedOriginsRaw = optional('allowedOrigins');
  return {
    host: raw('host'),
    port: integer('port', raw('port'), 0, 65535),
    dataDir: resolve(cwd, raw('dataDir')),
    webDir: typeof webDirRaw === 'string' ? resolve(cwd, webDirRaw) : defaultWebDir,
    logLevel: logLevel as LogLevel,
    maxMessageBytes: integer('maxMessageBytes', raw('maxMessageBytes'), 1024, 1024 * 1024 * 1024),
    sqliteSynchronous: synchronous,
    checkpointAfterMs: integer('checkpointAfterMs', raw('checkpointAfterMs'), 1, 60_000),
    compactAfterUpdates: integer('compactAfterUpdates', raw('compactAfterUpdates'), 1, 10_000_000),
    compactionDelayMs: integer('compactionDelayMs', raw('compactionDelayMs'), 0, 3_600_000),
    compactionTimeoutMs: integer('compactionTimeoutMs', raw('compactionTimeoutMs'), 100, 3_600_000),
    roomLingerMs: integer('roomLingerMs', raw('roomLingerMs'), 0, 3_600_000),
    maxDocumentBytes: integer('maxDocumentBytes', raw('maxDocumentBytes'), 1024, 2 ** 40),
    maxStructsPerUpdate: integer('maxStructsPerUpdate', raw('maxStructsPerUpdate'), 1, 100_000_000),
    maxClientsPerUpdate: integer('maxClientsPerUpdate', raw('maxClientsPerUpdate'), 1, 100_000_000),
    maxHeldBytes: integer('maxHeldBytes', raw('maxHeldBytes'), 0, 2 ** 32),
    heldUpdateTimeoutMs: integer('heldUpdateTimeoutMs', raw('heldUpdateTimeoutMs'), 1, 3_600_000),
    minFreeDiskBytes: integer('minFreeDiskMb', raw('minFreeDiskMb'), 0, 2 ** 30) * 1024 * 1024,
    maxBufferedBytes: integer('maxBufferedBytes', raw('maxBufferedBytes'), 1024, 1024 * 1024 * 1024),
    pingIntervalMs: integer('pingIntervalMs', raw('pingIntervalMs'), 10, 3_600_000),
    maxMessagesPerSecond: integer('maxMessagesPerSecond', raw('maxMessagesPerSecond'), 1, 1_000_000_000),
    maxBytesPerSecond: integer('maxBytesPerSecond', raw('maxBytesPerSecond'), 1, 1024 * 1024 * 1024 * 1024),
    maxStructsPerSecond: integer('maxStructsPerSecond', raw('maxStructsPerSecond'), 1, 1_000_000_000),
    maxNewClientsPerSecond: integer('maxNewClientsPerSecond', raw('maxNewClientsPerSecond'), 1, 1_000_000_000),
    maxConnectionsPerAddress: integer('maxConnectionsPerAddress', raw('maxConnectionsPerAddress'), 1, 1_000_000_000),
    trustProxy: proxyList(raw('trustProxy')),
    publicOrigin,
    allowedOrigins:
      allowedOriginsRaw !== undefined
        ? allowedOriginsRaw.split(',').map((entry) => origin('allowedOrigins', entry.trim()))
        : publicOrigin !== undefined
          ? [publicOrigin]
          : 'same-host',
    awarenessClientsPerConnection: integer(
      'awarenessClientsPerConnection',
      raw('awarenessClientsPerConnection'),
      1,
      1_000_000,
    ),
    awarenessStateBytes: integer('awarenessStateBytes', raw('awarenessStateBytes'), 2, 1024 * 1024 * 1024),
    awarenessEntriesPerMessage: integer('awarenessEntriesPerMessage', raw('awarenessEntriesPerMessage'), 1, 1_000_000),
    awarenessOwnerTimeoutMs: integer('awarenessOwnerTimeoutMs', raw('awarenessOwnerTimeoutMs'), 1, 3_600_000),
    livenessProbeMs: integer('livenessProbeMs', raw('livenessProbeMs'), 1, 3_600_000),
    clockOwnerTimeoutMs: integer('clockOwnerTimeoutMs', raw('clockOwnerTimeoutMs'), 1, 3_600_000),
    auth: authMode(raw('auth')),
    secretFile: optionalPath(raw('secretFile'), cwd),
    secrets: secretsFrom(env),
  };
}

function authMode(raw: string): AuthMode {
  // An empty variable counts as unset (compose files often pass MESHPAD_AUTH: ${MESHPAD_AUTH:-}).
  if (raw.trim() === '') return 'required';
  if (raw === 'required' || raw === 'open') return raw;
  throw new ConfigError(`--auth (MESHPAD_AUTH) must be required or open, got "${raw}"`);
}

function optionalPath(raw: string, cwd: string): string | undefined {
  return raw === 'none' || raw.trim() === '' ? undefined : resolve(cwd, raw);
}

function secretsFrom(env: NodeJS.ProcessEnv): RelaySecretsConfig {
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const key = value('MESHPAD_JWT_PUBLIC_KEY');
  const alg = value('MESHPAD_JWT_PUBLIC_KEY_ALG') ?? 'EdDSA';
  if (alg !== 'EdDSA' && alg !== 'ES256') {
    throw new ConfigError(`MESHPAD_JWT_PUBLIC_KEY_ALG must be EdDSA or ES256, got "${alg}"`);
  }
  const createToken = value('MESHPAD_CREATE_TOKEN');
  if (createToken !== undefined && createToken.length < 16) {
    throw new ConfigError('MESHPAD_CREATE_TOKEN must be at least 16 characters long: it guards document creation');
  }
  return {
    secret: value('MESHPAD_SECRET'),
    previousSecret: value('MESHPAD_PREVIOUS_SECRET'),
    publicKey: key === undefined ? undefined : { key, alg },
    createToken,
  };
}
