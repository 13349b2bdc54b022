import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { track, untrack } from './children.mjs';

const WORKER = fileURLToPath(new URL('./client-worker.mjs', import.meta.url));

/** One forked client process, driven by request/response messages. */
class ClientProcess {
  constructor(index, cpuProfileDir) {
    this.index = index;
    this.child = fork(WORKER, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [],
    });
    track(this.child);
    this.seq = 0;
    this.waiting = new Map();
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.on('message', ({ seq, ok, result, error }) => {
      const waiter = this.waiting.get(seq);
      this.waiting.delete(seq);
      if (ok) waiter.resolve(result);
      else waiter.reject(new Error(`client process ${this.index}: ${error}`));
    });
    this.child.once('exit', (code, signal) => {
      untrack(this.child);
      for (const waiter of this.waiting.values()) {
        waiter.reject(new Error(`client process ${this.index} exited (${code ?? signal})`));
      }
      this.waiting.clear();
    });
  }

  get pid() {
    return this.child.pid;
  }

  call(command, args) {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.child.send({ seq, command, args });
    });
  }

  async close() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Client processes that together host a scenario's clients. Clients are placed round-robin, or on
 * the process a spec names; every command can go to all processes or to the one hosting a client.
 */
export class ClientPool {
  constructor(size, { cpuProfileDir } = {}) {
    this.processes = Array.from({ length: size }, (_, i) => new ClientProcess(i, cpuProfileDir));
    this.home = new Map();
  }

  get pids() {
    return this.processes.map((p) => p.pid);
  }

  /** Connects clients (specs: { id, room, clientID?, watch?, process? }) in batches, all synced on return. */
  async connect(serverUrl, specs, { batch = 100 } = {}) {
    specs.forEach((spec, i) => {
      this.home.set(spec.id, this.processes[spec.process ?? i % this.processes.length]);
    });
    for (let i = 0; i < specs.length; i += batch) {
      const slice = specs.slice(i, i + batch);
      await Promise.all(
        this.processes.map((p) => {
          const mine = slice.filter((spec) => this.home.get(spec.id) === p).map(({ process: _, ...spec }) => spec);
          return mine.length > 0 ? p.call('connect', { serverUrl, specs: mine }) : 0;
        }),
      );
    }
  }

  processOf(id) {
    const p = this.home.get(id);
    if (!p) throw new Error(`no client ${id}`);
    return p;
  }

  /** Sends `command` to each process with the arguments `argsFor(process)` gives; skips undefined. */
  all(command, argsFor = () => ({})) {
    return Promise.all(
      this.processes.map((p) => {
        const args = argsFor(p);
        return args === undefined ? undefined : p.call(command, args);
      }),
    );
  }

  /** Groups client ids by the process hosting them. */
  byProcess(ids) {
    const groups = new Map(this.processes.map((p) => [p, []]));
    for (const id of ids) groups.get(this.processOf(id)).push(id);
    return groups;
  }

  async close() {
    await Promise.allSettled(this.processes.map((p) => p.close()));
  }
}
