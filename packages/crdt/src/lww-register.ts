import * as encoding from 'lib0/encoding';
import type { Decoder } from './format.js';
import { decodeTagged, encodeTagged, fail, readByte, readUint, TypeTag } from './format.js';
import { assertTimestamp, compareTimestamps, type HlcTimestamp, type HybridLogicalClock } from './hlc.js';
import { type CanonicalJson, canonicalize, type Json } from './json-value.js';
import type { ReplicaTable } from './replica-id.js';
import {
  createReplicaTable,
  readReplicaRef,
  readReplicaTable,
  writeReplicaRef,
  writeReplicaTable,
} from './replica-id.js';
import { readValue, writeValue } from './value-codec.js';

/** A value stamped with the hybrid-logical-clock time of the write that produced it. */
export interface LwwStamped extends CanonicalJson, LwwStamp {}

/** What last-writer-wins compares: the timestamp, then the canonical text (`''` for a removal). */
export interface LwwStamp {
  readonly key: string;
  readonly timestamp: HlcTimestamp;
}

/** A last-writer-wins register; `current` is `null` until the first write is seen. */
export interface LwwRegister {
  current: LwwStamped | null;
}

/** Deltas are registers holding the one write. */
export type LwwRegisterDelta = LwwRegister;

/** The register's value before and after a merge. `undefined` means unset. */
export interface LwwRegisterChange {
  readonly previous: Json | undefined;
  readonly value: Json | undefined;
}

/** What a local write returns: the delta to send and the local change (`null` if the value was already equal). */
export interface LwwRegisterUpdate {
  readonly delta: LwwRegisterDelta;
  readonly change: LwwRegisterChange | null;
}

/** An unset register. */
export const createLwwRegister = (): LwwRegister => ({ current: null });

/** A copy (values are frozen and shared). */
export const cloneLwwRegister = (register: LwwRegister): LwwRegister => ({ current: register.current });

/** The current value, or `undefined` before the first write. */
export const lwwRegisterGet = (register: LwwRegister): Json | undefined => register.current?.value;

/** Write `value`, stamped by `clock`; the returned delta is the new register state. */
export function lwwRegisterSet(register: LwwRegister, value: Json, clock: HybridLogicalClock): LwwRegisterUpdate {
  const delta: LwwRegister = { current: { ...canonicalize(value), timestamp: clock.now() } };
  return { delta, change: mergeLwwRegister(register, delta) };
}

/**
 * Whether `candidate` beats `incumbent`: the later timestamp wins; equal timestamps (only possible
 * when a replica id was reused) fall back to the canonical text so that merging stays commutative.
 */
export function lwwWins(candidate: LwwStamp, incumbent: LwwStamp | null | undefined): boolean {
  if (incumbent == null) return true;
  const order = compareTimestamps(candidate.timestamp, incumbent.timestamp);
  return order > 0 || (order === 0 && candidate.key > incumbent.key);
}

/**
 * Join `source` into `target`. With a `clock`, the source timestamp is first checked against its
 * drift bound (a `ClockDriftError` leaves both unchanged) and then received, so later local writes
 * are ordered after it.
 */
export function mergeLwwRegister(
  target: LwwRegister,
  source: LwwRegister,
  clock?: HybridLogicalClock,
): LwwRegisterChange | null {
  const incoming = source.current;
  if (incoming === null) return null;
  if (clock !== undefined) admitLwwRegister(source, clock);
  const previous = target.current;
  if (!lwwWins(incoming, previous)) return null;
  target.current = incoming;
  return previous?.key === incoming.key ? null : { previous: previous?.value, value: incoming.value };
}

/** The join of two registers, as a new register. */
export function joinLwwRegisters(a: LwwRegister, b: LwwRegister): LwwRegister {
  const joined = cloneLwwRegister(a);
  mergeLwwRegister(joined, b);
  return joined;
}

/** Check a remote register's timestamp against the clock's drift bound, then advance the clock past it. */
export function admitLwwRegister(source: LwwRegister, clock: HybridLogicalClock): void {
  if (source.current !== null) clock.receive(source.current.timestamp);
}

/** Binary form: see README, "LWW-Register". */
export function encodeLwwRegister(register: LwwRegister): Uint8Array {
  const { current } = register;
  const table = createReplicaTable(current === null ? [] : [current.timestamp.replica]);
  return encodeTagged(TypeTag.lwwRegister, (encoder) => {
    writeReplicaTable(encoder, table);
    encoding.writeUint8(encoder, current === null ? 0 : 1);
    if (current === null) return;
    writeTimestamp(encoder, current.timestamp, table, 0);
    writeValue(encoder, current);
  });
}

/** Decode an LWW-Register; throws `CrdtDecodeError` on malformed bytes. */
export function decodeLwwRegister(bytes: Uint8Array): LwwRegister {
  return decodeTagged(bytes, TypeTag.lwwRegister, 'LWW-Register', (decoder) => {
    const ids = readReplicaTable(decoder);
    const flag = readByte(decoder);
    if (flag === 0) return { current: null };
    if (flag !== 1) fail(`Invalid register flag ${flag}`);
    const timestamp = readTimestamp(decoder, ids, 0);
    return { current: { ...readValue(decoder), timestamp } };
  });
}

/** Write a timestamp as (wall − base, logical, replica index). */
export function writeTimestamp(
  encoder: encoding.Encoder,
  timestamp: HlcTimestamp,
  table: ReplicaTable,
  baseWall: number,
): void {
  encoding.writeVarUint(encoder, timestamp.wall - baseWall);
  encoding.writeVarUint(encoder, timestamp.logical);
  writeReplicaRef(encoder, table, timestamp.replica);
}

/** Read a timestamp written by {@link writeTimestamp}. */
export function readTimestamp(decoder: Decoder, ids: readonly string[], baseWall: number): HlcTimestamp {
  const wall = baseWall + readUint(decoder);
  const logical = readUint(decoder);
  const timestamp = { wall, logical, replica: readReplicaRef(decoder, ids) };
  try {
    assertTimestamp(timestamp);
  } catch (error) {
    fail((error as Error).message);
  }
  return timestamp;
}
