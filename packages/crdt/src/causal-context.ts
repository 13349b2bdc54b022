import * as encoding from 'lib0/encoding';
import { type Decoder, fail, readCount, readPositive, readUint } from './format.js';
import type { ReplicaId } from './replica-id.js';
import { type ReplicaTable, readReplicaRef, writeReplicaRef } from './replica-id.js';

/**
 * The set of dots (replica, counter) a state has seen: a contiguous prefix per replica, plus the
 * "dot cloud" of dots seen out of order. A dot adjacent to its prefix is folded into it, so after a
 * replica has seen everything the cloud is empty and the context costs one number per replica.
 */
export interface CausalContext {
  /** Dots 1..n of each replica are included. */
  readonly vv: Map<ReplicaId, number>;
  /** Further dots, each greater than its prefix + 1. */
  readonly cloud: Map<ReplicaId, Set<number>>;
}

/** An empty context. */
export const createCausalContext = (): CausalContext => ({ vv: new Map(), cloud: new Map() });

/** A deep copy. */
export function cloneCausalContext(context: CausalContext): CausalContext {
  const cloud = new Map<ReplicaId, Set<number>>();
  for (const [replica, counters] of context.cloud) cloud.set(replica, new Set(counters));
  return { vv: new Map(context.vv), cloud };
}

/** Whether the dot has been seen. */
export function causalContextHas(context: CausalContext, replica: ReplicaId, counter: number): boolean {
  return counter <= (context.vv.get(replica) ?? 0) || (context.cloud.get(replica)?.has(counter) ?? false);
}

/** Record a dot as seen. */
export function causalContextAdd(context: CausalContext, replica: ReplicaId, counter: number): void {
  const prefix = context.vv.get(replica) ?? 0;
  if (counter <= prefix) return;
  if (counter === prefix + 1) {
    context.vv.set(replica, counter);
    fold(context, replica);
    return;
  }
  let counters = context.cloud.get(replica);
  if (counters === undefined) {
    counters = new Set();
    context.cloud.set(replica, counters);
  }
  counters.add(counter);
}

/** The next unused counter of `replica`: one past the greatest dot seen. */
export function causalContextNext(context: CausalContext, replica: ReplicaId): number {
  let max = context.vv.get(replica) ?? 0;
  for (const counter of context.cloud.get(replica) ?? []) if (counter > max) max = counter;
  return max + 1;
}

/** Join `source` into `target`. */
export function mergeCausalContext(target: CausalContext, source: CausalContext): void {
  for (const [replica, counter] of source.vv) {
    if (counter > (target.vv.get(replica) ?? 0)) {
      target.vv.set(replica, counter);
      fold(target, replica);
    }
  }
  for (const [replica, counters] of source.cloud) {
    for (const counter of counters) causalContextAdd(target, replica, counter);
  }
}

/** Replicas mentioned by the context. */
export function causalContextReplicas(context: CausalContext): Set<ReplicaId> {
  return new Set([...context.vv.keys(), ...context.cloud.keys()]);
}

/**
 * The entries of `dots` (counter → anything, all dots of one replica) whose counter the context
 * includes. Walks whichever is smaller: the context's dots of that replica or `dots` itself.
 */
export function coveredDots<T>(
  context: CausalContext,
  replica: ReplicaId,
  dots: ReadonlyMap<number, T>,
): Array<[number, T]> {
  const prefix = context.vv.get(replica) ?? 0;
  const cloud = context.cloud.get(replica);
  const covered: Array<[number, T]> = [];
  if (prefix + (cloud?.size ?? 0) < dots.size) {
    for (let counter = 1; counter <= prefix; counter++) {
      const item = dots.get(counter);
      if (item !== undefined) covered.push([counter, item]);
    }
    for (const counter of cloud ?? []) {
      const item = dots.get(counter);
      if (item !== undefined) covered.push([counter, item]);
    }
  } else {
    for (const entry of dots) if (entry[0] <= prefix || cloud?.has(entry[0])) covered.push(entry);
  }
  return covered;
}

// Move cloud dots that have become contiguous with the prefix into it.
function fold(context: CausalContext, replica: ReplicaId): void {
  const counters = context.cloud.get(replica);
  if (counters === undefined) return;
  let prefix = context.vv.get(replica) ?? 0;
  for (const counter of counters) if (counter <= prefix) counters.delete(counter);
  while (counters.delete(prefix + 1)) prefix++;
  if (prefix > 0) context.vv.set(replica, prefix);
  if (counters.size === 0) context.cloud.delete(replica);
}

/** Write the context against a replica table that includes all of its replicas. */
export function writeCausalContext(encoder: encoding.Encoder, context: CausalContext, table: ReplicaTable): void {
  const prefixes = [...context.vv].sort((a, b) => index(table, a[0]) - index(table, b[0]));
  encoding.writeVarUint(encoder, prefixes.length);
  for (const [replica, counter] of prefixes) {
    writeReplicaRef(encoder, table, replica);
    encoding.writeVarUint(encoder, counter);
  }
  const clouds = [...context.cloud].sort((a, b) => index(table, a[0]) - index(table, b[0]));
  encoding.writeVarUint(encoder, clouds.length);
  for (const [replica, counters] of clouds) {
    writeReplicaRef(encoder, table, replica);
    encoding.writeVarUint(encoder, counters.size);
    // Gaps: the first dot is at least prefix + 2, later ones at least previous + 1.
    let previous = (context.vv.get(replica) ?? 0) + 1;
    for (const counter of [...counters].sort((a, b) => a - b)) {
      encoding.writeVarUint(encoder, counter - previous - 1);
      previous = counter;
    }
  }
}

/** Read a context written by {@link writeCausalContext}; replicas appear in ascending table order. */
export function readCausalContext(decoder: Decoder, ids: readonly ReplicaId[]): CausalContext {
  const context = createCausalContext();
  const position = new Map(ids.map((id, i) => [id, i]));
  let last = -1;
  const prefixCount = readCount(decoder);
  for (let i = 0; i < prefixCount; i++) {
    const replica = readReplicaRef(decoder, ids);
    last = ascending(position, replica, last);
    context.vv.set(replica, readPositive(decoder));
  }
  last = -1;
  const cloudCount = readCount(decoder);
  for (let i = 0; i < cloudCount; i++) {
    const replica = readReplicaRef(decoder, ids);
    last = ascending(position, replica, last);
    const size = readCount(decoder);
    if (size === 0) fail('Empty dot cloud entry');
    const counters = new Set<number>();
    let previous = (context.vv.get(replica) ?? 0) + 1;
    for (let j = 0; j < size; j++) {
      const counter = previous + 1 + readUint(decoder);
      if (!Number.isSafeInteger(counter)) fail(`Dot counter out of range: ${counter}`);
      counters.add(counter);
      previous = counter;
    }
    context.cloud.set(replica, counters);
  }
  return context;
}

const index = (table: ReplicaTable, replica: ReplicaId): number => table.index.get(replica) ?? -1;

function ascending(position: ReadonlyMap<ReplicaId, number>, replica: ReplicaId, last: number): number {
  const current = position.get(replica) ?? -1;
  if (current <= last) fail('Causal context replicas are not strictly ascending');
  return current;
}
