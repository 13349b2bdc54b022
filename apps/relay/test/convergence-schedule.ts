import { CloseCode, encodeSyncUpdate } from '@meshpad/protocol';
import type { DocStore } from '@meshpad/storage';
import fc from 'fast-check';
import * as Y from 'yjs';
import type { CompactionThread } from '../src/compaction-thread.js';
import { DEFAULT_HELD_LIMITS } from '../src/held-updates.js';
import { DEFAULT_ROOM_LIMITS, type RoomLimits } from '../src/room.js';
import { CheckedStore, storedProblems } from './checked-store.js';
import { type ModelConnection, RelayModel } from './relay-model.js';
import { type DocValues, docOfUpdates, Replica } from './replica-model.js';

/**
 * One step of a schedule. Numbers pick among what exists when the step runs (modulo the count), so
 * any sequence is valid and a shrunk one still means something.
 * - `edit`: replica, kind of edit, two arguments (see `Replica.edit`).
 * - `net`: a non-empty queue of frames (to the relay, from the relay, or to a peer), a frame in it
 *   (reordering), and its fate: 0 delivered, 1 dropped, 2 delivered and left in the queue (duplicated).
 *   A frame dropped on a relay connection breaks that connection, as a lost WebSocket frame would.
 * - `flush`: the end of the relay's event-loop turn: admitted updates are stored and forwarded.
 * - `connect` / `disconnect`: a replica's relay connection; `link` / `unlink`: a direct mesh link.
 * - `resend`: a replica sends the relay its whole state as one update (as restoring an offline copy does).
 * - `compact`: the relay starts compacting the document, in the background as it does (the steps after
 *   it run meanwhile); `restart`: the relay stops and starts again.
 */
export type Step =
  | readonly ['edit', replica: number, kind: number, a: number, b: number]
  | readonly ['net', queue: number, frame: number, fate: number]
  | readonly ['flush']
  | readonly ['connect' | 'disconnect' | 'resend', replica: number]
  | readonly ['link' | 'unlink', replica: number, peer: number]
  | readonly ['compact']
  | readonly ['restart'];

export interface Schedule {
  readonly replicas: number;
  /** Whether replicas send updates they got from mesh peers on to the relay. */
  readonly forwardMesh: boolean;
  /** Whether every pair of replicas is linked directly at the start. */
  readonly meshAtStart: boolean;
  /** A tiny bound on updates held per connection (then overflow closes, 4509, are expected), or null for the default. */
  readonly heldPerConnection: number | null;
  /** The CRDT bindings' checkpoint threshold in bytes. */
  readonly checkpointBytes: number;
  readonly steps: readonly Step[];
}

/**
 * Where a schedule runs: a store (shared by schedules, so each has its own document), how to reopen it,
 * and the thread compactions run in.
 */
export interface ScheduleEnv {
  readonly store: DocStore;
  readonly docName: string;
  readonly compactionThread: CompactionThread;
  /** Closes the store and opens it again, as a restarted relay process would; the same store if absent. */
  readonly reopen?: (store: DocStore) => Promise<DocStore>;
}

const nat = (max: number) => fc.nat({ max });

/**
 * Schedules of at most `maxSteps` steps, mostly with 2-3 replicas, up to 8. With `size` 'small' most
 * are short (fast-check's default); 'max' draws lengths evenly up to `maxSteps`.
 */
export function scheduleArbitrary(maxSteps: number, size: fc.SizeForArbitrary = 'small'): fc.Arbitrary<Schedule> {
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 16, arbitrary: fc.tuple(fc.constant('edit' as const), nat(7), nat(12), nat(63), nat(63)) },
    { weight: 20, arbitrary: fc.tuple(fc.constant('net' as const), nat(63), nat(7), fc.constantFrom(0, 0, 0, 1, 2)) },
    { weight: 10, arbitrary: fc.constant(['flush'] as const) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('connect' as const, 'disconnect' as const), nat(7)) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom('link' as const, 'link' as const, 'unlink' as const), nat(7), nat(7)),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constant('resend' as const), nat(7)) },
    { weight: 1, arbitrary: fc.constant(['compact'] as const) },
    { weight: 1, arbitrary: fc.constant(['restart'] as const) },
  );
  return fc.record({
    replicas: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 2, max: 3 }) },
      { weight: 3, arbitrary: fc.integer({ min: 4, max: 5 }) },
      { weight: 1, arbitrary: fc.integer({ min: 6, max: 8 }) },
    ),
    forwardMesh: fc.boolean(),
    meshAtStart: fc.boolean(),
    heldPerConnection: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 4 }),
    checkpointBytes: fc.constantFrom(0, 64, 1024),
    steps: fc.array(step, { maxLength: maxSteps, size }),
  });
}

/** A queue of frames in flight and where its frames go. */
interface Queue {
  readonly frames: Uint8Array[];
  deliver(frame: Uint8Array): void;
  /** The replica whose relay connection carries it; undefined on a mesh link. */
  readonly relayOf?: Replica;
}

/** Every client id a replica uses; the newcomer's is apart from them. */
const clientIdOf = (index: number) => 100 + index * 37;
const NEWCOMER_CLIENT_ID = 9_999;

const show = (values: DocValues) => JSON.stringify(values);

/**
 * Runs one schedule through the relay's own code and checks, throwing an error that names the first
 * violation: no honest update is ever refused and the relay stores only what integrates; once the
 * network heals (frames in flight arrive, replicas reconnect), nothing is held and all replicas agree;
 * once everyone reconnects and resyncs, all agree again, with a newcomer and with the store, which
 * holds no struct or deletion twice.
 */
export async function runSchedule(schedule: Schedule, env: ScheduleEnv): Promise<void> {
  // Time plays no part in a schedule: a held update never waits too long, however slow the machine.
  const held = { ...DEFAULT_HELD_LIMITS, maxWaitMs: 3_600_000 };
  const limits: RoomLimits = {
    ...DEFAULT_ROOM_LIMITS,
    held: schedule.heldPerConnection === null ? held : { ...held, countPerConnection: schedule.heldPerConnection },
  };
  const store = new CheckedStore(env.store);
  const relay = new RelayModel(store, env.docName, env.compactionThread, limits);
  const reopen = env.reopen;
  const restart = () =>
    relay.restart(
      reopen &&
        (async () => {
          store.inner = await reopen(store.inner);
          return store;
        }),
    );
  let time = 1_000;
  const options = {
    forwardMesh: schedule.forwardMesh,
    checkpointBytes: schedule.checkpointBytes,
    now: () => time,
  };
  const replicas = Array.from(
    { length: schedule.replicas },
    (_, i) => new Replica(`replica ${i}`, clientIdOf(i), options),
  );
  const violations: string[] = [];
  const byConn = new Map<ModelConnection, Replica>();
  /** Compactions under way: they run while the schedule goes on, and are waited for when it ends. */
  const compactions: Promise<void>[] = [];

  const onClosed = (conn: ModelConnection) => {
    const replica = byConn.get(conn);
    byConn.delete(conn);
    if (replica?.conn === conn) replica.detach();
    const code = conn.closedBy?.code;
    const expected =
      code === undefined ||
      code === CloseCode.GoingAway ||
      (code === CloseCode.TooManyHeldUpdates && schedule.heldPerConnection !== null);
    if (!expected) violations.push(`relay closed ${replica?.name} with ${code?.code}: ${conn.closedBy?.detail}`);
  };
  const connect = async (replica: Replica) => {
    if (replica.connected) return;
    const conn = await relay.connect(onClosed);
    byConn.set(conn, replica);
    if (conn.isOpen) replica.attach(conn);
  };
  const queues = (): Queue[] => {
    const all: Queue[] = [];
    for (const replica of replicas) {
      const conn = replica.conn;
      if (conn?.isOpen) {
        all.push({ frames: replica.toRelay, deliver: (frame) => relay.receive(conn, frame), relayOf: replica });
        all.push({ frames: conn.outbox, deliver: (frame) => replica.receiveFromRelay(frame), relayOf: replica });
      }
      for (const [peer, frames] of replica.toPeer) {
        all.push({ frames, deliver: (frame) => peer.receiveFromPeer(replica, frame) });
      }
    }
    return all.filter((queue) => queue.frames.length > 0);
  };
  /** Delivers every frame in flight, in order, and lets the relay store and forward, until nothing moves. */
  const settle = async () => {
    for (;;) {
      let busy = queues();
      for (; busy.length > 0; busy = queues()) {
        for (const queue of busy) {
          // A delivery may have closed a connection, emptying its queues.
          const frame = queue.frames.shift();
          if (frame !== undefined) queue.deliver(frame);
        }
      }
      await relay.flush();
      if (queues().length === 0) return;
    }
  };
  const check = (when: string) => {
    const problems = [
      ...violations,
      ...store.problems,
      ...replicas.flatMap((r) => r.problems),
      ...relay.problems.map((p) => `relay logged ${p.level}: ${p.msg} ${JSON.stringify(p.fields)}`),
    ];
    if (problems.length > 0) throw new Error(`${when}: ${problems.join('\n')}`);
  };
  /** Everyone connected agrees with replica 0 on values, structs and deletions, and the relay holds nothing back. */
  const checkAgreement = (when: string) => {
    check(when);
    const held = relay.room?.held.size ?? 0;
    if (held > 0) throw new Error(`${when}: ${held} updates still held`);
    const agreed = show(replicas[0]!.values());
    const structure = Y.snapshot(replicas[0]!.doc);
    for (const replica of replicas) {
      const values = show(replica.values());
      if (values !== agreed) throw new Error(`${when}: ${replica.name} holds ${values}, replica 0 ${agreed}`);
      const { pendingStructs, pendingDs } = replica.doc.store;
      if (pendingStructs !== null || pendingDs !== null)
        throw new Error(`${when}: ${replica.name} has pending updates`);
      if (!Y.equalSnapshots(Y.snapshot(replica.doc), structure)) {
        throw new Error(`${when}: ${replica.name} differs from replica 0 in structs or deletions`);
      }
    }
    return structure;
  };

  try {
    for (const replica of replicas) await connect(replica);
    if (schedule.meshAtStart) for (const a of replicas) for (const b of replicas) a.link(b);
    for (const [n, step] of schedule.steps.entries()) {
      time += 1 + (n % 3);
      await runStep(step);
      check(`after step ${n} ${JSON.stringify(step)}`);
    }

    await Promise.all(compactions);
    // The network heals, losing nothing more: frames in flight arrive and replicas reconnect. Whatever
    // the relay held must have been released by what arrived.
    for (let round = 0; round === 0 || !replicas.every((replica) => replica.connected); round++) {
      if (round > replicas.length) throw new Error('replicas are still being disconnected after the network healed');
      for (const replica of replicas) await connect(replica);
      await settle();
    }
    checkAgreement('once the network healed');

    // Everyone reconnects (the room is unloaded and loaded again from the store) and resyncs.
    for (const replica of replicas) {
      for (const peer of [...replica.toPeer.keys()]) replica.unlink(peer);
      replica.conn?.disconnect();
    }
    await relay.flush();
    for (const replica of replicas) await connect(replica);
    await settle();
    const structure = checkAgreement('after everyone reconnected and resynced');

    // A newcomer, once the room was unloaded again: the relay loads it from the store and syncs it.
    for (const replica of replicas) replica.conn?.disconnect();
    const newcomer = new Replica('newcomer', NEWCOMER_CLIENT_ID, options);
    replicas.push(newcomer);
    await connect(newcomer);
    await settle();
    checkAgreement('after a newcomer synced');
    newcomer.conn?.disconnect();
    await relay.flush();

    const stored = (await store.load(env.docName)).updates;
    const problems = storedProblems(stored);
    const fromStore = docOfUpdates(stored, problems);
    if (!Y.equalSnapshots(Y.snapshot(fromStore), structure)) {
      problems.push('it differs from the replicas in structs or deletions');
    }
    fromStore.destroy();
    if (problems.length > 0) throw new Error(`in the store: ${problems.join('\n')}`);
  } finally {
    for (const replica of replicas) {
      replica.conn?.disconnect();
      replica.destroy();
    }
    await relay.stop();
    store.forget(env.docName);
  }

  async function runStep(step: Step): Promise<void> {
    const pick = (n: number) => replicas[n % replicas.length]!;
    switch (step[0]) {
      case 'edit':
        pick(step[1]).edit(step[2], step[3], step[4]);
        return;
      case 'net': {
        const busy = queues();
        if (busy.length === 0) return;
        const queue = busy[step[1] % busy.length]!;
        const at = step[2] % queue.frames.length;
        const frame = queue.frames[at]!;
        if (step[3] === 1 && queue.relayOf !== undefined) {
          // A WebSocket loses nothing short of breaking: the connection ends, with whatever was in flight.
          queue.relayOf.conn?.disconnect();
          return;
        }
        if (step[3] !== 2) queue.frames.splice(at, 1);
        if (step[3] !== 1) queue.deliver(frame);
        return;
      }
      case 'flush':
        await relay.flush();
        return;
      case 'connect':
        await connect(pick(step[1]));
        return;
      case 'disconnect':
        pick(step[1]).conn?.disconnect();
        return;
      case 'link':
        pick(step[1]).link(pick(step[2]));
        return;
      case 'unlink':
        pick(step[1]).unlink(pick(step[2]));
        return;
      case 'compact':
        compactions.push(relay.compact());
        return;
      case 'restart':
        await restart();
        return;
      case 'resend': {
        // As a client restoring its offline copy does: its whole state, sent as one update.
        const replica = pick(step[1]);
        if (replica.connected) replica.toRelay.push(encodeSyncUpdate(Y.encodeStateAsUpdate(replica.doc)));
      }
    }
  }
}
