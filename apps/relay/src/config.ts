import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_UPDATE_LIMITS } from '@meshpad/protocol';
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
  readonly maxDocumentBytes: number;
  readonly maxStructsPerUpdate: number;
  readonly maxClientsPerUpdate: number;
  /** Bytes of updates one connection may have waiting for edits the relay lacks (a room: eight times this). */
  readonly maxHeldBytes: number;
  readonly heldUpdateTimeoutMs: number;
  /** Free space under which the relay stops storing updates (0: no guard). */
  readonly minFreeDiskBytes: number;
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
} as const satisfies Record<Exclude<keyof RelayConfig, 'minFreeDiskBytes'> | 'minFreeDiskMb', OptionSpec>;

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
    compactionTimeoutMs: integer('compactionTimeoutMs', raw('compactionTimeoutMs'), 100, 3_600_000),
    maxDocumentBytes: integer('maxDocumentBytes', raw('maxDocumentBytes'), 1024, 2 ** 40),
    maxStructsPerUpdate: integer('maxStructsPerUpdate', raw('maxStructsPerUpdate'), 1, 100_000_000),
    maxClientsPerUpdate: integer('maxClientsPerUpdate', raw('maxClientsPerUpdate'), 1, 100_000_000),
    maxHeldBytes: integer('maxHeldBytes', raw('maxHeldBytes'), 0, 2 ** 32),
    heldUpdateTimeoutMs: integer('heldUpdateTimeoutMs', raw('heldUpdateTimeoutMs'), 1, 3_600_000),
    minFreeDiskBytes: integer('minFreeDiskMb', raw('minFreeDiskMb'), 0, 2 ** 30) * 1024 * 1024,
  };
}
