import { fanoutTopology, runFanout } from '../lib/fanout.mjs';

const RATE = 10;

/**
 * Many small rooms at a moderate rate: latency and the server's CPU cost per delivered update.
 * `durableReference` runs the reference with its LevelDB store, so that both servers store every
 * update; without it the reference keeps documents in memory only, its default.
 */
const manyRooms = ({ key, durableReference }) => ({
  key,
  title: `50 rooms × 4 clients, 1–2 writers × ${RATE} ops/s${durableReference ? ', the reference storing too (YPERSISTENCE)' : ''}`,
  inspectsServer: true,
  serverOptions: (kind) => (kind === 'reference' ? { persistent: durableReference } : {}),
  clientProcesses: 2,
  metrics: [
    { key: 'p50', label: 'p50 op → all clients of its room', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'p99 op → all clients of its room', unit: 'ms', better: 'lower' },
    { key: 'cpuPerDelivery', label: 'server CPU per delivered update', unit: 'µs', better: 'lower' },
    { key: 'serverCpu', label: 'server CPU', unit: '% core', better: 'lower' },
    { key: 'delivered', label: 'delivered updates/s', unit: '/s', better: 'info' },
    { key: 'loopBusy', label: 'server event loop busy (computing or blocked)', unit: '%', better: 'info' },
    { key: 'others', label: 'other processes CPU meanwhile', unit: '% of 200', better: 'info' },
  ],
  async run({ server, pool, quick }) {
    const topology = fanoutTopology({
      rooms: 50,
      clientsPerRoom: 4,
      writersIn: (room) => (room % 2 === 0 ? 2 : 1),
      roomPrefix: 'b',
    });
    await pool.connect(server.serverUrl, topology.specs);
    await runFanout(pool, server, topology, { rate: RATE, durationMs: 1000 });
    const result = await runFanout(pool, server, topology, { rate: RATE, durationMs: quick ? 5_000 : 20_000 });
    return {
      values: {
        loopBusy: 100 * result.serverEventLoopBusy,
        others: (100 * result.cpu.others) / result.cpu.wallSeconds,
        p50: result.latencyMs.p50,
        p99: result.latencyMs.p99,
        cpuPerDelivery: (result.cpu.server * 1e6) / result.deliveries,
        serverCpu: (100 * result.cpu.server) / result.cpu.wallSeconds,
        delivered: result.deliveredPerSecond,
      },
      details: result,
    };
  },
});

/** (b) against the reference as it runs by default, in memory. */
export default manyRooms({ key: 'b', durableReference: false });

/** (b+) the same, against the reference storing every update as Meshpad does. */
export const manyRoomsDurable = manyRooms({ key: 'b+', durableReference: true });
