import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track, untrack } from './children.mjs';
import { sleep } from './clock.mjs';
import { Inspector } from './inspector.mjs';

const relayDir = fileURLToPath(new URL('../..', import.meta.url));
const MESHPAD_MAIN = join(relayDir, 'dist', 'main.js');
const REFERENCE_MAIN = join(relayDir, 'node_modules', 'y-websocket-reference', 'bin', 'server.js');
/** Meshpad runs with the Node flags and environment it ships with (`npm start`, the Docker image); the reference with none. */
const MESHPAD_LAUNCH = JSON.parse(readFileSync(join(relayDir, 'launch.json'), 'utf8'));
/**
 * Limits lifted for Meshpad in every scenario (--meshpad-env overrides them): all the benchmark's
 * clients connect from 127.0.0.1, and (c) and (d) drive single connections past the default 1,000
 * messages per second on purpose.
 */
const MESHPAD_BENCH_LIMITS = {
  // Bench clients are stock providers without tokens, like the reference server's.
  MESHPAD_AUTH: 'open',
  MESHPAD_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
  MESHPAD_MAX_MESSAGES_PER_SECOND: '1000000',
};
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 12_000;

export const SERVER_KINDS = {
  meshpad: { label: 'Meshpad', main: MESHPAD_MAIN, launch: MESHPAD_LAUNCH },
  reference: { label: 'y-websocket 1.5.4', main: REFERENCE_MAIN, launch: { nodeFlags: [], env: {} } },
};

/** Fails early, with what to run, when the relay is not built: the benchmark builds nothing itself. */
export function checkServersBuilt() {
  if (!existsSync(MESHPAD_MAIN)) {
    throw new Error(`${MESHPAD_MAIN} is missing: run "pnpm turbo run build --filter=@meshpad/relay..." first`);
  }
  if (!existsSync(REFERENCE_MAIN)) {
    throw new Error(`${REFERENCE_MAIN} is missing: run "pnpm install" (devDependency y-websocket-reference)`);
  }
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).on('error', reject));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * One server under test, as its own process. `persistent` gives the reference its LevelDB store
 * (YPERSISTENCE); Meshpad always stores in SQLite. `inspect` opens the inspector on a loopback port
 * and connects `inspector` (for event-loop utilization and live heap readings; nothing is profiled
 * or paused through it). `restart()` keeps the data directory.
 */
export class ServerProcess {
  constructor(kind, { persistent = kind === 'meshpad', cpuProfileDir, env = {}, inspect = false } = {}) {
    this.extraEnv = env;
    this.inspect = inspect;
    this.kind = kind;
    this.label = SERVER_KINDS[kind].label;
    this.persistent = persistent;
    this.cpuProfileDir = cpuProfileDir;
    this.dataDir = mkdtempSync(join(tmpdir(), `meshpad-bench-${kind}-`));
    this.child = undefined;
    this.port = undefined;
  }

  get pid() {
    return this.child.pid;
  }

  /** The serverUrl to give a stock WebsocketProvider; room names then match on both servers. */
  get serverUrl() {
    return `ws://127.0.0.1:${this.port}/yjs`;
  }

  async start() {
    this.port ??= await freePort();
    const env = {
      ...process.env,
      ...SERVER_KINDS[this.kind].launch.env,
      ...(this.kind === 'meshpad' ? MESHPAD_BENCH_LIMITS : {}),
      ...this.extraEnv,
      HOST: '127.0.0.1',
      PORT: String(this.port),
    };
    if (this.kind === 'meshpad') {
      Object.assign(env, { MESHPAD_DATA_DIR: this.dataDir, LOG_LEVEL: 'warn' });
    } else if (this.persistent) {
      env.YPERSISTENCE = join(this.dataDir, 'leveldb');
    }
    const { launch } = SERVER_KINDS[this.kind];
    const execArgv = [...launch.nodeFlags];
    if (this.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${this.cpuProfileDir}`);
    if (this.inspect) {
      this.inspectPort = await freePort();
      execArgv.push(`--inspect=127.0.0.1:${this.inspectPort}`);
    }
    const child = spawn(process.execPath, [...execArgv, SERVER_KINDS[this.kind].main], {
      cwd: dirname(SERVER_KINDS[this.kind].main),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(() => untrack(child));
    let output = '';
    const collect = (chunk) => {
      output = (output + chunk).slice(-4000);
    };
    // Keep draining both pipes so a chatty server never blocks on a full pipe.
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    this.output = () => output;
    await this.#waitListening();
    if (this.inspect) this.inspector = await Inspector.connect(this.inspectPort);
    return this;
  }

  /** Polls HTTP until the server answers (Meshpad's /healthz; the reference answers any path). */
  async #waitListening() {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`${this.label} exited with ${this.child.exitCode}: ${this.output?.()}`);
      try {
        await fetch(`http://127.0.0.1:${this.port}/healthz`);
        return;
      } catch {
        await sleep(20);
      }
    }
    throw new Error(`${this.label} did not start within ${START_TIMEOUT_MS} ms`);
  }

  /** SIGTERM, then SIGKILL if it hangs. Meshpad flushes and exits 0; the reference just dies. */
  async stop() {
    this.inspector?.close();
    this.inspector = undefined;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return this.exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  async restart() {
    await this.stop();
    return this.start();
  }

  /** Stops the process and deletes its data directory. */
  async dispose() {
    try {
      await this.stop();
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
