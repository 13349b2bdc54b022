import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { SessionStatus } from '../src/doc-session.js';
import type { MeshState } from '../src/mesh-options.js';
import type { PeerMessageLimits } from '../src/peer-message-filter.js';
import type { PeerRoute } from '../src/peer-routes.js';

/** What a peer process reports about its session. */
export interface PeerSnapshot {
  readonly clientId: number;
  /** The session's id in the mesh's signaling, once its room is open. */
  readonly peerId: string | undefined;
  readonly text: string;
  readonly status: SessionStatus;
  readonly network: {
    readonly mesh: MeshState;
    readonly relay: boolean;
    readonly directConnections: number;
    readonly routes: readonly [number, PeerRoute][];
  };
  readonly presence: readonly { clientId: number; name: string; hasCursor: boolean }[];
  /** Every client id the session's awareness holds a state for, its own included. */
  readonly awarenessClients: readonly number[];
  /** The session's RTCPeerConnections: made in all, open now, and open at most at once. */
  readonly peerConnections: { readonly created: number; readonly open: number; readonly maxOpen: number };
  /** Exceptions and promise rejections that nothing handled in the peer's process (they do not end it). */
  readonly uncaught: readonly string[];
}

export interface PeerMeshSettings {
  readonly signalingUrl: string;
  readonly maxConnections?: number;
  readonly maxIncomingConnections?: number;
  readonly peerMessageLimits?: Partial<PeerMessageLimits>;
  readonly password?: string;
}

export interface OpenOptions {
  readonly docId: string;
  readonly relayUrl: string;
  readonly name: string;
  readonly mesh: PeerMeshSettings | false;
}

/** A Meshpad session in a child process (`test/mesh-peer.mjs`, which runs the built package). */
export interface MeshPeer {
  open(options: OpenOptions): Promise<PeerSnapshot>;
  /** Inserts `text` at `index` (default: the end). */
  insert(text: string, index?: number): Promise<void>;
  /** Sets the awareness `cursor` field, as an editor does when its selection moves. */
  moveCursor(anchor: number): Promise<void>;
  state(): Promise<PeerSnapshot>;
  /**
   * Destroys the session and waits for the process to end, however it ends: @roamhq/wrtc now and then dies with
   * SIGSEGV while tearing peer connections down, after the session's destroy has run.
   */
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}

/** A Node process driven over IPC: `request` sends `{ id, op, ...args }` and resolves with the reply's value. */
interface PeerProcess {
  request<T>(op: string, args?: object): Promise<T>;
  /** Sends `close` and waits for the process to end, however it ends. */
  close(): Promise<void>;
}

/** Forks `script` (in this folder) and waits until it reports ready. */
const forkPeer = async (script: string, args: readonly string[] = []): Promise<PeerProcess> => {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`peer process: ${reply.error}`));
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`peer process exited (${signal ?? code})`));
    pending.clear();
  });
  const ready = new Promise((resolve, reject) => pending.set(0, { resolve, reject }));
  await ready;
  return {
    request: <T>(op: string, args: object = {}): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: (value) => resolve(value as T), reject });
        child.send({ id, op, ...args });
      }),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ id: nextId++, op: 'close' });
      await exited;
    },
  };
};

/** Starts a peer process and waits until it is ready for commands. */
export const startMeshPeer = async (): Promise<MeshPeer> => {
  const peer = await forkPeer('./mesh-peer.mjs');
  return {
    open: (options) => peer.request<PeerSnapshot>('open', options),
    insert: async (text, index) => {
      await peer.request('insert', { text, index });
    },
    moveCursor: async (anchor) => {
      await peer.request('cursor', { anchor });
    },
    state: () => peer.request<PeerSnapshot>('state'),
    close: peer.close,
  };
};

/** A stock y-webrtc peer (`test/rogue-peer.mjs`) that sends frames of the test's choosing to the peers it connects to. */
export interface RoguePeer {
  /** Sends `frame` on every open data channel; resolves with how many there were. */
  send(frame: Uint8Array): Promise<number>;
  /** Open data channels, and how many of its connections have closed so far. */
  state(): Promise<{ connected: number; closes: number }>;
  close(): Promise<void>;
}

/** Starts a rogue peer in y-webrtc room `roomName`, signaling at `signalingUrl`. */
export const startRoguePeer = async (roomName: string, signalingUrl: string): Promise<RoguePeer> => {
  const peer = await forkPeer('./rogue-peer.mjs', [roomName, signalingUrl]);
  return {
    send: (frame) => peer.request<number>('send', { frame: Buffer.from(frame).toString('base64') }),
    state: () => peer.request('state'),
    close: peer.close,
  };
};

/** Polls `peer.state()` until `check` holds; fails with `message` and the last state after `timeoutMs`. */
export const until = async <T>(
  peer: { state(): Promise<T> },
  check: (state: T) => boolean,
  message: string,
  timeoutMs = 15_000,
): Promise<T> => {
  let last = await peer.state();
  const deadline = Date.now() + timeoutMs;
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}; last state ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    last = await peer.state();
  }
  return last;
};
