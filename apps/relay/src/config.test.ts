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
      maxMessageBytes: 4 * 1024 * 1024,
      sqliteSynchronous: 'NORMAL',
      checkpointAfterMs: 1000,
      maxDocumentBytes: 32 * 1024 * 1024,
      maxStructsPerUpdate: 100_000,
      maxClientsPerUpdate: 10_000,
      maxHeldBytes: 1024 * 1024,
      heldUpdateTimeoutMs: 15_000,
      minFreeDiskBytes: 256 * 1024 * 1024,
      maxBufferedBytes: 8 * 1024 * 1024,
      pingIntervalMs: 30_000,
      maxMessagesPerSecond: 1000,
      maxBytesPerSecond: 2 * 1024 * 1024,
      maxStructsPerSecond: 10_000,
      maxConnectionsPerAddress: 64,
      trustProxy: [],
      awarenessClientsPerConnection: 8,
      awarenessStateBytes: 4096,
      awarenessEntriesPerMessage: 64,
      awarenessOwnerTimeoutMs: 30_000,
      auth: 'required',
      secretFile: undefined,
      secrets: { secret: undefined, previousSecret: undefined, publicKey: undefined, createToken: undefined },
    });
  });

  it('reads the access mode and the secrets, which only the environment gives', () => {
    const config = parseConfig(
      ['--auth', 'open', '--secret-file', 'secrets/relay'],
      {
        MESHPAD_SECRET: 's'.repeat(40),
        MESHPAD_PREVIOUS_SECRET: 'p'.repeat(40),
        MESHPAD_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----',
        MESHPAD_JWT_PUBLIC_KEY_ALG: 'ES256',
        MESHPAD_CREATE_TOKEN: 'c'.repeat(20),
      },
      '/srv',
    );
    expect(config.auth).toBe('open');
    expect(config.secretFile).toBe('/srv/secrets/relay');
    expect(config.secrets).toEqual({
      secret: 's'.repeat(40),
      previousSecret: 'p'.repeat(40),
      publicKey: { key: '-----BEGIN PUBLIC KEY-----', alg: 'ES256' },
      createToken: 'c'.repeat(20),
    });
    // An empty variable is unset: compose files pass ${MESHPAD_AUTH:-}.
    expect(parseConfig([], { MESHPAD_AUTH: '' }).auth).toBe('required');
    expect(() => parseConfig([], { MESHPAD_AUTH: 'off' })).toThrow(/--auth \(MESHPAD_AUTH\) must be required or open/);
    expect(() => parseConfig([], { MESHPAD_JWT_PUBLIC_KEY: 'k', MESHPAD_JWT_PUBLIC_KEY_ALG: 'HS256' })).toThrow(
      /EdDSA or ES256/,
    );
    expect(() => parseConfig([], { MESHPAD_CREATE_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(() => parseConfig(['--secret', 'x'], {})).toThrow();
  });

  it('reads the transport limits from flags and the environment', () => {
    const env = {
      MESHPAD_MAX_BUFFERED_BYTES: '1048576',
      MESHPAD_PING_INTERVAL_MS: '100',
      MESHPAD_MAX_MESSAGES_PER_SECOND: '50',
      MESHPAD_MAX_BYTES_PER_SECOND: '65536',
      MESHPAD_MAX_CONNECTIONS_PER_ADDRESS: '3',
      MESHPAD_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,uniquelocal,::1',
    };
    expect(parseConfig([], env)).toMatchObject({
      maxBufferedBytes: 1024 * 1024,
      pingIntervalMs: 100,
      maxMessagesPerSecond: 50,
      maxBytesPerSecond: 65536,
      maxConnectionsPerAddress: 3,
      trustProxy: ['127.0.0.1', '10.0.0.0/8', 'uniquelocal', '::1'],
    });
    expect(parseConfig(['--trust-proxy', 'off', '--max-connections-per-address', '9'], env)).toMatchObject({
      trustProxy: [],
      maxConnectionsPerAddress: 9,
    });
    expect(parseConfig([], { MESHPAD_TRUST_PROXY: '' })).toMatchObject({ trustProxy: [] });
    expect(parseConfig(['--max-messages-per-second', '9'], env)).toMatchObject({ maxMessagesPerSecond: 9 });
  });

  it('rejects limits out of range', () => {
    expect(() => parseConfig([], { MESHPAD_PING_INTERVAL_MS: '0' })).toThrow(/--ping-interval-ms/);
    expect(() => parseConfig(['--max-bytes-per-second', '-1'], {})).toThrow(/--max-bytes-per-second/);
  });

  it('rejects a trusted proxy that is not an address, a range or a known name', () => {
    for (const bad of ['true', '10.0.0.0/33', '1.2.3', 'localhost', '127.0.0.1,']) {
      expect(() => parseConfig(['--trust-proxy', bad], {})).toThrow(
        /--trust-proxy \(MESHPAD_TRUST_PROXY\) must be off or/,
      );
    }
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

  it('allows same-host browser origins by default, the public origin once it is set, or the list given', () => {
    expect(parseConfig([], {})).toMatchObject({ publicOrigin: undefined, allowedOrigins: 'same-host' });
    expect(parseConfig([], { MESHPAD_PUBLIC_ORIGIN: 'https://Pad.Example.com/' })).toMatchObject({
      publicOrigin: 'https://pad.example.com',
      allowedOrigins: ['https://pad.example.com'],
    });
    const listed = parseConfig(['--allowed-origins', 'https://a.example, http://b.example:8080'], {
      MESHPAD_PUBLIC_ORIGIN: 'https://pad.example.com',
      MESHPAD_ALLOWED_ORIGINS: 'https://ignored.example',
    });
    expect(listed.allowedOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
  });

  it('rejects anything but http(s) origins, naming the option', () => {
    for (const bad of [
      'pad.example.com',
      'https://pad.example.com/app',
      'https://pad.example.com?x',
      'ftp://x.example',
    ]) {
      expect(() => parseConfig(['--public-origin', bad], {}), bad).toThrow(
        new ConfigError(
          `--public-origin (MESHPAD_PUBLIC_ORIGIN) takes origins such as https://pad.example.com (scheme, host, optional port; no path), got "${bad}"`,
        ),
      );
    }
    expect(() => parseConfig([], { MESHPAD_ALLOWED_ORIGINS: 'https://a.example,,https://b.example' })).toThrow(
      /--allowed-origins \(MESHPAD_ALLOWED_ORIGINS\) takes origins .* got ""/,
    );
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
      'MESHPAD_MAX_BUFFERED_BYTES',
      'MESHPAD_PING_INTERVAL_MS',
      'MESHPAD_MAX_MESSAGES_PER_SECOND',
      'MESHPAD_MAX_BYTES_PER_SECOND',
      'MESHPAD_MAX_CONNECTIONS_PER_ADDRESS',
      'MESHPAD_TRUST_PROXY',
      'MESHPAD_PUBLIC_ORIGIN',
      'MESHPAD_ALLOWED_ORIGINS',
      'MESHPAD_AWARENESS_CLIENTS_PER_CONNECTION',
      'MESHPAD_AWARENESS_STATE_BYTES',
      'MESHPAD_AWARENESS_ENTRIES_PER_MESSAGE',
      'MESHPAD_AWARENESS_OWNER_TIMEOUT_MS',
    ]) {
      expect(help).toContain(name);
    }
  });
});
