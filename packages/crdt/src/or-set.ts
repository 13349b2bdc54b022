import * as encoding from 'lib0/encoding';
import {
  type CausalContext,
  causalContextAdd,
  causalContextHas,
  causalContextNext,
  causalContextReplicas,
  cloneCausalContext,
  coveredDots,
  createCausalContext,
  mergeCausalContext,
  readCausalContext,
  writeCausalContext,
} from './causal-context.js';
import { decodeTagged, encodeTagged, fail, readCount, readInt, readUint, TypeTag } from './format.js';
import { type CanonicalJson, canonicalize, type Json } from './json-value.js';
import {
  assertReplicaId,
  createReplicaTable,
  type ReplicaId,
  readReplicaTable,
  writeReplicaTable,
} from './replica-id.js';
import { readValue, writeValue } from './value-codec.js';

/** The unique id of one add: the adding replica and its event counter. */
export interface Dot {
  readonly replica: ReplicaId;
  readonly counter: number;
}

/** An element and the dots of the adds that keep it in the set. */
export interface OrSetEntry extends CanonicalJson {
  readonly dots: Dot[];
}

/**
 * An add-wins observed-remove set in the optimized form of Bieniusa et al. (2012): each add gets a
 * fresh dot, and the causal context records every dot ever seen, so a dot that is in the context but
 * on no element was removed. Removes therefore leave nothing behind per element.
 * Treat the fields as read-only and change the set through the functions of this module.
 */
export interface OrSet {
  /** Canonical JSON text of each element → entry. */
  readonly entries: Map<string, OrSetEntry>;
  /** Every dot seen, present or removed. */
  readonly context: CausalContext;
  /** Replica → counter → canonical key, for every dot held by an entry. */
  readonly dots: Map<ReplicaId, Map<number, string>>;
}

/** Deltas are small OR-Sets, merged like any other state. */
export type OrSetDelta = OrSet;

/** Elements that appeared in or disappeared from a set, each list ordered by canonical JSON text. */
export interface OrSetChange {
  readonly added: readonly Json[];
  readonly removed: readonly Json[];
}

/** What a local operation returns: the delta to send, and the change it made locally (`null` if none). */
export interface OrSetUpdate {
  readonly delta: OrSetDelta;
  readonly change: OrSetChange | null;
}

/** An empty set. */
export const createOrSet = (): OrSet => ({ entries: new Map(), context: createCausalContext(), dots: new Map() });

/** A deep copy (element values are frozen and shared). */
export function cloneOrSet(set: OrSet): OrSet {
  const copy: OrSet = { entries: new Map(), context: cloneCausalContext(set.context), dots: new Map() };
  for (const [key, entry] of set.entries) copy.entries.set(key, { key, value: entry.value, dots: [...entry.dots] });
  for (const [replica, counters] of set.dots) copy.dots.set(replica, new Map(counters));
  return copy;
}

/** Whether the set contains a value equal (by canonical JSON) to `value`. */
export const orSetHas = (set: OrSet, value: Json): boolean => set.entries.has(canonicalize(value).key);

/** Number of elements. */
export const orSetSize = (set: OrSet): number => set.entries.size;

/** The elements, ordered by canonical JSON text so that every replica lists them alike. */
export function orSetValues(set: OrSet): Json[] {
  return [...set.entries.keys()].sort().map((key) => (set.entries.get(key) as OrSetEntry).value);
}

/** Add `value` with a new dot of `replica`. Re-adding supersedes the element's dots seen so far. */
export function orSetAdd(set: OrSet, replica: ReplicaId, value: Json): OrSetUpdate {
  assertReplicaId(replica);
  const canonical = canonicalize(value);
  const delta = createOrSet();
  for (const dot of set.entries.get(canonical.key)?.dots ?? [])
    causalContextAdd(delta.context, dot.replica, dot.counter);
  const counter = causalContextNext(set.context, replica);
  // Only reachable if a peer claimed dots of this replica it never made; no decoder would accept more.
  if (!Number.isSafeInteger(counter)) throw new RangeError(`Replica ${replica} has no dot counters left`);
  causalContextAdd(delta.context, replica, counter);
  insertDot(delta, canonical, { replica, counter });
  return { delta, change: mergeOrSet(set, delta) };
}

/** Remove `value`: the delta carries only the dots observed here, so concurrent adds survive. */
export function orSetRemove(set: OrSet, value: Json): OrSetUpdate {
  const delta = createOrSet();
  for (const dot of set.entries.get(canonicalize(value).key)?.dots ?? []) {
    causalContextAdd(delta.context, dot.replica, dot.counter);
  }
  return { delta, change: mergeOrSet(set, delta) };
}

/** Remove every element observed so far. */
export function orSetClear(set: OrSet): OrSetUpdate {
  const delta = createOrSet();
  for (const [replica, counters] of set.dots)
    for (const counter of counters.keys()) causalContextAdd(delta.context, replica, counter);
  return { delta, change: mergeOrSet(set, delta) };
}

/**
 * Join `source` (a delta or a whole state) into `target`. A dot survives if both hold it, or if one
 * holds it and the other has never seen it. Costs O(size of source), plus O(dots of target) only
 * for replicas whose removals the source reports in bulk.
 */
export function mergeOrSet(target: OrSet, source: OrSet): OrSetChange | null {
  const before = new Map<string, OrSetEntry | undefined>();
  const touch = (key: string): void => {
    if (!before.has(key)) before.set(key, target.entries.get(key));
  };
  for (const [key, entry] of source.entries) {
    for (const dot of entry.dots) {
      if (causalContextHas(target.context, dot.replica, dot.counter)) continue;
      touch(key);
      insertDot(target, entry, dot);
    }
  }
  for (const replica of causalContextReplicas(source.context)) {
    const held = target.dots.get(replica);
    if (held === undefined) continue;
    const kept = source.dots.get(replica);
    for (const [counter, key] of coveredDots(source.context, replica, held)) {
      if (kept?.has(counter)) continue;
      touch(key);
      deleteDot(target, key, replica, counter);
    }
  }
  mergeCausalContext(target.context, source.context);
  const added: Json[] = [];
  const removed: Json[] = [];
  for (const key of [...before.keys()].sort()) {
    const prior = before.get(key);
    const entry = target.entries.get(key);
    if (prior === undefined && entry !== undefined) added.push(entry.value);
    else if (prior !== undefined && entry === undefined) removed.push(prior.value);
  }
  return added.length > 0 || removed.length > 0 ? { added, removed } : null;
}

/** The join of two sets, as a new set. */
export function joinOrSets(a: OrSet, b: OrSet): OrSet {
  const joined = cloneOrSet(a);
  mergeOrSet(joined, b);
  return joined;
}

function insertDot(set: OrSet, element: CanonicalJson, dot: Dot): void {
  let entry = set.entries.get(element.key);
  if (entry === undefined) {
    entry = { key: element.key, value: element.value, dots: [] };
    set.entries.set(element.key, entry);
  }
  entry.dots.push(dot);
  let counters = set.dots.get(dot.replica);
  if (counters === undefined) {
    counters = new Map();
    set.dots.set(dot.replica, counters);
  }
  counters.set(dot.counter, element.key);
}

function deleteDot(set: OrSet, key: string, replica: ReplicaId, counter: number): void {
  const entry = set.entries.get(key) as OrSetEntry;
  const at = entry.dots.findIndex((dot) => dot.replica === replica && dot.counter === counter);
  entry.dots.splice(at, 1);
  if (entry.dots.length === 0) set.entries.delete(key);
  const counters = set.dots.get(replica) as Map<number, string>;
  counters.delete(counter);
  if (counters.size === 0) set.dots.delete(replica);
}

/** Binary form: see README, "OR-Set". Deterministic: equal states encode to equal bytes. */
export function encodeOrSet(set: OrSet): Uint8Array {
  const table = createReplicaTable(causalContextReplicas(set.context));
  const position = (dot: Dot): number => table.index.get(dot.replica) as number;
  const byDot = (a: Dot, b: Dot): number => position(a) - position(b) || a.counter - b.counter;
  const rows = [...set.entries.values()].map((entry) => ({
    entry,
    dots: entry.dots.length === 1 ? entry.dots : [...entry.dots].sort(byDot),
  }));
  rows.sort((a, b) => byDot(a.dots[0] as Dot, b.dots[0] as Dot));
  return encodeTagged(TypeTag.orSet, (encoder) => {
    writeReplicaTable(encoder, table);
    writeCausalContext(encoder, set.context, table);
    encoding.writeVarUint(encoder, rows.length);
    // Counters are written as differences from the previous counter of the same replica; rows are
    // sorted by dot, so these are small.
    const last = new Array<number>(table.ids.length).fill(0);
    for (const { entry, dots } of rows) {
      writeValue(encoder, entry);
      encoding.writeVarUint(encoder, dots.length);
      for (const dot of dots) {
        const index = position(dot);
        encoding.writeVarUint(encoder, index);
        encoding.writeVarInt(encoder, dot.counter - (last[index] as number));
        last[index] = dot.counter;
      }
    }
  });
}

/** Decode an OR-Set; throws `CrdtDecodeError` on malformed bytes. */
export function decodeOrSet(bytes: Uint8Array): OrSet {
  return decodeTagged(bytes, TypeTag.orSet, 'OR-Set', (decoder) => {
    const ids = readReplicaTable(decoder);
    const set: OrSet = { entries: new Map(), context: readCausalContext(decoder, ids), dots: new Map() };
    const last = new Array<number>(ids.length).fill(0);
    const count = readCount(decoder);
    for (let i = 0; i < count; i++) {
      const element = readValue(decoder);
      if (set.entries.has(element.key)) fail(`Element ${element.key} appears twice`);
      const dotCount = readCount(decoder);
      if (dotCount === 0) fail(`Element ${element.key} has no dots`);
      for (let j = 0; j < dotCount; j++) {
        const index = readUint(decoder);
        const replica = ids[index];
        if (replica === undefined) fail(`Replica index ${index} outside a table of ${ids.length}`);
        const counter = (last[index] as number) + readInt(decoder);
        if (!Number.isSafeInteger(counter) || counter < 1) fail(`Invalid dot counter ${counter}`);
        last[index] = counter;
        if (!causalContextHas(set.context, replica, counter)) fail(`Dot ${replica}:${counter} is outside the context`);
        if (set.dots.get(replica)?.has(counter)) fail(`Dot ${replica}:${counter} appears twice`);
        insertDot(set, element, { replica, counter });
      }
    }
    return set;
  });
}
