import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { SessionStatus } from '../src/doc-session.js';
import type { MeshState } from '../src/mesh-options.js';
import type { PeerRoute } from '../src/peer-routes.js';

/** What a peer process reports about its session. */
export interface PeerSnapshot {
  readonly clientId: number;
  readonly text: string;
  readonly status: SessionStatus;
  readonly network: {
    readonly mesh: MeshState;
    readonly relay: boolean;
    readonly directConnections: number;
    readonly routes: readonly [number, PeerRoute][];
  };
  readonly presence: readonly { clientId: number; name: string; hasCursor: boolean }[];
}

export interface PeerMeshSettings {
  readonly signalingUrl: string;
  readonly maxConnections?: number;
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

const script = fileURLToPath(new URL('./mesh-peer.mjs', import.meta.url));

/** Starts a peer process and waits until it is ready for commands. */
export const startMeshPeer = async (): Promise<MeshPeer> => {
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  const request = <T>(op: string, args: object = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      child.send({ id, op, ...args });
    });
  return {
    open: (options) => request<PeerSnapshot>('open', options),
    insert: async (text, index) => {
      await request('insert', { text, index });
    },
    moveCursor: async (anchor) => {
      await request('cursor', { anchor });
    },
    state: () => request<PeerSnapshot>('state'),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ id: nextId++, op: 'close' });
      await exited;
    },
  };
};
