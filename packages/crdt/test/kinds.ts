import fc from 'fast-check';
import type * as Y from 'yjs';
import {
  type BindingOptions,
  canonicalize,
  cloneGCounter,
  cloneLwwMap,
  cloneLwwRegister,
  cloneOrSet,
  clonePnCounter,
  compareTimestamps,
  createGCounter,
  createLwwMap,
  createLwwRegister,
  createOrSet,
  createPnCounter,
  decodeGCounter,
  decodeLwwMap,
  decodeLwwRegister,
  decodeOrSet,
  decodePnCounter,
  encodeGCounter,
  encodeLwwMap,
  encodeLwwRegister,
  encodeOrSet,
  encodePnCounter,
  type GCounter,
  gCounterIncrement,
  gCounterValue,
  type HlcTimestamp,
  type HybridLogicalClock,
  type Json,
  joinGCounters,
  joinLwwMaps,
  joinLwwRegisters,
  joinOrSets,
  joinPnCounters,
  type LwwMap,
  type LwwRegister,
  lwwMapDelete,
  lwwMapEntries,
  lwwMapSet,
  lwwRegisterSet,
  mergeGCounter,
  mergeLwwMap,
  mergeLwwRegister,
  mergeOrSet,
  mergePnCounter,
  type OrSet,
  orSetAdd,
  orSetClear,
  orSetRemove,
  type PnCounter,
  pnCounterAdd,
  pnCounterValue,
  YGCounter,
  YLwwMap,
  YLwwRegister,
  YOrSet,
  YPnCounter,
} from '../src/index.js';
import { element, mapKey } from './values.js';

/** A replica as the harness sees it: an id and a clock driven by simulated physical time. */
export interface ReplicaContext {
  readonly id: string;
  readonly clock: HybridLogicalClock;
}

/** One operation as it happened: who did it, what it had seen, and the delta it produced. */
export interface LoggedOp<S, Op> {
  readonly id: number;
  readonly op: Op;
  /** Operation ids the replica had merged before this one (transitively, in state mode). */
  readonly past: ReadonlySet<number>;
  readonly delta: S;
}

/** A binding with its state exposed, as every `Y*` class has. */
export interface AnyBinding<S> {
  readonly current: S;
  destroy(): void;
}

/** Everything the generic tests need to know about one CRDT type. */
export interface Kind<S, Op> {
  readonly name: string;
  readonly op: fc.Arbitrary<Op>;
  create(): S;
  /** Apply a local operation; returns the delta. */
  apply(state: S, replica: ReplicaContext, op: Op): S;
  /** Join `source` into `target`; with a replica, through its clock. */
  merge(target: S, source: S, replica?: ReplicaContext): void;
  join(a: S, b: S): S;
  clone(state: S): S;
  encode(state: S): Uint8Array;
  decode(bytes: Uint8Array): S;
  /** The visible value, as plain JSON-comparable data. */
  view(state: S): unknown;
  /** The view after applying `ops` in order at one replica. */
  sequential(ops: readonly Op[]): unknown;
  /**
   * The view after every operation reached everyone, from the log alone. `needsStates`: only valid
   * when replicas exchange whole states (see README, "Delivery").
   */
  spec(log: ReadonlyArray<LoggedOp<S, Op>>): unknown;
  readonly specNeedsStates: boolean;
  bind(root: Y.Map<unknown>, replica: ReplicaContext, options: BindingOptions): AnyBinding<S>;
  applyBound(binding: AnyBinding<S>, op: Op): void;
}

const key = (value: Json): string => canonicalize(value).key;

type OrSetOp = { type: 'add'; value: Json } | { type: 'remove'; value: Json } | { type: 'clear' };

export const orSetKind: Kind<OrSet, OrSetOp> = {
  name: 'OR-Set',
  op: fc.oneof(
    { weight: 5, arbitrary: fc.record({ type: fc.constant('add' as const), value: element }) },
    { weight: 4, arbitrary: fc.record({ type: fc.constant('remove' as const), value: element }) },
    { weight: 1, arbitrary: fc.constant({ type: 'clear' as const }) },
  ),
  create: createOrSet,
  apply(state, replica, op) {
    if (op.type === 'add') return orSetAdd(state, replica.id, op.value).delta;
    if (op.type === 'remove') return orSetRemove(state, op.value).delta;
    return orSetClear(state).delta;
  },
  merge: (target, source) => {
    mergeOrSet(target, source);
  },
  join: joinOrSets,
  clone: cloneOrSet,
  encode: encodeOrSet,
  decode: decodeOrSet,
  view: (state) => [...state.entries.keys()].sort(),
  sequential(ops) {
    const set = new Set<string>();
    for (const op of ops) {
      if (op.type === 'add') set.add(key(op.value));
      else if (op.type === 'remove') set.delete(key(op.value));
      else set.clear();
    }
    return [...set].sort();
  },
  // Add-wins: an element is present iff some add of it was seen by no remove (or clear) of it.
  spec(log) {
    const present = new Set<string>();
    for (const add of log) {
      if (add.op.type !== 'add') continue;
      const element = key(add.op.value);
      const removed = log.some(
        (other) =>
          other.past.has(add.id) &&
          (other.op.type === 'clear' || (other.op.type === 'remove' && key(other.op.value) === element)),
      );
      if (!removed) present.add(element);
    }
    return [...present].sort();
  },
  specNeedsStates: true,
  bind: (root, _replica, options) => new YOrSet(root, options),
  applyBound(binding, op) {
    const set = binding as YOrSet;
    if (op.type === 'add') set.add(op.value);
    else if (op.type === 'remove') set.remove(op.value);
    else set.clear();
  },
};

/** The value written by the latest (by timestamp) of `writes`; `undefined` for a removal or none. */
function latest(writes: Array<{ timestamp: HlcTimestamp; value: string | undefined }>): string | undefined {
  let best: { timestamp: HlcTimestamp; value: string | undefined } | undefined;
  for (const write of writes) {
    const order = best === undefined ? 1 : compareTimestamps(write.timestamp, best.timestamp);
    if (order > 0 || (order === 0 && (write.value ?? '') > (best?.value ?? ''))) best = write;
  }
  return best?.value;
}

type RegisterOp = { value: Json };

export const lwwRegisterKind: Kind<LwwRegister, RegisterOp> = {
  name: 'LWW-Register',
  op: fc.record({ value: element }),
  create: createLwwRegister,
  apply: (state, replica, op) => lwwRegisterSet(state, op.value, replica.clock).delta,
  merge: (target, source, replica) => {
    mergeLwwRegister(target, source, replica?.clock);
  },
  join: joinLwwRegisters,
  clone: cloneLwwRegister,
  encode: encodeLwwRegister,
  decode: decodeLwwRegister,
  view: (state) => state.current?.key,
  sequential: (ops) => (ops.length === 0 ? undefined : key((ops[ops.length - 1] as RegisterOp).value)),
  spec: (log) =>
    latest(
      log.map((entry) => ({ timestamp: entry.delta.current?.timestamp as HlcTimestamp, value: key(entry.op.value) })),
    ),
  specNeedsStates: false,
  bind: (root, replica, options) => new YLwwRegister(root, { ...options, clock: replica.clock }),
  applyBound: (binding, op) => (binding as YLwwRegister).set(op.value),
};

type MapOp = { type: 'set'; key: string; value: Json } | { type: 'delete'; key: string };

export const lwwMapKind: Kind<LwwMap, MapOp> = {
  name: 'LWW-Map',
  op: fc.oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant('set' as const), key: mapKey, value: element }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('delete' as const), key: mapKey }) },
  ),
  create: createLwwMap,
  apply: (state, replica, op) =>
    op.type === 'set'
      ? lwwMapSet(state, op.key, op.value, replica.clock).delta
      : lwwMapDelete(state, op.key, replica.clock).delta,
  merge: (target, source, replica) => {
    mergeLwwMap(target, source, replica?.clock);
  },
  join: joinLwwMaps,
  clone: cloneLwwMap,
  encode: encodeLwwMap,
  decode: decodeLwwMap,
  view: (state) => lwwMapEntries(state).map(([k, value]) => [k, key(value)]),
  sequential(ops) {
    const map = new Map<string, string>();
    for (const op of ops) {
      if (op.type === 'set') map.set(op.key, key(op.value));
      else map.delete(op.key);
    }
    return [...map].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  },
  spec(log) {
    const writes = new Map<string, Array<{ timestamp: HlcTimestamp; value: string | undefined }>>();
    for (const entry of log) {
      const stamp = entry.delta.entries.get(entry.op.key)?.timestamp as HlcTimestamp;
      const value = entry.op.type === 'set' ? key(entry.op.value) : undefined;
      writes.set(entry.op.key, [...(writes.get(entry.op.key) ?? []), { timestamp: stamp, value }]);
    }
    const out: Array<[string, string]> = [];
    for (const [k, list] of writes) {
      const value = latest(list);
      if (value !== undefined) out.push([k, value]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  },
  specNeedsStates: false,
  bind: (root, replica, options) => new YLwwMap(root, { ...options, clock: replica.clock }),
  applyBound(binding, op) {
    const map = binding as YLwwMap;
    if (op.type === 'set') map.set(op.key, op.value);
    else map.delete(op.key);
  },
};

type AmountOp = { amount: number };
const sum = (ops: readonly AmountOp[]): number => ops.reduce((total, op) => total + op.amount, 0);

export const gCounterKind: Kind<GCounter, AmountOp> = {
  name: 'G-Counter',
  op: fc.record({ amount: fc.integer({ min: 1, max: 5 }) }),
  create: createGCounter,
  apply: (state, replica, op) => gCounterIncrement(state, replica.id, op.amount).delta,
  merge: (target, source) => {
    mergeGCounter(target, source);
  },
  join: joinGCounters,
  clone: cloneGCounter,
  encode: encodeGCounter,
  decode: decodeGCounter,
  view: gCounterValue,
  sequential: sum,
  spec: (log) => sum(log.map((entry) => entry.op)),
  specNeedsStates: false,
  bind: (root, _replica, options) => new YGCounter(root, options),
  applyBound: (binding, op) => (binding as YGCounter).increment(op.amount),
};

export const pnCounterKind: Kind<PnCounter, AmountOp> = {
  name: 'PN-Counter',
  op: fc.record({ amount: fc.integer({ min: -5, max: 5 }).filter((amount) => amount !== 0) }),
  create: createPnCounter,
  apply: (state, replica, op) => pnCounterAdd(state, replica.id, op.amount).delta,
  merge: (target, source) => {
    mergePnCounter(target, source);
  },
  join: joinPnCounters,
  clone: clonePnCounter,
  encode: encodePnCounter,
  decode: decodePnCounter,
  view: pnCounterValue,
  sequential: sum,
  spec: (log) => sum(log.map((entry) => entry.op)),
  specNeedsStates: false,
  bind: (root, _replica, options) => new YPnCounter(root, options),
  applyBound: (binding, op) => (binding as YPnCounter).add(op.amount),
};

/** Every CRDT type, for tests that run against all of them. */
export const kinds = [orSetKind, lwwRegisterKind, lwwMapKind, gCounterKind, pnCounterKind] as const;
