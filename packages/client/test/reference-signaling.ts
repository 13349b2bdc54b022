import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort, waitForPort } from './reference-relay.js';

/** y-webrtc's own signaling server (`bin/server.js` of y-webrtc 10.3) running in a child process. */
export interface ReferenceSignaling {
  /** `ws://127.0.0.1:<port>`, to pass as the mesh's `signalingUrl`. */
  readonly url: string;
  stop(): Promise<void>;
}

const serverScript = (): string => {
  // y-webrtc's exports map hides package.json: go up from its CommonJS entry point (dist/y-webrtc.cjs).
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('y-webrtc')), '..', 'bin', 'server.js');
};

const stopProcess = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
};

/** Starts the stock signaling server on a free loopback port: the session must work with it, not only with ours. */
export const startReferenceSignaling = async (): Promise<ReferenceSignaling> => {
  const port = await freePort();
  const child = spawn(process.execPath, [serverScript()], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    await waitForPort(port);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { url: `ws://127.0.0.1:${port}`, stop: () => stopProcess(child) };
};
