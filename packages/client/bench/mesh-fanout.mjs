#!/usr/bin/env node
// Time until every peer of a large room has an update: N Meshpad sessions (one process each, @roamhq/wrtc for
// WebRTC), partial mesh bounded by maxConnections, measured three ways: mesh + relay (the product), mesh alone (relay
// stopped: does y-webrtc's re-broadcast carry an update across hops?), relay alone (mesh: false).
//
//   node bench/mesh-fanout.mjs [--peers=30] [--rounds=15] [--max-conns=6]
//
// Servers: the stock y-websocket 1.5.4 server and y-webrtc's own signaling server, or a Meshpad relay for both with
// MESHPAD_RELAY_URL=http://127.0.0.1:PORT (it must stay up: the mesh-alone phase is then skipped). Prints a table and
// writes bench/results/mesh-fanout-<time>.json.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const PEERS = Number(args.peers ?? 30);
const ROUNDS = Number(args.rounds ?? 15);
const MAX_CONNS = args['max-conns'] === undefined ? undefined : Number(args['max-conns']);
const ROUND_TIMEOUT_MS = 5_000;
const externalRelay = process.env.MESHPAD_RELAY_URL;

const require = createRequire(import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
};
const round1 = (value) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : value);

const freePort = async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
};

const waitForPort = async (port) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => resolve(socket.destroy() || true));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await sleep(25);
  }
};

/** Starts a server script on a free port; returns its port and a stop function. */
const startServer = async (script) => {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: 'ignore',
  });
  await waitForPort(port);
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
};

/** A session in a child process (test/mesh-peer.mjs), driven by request/response messages. */
const startPeer = async () => {
  const child = fork(join(here, '..', 'test', 'mesh-peer.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const pending = new Map();
  child.on('message', ({ id, ok, value, error }) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (ok) waiter?.resolve(value);
    else waiter?.reject(new Error(error));
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`peer process exited (${signal ?? code})`));
    pending.clear();
  });
  await new Promise((resolve, reject) => pending.set(0, { resolve, reject }));
  const request = (op, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, ...params });
    });
  return {
    request,
    close: async () => {
      if (child.exitCode !== null) return;
      // Waits for the exit, not a reply: @roamhq/wrtc now and then dies with SIGSEGV while tearing connections down.
      const exited = once(child, 'exit');
      child.send({ id: nextId++, op: 'close' });
      await exited;
    },
  };
};

/**
 * One update per round from a rotating writer; returns per round the time until every other peer had it (or how
 * many got it within the timeout).
 */
const measureRounds = async (peers, label) => {
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const writer = peers[(r * 7) % peers.length];
    const marker = `<${label}-${r}-${randomBytes(4).toString('hex')}>`;
    const receivers = peers.filter((peer) => peer !== writer);
    const arrivals = receivers.map((peer) =>
      Promise.race([peer.request('watch', { marker }), sleep(ROUND_TIMEOUT_MS).then(() => Number.NaN)]),
    );
    const sentAt = await writer.request('insert', { text: marker });
    const times = (await Promise.all(arrivals)).map((at) => at - sentAt);
    const reached = times.filter(Number.isFinite);
    rounds.push({
      writer: writer.clientId,
      reached: reached.length,
      of: receivers.length,
      allMs: reached.length === receivers.length ? Math.max(...reached) : Number.NaN,
      medianMs: percentile(reached, 50),
      writerDirect: writer.directClients?.length ?? 0,
    });
    await sleep(150);
  }
  return rounds;
};

const summarize = (label, rounds) => {
  const all = rounds.map((r) => r.allMs).filter(Number.isFinite);
  return {
    phase: label,
    rounds: rounds.length,
    complete: rounds.filter((r) => r.reached === r.of).length,
    reachedMin: Math.min(...rounds.map((r) => r.reached)),
    of: rounds[0]?.of ?? 0,
    allP50: round1(percentile(all, 50)),
    allP99: round1(percentile(all, 99)),
    allMax: round1(Math.max(...all)),
    perPeerMedian: round1(percentile(rounds.map((r) => r.medianMs).filter(Number.isFinite), 50)),
  };
};

/** How many groups the room's direct connections form: 1 is one mesh; more means clusters joined by the relay alone. */
const meshComponents = (states) => {
  const index = new Map(states.map((state, i) => [state.clientId, i]));
  const parent = states.map((_, i) => i);
  const find = (i) => {
    while (parent[i] !== i) i = parent[i];
    return i;
  };
  for (const [i, state] of states.entries()) {
    for (const [client, route] of state.network.routes) {
      const j = index.get(client);
      if (route === 'direct' && j !== undefined) parent[find(i)] = find(j);
    }
  }
  return new Set(states.map((_, i) => find(i))).size;
};

/** Opens N sessions one after another, then waits until the connection counts stop changing. */
const openRoom = async (relayUrl, signalingUrl, mesh) => {
  const docId = randomBytes(16).toString('base64url');
  const peers = [];
  for (let i = 0; i < PEERS; i++) {
    const peer = await startPeer();
    const opened = await peer.request('open', {
      docId,
      relayUrl,
      name: `peer-${i}`,
      mesh: mesh ? { signalingUrl, ...(MAX_CONNS === undefined ? {} : { maxConnections: MAX_CONNS }) } : false,
    });
    peer.clientId = opened.clientId;
    peers.push(peer);
  }
  let previous = '';
  let stableSince = Date.now();
  const deadline = Date.now() + 60_000;
  let states = [];
  while (Date.now() < deadline) {
    states = await Promise.all(peers.map((peer) => peer.request('state')));
    const key = states.map((s) => `${s.network.directConnections}/${s.presence.length}`).join(',');
    if (key !== previous) {
      previous = key;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 2_000 && states.every((s) => s.presence.length === PEERS)) break;
    await sleep(200);
  }
  for (const [i, state] of states.entries()) {
    peers[i].directClients = state.network.routes.filter(([, route]) => route === 'direct').map(([c]) => c);
  }
  const degrees = states.map((s) => s.network.directConnections);
  return {
    peers,
    topology: {
      degreeMin: Math.min(...degrees),
      degreeMedian: percentile(degrees, 50),
      degreeMax: Math.max(...degrees),
      isolated: degrees.filter((d) => d === 0).length,
      components: meshComponents(states),
      presenceComplete: states.every((s) => s.presence.length === PEERS),
    },
  };
};

const closeAll = (peers) => Promise.all(peers.map((peer) => peer.close()));

const main = async () => {
  const servers = [];
  let relayUrl = externalRelay;
  let signalingUrl = externalRelay && `${externalRelay.replace(/^http/, 'ws')}/signal`;
  let relay;
  if (externalRelay === undefined) {
    const yws = join(dirname(require.resolve('y-websocket-reference')), '..', 'bin', 'server.js');
    const ywebrtc = join(dirname(require.resolve('y-webrtc')), '..', 'bin', 'server.js');
    relay = await startServer(yws);
    const signaling = await startServer(ywebrtc);
    servers.push(relay, signaling);
    relayUrl = `http://127.0.0.1:${relay.port}`;
    signalingUrl = `ws://127.0.0.1:${signaling.port}`;
  }
  const results = [];
  const meshRoom = await openRoom(relayUrl, signalingUrl, true);
  console.log(`mesh room: ${PEERS} peers, direct connections per peer`, meshRoom.topology);
  results.push({ ...summarize('mesh + relay', await measureRounds(meshRoom.peers, 'both')), ...meshRoom.topology });
  if (relay !== undefined) {
    await relay.stop();
    await sleep(3_000);
    const rounds = await measureRounds(meshRoom.peers, 'mesh');
    const beyondNeighbours = rounds.map((r) => r.reached - r.writerDirect);
    results.push({
      ...summarize('mesh only (relay stopped)', rounds),
      ...meshRoom.topology,
      reachedBeyondWriterNeighboursMin: Math.min(...beyondNeighbours),
    });
    relay = await startServer(join(dirname(require.resolve('y-websocket-reference')), '..', 'bin', 'server.js'));
    servers[0] = relay;
  }
  await closeAll(meshRoom.peers);
  if (relay !== undefined) relayUrl = `http://127.0.0.1:${relay.port}`;
  const relayRoom = await openRoom(relayUrl, signalingUrl, false);
  results.push({ ...summarize('relay only (mesh: false)', await measureRounds(relayRoom.peers, 'relay')) });
  await closeAll(relayRoom.peers);
  for (const server of servers) await server.stop();

  console.table(results);
  const report = {
    bench: 'mesh-fanout',
    at: new Date().toISOString(),
    peers: PEERS,
    rounds: ROUNDS,
    maxConnections: MAX_CONNS ?? 'default',
    servers: externalRelay ? `meshpad relay ${externalRelay}` : 'y-websocket 1.5.4 + y-webrtc signaling',
    cpus: cpus().length,
    results,
  };
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `mesh-fanout-${report.at.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file}`);
};

await main();
