import { now, sleep } from './clock.mjs';
import { cpuSeconds, machineBusySeconds } from './proc.mjs';
import { percentile } from './stats.mjs';

const WRITER_CLIENT_ID_BASE = 1_000_000;
const CATCH_UP_TIMEOUT_MS = 20_000;

/**
 * Rooms of clients where some clients write. `writersIn(room)` says how many of a room's clients
 * write; every client of a room (writers included) watches every other writer of its room.
 */
export function fanoutTopology({ rooms, clientsPerRoom, writersIn, roomPrefix = 'room' }) {
  const specs = [];
  const writers = [];
  let nextWriter = 0;
  for (let r = 0; r < rooms; r++) {
    const room = `${roomPrefix}-${r}`;
    const writerIds = Array.from({ length: writersIn(r) }, () => WRITER_CLIENT_ID_BASE + nextWriter++);
    for (let c = 0; c < clientsPerRoom; c++) {
      const clientID = writerIds[c];
      const id = `${room}-c${c}`;
      specs.push({ id, room, clientID, watch: writerIds.filter((w) => w !== clientID) });
      if (clientID !== undefined) writers.push({ id, clientID, receivers: clientsPerRoom - 1 });
    }
  }
  return { specs, writers, clients: specs.length };
}

/**
 * Runs every writer at `rate` ops/s for `durationMs`, waits until every client applied every op,
 * and joins send and receive times. An op's latency is until the LAST client of its room applied it.
 */
export async function runFanout(pool, server, topology, { rate, durationMs }) {
  const writerIds = topology.writers.map((w) => w.id);
  const groups = pool.byProcess(writerIds);
  const startAt = now() + 100;
  const spread = topology.writers.length;
  const phaseOf = new Map(writerIds.map((id, i) => [id, i / spread]));
  await server.inspector?.markEventLoop();
  const cpuBefore = {
    server: cpuSeconds(server.pid),
    clients: pool.pids.map(cpuSeconds),
    self: cpuSeconds(process.pid),
    machine: machineBusySeconds(),
    at: now(),
  };
  const written = (
    await pool.all('write', (p) => {
      const ids = groups.get(p);
      if (ids.length === 0) return undefined;
      return { startAt, durationMs, writers: ids.map((id) => ({ id, rate, phase: phaseOf.get(id) })) };
    })
  )
    .filter(Boolean)
    .flat();
  const targets = Object.fromEntries(written.map((w) => [w.clientID, w.clock]));
  const deadline = now() + CATCH_UP_TIMEOUT_MS;
  let caughtUp = false;
  while (!caughtUp && now() < deadline) {
    caughtUp = (await pool.all('caughtUp', () => ({ targets }))).every(Boolean);
    if (!caughtUp) await sleep(5);
  }
  const cpuAfter = {
    server: cpuSeconds(server.pid),
    clients: pool.pids.map(cpuSeconds),
    self: cpuSeconds(process.pid),
    machine: machineBusySeconds(),
    at: now(),
  };
  const serverEventLoop = await server.inspector?.eventLoopUtilization();
  const taken = await pool.all('take', (p) => ({ ids: groups.get(p) }));
  return {
    ...joinTimes(topology, taken),
    offeredOpsPerSecond: topology.writers.length * rate,
    ops: written.reduce((n, w) => n + w.ops, 0),
    writerMaxLagMs: Math.max(0, ...written.map((w) => w.maxLagMs)),
    caughtUp,
    cpu: cpuUse(cpuBefore, cpuAfter),
    serverEventLoopBusy: serverEventLoop,
  };
}

/** CPU seconds of the server, the client processes, and everything else on the machine, over a span. */
function cpuUse(before, after) {
  const server = after.server - before.server;
  const clients = after.clients.reduce((n, v, i) => n + v - before.clients[i], 0);
  const self = after.self - before.self;
  return {
    wallSeconds: (after.at - before.at) / 1000,
    server,
    clients,
    // Other processes' work (other users of the machine); includes this orchestrator's own little.
    others: Math.max(0, after.machine - before.machine - server - clients - self),
  };
}

/** Per-op latency until every receiver applied it, per-delivery latency, and counts. */
function joinTimes(topology, taken) {
  const sentBy = new Map();
  for (const { sent } of taken) {
    for (const log of sent) sentBy.set(log.clientID, { ...log, last: new Float64Array(log.times.length), seen: 0 });
  }
  const receivers = new Map(topology.writers.map((w) => [w.clientID, w.receivers]));
  const counts = new Map(
    [...sentBy.keys()].map((clientID) => [clientID, new Uint16Array(sentBy.get(clientID).times.length)]),
  );
  const deliveries = [];
  let firstSend = Number.POSITIVE_INFINITY;
  let lastDelivery = Number.NEGATIVE_INFINITY;
  let updatesApplied = 0;
  for (const { received, updatesApplied: applied } of taken) {
    updatesApplied += applied;
    for (const { writer, base, times } of received) {
      const sent = sentBy.get(writer);
      if (!sent) continue;
      const count = counts.get(writer);
      for (let i = 0; i < times.length; i++) {
        const j = base + i - sent.base;
        if (j < 0 || j >= sent.times.length || Number.isNaN(times[i])) continue;
        const latency = times[i] - sent.times[j];
        deliveries.push(latency);
        if (latency > sent.last[j]) sent.last[j] = latency;
        count[j]++;
        if (times[i] > lastDelivery) lastDelivery = times[i];
      }
    }
  }
  const untilAll = [];
  const sendTimes = [];
  let lost = 0;
  for (const [clientID, sent] of sentBy) {
    const expected = receivers.get(clientID);
    const count = counts.get(clientID);
    for (let j = 0; j < sent.times.length; j++) {
      if (Number.isNaN(sent.times[j])) continue;
      if (sent.times[j] < firstSend) firstSend = sent.times[j];
      sendTimes.push(sent.times[j]);
      if (count[j] < expected) {
        lost++;
        untilAll.push(Number.POSITIVE_INFINITY);
      } else {
        untilAll.push(sent.last[j]);
      }
    }
  }
  // Per second of the run: is a bad p99 one stall or a growing backlog?
  const perSecond = [];
  untilAll.forEach((latency, i) => {
    const second = Math.floor((sendTimes[i] - firstSend) / 1000);
    perSecond[second] ??= [];
    perSecond[second].push(latency);
  });
  const spanSeconds = (lastDelivery - firstSend) / 1000;
  return {
    opsMeasured: untilAll.length,
    opsLost: lost,
    deliveries: deliveries.length,
    deliveredPerSecond: spanSeconds > 0 ? deliveries.length / spanSeconds : 0,
    updatesApplied,
    latencyMs: {
      p50: percentile(untilAll, 50),
      p99: percentile(untilAll, 99),
      max: percentile(untilAll, 100),
      deliveryP50: percentile(deliveries, 50),
      deliveryP99: percentile(deliveries, 99),
      bySecond: perSecond.map((values) => ({
        ops: values.length,
        p50: percentile(values, 50),
        p99: percentile(values, 99),
        max: percentile(values, 100),
      })),
    },
  };
}
