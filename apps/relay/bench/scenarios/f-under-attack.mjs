import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { track, untrack } from '../lib/children.mjs';
import { sleep } from '../lib/clock.mjs';
import { fanoutTopology, runFanout } from '../lib/fanout.mjs';
import { cpuSeconds, rssKiB } from '../lib/proc.mjs';

const ATTACKER = fileURLToPath(new URL('../lib/attacker.mjs', import.meta.url));
const RATE = 10;
const ATTACKER_NICENESS = 19;
const READY_TIMEOUT_MS = 30_000;
const SYNC_TIMEOUT_MS = 20_000;
/** A phase whose p99 is above this (or that lost ops) counts as stalled. */
const STALL_MS = 10_000;

const PHASES = [
  { key: 'none', label: 'no attacker' },
  { key: 'non-reading', label: 'non-reading client' },
  { key: 'struct-bomb', label: 'struct bomb' },
  { key: 'poison', label: 'poison update' },
  { key: 'delete-set-bomb', label: 'delete-set bomb' },
  { key: 'awareness-flood', label: 'awareness flood' },
];

const metrics = PHASES.flatMap(({ key, label }) => [
  { key: `${key}.status`, label: `${label}: server`, better: 'info' },
  { key: `${key}.p50`, label: `${label}: honest p50 op → all clients`, unit: 'ms', better: 'lower' },
  { key: `${key}.p99`, label: `${label}: honest p99 op → all clients`, unit: 'ms', better: 'lower' },
  ...(key === 'none'
    ? []
    : [
        {
          key: `${key}.p99x`,
          label: `${label}: p99 ÷ p99 without attacker`,
          unit: '×',
          better: 'lower',
          target: { max: 2 },
        },
      ]),
  { key: `${key}.rss`, label: `${label}: server peak RSS`, unit: 'MiB', better: 'lower' },
  ...(key === 'none'
    ? []
    : [
        {
          key: `${key}.rssGrowth`,
          label: `${label}: peak RSS − without attacker`,
          unit: 'MiB',
          better: 'lower',
          target: { max: 64 },
        },
      ]),
]);

/** Peak RSS since the process started (VmHWM), in KiB; undefined once it exited. */
function peakRssKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const alive = (server) => server.child.exitCode === null && server.child.signalCode === null;

/** Forks the attacker and resolves once it has prepared; `stop()` SIGKILLs it and returns its last stats. */
async function startAttacker(kind, serverUrl, room) {
  const child = fork(ATTACKER, [kind, serverUrl, room], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  track(child);
  // A real attacker brings its own CPU; here it shares two cores with the clients that measure, so it yields to
  // them. The honest load leaves a core mostly idle, so it still sends as fast as the server takes its bytes.
  setPriority(child.pid, ATTACKER_NICENESS);
  let stats;
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then(() => untrack(child));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`attacker ${kind} not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    child.on('message', (message) => {
      if (message.stats) stats = message.stats;
      if (message.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`attacker ${kind} exited (${code}): ${stderr}`));
    });
  });
  const stop = async () => {
    let cpu;
    if (child.exitCode === null && child.signalCode === null) {
      cpu = cpuSeconds(child.pid);
      child.kill('SIGKILL');
    }
    await exited;
    return { ...stats, cpuSeconds: cpu };
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/** Samples the server's RSS every 100 ms; `stop()` returns the highest reading in KiB. */
function sampleRss(pid) {
  let peak = 0;
  const take = () => {
    try {
      peak = Math.max(peak, rssKiB(pid));
    } catch {
      // The process exited: its last readings stand.
    }
  };
  take();
  const timer = setInterval(take, 100);
  return () => {
    clearInterval(timer);
    take();
    return peak;
  };
}

/** One phase: a fresh server process, the attacker (if any) in its own room, the honest load measured. */
async function runPhase({ server, pool, topology, phase, durationMs }) {
  await server.restart();
  // The providers notice the restart, reconnect (backoff up to 2.5 s) and sync again.
  await sleep(300);
  await pool.all('synced', () => ({ timeoutMs: SYNC_TIMEOUT_MS }));
  const rssBeforeKiB = rssKiB(server.pid);
  const stopSampling = sampleRss(server.pid);
  const attacker =
    phase.key === 'none' ? undefined : await startAttacker(phase.key, server.serverUrl, `f-attack-${phase.key}`);
  let fanout;
  let attackerStats;
  try {
    await sleep(1000);
    if (alive(server)) {
      try {
        fanout = await runFanout(pool, server, topology, { rate: RATE, durationMs });
      } catch (error) {
        // The server died mid-run (its /proc entry is gone): drop what the clients logged.
        const groups = pool.byProcess(topology.writers.map((w) => w.id));
        await pool.all('take', (p) => ({ ids: groups.get(p) }));
        if (alive(server)) throw error;
      }
    }
  } finally {
    attackerStats = await attacker?.stop();
  }
  const hwm = peakRssKiB(server.pid);
  const peakKiB = Math.max(stopSampling(), hwm ?? 0);
  const crashed = !alive(server);
  const latency = fanout?.latencyMs;
  let status = 'ok';
  if (crashed) {
    const { exitCode, signalCode } = server.child;
    status = `crashed (${signalCode ?? `exit ${exitCode}`})`;
  } else if (!fanout) status = 'no result';
  else if (fanout.opsLost > 0) status = `stalled: ${fanout.opsLost} of ${fanout.opsMeasured} ops undelivered`;
  else if (latency.p99 > STALL_MS) status = `stalled: p99 > ${STALL_MS / 1000} s`;
  return {
    status,
    crashed,
    p50: crashed ? 'crashed' : latency?.p50,
    p99: crashed ? 'crashed' : latency?.p99,
    peakRssMiB: peakKiB / 1024,
    rssBeforeMiB: rssBeforeKiB / 1024,
    attacker: attackerStats,
    serverOutput: crashed ? server.output().slice(-1000) : undefined,
    fanout,
  };
}

/**
 * (b)'s honest load, smaller, with one attacker of each kind in another room, one kind per phase,
 * each phase on a fresh server process (so a crash or backlog of one does not spill into the next).
 */
export default {
  key: 'f',
  title: `honest traffic under attack: 20 rooms × 4 clients, 1–2 writers × ${RATE} ops/s, one attacker per phase`,
  // All clients share 127.0.0.1, so the per-address connection limit stays raised; the per-connection
  // message rate goes back to its default (1,000/s), which the honest writers (10/s) never reach.
  serverOptions: (kind) => (kind === 'meshpad' ? { env: { MESHPAD_MAX_MESSAGES_PER_SECOND: '1000' } } : {}),
  clientProcesses: 2,
  metrics,
  async run({ server, pool, quick }) {
    const topology = fanoutTopology({
      rooms: 20,
      clientsPerRoom: 4,
      writersIn: (room) => (room % 2 === 0 ? 2 : 1),
      roomPrefix: 'f',
    });
    await pool.connect(server.serverUrl, topology.specs);
    await runFanout(pool, server, topology, { rate: RATE, durationMs: 1000 });
    const durationMs = quick ? 3_000 : 10_000;
    const phases = {};
    for (const phase of PHASES) {
      try {
        phases[phase.key] = await runPhase({ server, pool, topology, phase, durationMs });
      } catch (error) {
        // One phase failing (clients not syncing again, attacker not ready) does not end the others.
        const message = error instanceof Error ? error.message : String(error);
        phases[phase.key] = { status: `failed: ${message.slice(0, 80)}`, error: message };
      }
    }
    const base = phases.none;
    const values = {};
    for (const { key } of PHASES) {
      const p = phases[key];
      values[`${key}.status`] = p.status;
      values[`${key}.p50`] = p.p50;
      values[`${key}.p99`] = p.p99;
      values[`${key}.rss`] = p.peakRssMiB;
      if (key === 'none') continue;
      values[`${key}.p99x`] =
        typeof p.p99 === 'number' && typeof base.p99 === 'number' && base.p99 > 0 ? p.p99 / base.p99 : p.p99;
      values[`${key}.rssGrowth`] =
        p.peakRssMiB !== undefined && base.peakRssMiB !== undefined ? p.peakRssMiB - base.peakRssMiB : undefined;
    }
    return { values, details: { phases } };
  },
};
