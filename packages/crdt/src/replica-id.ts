import * as encoding from 'lib0/encoding';
import { type Decoder, fail, readCount, readString, readUint } from './format.js';
import { isWellFormed } from './json-value.js';

/** Identifies one replica: any non-empty string, unique among replicas writing concurrently. */
export type ReplicaId = string;

/** Throw a `TypeError` unless `replica` can be used as a replica id. */
export function assertReplicaId(replica: unknown): asserts replica is ReplicaId {
  if (typeof replica !== 'string' || replica.length === 0 || !isWellFormed(replica)) {
    throw new TypeError(`Invalid replica id ${JSON.stringify(replica)}: expected a non-empty well-formed string`);
  }
}

/** Replica ids of one encoding, written once and referred to by index. */
export interface ReplicaTable {
  readonly ids: readonly ReplicaId[];
  readonly index: ReadonlyMap<ReplicaId, number>;
}

/** Build the sorted table for a set of replica ids. */
export function createReplicaTable(replicas: Iterable<ReplicaId>): ReplicaTable {
  const ids = [...new Set(replicas)].sort();
  return { ids, index: new Map(ids.map((id, i) => [id, i])) };
}

/** Write a table: count, then the ids in ascending order. */
export function writeReplicaTable(encoder: encoding.Encoder, table: ReplicaTable): void {
  encoding.writeVarUint(encoder, table.ids.length);
  for (const id of table.ids) encoding.writeVarString(encoder, id);
}

/** Read a table; ids must be non-empty and strictly ascending, so each appears once. */
export function readReplicaTable(decoder: Decoder): ReplicaId[] {
  const count = readCount(decoder);
  const ids: ReplicaId[] = [];
  for (let i = 0; i < count; i++) {
    const id = readString(decoder);
    if (id.length === 0) fail('Empty replica id');
    const previous = ids[i - 1];
    if (previous !== undefined && previous >= id) fail('Replica table is not strictly ascending');
    ids.push(id);
  }
  return ids;
}

/** Write a reference to a replica of the table. */
export function writeReplicaRef(encoder: encoding.Encoder, table: ReplicaTable, replica: ReplicaId): void {
  const index = table.index.get(replica);
  if (index === undefined) throw new Error(`Replica ${replica} missing from the table`);
  encoding.writeVarUint(encoder, index);
}

/** Read a reference to a replica of the table. */
export function readReplicaRef(decoder: Decoder, ids: readonly ReplicaId[]): ReplicaId {
  const index = readUint(decoder);
  const id = ids[index];
  if (id === undefined) fail(`Replica index ${index} outside a table of ${ids.length}`);
  return id;
}
