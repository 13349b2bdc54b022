import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@meshpad/protocol';

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
  /** The origin browsers load the app from (`https://pad.example.com`), when the relay is told it. */
  readonly publicOrigin: string | undefined;
  /**
   * Browser origins whose pages may open WebSockets; `same-host` (the default without a public origin)
   * allows a page whose origin names the host the request was addressed to.
   */
  readonly allowedOrigins: readonly string[] | 'same-host';
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
    publicOrigin,
    allowedOrigins:
      allowedOriginsRaw !== undefined
        ? allowedOriginsRaw.split(',').map((entry) => origin('allowedOrigins', entry.trim()))
        : publicOrigin !== undefined
          ? [publicOrigin]
          : 'same-host',
  };
}
