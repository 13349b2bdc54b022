import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** A stock y-webrtc client in a child process (`stock-webrtc-peer.mjs`). */
export interface StockWebrtcPeer {
  /** Appends `value` to the shared text. */
  insert(value: string): Promise<void>;
  text(): Promise<string>;
  /** How many peers it has an open data channel with. */
  directPeers(): Promise<number>;
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}

/** Starts a stock y-webrtc client in `room`, finding peers through `signalingUrl`. */
export const startStockWebrtcPeer = async (room: string, signalingUrl: string): Promise<StockWebrtcPeer> => {
  const child = fork(join(import.meta.dirname, 'stock-webrtc-peer.mjs'), [room, signalingUrl], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(`stock peer: ${reply.error}`));
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`stock peer exited (${signal ?? code})`));
    pending.clear();
  });
  let nextId = 1;
  const request = <T>(op: string, args: object = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      child.send({ id, op, ...args });
    });
  await new Promise((resolve, reject) => pending.set(0, { resolve, reject }));
  return {
    insert: async (value) => {
      await request('insert', { value });
    },
    text: () => request<string>('text'),
    directPeers: () => request<number>('peers'),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Waits for the exit, not a reply: @roamhq/wrtc now and then dies with SIGSEGV while tearing connections down.
      const exited = once(child, 'exit');
      child.send({ id: nextId++, op: 'close' });
      await exited;
    },
  };
};
