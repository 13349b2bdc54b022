import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_AWARENESS_LIMITS, DEFAULT_MAX_MESSAGE_BYTES } from '@meshpad/protocol';

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
  /** Awareness client ids one connection may own at once. */
  readonly awarenessClientsPerConnection: number;
  /** Longest awareness state accepted, in UTF-8 bytes. */
  readonly awarenessStateBytes: number;
  /** Entries of one awareness message the relay looks at. */
  readonly awarenessEntriesPerMessage: number;
  /** Silence after which a connection loses a client id it owned. */
  readonly awarenessOwnerTimeoutMs: number;
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
  compactionDelayMs: {
    flag: 'compaction-delay-ms',
    env: 'MESHPAD_COMPACTION_DELAY_MS',
    description: 'Quiet time before a scheduled compaction runs',
    defaultValue: '2000',
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
} as const satisfies Record<keyof RelayConfig, OptionSpec>;

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
    awarenessClientsPerConnection: integer(
      'awarenessClientsPerConnection',
      raw('awarenessClientsPerConnection'),
      1,
      1_000_000,
    ),
    awarenessStateBytes: integer('awarenessStateBytes', raw('awarenessStateBytes'), 2, 1024 * 1024 * 1024),
    awarenessEntriesPerMessage: integer('awarenessEntriesPerMessage', raw('awarenessEntriesPerMessage'), 1, 1_000_000),
    awarenessOwnerTimeoutMs: integer('awarenessOwnerTimeoutMs', raw('awarenessOwnerTimeoutMs'), 1, 3_600_000),
  };
}
