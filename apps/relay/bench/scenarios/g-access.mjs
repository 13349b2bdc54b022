import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { now } from '../lib/clock.mjs';
import { fanoutTopology, runFanout } from '../lib/fanout.mjs';
import { percentile } from '../lib/stats.mjs';

const RATE = 10;
const SECRET = 'bench-secret-of-at-least-32-bytes-long';
const SETUP_ROOMS = 20;

/** A link's token as the relay mints it (generation 0: the relay reads the room's generations once). */
function tokenFor(room) {
  return new SignJWT({ scope: 'edit', gen: 0 })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(room)
    .setIssuedAt()
    .sign(new TextEncoder().encode(SECRET));
}

/** Milliseconds from creating a stock provider until it is synced, one connection at a time. */
async function setupTimes(serverUrl, count, tokens) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const room = `g-setup-${i % SETUP_ROOMS}`;
    const doc = new Y.Doc();
    const started = now();
    const provider = new WebsocketProvider(serverUrl, room, doc, {
      WebSocketPolyfill: WebSocket,
      disableBc: true,
      ...(tokens ? { protocols: ['meshpad', `meshpad-token.${tokens.get(room)}`] } : {}),
    });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not synced: ${room}`)), 10_000);
      provider.once('sync', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    times.push(now() - started);
    provider.destroy();
    doc.destroy();
  }
  return times;
}

/**
 * (g) What access control costs: connection setup (upgrade to synced) without a token and with one the relay
 * verifies, and server CPU per delivered update in (b)'s topology with every client holding a verified token.
 * Meshpad runs in open mode, where a presented token takes the same path as in required mode, so both setups are
 * measured on one server; the reference has no tokens and gets none.
 */
export default {
  key: 'g',
  title: `access control: setup with and without a token; (b)'s 50 rooms × 4 clients × ${RATE} ops/s with tokens`,
  inspectsServer: true,
  serverOptions: (kind) => (kind === 'meshpad' ? { env: { MESHPAD_AUTH: 'open', MESHPAD_SECRET: SECRET } } : {}),
  clientProcesses: 2,
  metrics: [
    { key: 'setupNoToken.p50', label: 'setup without token p50', unit: 'ms', better: 'lower' },
    { key: 'setupNoToken.p99', label: 'setup without token p99', unit: 'ms', better: 'lower' },
    { key: 'setupToken.p50', label: 'setup with verified token p50', unit: 'ms', better: 'lower' },
    { key: 'setupToken.p99', label: 'setup with verified token p99', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'p99 op → all clients of its room (tokens)', unit: 'ms', better: 'lower' },
    { key: 'cpuPerDelivery', label: 'server CPU per delivered update (tokens)', unit: 'µs', better: 'lower' },
  ],
  async run({ server, pool, quick, kind }) {
    const withTokens = kind === 'meshpad';
    const setupRooms = Array.from({ length: SETUP_ROOMS }, (_, i) => `g-setup-${i}`);
    const setupTokens = new Map(await Promise.all(setupRooms.map(async (room) => [room, await tokenFor(room)])));
    const count = quick ? 100 : 400;
    // Warm-up: every room loaded once, the relay's code paths compiled.
    await setupTimes(server.serverUrl, SETUP_ROOMS, undefined);
    const noToken = await setupTimes(server.serverUrl, count, undefined);
    const token = withTokens ? await setupTimes(server.serverUrl, count, setupTokens) : noToken;

    const topology = fanoutTopology({
      rooms: 50,
      clientsPerRoom: 4,
      writersIn: (room) => (room % 2 === 0 ? 2 : 1),
      roomPrefix: 'g',
    });
    const specs = withTokens
      ? await Promise.all(topology.specs.map(async (spec) => ({ ...spec, token: await tokenFor(spec.room) })))
      : topology.specs;
    await pool.connect(server.serverUrl, specs);
    await runFanout(pool, server, topology, { rate: RATE, durationMs: 1000 });
    const result = await runFanout(pool, server, topology, { rate: RATE, durationMs: quick ? 5_000 : 20_000 });
    return {
      values: {
        'setupNoToken.p50': percentile(noToken, 50),
        'setupNoToken.p99': percentile(noToken, 99),
        'setupToken.p50': percentile(token, 50),
        'setupToken.p99': percentile(token, 99),
        p99: result.latencyMs.p99,
        cpuPerDelivery: (result.cpu.server * 1e6) / result.deliveries,
      },
      details: { setupNoTokenMs: noToken, setupTokenMs: withTokens ? token : undefined, fanout: result },
    };
  },
};
