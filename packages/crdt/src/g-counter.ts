import * as encoding from 'lib0/encoding';
import { decodeTagged, encodeTagged, fail, readCount, readPositive, readString, TypeTag } from './format.js';
import { assertReplicaId, type ReplicaId } from './replica-id.js';

/** A grow-only counter: each replica's own total, joined by maximum. */
export interface GCounter {
  readonly counts: Map<ReplicaId, number>;
}

/** Deltas are counters holding the incremented replica's new total. */
export type GCounterDelta = GCounter;

/** The counter's value before and after. */
export interface CounterChange {
  readonly previous: number;
  readonly value: number;
}

/** What a local increment returns: the delta to send and the local change. */
export interface GCounterUpdate {
  readonly delta: GCounterDelta;
  readonly change: CounterChange | null;
}

/** A counter at zero. */
export const createGCounter = (): GCounter => ({ counts: new Map() });

/** A copy. */
export const cloneGCounter = (counter: GCounter): GCounter => ({ counts: new Map(counter.counts) });

/** The sum of all replicas' totals. */
export function gCounterValue(counter: GCounter): number {
  let sum = 0;
  for (const count of counter.counts.values()) sum += count;
  return sum;
}

/** Add `amount` (a positive safe integer) to `replica`'s total. */
export function gCounterIncrement(counter: GCounter, replica: ReplicaId, amount = 1): GCounterUpdate {
  assertReplicaId(replica);
  const total = addAmount(counter.counts.get(replica) ?? 0, amount);
  const delta: GCounter = { counts: new Map([[replica, total]]) };
  return { delta, change: mergeGCounter(counter, delta) };
}

/** Join `source` into `target` (maximum per replica). */
export function mergeGCounter(target: GCounter, source: GCounter): CounterChange | null {
  const previous = gCounterValue(target);
  let grew = false;
  for (const [replica, count] of source.counts) {
    if (count > (target.counts.get(replica) ?? 0)) {
      target.counts.set(replica, count);
      grew = true;
    }
  }
  return grew ? { previous, value: gCounterValue(target) } : null;
}

/** The join of two counters, as a new counter. */
export function joinGCounters(a: GCounter, b: GCounter): GCounter {
  const joined = cloneGCounter(a);
  mergeGCounter(joined, b);
  return joined;
}

/** `total + amount`, checking that `amount` is a positive safe integer and the sum stays safe. */
export function addAmount(total: number, amount: number): number {
  if (!Number.isSafeInteger(amount) || amount < 1) {
    throw new RangeError(`Invalid amount ${amount}: expected a positive safe integer`);
  }
  const sum = total + amount;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`Counter total ${total} + ${amount} exceeds 2^53 - 1`);
  return sum;
}

/** Binary form: see README, "Counters". */
export function encodeGCounter(counter: GCounter): Uint8Array {
  const replicas = [...counter.counts.keys()].sort();
  return encodeTagged(TypeTag.gCounter, (encoder) => {
    encoding.writeVarUint(encoder, replicas.length);
    for (const replica of replicas) {
      encoding.writeVarString(encoder, replica);
      encoding.writeVarUint(encoder, counter.counts.get(replica) ?? 0);
    }
  });
}

/** Decode a G-Counter; throws `CrdtDecodeError` on malformed bytes. */
export function decodeGCounter(bytes: Uint8Array): GCounter {
  return decodeTagged(bytes, TypeTag.gCounter, 'G-Counter', (decoder) => {
    const counter = createGCounter();
    let previous: string | undefined;
    const count = readCount(decoder);
    for (let i = 0; i < count; i++) {
      const replica = readString(decoder);
      if (replica.length === 0 || (previous !== undefined && previous >= replica)) {
        fail('G-Counter replicas are empty or not strictly ascending');
      }
      previous = replica;
      counter.counts.set(replica, readPositive(decoder));
    }
    return counter;
  });
}
