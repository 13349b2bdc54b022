import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';

/** A stock y-websocket server (the 1.5.4 reference `bin/server.js`) running in a child process. */
export interface ReferenceRelay {
  /** `http://127.0.0.1:<port>`, to pass as `relayUrl`. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const serverScript = (): string => {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('y-websocket-reference/package.json')), 'bin', 'server.js');
};

/** A port that was free on 127.0.0.1 a moment ago. */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a probe server');
  return address.port;
};

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });

/** Waits until `port` accepts connections, polling until `deadlineMs` passes. */
export const waitForPort = async (port: number, deadlineMs = 10_000): Promise<void> => {
  const deadline = Date.now() + deadlineMs;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const stopProcess = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
};

/** Starts the reference server on a free loopback port (or `port`, to restart on the same one). */
export const startReferenceRelay = async (port?: number): Promise<ReferenceRelay> => {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [serverScript()], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(chosen) },
    stdio: 'ignore',
  });
  try {
    await waitForPort(chosen);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { url: `http://127.0.0.1:${chosen}`, port: chosen, stop: () => stopProcess(child) };
};
