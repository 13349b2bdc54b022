import * as encoding from 'lib0/encoding';
import { decodeTagged, encodeTagged, fail, readCount, readPositive, readString, TypeTag } from './format.js';
import { assertReplicaId, type ReplicaId } from './replica-id.js';

/** For each replica, how many of its events are included (events are numbered from 1). */
export type VersionVector = Map<ReplicaId, number>;

/** How two version vectors relate. */
export type VersionVectorOrder = 'equal' | 'before' | 'after' | 'concurrent';

/** A version vector, optionally from entries (zero counters are dropped). */
export function createVersionVector(entries: Iterable<readonly [ReplicaId, number]> = []): VersionVector {
  const vector: VersionVector = new Map();
  for (const [replica, counter] of entries) {
    assertReplicaId(replica);
    if (!Number.isSafeInteger(counter) || counter < 0)
      throw new RangeError(`Invalid counter ${counter} for ${replica}`);
    if (counter > 0) vector.set(replica, Math.max(counter, vector.get(replica) ?? 0));
  }
  return vector;
}

/** The counter of `replica` (0 when absent). */
export const versionVectorGet = (vector: VersionVector, replica: ReplicaId): number => vector.get(replica) ?? 0;

/** Whether event number `counter` of `replica` is included. */
export const versionVectorIncludes = (vector: VersionVector, replica: ReplicaId, counter: number): boolean =>
  counter <= (vector.get(replica) ?? 0);

/** Count one more event of `replica`; returns the delta (`replica` at its new counter). */
export function incrementVersionVector(vector: VersionVector, replica: ReplicaId): VersionVector {
  assertReplicaId(replica);
  const counter = (vector.get(replica) ?? 0) + 1;
  vector.set(replica, counter);
  return new Map([[replica, counter]]);
}

/** Join `source` into `target` (pointwise maximum); returns the replicas whose counter grew. */
export function mergeVersionVector(target: VersionVector, source: VersionVector): ReplicaId[] {
  const advanced: ReplicaId[] = [];
  for (const [replica, counter] of source) {
    if (counter > (target.get(replica) ?? 0)) {
      target.set(replica, counter);
      advanced.push(replica);
    }
  }
  return advanced;
}

/** The join of two version vectors, as a new vector. */
export function joinVersionVectors(a: VersionVector, b: VersionVector): VersionVector {
  const joined = new Map(a);
  mergeVersionVector(joined, b);
  return joined;
}

/** Compare by inclusion: `before` means every event of `a` is in `b` and `b` has more. */
export function compareVersionVectors(a: VersionVector, b: VersionVector): VersionVectorOrder {
  let aAhead = false;
  let bAhead = false;
  for (const [replica, counter] of a) if (counter > (b.get(replica) ?? 0)) aAhead = true;
  for (const [replica, counter] of b) if (counter > (a.get(replica) ?? 0)) bAhead = true;
  if (aAhead && bAhead) return 'concurrent';
  if (aAhead) return 'after';
  return bAhead ? 'before' : 'equal';
}

/** Binary form: see README, "Version vector". */
export function encodeVersionVector(vector: VersionVector): Uint8Array {
  const replicas = [...vector.keys()].sort();
  return encodeTagged(TypeTag.versionVector, (encoder) => {
    encoding.writeVarUint(encoder, replicas.length);
    for (const replica of replicas) {
      encoding.writeVarString(encoder, replica);
      encoding.writeVarUint(encoder, vector.get(replica) ?? 0);
    }
  });
}

/** Decode a version vector; throws `CrdtDecodeError` on malformed bytes. */
export function decodeVersionVector(bytes: Uint8Array): VersionVector {
  return decodeTagged(bytes, TypeTag.versionVector, 'version vector', (decoder) => {
    const count = readCount(decoder);
    const vector: VersionVector = new Map();
    let previous: string | undefined;
    for (let i = 0; i < count; i++) {
      const replica = readString(decoder);
      if (replica.length === 0) fail('Empty replica id');
      if (previous !== undefined && previous >= replica) fail('Version vector replicas are not strictly ascending');
      previous = replica;
      vector.set(replica, readPositive(decoder));
    }
    return vector;
  });
}
