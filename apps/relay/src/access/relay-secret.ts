import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Fewest UTF-8 bytes a secret may have: HS256 keys shorter than the hash output weaken it. */
export const MIN_SECRET_BYTES = 32;

export interface RelaySecretOptions {
  /** The secret as text (MESHPAD_SECRET). An empty string counts as not given, as an unset variable would. */
  readonly secret?: string;
  /** A file holding the secret (MESHPAD_SECRET_FILE), e.g. a Docker or systemd secret. */
  readonly secretFile?: string;
  /** The secret being rotated out (MESHPAD_PREVIOUS_SECRET): its tokens still verify, none are minted with it. */
  readonly previousSecret?: string;
  /** Where `secret` is read from or generated when neither of the above is given. */
  readonly dataDir: string;
}

export interface RelaySecrets {
  /** Signs new tokens and verifies them. */
  readonly current: Uint8Array;
  /** Verifies tokens only. */
  readonly previous?: Uint8Array;
  /** The path of the secret this call generated, so the relay can say where it is. */
  readonly generatedAt?: string;
}

/** A secret that is missing, too short, unreadable or readable by others. Messages never quote the secret. */
export class SecretError extends Error {
  override name = 'SecretError';
}

const encoder = new TextEncoder();

/**
 * Loads the relay's signing secrets: the explicit secret, else the secret file, else
 * `<dataDir>/secret`, which is generated (32 random bytes as base64url, mode 0600) on first start.
 */
export async function loadRelaySecrets(options: RelaySecretOptions): Promise<RelaySecrets> {
  const previous = options.previousSecret ? secretBytes(options.previousSecret, 'MESHPAD_PREVIOUS_SECRET') : undefined;
  const withPrevious = (loaded: Omit<RelaySecrets, 'previous'>): RelaySecrets =>
    previous ? { ...loaded, previous } : loaded;

  if (options.secret) return withPrevious({ current: secretBytes(options.secret, 'MESHPAD_SECRET') });
  if (options.secretFile) {
    const text = await readSecretFile(options.secretFile);
    if (text === undefined)
      throw new SecretError(`The secret file ${options.secretFile} (MESHPAD_SECRET_FILE) does not exist`);
    return withPrevious({ current: secretBytes(text, `the secret file ${options.secretFile} (MESHPAD_SECRET_FILE)`) });
  }
  const path = join(options.dataDir, 'secret');
  const stored = await readSecretFile(path);
  if (stored !== undefined) {
    return withPrevious({ current: secretBytes(stored, `${path} (delete it to generate a new one)`) });
  }
  const generated = randomBytes(32).toString('base64url');
  await writeSecretFile(options.dataDir, path, generated);
  return withPrevious({ current: encoder.encode(generated), generatedAt: path });
}

function secretBytes(text: string, source: string): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new SecretError(
      `The secret from ${source} has ${bytes.length} bytes; at least ${MIN_SECRET_BYTES} are needed. ` +
        `Generate one with: node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
    );
  }
  return bytes;
}

/** The file's text without its trailing newline, or undefined when it does not exist. */
async function readSecretFile(path: string): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError('read', path, error);
  }
  try {
    // Checked on the open handle, so the file read is the file checked. Windows has no such modes.
    const { mode } = await handle.stat();
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new SecretError(
        `The secret file ${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
      );
    }
    return (await handle.readFile('utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw error instanceof SecretError ? error : fileError('read', path, error);
  } finally {
    await handle.close();
  }
}

/** Writes a temporary file only the owner can read, then renames it, so no reader sees half a secret. */
async function writeSecretFile(dir: string, path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${text}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {}); // the temporary file may not exist; the first error is the one to report
    throw fileError('write', path, error);
  }
}

function fileError(action: 'read' | 'write', path: string, cause: unknown): SecretError {
  const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
  return new SecretError(`Cannot ${action} the secret file ${path} (${reason})`, { cause });
}
