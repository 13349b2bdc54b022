import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RelayOptions, type RelayProcess, startRelay } from './relay-process.js';

/** A built relay of one test's own, which the test can stop and start again on the same port and data. */
export interface DedicatedRelay {
  /** `http://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  /** Stops the relay gracefully (it stores what it holds); the data directory stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  dispose(): Promise<void>;
}

/** Starts a relay for one test, logging to `test-results/<name>.log`. */
export const startDedicatedRelay = async (
  name: string,
  options: Pick<RelayOptions, 'auth'> = {},
): Promise<DedicatedRelay> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'meshpad-e2e-dedicated-'));
  const logFile = (run: number) => join(import.meta.dirname, '..', 'test-results', `${name}-${run}.log`);
  let runs = 1;
  let current: RelayProcess | undefined = await startRelay(logFile(runs), { ...options, dataDir });
  const { url, port } = current;
  return {
    url,
    stop: async () => {
      await current?.stop();
      current = undefined;
    },
    start: async () => {
      if (current !== undefined) return;
      runs++;
      current = await startRelay(logFile(runs), { ...options, dataDir, port });
    },
    dispose: async () => {
      await current?.stop();
      current = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
