import * as encoding from 'lib0/encoding';
import { decodeTagged, encodeTagged, fail, readCount, readString, readUint, TypeTag } from './format.js';
import { addAmount, type CounterChange } from './g-counter.js';
import { assertReplicaId, type ReplicaId } from './replica-id.js';

/** A counter that goes both ways: per replica, a grow-only total of increments and one of decrements. */
export interface PnCounter {
  readonly increments: Map<ReplicaId, number>;
  readonly decrements: Map<ReplicaId, number>;
}

/** Deltas are counters holding the changed replica's new totals. */
export type PnCounterDelta = PnCounter;

/** What a local change returns: the delta to send and the local change. */
export interface PnCounterUpdate {
  readonly delta: PnCounterDelta;
  readonly change: CounterChange | null;
}

/** A counter at zero. */
export const createPnCounter = (): PnCounter => ({ increments: new Map(), decrements: new Map() });

/** A copy. */
export const clonePnCounter = (counter: PnCounter): PnCounter => ({
  increments: new Map(counter.increments),
  decrements: new Map(counter.decrements),
});

/** Increments minus decrements. */
export function pnCounterValue(counter: PnCounter): number {
  let value = 0;
  for (const count of counter.increments.values()) value += count;
  for (const count of counter.decrements.values()) value -= count;
  return value;
}

/** Add `amount` (a non-zero safe integer, negative to decrement) on behalf of `replica`. */
export function pnCounterAdd(counter: PnCounter, replica: ReplicaId, amount: number): PnCounterUpdate {
  assertReplicaId(replica);
  if (!Number.isSafeInteger(amount) || amount === 0) {
    throw new RangeError(`Invalid amount ${amount}: expected a non-zero safe integer`);
  }
  const side = amount > 0 ? 'increments' : 'decrements';
  const delta = createPnCounter();
  delta[side].set(replica, addAmount(counter[side].get(replica) ?? 0, Math.abs(amount)));
  return { delta, change: mergePnCounter(counter, delta) };
}

/** Join `source` into `target` (maximum per replica on each side). */
export function mergePnCounter(target: PnCounter, source: PnCounter): CounterChange | null {
  const previous = pnCounterValue(target);
  for (const side of ['increments', 'decrements'] as const) {
    for (const [replica, count] of source[side]) {
      if (count > (target[side].get(replica) ?? 0)) target[side].set(replica, count);
    }
  }
  const value = pnCounterValue(target);
  return value === previous ? null : { previous, value };
}

/** The join of two counters, as a new counter. */
export function joinPnCounters(a: PnCounter, b: PnCounter): PnCounter {
  const joined = clonePnCounter(a);
  mergePnCounter(joined, b);
  return joined;
}

/** Binary form: see README, "Counters". */
export function encodePnCounter(counter: PnCounter): Uint8Array {
  const replicas = [...new Set([...counter.increments.keys(), ...counter.decrements.keys()])].sort();
  return encodeTagged(TypeTag.pnCounter, (encoder) => {
    encoding.writeVarUint(encoder, replicas.length);
    for (const replica of replicas) {
      encoding.writeVarString(encoder, replica);
      encoding.writeVarUint(encoder, counter.increments.get(replica) ?? 0);
      encoding.writeVarUint(encoder, counter.decrements.get(replica) ?? 0);
    }
  });
}

/** Decode a PN-Counter; throws `CrdtDecodeError` on malformed bytes. */
export function decodePnCounter(bytes: Uint8Array): PnCounter {
  return decodeTagged(bytes, TypeTag.pnCounter, 'PN-Counter', (decoder) => {
    const counter = createPnCounter();
    let previous: string | undefined;
    const count = readCount(decoder);
    for (let i = 0; i < count; i++) {
      const replica = readString(decoder);
      if (replica.length === 0 || (previous !== undefined && previous >= replica)) {
        fail('PN-Counter replicas are empty or not strictly ascending');
      }
      previous = replica;
      const increments = readUint(decoder);
      const decrements = readUint(decoder);
      if (increments === 0 && decrements === 0) fail(`PN-Counter entry for ${replica} is zero`);
      if (increments > 0) counter.increments.set(replica, increments);
      if (decrements > 0) counter.decrements.set(replica, decrements);
    }
    return counter;
  });
}
