import { fanoutTopology, runFanout } from '../lib/fanout.mjs';

/** (a) One busy room: latency from an op until every other client of the room applied it. */
export default {
  key: 'a',
  title: '1 room × 20 clients, 2 writers × 20 ops/s',
  inspectsServer: true,
  clientProcesses: 2,
  metrics: [
    { key: 'p50', label: 'p50 op → all 19 clients', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'p99 op → all 19 clients', unit: 'ms', better: 'lower', target: { max: 6 } },
    { key: 'max', label: 'max op → all 19 clients', unit: 'ms', better: 'lower' },
    { key: 'ops', label: 'ops measured (lost)', unit: '', better: 'info' },
    { key: 'loopBusy', label: 'server event loop busy (computing or blocked)', unit: '%', better: 'info' },
    { key: 'others', label: 'other processes CPU meanwhile', unit: '% of 200', better: 'info' },
  ],
  async run({ server, pool, quick }) {
    const topology = fanoutTopology({ rooms: 1, clientsPerRoom: 20, writersIn: () => 2, roomPrefix: 'a' });
    await pool.connect(server.serverUrl, topology.specs);
    await runFanout(pool, server, topology, { rate: 20, durationMs: 1000 });
    const result = await runFanout(pool, server, topology, { rate: 20, durationMs: quick ? 5_000 : 30_000 });
    return {
      values: {
        loopBusy: 100 * result.serverEventLoopBusy,
        others: (100 * result.cpu.others) / result.cpu.wallSeconds,
        p50: result.latencyMs.p50,
        p99: result.latencyMs.p99,
        max: result.latencyMs.max,
        ops: `${result.opsMeasured} (${result.opsLost})`,
      },
      details: result,
    };
  },
};
