import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import type { AccessStore, DocStore } from '@meshpad/storage';
import { MemoryDocStore } from '@meshpad/storage';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { parseConfig } from '../src/config.js';
import { createRelay } from '../src/server.js';

/** The token secret of relays started by `startRelay`, so tests can sign tokens as a host application would. */
export const TEST_SECRET = 'meshpad-test-secret-of-at-least-32-bytes';

export interface TestRelay {
  readonly app: FastifyInstance;
  readonly store: DocStore & AccessStore;
  /** `ws://127.0.0.1:<port>/yjs`, the serverUrl stock providers take. */
  readonly syncUrl: string;
  readonly port: number;
  /** Every JSON log line written so far. */
  readonly logs: () => Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts a real relay on a random loopback port. */
export async function startRelay(
  options: { store?: DocStore & AccessStore; env?: Record<string, string> } = {},
): Promise<TestRelay> {
  const store = options.store ?? new MemoryDocStore();
  // Rooms unload as soon as their last client leaves, as tests of loading and compaction expect.
  // Stock clients without tokens, as `npm start` on loopback serves them; access tests require tokens.
  const config = parseConfig([], {
    PORT: '0',
    LOG_LEVEL: 'info',
    MESHPAD_AUTH: 'open',
    MESHPAD_SECRET: TEST_SECRET,
    MESHPAD_COMPACTION_DELAY_MS: '50',
    MESHPAD_ROOM_LINGER_MS: '0',
    ...options.env,
  });
  const lines: Array<Record<string, unknown>> = [];
  const logStream = new PassThrough();
  let buffered = '';
  logStream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      lines.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  });
  const app = await createRelay({ config, store, logStream });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { app, store, port, syncUrl: `ws://127.0.0.1:${port}/yjs`, logs: () => lines, close: () => app.close() };
}

/** A relay running in its own process, as `npm start` or the Docker image runs it. */
export interface RelayProcess {
  readonly child: ChildProcess;
  /** The port it listens on, once its log says it is running. */
  readonly listening: Promise<number>;
  readonly exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

/**
 * Starts `node <args>` with the environment given on top of this one and the log level at info;
 * pushes the child onto `children`, so that the caller can kill whatever a failed test left running.
 */
export function startRelayProcess(
  options: { args: readonly string[]; env: Record<string, string>; cwd?: string },
  children: ChildProcess[],
): RelayProcess {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', MESHPAD_AUTH: 'open', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 10_000);
    child.stdout?.on('data', () => {
      const match = /running at http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, listening, exited, output: () => output };
}

export interface StockClient {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  readonly provider: WebsocketProvider;
  destroy(): void;
}

/**
 * A stock y-websocket provider, as any Yjs application would create it; `maxBackoffTime` caps its
 * reconnect delay (2500 ms by default).
 */
export function stockClient(
  syncUrl: string,
  room: string,
  doc = new Y.Doc(),
  options: { maxBackoffTime?: number; params?: Record<string, string>; protocols?: string[] } = {},
): StockClient {
  const provider = new WebsocketProvider(syncUrl, room, doc, {
    ...options,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has BroadcastChannel: without this, clients in one process would sync around the relay.
    disableBc: true,
  });
  return {
    doc,
    text: doc.getText('content'),
    provider,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves when the provider has received the relay's whole document. */
export function synced(client: StockClient): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      client.provider.off('sync', onSync);
      resolve();
    };
    client.provider.on('sync', onSync);
  });
}

/** The text the relay holds in memory for `room`, or undefined when the room is not loaded. */
export function roomText(relay: TestRelay, room: string): string | undefined {
  const loaded = [...relay.app.rooms.all()].find((r) => r.name === room);
  if (loaded === undefined) return undefined;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, loaded.state());
  return doc.getText('content').toString();
}

/** A loopback port nothing listens on now, for a relay that must come back on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `condition` until it holds, failing with `message` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface RawClient {
  readonly socket: WebSocket;
  /** Every frame received, from the first one on. */
  readonly frames: Uint8Array[];
  /** The close code and reason, however soon the relay closes (even in the same read as the handshake). */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** A raw WebSocket to the relay, for sending frames (or headers) no stock client would (`options` as ws takes them). */
export async function rawSocket(url: string, options?: WebSocket.ClientOptions): Promise<RawClient> {
  const socket = new WebSocket(url, options);
  const frames: Uint8Array[] = [];
  // Attached before 'open': the relay's first frames can arrive in the same read as the handshake.
  socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  const closedPromise = closed(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames, closed: closedPromise };
}

/** Resolves with the close code and reason the relay sent. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** One test's relay and the clients it opened, all closed after the test. */
export interface RelayFixture {
  /** The relay `start` started; throws before that. */
  readonly relay: TestRelay;
  start(options?: Parameters<typeof startRelay>[0]): Promise<TestRelay>;
  /** A stock client of `room` on the relay. */
  client(room: string, doc?: Y.Doc, options?: Parameters<typeof stockClient>[3]): StockClient;
  /** A raw WebSocket to `room` on the relay's `/yjs`. */
  raw(room: string, options?: WebSocket.ClientOptions): Promise<RawClient>;
}

/**
 * Registers, for every test of the calling file, the cleanup of the relay it starts and the clients it
 * opens through the fixture: call once at the top of a test file.
 */
export function useRelay(): RelayFixture {
  let current: TestRelay | undefined;
  const clients: StockClient[] = [];
  const sockets: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const { socket } of sockets.splice(0)) socket.terminate();
    await current?.close();
    current = undefined;
  });
  const fixture: RelayFixture = {
    get relay() {
      if (current === undefined) throw new Error('start the relay first');
      return current;
    },
    async start(options) {
      current = await startRelay(options);
      return current;
    },
    client(room, doc, options) {
      const client = stockClient(fixture.relay.syncUrl, room, doc, options);
      clients.push(client);
      return client;
    },
    async raw(room, options) {
      const client = await rawSocket(`${fixture.relay.syncUrl}/${room}`, options);
      sockets.push(client);
      return client;
    },
  };
  return fixture;
}
