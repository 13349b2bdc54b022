/**
 * A client process: hosts many stock y-websocket 3 `WebsocketProvider`s (each with its own Y.Doc),
 * drives writers at a set rate (one single-character insert = one transaction = one update), and
 * records on the shared monotonic clock when each writer's op was sent and when each client applied
 * it. Commands come from the orchestrator over IPC; see `commands` below.
 */
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { now } from './clock.mjs';
import { TimeLog } from './time-log.mjs';
import { traceUpdates } from './trace.mjs';

// Every provider adds a process 'exit' listener; hundreds of them are expected here.
process.setMaxListeners(0);

const MESSAGE_SYNC = 0;
const MESSAGE_YJS_UPDATE = 2;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** @type {Map<string, BenchClient>} */
const clients = new Map();

class BenchClient {
  constructor({ id, room, clientID, watch = [], token }, serverUrl) {
    this.id = id;
    this.room = room;
    this.doc = new Y.Doc();
    if (clientID !== undefined) this.doc.clientID = clientID;
    this.text = this.doc.getText('t');
    /** Clock -> time this client applied it, per writer it watches. */
    this.received = new Map(watch.map((writer) => [writer, { seen: 0, log: new TimeLog() }]));
    this.sent = new TimeLog();
    this.updatesApplied = 0;
    /** Times the provider opened its socket again after the first time. */
    this.reconnects = -1;
    this.provider = new WebsocketProvider(serverUrl, room, this.doc, {
      WebSocketPolyfill: WebSocket,
      disableBc: true,
      // As README.md tells an application to present a token: in the subprotocol header, out of the URL. Written out
      // rather than imported from @meshpad/protocol, which client processes would then load (and its Yjs) for it.
      ...(token === undefined ? {} : { protocols: ['meshpad', `meshpad-token.${token}`] }),
    });
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.reconnects++;
    });
    this.doc.on('update', (_update, origin) => {
      if (origin !== this.provider) return;
      this.updatesApplied++;
      const time = now();
      for (const [writer, entry] of this.received) {
        const state = Y.getState(this.doc.store, writer);
        if (state > entry.seen) {
          entry.log.setRange(entry.seen, state, time);
          entry.seen = state;
        }
      }
    });
  }

  synced(timeoutMs) {
    if (this.provider.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.id} not synced after ${timeoutMs} ms`)), timeoutMs);
      const onSync = (isSynced) => {
        if (!isSynced) return;
        clearTimeout(timer);
        this.provider.off('sync', onSync);
        resolve();
      };
      this.provider.on('sync', onSync);
    });
  }

  /** One op: a single-character insert at the end, its own transaction, sent by the provider. */
  insertOne() {
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    this.sent.setRange(clock, clock + 1, now());
    this.text.insert(this.text.length, ALPHABET[clock % ALPHABET.length]);
  }

  destroy() {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** The time at which `c`'s text equals `expected`, checked after every update; null on timeout. */
function whenText(c, expected, timeoutMs) {
  return new Promise((resolve) => {
    const matches = () => c.text.length === expected.length && c.text.toString() === expected;
    if (matches()) {
      resolve(now());
      return;
    }
    const onUpdate = () => {
      if (!matches()) return;
      c.doc.off('update', onUpdate);
      clearTimeout(timer);
      resolve(now());
    };
    const timer = setTimeout(() => {
      c.doc.off('update', onUpdate);
      resolve(null);
    }, timeoutMs);
    c.doc.on('update', onUpdate);
  });
}

function client(id) {
  const found = clients.get(id);
  if (!found) throw new Error(`no client ${id} in process ${process.pid}`);
  return found;
}

/** Runs each writer at `rate` ops/s from `startAt` for `durationMs`, spreading their phases. */
function runWriters({ writers, startAt, durationMs }) {
  return Promise.all(
    writers.map(
      ({ id, rate, phase = 0 }) =>
        new Promise((resolve) => {
          const c = client(id);
          const interval = 1000 / rate;
          const first = startAt + phase * interval;
          const end = startAt + durationMs;
          let k = 0;
          let maxLagMs = 0;
          const tick = () => {
            const t = now();
            while (first + k * interval <= t && first + k * interval < end) {
              maxLagMs = Math.max(maxLagMs, t - (first + k * interval));
              c.insertOne();
              k++;
            }
            const next = first + k * interval;
            if (next >= end) {
              resolve({
                id,
                clientID: c.doc.clientID,
                clock: Y.getState(c.doc.store, c.doc.clientID),
                ops: k,
                maxLagMs,
              });
              return;
            }
            setTimeout(tick, Math.max(0, next - now()));
          };
          setTimeout(tick, Math.max(0, first - now()));
        }),
    ),
  );
}

function syncUpdateFrame(update) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, MESSAGE_YJS_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

const prepared = new Map();

const commands = {
  /** Creates clients and resolves when all of them are synced. */
  async connect({ serverUrl, specs, timeoutMs = 30_000 }) {
    const created = specs.map((spec) => {
      const c = new BenchClient(spec, serverUrl);
      clients.set(spec.id, c);
      return c;
    });
    await Promise.all(created.map((c) => c.synced(timeoutMs)));
    return created.length;
  },

  write: runWriters,

  /** Resolves when every client is synced (again, after a server restart). */
  async synced({ timeoutMs = 30_000 } = {}) {
    await Promise.all([...clients.values()].map((c) => c.synced(timeoutMs)));
    return clients.size;
  },

  /** Each listed client inserts `chunks` pieces of `chunkLength` characters, one transaction each. */
  writeText({ ids, chunks, chunkLength }) {
    for (const id of ids) {
      const c = client(id);
      for (let i = 0; i < chunks; i++) c.text.insert(c.text.length, ALPHABET[i % 26].repeat(chunkLength));
    }
    return ids.length;
  },

  /** Send times of the listed writers and receive times of every client, since the last take. */
  take({ ids }) {
    const sent = ids.map((id) => ({ id, clientID: client(id).doc.clientID, ...client(id).sent.take() }));
    const received = [];
    let updatesApplied = 0;
    for (const c of clients.values()) {
      updatesApplied += c.updatesApplied;
      c.updatesApplied = 0;
      for (const [writer, entry] of c.received) received.push({ id: c.id, writer, ...entry.log.take() });
    }
    return { sent, received, updatesApplied };
  },

  /** Whether every client has every listed writer's ops up to the given clocks. */
  caughtUp({ targets }) {
    for (const c of clients.values()) {
      for (const [writer, entry] of c.received) {
        if (entry.seen < (targets[writer] ?? 0)) return false;
      }
    }
    return true;
  },

  /** Builds the sync-update frames of the first `txns` trace transactions (untimed preparation). */
  prepareTrace({ key, txns, clientID }) {
    const { updates, text, state } = traceUpdates(txns, clientID);
    prepared.set(key, updates.map(syncUpdateFrame));
    return { updates: updates.length, bytes: updates.reduce((n, u) => n + u.length, 0), state, text };
  },

  /**
   * Sends the prepared frames on the stock provider's socket back to back, as fast as the socket
   * takes them. Returns when the send started and when the last frame was handed to the socket.
   */
  sendPrepared({ key, id }) {
    const socket = client(id).provider.ws;
    const frames = prepared.get(key);
    const startedAt = now();
    for (const frame of frames) socket.send(frame);
    return { startedAt, sentAt: now() };
  },

  /** Resolves with the time at which the client's text equals `expected`. */
  async waitText({ id, expected, timeoutMs = 60_000 }) {
    const c = client(id);
    const at = await whenText(c, expected, timeoutMs);
    if (at === null) throw new Error(`${id}: ${c.text.length} of ${expected.length} characters after ${timeoutMs} ms`);
    return at;
  },

  /**
   * A fresh client joins `room`: time until `synced`, how much text it had then, and time until its
   * text equals `expected` (null when it never did within the timeout). The client is destroyed.
   */
  async coldLoad({ serverUrl, room, expected, timeoutMs = 60_000 }) {
    const startedAt = now();
    const c = new BenchClient({ id: `cold-${startedAt}`, room }, serverUrl);
    let bytesReceived = 0;
    c.provider.ws?.addEventListener('message', (event) => {
      bytesReceived += event.data.byteLength;
    });
    try {
      const full = whenText(c, expected, timeoutMs);
      await c.synced(timeoutMs);
      const syncedMs = now() - startedAt;
      const charsAtSync = c.text.length;
      const fullAt = await full;
      return {
        syncedMs,
        charsAtSync,
        fullMs: fullAt === null ? null : fullAt - startedAt,
        charsAtEnd: c.text.length,
        bytesReceived,
      };
    } finally {
      c.destroy();
    }
  },

  textLength({ id }) {
    return client(id).text.length;
  },

  /** How many times this process's clients reconnected since they first connected. */
  reconnects() {
    let total = 0;
    for (const c of clients.values()) total += Math.max(0, c.reconnects);
    return total;
  },

  /** Destroys the listed clients (all when `ids` is absent): their sockets close. */
  disconnect({ ids } = {}) {
    for (const id of ids ?? [...clients.keys()]) {
      client(id).destroy();
      clients.delete(id);
    }
    return clients.size;
  },
};

process.on('message', async ({ seq, command, args }) => {
  try {
    const result = await commands[command](args);
    process.send({ seq, ok: true, result });
  } catch (error) {
    process.send({ seq, ok: false, error: error instanceof Error ? error.stack : String(error) });
  }
});

process.on('disconnect', () => process.exit(0));
