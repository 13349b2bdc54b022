import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRelaySecrets, SecretError } from './relay-secret.js';

const posix = process.platform !== 'win32';
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const SECRET = 'an explicit secret of more than thirty-two bytes';

describe('loadRelaySecrets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshpad-secret-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates <dataDir>/secret with mode 0600, reports it, and reuses it on the next load', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await loadRelaySecrets({ dataDir });
    const path = join(dataDir, 'secret');
    expect(first.generatedAt).toBe(path);
    expect(first.current.length).toBe(43); // 32 bytes as base64url text
    expect((await readFile(path, 'utf8')).trim()).toBe(text(first.current));
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600);

    const second = await loadRelaySecrets({ dataDir });
    expect(second.generatedAt).toBeUndefined();
    expect(text(second.current)).toBe(text(first.current));
  });

  it('prefers the explicit secret, then the secret file, then the data dir', async () => {
    const file = join(dir, 'secret-file');
    await writeFile(file, 'a secret read from a file, 32+ bytes long\n', { mode: 0o600 });
    const both = await loadRelaySecrets({ secret: SECRET, secretFile: file, dataDir: dir });
    expect(text(both.current)).toBe(SECRET);
    const fromFile = await loadRelaySecrets({ secret: '', secretFile: file, dataDir: dir });
    expect(text(fromFile.current)).toBe('a secret read from a file, 32+ bytes long');
    expect(fromFile.generatedAt).toBeUndefined();
  });

  it('returns the previous secret for verification', async () => {
    const previous = 'the secret being rotated out, 32+ bytes';
    const secrets = await loadRelaySecrets({ secret: SECRET, previousSecret: previous, dataDir: dir });
    expect(text(secrets.previous)).toBe(previous);
  });

  it('refuses a short secret, naming where it came from without quoting it', async () => {
    const short = 'hunter2-is-too-short';
    const load = loadRelaySecrets({ secret: short, dataDir: dir });
    await expect(load).rejects.toThrow(SecretError);
    await expect(load).rejects.toThrow(/MESHPAD_SECRET has 20 bytes; at least 32/);
    await expect(load).rejects.not.toThrow(short);
    await expect(loadRelaySecrets({ secret: SECRET, previousSecret: short, dataDir: dir })).rejects.toThrow(
      /MESHPAD_PREVIOUS_SECRET/,
    );
  });

  it.runIf(posix)('refuses a secret file others can read, telling to chmod 600', async () => {
    const file = join(dir, 'secret-file');
    await writeFile(file, SECRET);
    await chmod(file, 0o644);
    await expect(loadRelaySecrets({ secretFile: file, dataDir: dir })).rejects.toThrow(`chmod 600 ${file}`);
    await writeFile(join(dir, 'secret'), SECRET);
    await chmod(join(dir, 'secret'), 0o640);
    await expect(loadRelaySecrets({ dataDir: dir })).rejects.toThrow(SecretError);
  });

  it('names the path and the cause when a file cannot be read or written', async () => {
    const missing = join(dir, 'missing');
    await expect(loadRelaySecrets({ secretFile: missing, dataDir: dir })).rejects.toThrow(
      `${missing} (MESHPAD_SECRET_FILE)`,
    );
    // A data dir that is a file: neither readable as a directory nor creatable.
    const notADir = join(dir, 'file');
    await writeFile(notADir, '');
    await expect(loadRelaySecrets({ dataDir: notADir })).rejects.toThrow(
      new RegExp(`Cannot (read|write) the secret file ${join(notADir, 'secret')} \\(E`),
    );
  });
});
