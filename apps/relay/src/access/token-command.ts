import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRoomName } from '@meshpad/protocol';
import type { CapabilityScope } from './grant.js';
import { loadRelaySecrets, SecretError } from './relay-secret.js';
import { TokenAuthority } from './token-authority.js';

const DEFAULT_ORIGIN = 'http://127.0.0.1:4321';

export const TOKEN_USAGE = `Usage: meshpad-relay token --room <id> --scope view|edit|owner [options]

Prints an access token for a document, and a link that opens it.

Options:
  --room <id>              the document id (required)
  --scope <scope>          view, edit or owner (required)
  --expires-in <seconds>   lifetime of the token; without it the token does not expire
  --gen <n>                the capability generation (default 0, that of a document never rotated)
  --data-dir <dir>         where the relay keeps its secret (MESHPAD_DATA_DIR, default ./data)
  --secret-file <path>     a file holding the secret (MESHPAD_SECRET_FILE)
  --public-origin <url>    the origin of the link (MESHPAD_PUBLIC_ORIGIN, default ${DEFAULT_ORIGIN})

The secret is MESHPAD_SECRET, else the secret file, else <data dir>/secret, as for the relay.`;

/** What the command needs, from its arguments and the environment. */
interface TokenRequest {
  readonly room: string;
  readonly scope: CapabilityScope;
  readonly gen: number;
  readonly expiresInSeconds: number | undefined;
  readonly dataDir: string;
  readonly secretFile: string | undefined;
  readonly origin: string;
}

/**
 * Runs `meshpad-relay token`: `argv` is what follows the word `token`. Prints the token and then the
 * link, each on one line. Returns the exit code: 0, 1 when the secret cannot be loaded, 2 for bad arguments.
 */
export async function runTokenCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void,
): Promise<number> {
  const request = parseTokenArguments(argv, env);
  if (typeof request === 'string') {
    out(`meshpad-relay token: ${request}`);
    out(TOKEN_USAGE);
    return 2;
  }
  let authority: TokenAuthority;
  try {
    const secrets = await loadRelaySecrets({
      secret: env.MESHPAD_SECRET,
      secretFile: request.secretFile,
      dataDir: request.dataDir,
    });
    authority = await TokenAuthority.create(secrets);
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    out(`meshpad-relay token: ${error.message}`);
    return 1;
  }
  const { room, scope, gen, expiresInSeconds } = request;
  const token = await authority.mint({ room, scope, gen, ...(expiresInSeconds ? { expiresInSeconds } : {}) });
  out(token);
  out(`${request.origin}/d/${encodeURIComponent(room)}#${scope}=${token}`);
  return 0;
}

/** The request, or what is wrong with the arguments. */
function parseTokenArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TokenRequest | string {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        room: { type: 'string' },
        scope: { type: 'string' },
        'expires-in': { type: 'string' },
        gen: { type: 'string' },
        'data-dir': { type: 'string' },
        'secret-file': { type: 'string' },
        'public-origin': { type: 'string' },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const { room, scope } = values;
  if (room === undefined) return '--room is required';
  const problem = roomProblem(room);
  if (problem) return `--room: ${problem}`;
  if (scope !== 'view' && scope !== 'edit' && scope !== 'owner') return '--scope must be view, edit or owner';
  const gen = values.gen === undefined ? 0 : integer(values.gen, 0);
  if (gen === undefined) return '--gen must be a non-negative integer';
  const expiresInSeconds = values['expires-in'] === undefined ? undefined : integer(values['expires-in'], 1);
  if (values['expires-in'] !== undefined && expiresInSeconds === undefined) {
    return '--expires-in must be a positive whole number of seconds';
  }
  const origin = parseOrigin(values['public-origin'] || env.MESHPAD_PUBLIC_ORIGIN || DEFAULT_ORIGIN);
  if (origin === undefined) return '--public-origin (MESHPAD_PUBLIC_ORIGIN) must be an http or https origin';
  return {
    room,
    scope,
    gen,
    expiresInSeconds,
    dataDir: resolve(values['data-dir'] || env.MESHPAD_DATA_DIR || 'data'),
    secretFile: values['secret-file'] || env.MESHPAD_SECRET_FILE || undefined,
    origin,
  };
}

/** Why the relay would refuse this room name, if it would: the same rules as a `/yjs/<room>` path. */
function roomProblem(room: string): string | undefined {
  let encoded: string;
  try {
    encoded = encodeURIComponent(room);
  } catch {
    return 'the room name is not valid UTF-16 text';
  }
  const parsed = parseRoomName(encoded);
  return parsed.ok ? undefined : parsed.error;
}

function integer(text: string, min: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= min ? value : undefined;
}

function parseOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return undefined;
  return url.origin;
}
