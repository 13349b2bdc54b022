import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const config = parseConfig([], {}, '/srv');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4321,
      dataDir: '/srv/data',
      logLevel: 'info',
      maxMessageBytes: 16 * 1024 * 1024,
      sqliteSynchronous: 'NORMAL',
      checkpointAfterMs: 1000,
      awarenessClientsPerConnection: 8,
      awarenessStateBytes: 4096,
      awarenessEntriesPerMessage: 64,
      awarenessOwnerTimeoutMs: 30_000,
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = { PORT: '8080', HOST: '0.0.0.0', MESHPAD_DATA_DIR: '/var/lib/meshpad', LOG_LEVEL: 'warn' };
    expect(parseConfig([], env)).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/meshpad',
      logLevel: 'warn',
    });
    expect(parseConfig(['--port', '9000', '--log-level', 'debug'], env)).toMatchObject({
      port: 9000,
      logLevel: 'debug',
    });
  });

  it('rejects bad values with the option, the variable and the value', () => {
    expect(() => parseConfig([], { PORT: '70000' })).toThrow(
      new ConfigError('--port (PORT) must be an integer from 0 to 65535, got "70000"'),
    );
    expect(() => parseConfig(['--log-level', 'loud'], {})).toThrow(/--log-level \(LOG_LEVEL\) must be one of/);
    expect(() => parseConfig(['--sqlite-synchronous', 'off'], {})).toThrow(/FULL or NORMAL/);
    expect(() => parseConfig(['--nope'], {})).toThrow(/Unknown option/);
  });

  it('lists every option with its variable in --help', () => {
    const help = helpText();
    for (const name of [
      'HOST',
      'PORT',
      'MESHPAD_DATA_DIR',
      'MESHPAD_WEB_DIR',
      'LOG_LEVEL',
      'MESHPAD_MAX_MESSAGE_BYTES',
      'MESHPAD_SQLITE_SYNCHRONOUS',
      'MESHPAD_CHECKPOINT_AFTER_MS',
      'MESHPAD_AWARENESS_CLIENTS_PER_CONNECTION',
      'MESHPAD_AWARENESS_STATE_BYTES',
      'MESHPAD_AWARENESS_ENTRIES_PER_MESSAGE',
      'MESHPAD_AWARENESS_OWNER_TIMEOUT_MS',
    ]) {
      expect(help).toContain(name);
    }
  });
});
