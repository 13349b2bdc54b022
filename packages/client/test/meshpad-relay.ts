import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './reference-relay.js';

/**
 * The built Meshpad relay (`apps/relay/dist/main.js`), run as a process as `npm start` runs it. The client does not
 * depend on the relay package, so it is found by its place in the repository; build it first.
 */
const RELAY_MAIN = fileURLToPath(new URL('../../../apps/relay/dist/main.js', import.meta.url));

/** A token secret for the relays started here, so nothing is generated in their data directories. */
const SECRET = 'meshpad-client-test-secret-of-at-least-32-bytes';

export type Scope = 'view' | 'edit' | 'owner';

export interface MeshpadRelay {
  /** `http://127.0.0.1:<port>`, to pass as `relayUrl`. */
  readonly url: string;
  /** Creates document `id` through the HTTP API; resolves to its tokens. */
  createDoc(id: string): Promise<Record<Scope, string>>;
  /** Rotates a capability of document `id` with its owner token; resolves to the new token of that scope. */
  rotate(id: string, scope: Scope, ownerToken: string): Promise<string>;
  stop(): Promise<void>;
}

const waitForHealth = async (url: string, child: ChildProcess, output: () => string): Promise<void> => {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the relay at ${url} was not healthy in time:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const api = async (url: string, path: string, body: unknown, token?: string): Promise<unknown> => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.json();
};

/** Starts the relay on a free loopback port with a fresh data directory; `auth` defaults to `required`. */
export const startMeshpadRelay = async (auth: 'required' | 'open' = 'required'): Promise<MeshpadRelay> => {
  if (!existsSync(RELAY_MAIN)) throw new Error(`${RELAY_MAIN} is missing: build @meshpad/relay first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'meshpad-client-relay-'));
  const port = await freePort();
  const child = spawn(process.execPath, [RELAY_MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      MESHPAD_DATA_DIR: dataDir,
      MESHPAD_AUTH: auth,
      MESHPAD_SECRET: SECRET,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    createDoc: async (id) => ((await api(url, '/api/docs', { id })) as { tokens: Record<Scope, string> }).tokens,
    rotate: async (id, scope, ownerToken) =>
      ((await api(url, `/api/docs/${id}/rotate`, { scope }, ownerToken)) as { token: string }).token,
    stop,
  };
};
