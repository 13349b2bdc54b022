import fc from 'fast-check';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { HybridLogicalClock } from '../src/index.js';
import type { AnyBinding, Kind, LoggedOp, ReplicaContext } from './kinds.js';

/** One step of a random schedule. Indexes are taken modulo the number of replicas or messages. */
export type Command<Op> =
  | { readonly kind: 'op'; readonly replica: number; readonly op: Op; readonly clockStep: number }
  | { readonly kind: 'deliver'; readonly pick: number }
  | { readonly kind: 'duplicate'; readonly pick: number }
  | { readonly kind: 'drop'; readonly pick: number }
  | { readonly kind: 'sync'; readonly from: number; readonly to: number }
  | { readonly kind: 'partition'; readonly mask: number }
  | { readonly kind: 'heal' };

/** A random schedule: 2–8 replicas, operations, and network events. */
export interface Schedule<Op> {
  readonly replicas: number;
  /** Initial physical-clock offsets of the replicas, in ms. */
  readonly skews: readonly number[];
  readonly commands: ReadonlyArray<Command<Op>>;
  /** Seeds the order in which the final flush delivers what is left. */
  readonly flushSeed: number;
}

/** Schedules for operations drawn from `op`. */
export function schedule<Op>(op: fc.Arbitrary<Op>, maxCommands = 60): fc.Arbitrary<Schedule<Op>> {
  const command: fc.Arbitrary<Command<Op>> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('op' as const),
        replica: fc.nat(7),
        op,
        // Physical clocks jump backwards as well as forwards.
        clockStep: fc.integer({ min: -40, max: 60 }),
      }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: fc.nat(7), to: fc.nat(7) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), mask: fc.nat(255) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  );
  return fc.record({
    replicas: fc.integer({ min: 2, max: 8 }),
    skews: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 8, maxLength: 8 }),
    commands: fc.array(command, { maxLength: maxCommands }),
    flushSeed: fc.integer(),
  });
}

interface Message {
  readonly from: number;
  readonly to: number;
  readonly bytes: Uint8Array;
  /** Operation ids the message makes known. */
  readonly knows: ReadonlySet<number>;
}

/** Simulated links between replicas: in-flight messages, lost ones, and a partition. */
class Network {
  flight: Message[] = [];
  lost: Message[] = [];
  private partition: number | null = null;

  constructor(private readonly receive: (message: Message) => void) {}

  send(message: Message): void {
    this.flight.push(message);
  }

  run(command: Command<unknown>): void {
    switch (command.kind) {
      case 'deliver':
      case 'duplicate':
      case 'drop': {
        if (this.flight.length === 0) return;
        const index = command.pick % this.flight.length;
        const message = this.flight[index] as Message;
        if (command.kind === 'drop') {
          this.flight.splice(index, 1);
          this.lost.push(message);
          return;
        }
        if (this.blocked(message)) return;
        if (command.kind === 'deliver') this.flight.splice(index, 1);
        this.receive(message);
        return;
      }
      case 'partition':
        this.partition = command.mask;
        return;
      case 'heal':
        this.heal();
        return;
      default:
        return;
    }
  }

  /** Heal the partition, retransmit everything lost, and deliver all in a seeded random order. */
  flush(seed: number): void {
    this.heal();
    const random = prng.create(seed);
    while (this.flight.length > 0) {
      const index = prng.uint32(random, 0, this.flight.length - 1);
      const [message] = this.flight.splice(index, 1);
      this.receive(message as Message);
    }
  }

  private heal(): void {
    this.partition = null;
    this.flight.push(...this.lost);
    this.lost = [];
  }

  private blocked(message: Message): boolean {
    if (this.partition === null) return false;
    return ((this.partition >> message.from) & 1) !== ((this.partition >> message.to) & 1);
  }
}

interface SimReplica<S> extends ReplicaContext {
  time: number;
  state: S;
  readonly knows: Set<number>;
}

// Far beyond any skew a schedule produces: drift rejection has its own tests.
const NO_DRIFT_LIMIT = 1e12;

function makeContexts<T>(
  count: number,
  skews: readonly number[],
  extra: (context: ReplicaContext & { time: number }) => T,
): T[] {
  return Array.from({ length: count }, (_, i) => {
    const context = { id: `r${i}`, time: 1_000_000 + (skews[i] ?? 0) } as ReplicaContext & { time: number };
    Object.assign(context, {
      clock: new HybridLogicalClock(context.id, { now: () => context.time, maxDrift: NO_DRIFT_LIMIT }),
    });
    return extra(context);
  });
}

/** What a run ends with: every replica's encoded state, the oracle's, and the log. */
export interface RunResult<S, Op> {
  readonly encodings: Uint8Array[];
  readonly views: unknown[];
  readonly oracle: Uint8Array;
  readonly log: ReadonlyArray<LoggedOp<S, Op>>;
}

/**
 * Run a schedule with replicas exchanging encoded deltas (`delta`) or whole states after each
 * operation (`state`). The oracle joins every delta the moment it is made, so it is what all
 * replicas must reach once everything is delivered.
 */
export function runCore<S, Op>(kind: Kind<S, Op>, plan: Schedule<Op>, mode: 'delta' | 'state'): RunResult<S, Op> {
  const replicas: Array<SimReplica<S>> = makeContexts(plan.replicas, plan.skews, (context) =>
    Object.assign(context, { state: kind.create(), knows: new Set<number>() }),
  );
  const oracle = kind.create();
  const log: Array<LoggedOp<S, Op>> = [];
  const network = new Network((message) => {
    const to = replicas[message.to] as SimReplica<S>;
    kind.merge(to.state, kind.decode(message.bytes), to);
    for (const id of message.knows) to.knows.add(id);
  });
  const broadcast = (from: number, bytes: Uint8Array, knows: ReadonlySet<number>): void => {
    for (let to = 0; to < replicas.length; to++) if (to !== from) network.send({ from, to, bytes, knows });
  };
  for (const command of plan.commands) {
    if (command.kind === 'op') {
      const index = command.replica % replicas.length;
      const replica = replicas[index] as SimReplica<S>;
      replica.time = Math.max(0, replica.time + command.clockStep);
      const past = new Set(replica.knows);
      const delta = kind.apply(replica.state, replica, command.op);
      const id = log.length;
      log.push({ id, op: command.op, past, delta });
      replica.knows.add(id);
      kind.merge(oracle, delta);
      if (mode === 'delta') broadcast(index, kind.encode(delta), new Set([id]));
      else broadcast(index, kind.encode(replica.state), new Set(replica.knows));
    } else if (command.kind === 'sync') {
      const from = command.from % replicas.length;
      const to = command.to % replicas.length;
      const source = replicas[from] as SimReplica<S>;
      if (from !== to) network.send({ from, to, bytes: kind.encode(source.state), knows: new Set(source.knows) });
    } else {
      network.run(command);
    }
  }
  network.flush(plan.flushSeed);
  return {
    encodings: replicas.map((replica) => kind.encode(replica.state)),
    views: replicas.map((replica) => kind.view(replica.state)),
    oracle: kind.encode(oracle),
    log,
  };
}

const NET = Symbol('network');

interface YReplica<S> extends ReplicaContext {
  time: number;
  readonly doc: Y.Doc;
  readonly binding: AnyBinding<S>;
}

/** Small compaction thresholds, so that schedules exercise checkpoints and garbage collection. */
export const TIGHT_COMPACTION = { logFactor: 0.5, foreignFactor: 1, minBytes: 40 } as const;

/** What a Yjs run ends with, beyond {@link RunResult}: each document's full update. */
export interface YRunResult<S, Op> extends RunResult<S, Op> {
  readonly docs: Uint8Array[];
  readonly contents: unknown[];
}

/**
 * Run a schedule with each replica's CRDT bound to its own Y.Doc, exchanging the Yjs updates the
 * documents emit (and, for `sync`, state-vector diffs) through the simulated network.
 */
export function runYjs<S, Op>(kind: Kind<S, Op>, plan: Schedule<Op>): YRunResult<S, Op> {
  const replicas: Array<YReplica<S>> = makeContexts(plan.replicas, plan.skews, (context) => {
    const doc = new Y.Doc();
    doc.clientID = Number(context.id.slice(1)) + 1;
    const binding = kind.bind(doc.getMap('crdt'), context, { replica: context.id, compaction: TIGHT_COMPACTION });
    return Object.assign(context, { doc, binding });
  });
  const oracle = kind.create();
  const log: Array<LoggedOp<S, Op>> = [];
  const network = new Network((message) => {
    Y.applyUpdate((replicas[message.to] as YReplica<S>).doc, message.bytes, NET);
  });
  replicas.forEach((replica, from) => {
    replica.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === NET) return;
      for (let to = 0; to < replicas.length; to++) {
        if (to !== from) network.send({ from, to, bytes: update, knows: new Set() });
      }
    });
  });
  for (const command of plan.commands) {
    if (command.kind === 'op') {
      const replica = replicas[command.replica % replicas.length] as YReplica<S>;
      replica.time = Math.max(0, replica.time + command.clockStep);
      kind.applyBound(replica.binding, command.op);
      // The binding's state is the join of every delta it has made or merged: joining it into the
      // oracle after each operation makes the oracle the join of all deltas.
      const delta = kind.clone(replica.binding.current);
      log.push({ id: log.length, op: command.op, past: new Set(), delta });
      kind.merge(oracle, delta);
    } else if (command.kind === 'sync') {
      const from = command.from % replicas.length;
      const to = command.to % replicas.length;
      const source = (replicas[from] as YReplica<S>).doc;
      const target = (replicas[to] as YReplica<S>).doc;
      if (from !== to) {
        const bytes = Y.encodeStateAsUpdate(source, Y.encodeStateVector(target));
        network.send({ from, to, bytes, knows: new Set() });
      }
    } else {
      network.run(command);
    }
  }
  network.flush(plan.flushSeed);
  const result = {
    encodings: replicas.map((replica) => kind.encode(replica.binding.current)),
    views: replicas.map((replica) => kind.view(replica.binding.current)),
    oracle: kind.encode(oracle),
    log,
    docs: replicas.map((replica) => Y.encodeStateAsUpdate(replica.doc)),
    contents: replicas.map((replica) => replica.doc.getMap('crdt').toJSON()),
  };
  for (const replica of replicas) {
    replica.binding.destroy();
    replica.doc.destroy();
  }
  return result;
}
