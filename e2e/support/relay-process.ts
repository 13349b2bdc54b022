import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A built Meshpad relay running in a child process, with its own empty data directory. */
export interface RelayProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Stops the relay (SIGTERM lets it store what is pending; SIGKILL is a crash), and removes a data directory it made. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface RelayOptions {
  /** Listen on this port (to restart a relay where its clients expect it); default a free one. */
  readonly port?: number;
  /** Keep data here, and leave it in place on stop (to restart on the same data); default a fresh temporary one. */
  readonly dataDir?: string;
  /** Whether tokens are required; default open, as `npm start` runs on loopback. */
  readonly auth?: 'required' | 'open';
  /** The token secret (MESHPAD_SECRET); default one the relay generates in its data directory. */
  readonly secret?: string;
}

const packageDir = (name: string): string => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

const freePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a probe server');
  return address.port;
};

const waitForHealth = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the relay at ${url} was not healthy after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/**
 * Starts `apps/relay/dist/main.js` on a free loopback port, serving `apps/web/dist`, with a fresh temporary data
 * directory that `stop()` removes. Its output goes to `logFile`.
 */
export const startRelay = async (logFile: string, options: RelayOptions = {}): Promise<RelayProcess> => {
  const main = join(packageDir('@meshpad/relay'), 'dist', 'main.js');
  const webDir = join(packageDir('@meshpad/web'), 'dist');
  for (const required of [main, join(webDir, 'index.html')]) {
    if (!existsSync(required)) {
      throw new Error(`${required} is missing: build first (pnpm turbo run build --filter=@meshpad/e2e...)`);
    }
  }
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'meshpad-e2e-')));
  const port = options.port ?? (await freePort());
  await mkdir(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      MESHPAD_DATA_DIR: dataDir,
      MESHPAD_WEB_DIR: webDir,
      LOG_LEVEL: 'warn',
      // As `npm start` on loopback; tests of access control start the relay with tokens required.
      MESHPAD_AUTH: options.auth ?? 'open',
      ...(options.secret === undefined ? {} : { MESHPAD_SECRET: options.secret }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }
    log.end();
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stop };
};
