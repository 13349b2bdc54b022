#!/usr/bin/env node
/**
 * Meshpad relay vs the y-websocket 1.5.4 reference server, with stock y-websocket clients.
 * Usage: node bench/run.mjs [--only a,b,...] [--quick] [--profile]   (see bench/README.md)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAll } from './lib/children.mjs';
import { ClientPool } from './lib/client-pool.mjs';
import { renderTable, tableRows } from './lib/report.mjs';
import { checkServersBuilt, ServerProcess } from './lib/servers.mjs';
import a from './scenarios/a-fanout-latency.mjs';
import b, { manyRoomsDurable } from './scenarios/b-many-rooms.mjs';
import c from './scenarios/c-ramp.mjs';
import d from './scenarios/d-ingest-cold-load.mjs';
import e from './scenarios/e-idle-memory.mjs';
import f from './scenarios/f-under-attack.mjs';
import g from './scenarios/g-access.mjs';

const SCENARIOS = [a, b, manyRoomsDurable, c, d, e, f, g];

const { values: args } = parseArgs({
  // `pnpm … bench -- --quick` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'meshpad-env': { type: 'string', multiple: true, default: [] },
    servers: { type: 'string', default: 'meshpad,reference' },
    heap: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`node bench/run.mjs [--only a,b,c,d,e,f,g] [--quick] [--profile]
  --only     run only these scenarios: a, b, b+, c, d, e, f, g (default: all)
  --quick    short runs for development (numbers are not comparable to a full run)
  --profile  run servers and client processes with --cpu-prof; profiles go to bench/results/profiles-<timestamp>/
  --heap     (e) also reports the live V8 heap after a forced GC, through the servers' inspector
  --servers  meshpad,reference (default) or one of them, for development
  --meshpad-env KEY=VALUE  extra environment for the Meshpad relay, for experiments
             (e.g. MESHPAD_SQLITE_SYNCHRONOUS=NORMAL); repeatable`);
  process.exit(0);
}

const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const serverKinds = args.servers.split(',').map((s) => s.trim());
const only = args.only?.split(',').map((s) => s.trim());
const selected = SCENARIOS.filter((s) => !only || only.includes(s.key));
const meshpadEnv = Object.fromEntries(
  args['meshpad-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--meshpad-env wants KEY=VALUE, got "${pair}"`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

/** Runs one scenario against one server kind: fresh server and client processes, all stopped after. */
async function runOne(scenario, kind) {
  const cpuProfileDir = args.profile ? join(resultsDir, `profiles-${stamp}`, `${scenario.key}-${kind}`) : undefined;
  const server = new ServerProcess(kind, {
    ...scenario.serverOptions?.(kind),
    cpuProfileDir: cpuProfileDir && join(cpuProfileDir, 'server'),
    env: { ...scenario.serverOptions?.(kind)?.env, ...(kind === 'meshpad' ? meshpadEnv : {}) },
    inspect: scenario.inspectsServer === true || (args.heap && scenario.usesHeap === true),
  });
  const pool = new ClientPool(scenario.clientProcesses ?? 2, {
    cpuProfileDir: cpuProfileDir && join(cpuProfileDir, 'clients'),
  });
  const load = loadavg()[0];
  const started = Date.now();
  try {
    await server.start();
    const result = await scenario.run({ server, pool, quick: args.quick, kind, heap: args.heap });
    return { ...result, loadAverageBefore: load, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    console.error(`scenario ${scenario.key} on ${server.label} failed:`, error);
    return { error: error instanceof Error ? error.message : String(error), loadAverageBefore: load };
  } finally {
    await pool.close();
    await server.dispose();
  }
}

/** Which relay code ran: the commit, whether src has uncommitted changes, and when dist was built. */
function relayVersion() {
  const relayDir = fileURLToPath(new URL('..', import.meta.url));
  const git = (...argv) => execFileSync('git', argv, { cwd: relayDir, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      srcChanged: git('status', '--porcelain', '--', 'src') !== '',
      distBuiltAt: statSync(join(relayDir, 'dist', 'main.js')).mtime.toISOString(),
    };
  } catch {
    return undefined;
  }
}

async function main() {
  checkServersBuilt();
  console.log(
    `relay benchmark: ${selected.map((s) => s.key).join(', ')}${args.quick ? ' (quick)' : ''}; ` +
      `${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}`,
  );
  const results = [];
  for (const scenario of selected) {
    const byServer = {};
    for (const kind of serverKinds) {
      process.stdout.write(`(${scenario.key}) ${scenario.title} — ${kind} … `);
      byServer[kind] = await runOne(scenario, kind);
      console.log(byServer[kind].error ? 'failed' : `${byServer[kind].seconds.toFixed(0)} s`);
    }
    results.push({ scenario, byServer });
  }
  const rows = tableRows(results);
  console.log(`\n${renderTable(rows)}\n`);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${stamp}.json`);
  const json = {
    startedAt: stamp,
    quick: args.quick,
    meshpadEnv,
    relay: relayVersion(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, memoryBytes: totalmem(), node: process.version },
    loadAverageAtEnd: loadavg(),
    table: rows,
    scenarios: results.map(({ scenario, byServer }) => ({
      key: scenario.key,
      title: scenario.title,
      metrics: scenario.metrics,
      results: byServer,
    })),
  };
  writeFileSync(file, `${JSON.stringify(json, (_k, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v), 2)}\n`);
  console.log(`results written to ${file}`);
  if (results.some(({ byServer }) => Object.values(byServer).some((r) => r.error))) process.exitCode = 1;
}

try {
  await main();
} finally {
  killAll();
}
