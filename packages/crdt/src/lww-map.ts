import * as encoding from 'lib0/encoding';
import { decodeTagged, encodeTagged, fail, readByte, readCount, readString, readUint, TypeTag } from './format.js';
import { type HlcTimestamp, type HybridLogicalClock, maxTimestamp } from './hlc.js';
import { canonicalize, isWellFormed, type Json } from './json-value.js';
import type { LwwStamped } from './lww-register.js';
import { lwwWins, readTimestamp, writeTimestamp } from './lww-register.js';
import { createReplicaTable, readReplicaTable, writeReplicaTable } from './replica-id.js';
import { readValue, writeValue } from './value-codec.js';

/** A stamped map entry; a removed key keeps a tombstone (`deleted`) so that older writes stay beaten. */
export type LwwMapEntry = LwwStamped | LwwTombstone;

/**
 * The mark a removal leaves: its timestamp. Its `key` is `''`, which sorts below every canonical
 * JSON text, so at equal timestamps a value beats a removal.
 */
export interface LwwTombstone {
  readonly deleted: true;
  readonly key: '';
  readonly timestamp: HlcTimestamp;
}

/**
 * A map from string keys to JSON values where each key is a last-writer-wins register ordered by
 * hybrid logical clock time. Treat the fields as read-only and use the functions of this module.
 */
export interface LwwMap {
  readonly entries: Map<string, LwwMapEntry>;
}

/** Deltas are maps holding the written keys. */
export type LwwMapDelta = LwwMap;

/** One key's value before and after; `undefined` means absent. */
export interface LwwMapKeyChange {
  readonly key: string;
  readonly previous: Json | undefined;
  readonly value: Json | undefined;
}

/** The keys whose visible value changed, ordered by key. */
export interface LwwMapChange {
  readonly changed: readonly LwwMapKeyChange[];
}

/** What a local write returns: the delta to send and the local change (`null` if nothing visible changed). */
export interface LwwMapUpdate {
  readonly delta: LwwMapDelta;
  readonly change: LwwMapChange | null;
}

/** An empty map. */
export const createLwwMap = (): LwwMap => ({ entries: new Map() });

/** A copy (values are frozen and shared). */
export const cloneLwwMap = (map: LwwMap): LwwMap => ({ entries: new Map(map.entries) });

const visible = (entry: LwwMapEntry | undefined): Json | undefined =>
  entry === undefined || 'deleted' in entry ? undefined : entry.value;

/** The value at `key`, or `undefined`. */
export const lwwMapGet = (map: LwwMap, key: string): Json | undefined => visible(map.entries.get(key));

/** Whether `key` holds a value. */
export const lwwMapHas = (map: LwwMap, key: string): boolean => visible(map.entries.get(key)) !== undefined;

/** The present keys and values, ordered by key. */
export function lwwMapEntries(map: LwwMap): Array<[string, Json]> {
  const out: Array<[string, Json]> = [];
  for (const key of [...map.entries.keys()].sort()) {
    const value = visible(map.entries.get(key));
    if (value !== undefined) out.push([key, value]);
  }
  return out;
}

/** Number of present keys. */
export function lwwMapSize(map: LwwMap): number {
  let size = 0;
  for (const entry of map.entries.values()) if (!('deleted' in entry)) size++;
  return size;
}

/** Set `key` to `value`, stamped by `clock`. */
export function lwwMapSet(map: LwwMap, key: string, value: Json, clock: HybridLogicalClock): LwwMapUpdate {
  assertKey(key);
  const delta: LwwMap = { entries: new Map([[key, { ...canonicalize(value), timestamp: clock.now() }]]) };
  return { delta, change: mergeLwwMap(map, delta) };
}

/** Remove `key`, stamped by `clock`; writes a tombstone even when the key is absent here. */
export function lwwMapDelete(map: LwwMap, key: string, clock: HybridLogicalClock): LwwMapUpdate {
  assertKey(key);
  const tombstone: LwwTombstone = { deleted: true, key: '', timestamp: clock.now() };
  const delta: LwwMap = { entries: new Map([[key, tombstone]]) };
  return { delta, change: mergeLwwMap(map, delta) };
}

/**
 * Join `source` into `target`, key by key. With a `clock`, every source timestamp is checked against
 * its drift bound before anything changes (a `ClockDriftError` leaves both untouched), and the
 * latest one is then received.
 */
export function mergeLwwMap(target: LwwMap, source: LwwMap, clock?: HybridLogicalClock): LwwMapChange | null {
  if (clock !== undefined) admitLwwMap(source, clock);
  const changed: LwwMapKeyChange[] = [];
  for (const [key, incoming] of source.entries) {
    const current = target.entries.get(key);
    if (!lwwWins(incoming, current)) continue;
    target.entries.set(key, incoming);
    if ((current?.key ?? '') !== incoming.key)
      changed.push({ key, previous: visible(current), value: visible(incoming) });
  }
  changed.sort((a, b) => (a.key < b.key ? -1 : 1));
  return changed.length > 0 ? { changed } : null;
}

/**
 * Check every timestamp of a remote map against the clock's drift bound (a `ClockDriftError` leaves
 * the clock unchanged), then advance the clock past the latest one.
 */
export function admitLwwMap(source: LwwMap, clock: HybridLogicalClock): void {
  let latest: HlcTimestamp | undefined;
  for (const entry of source.entries.values()) {
    clock.check(entry.timestamp);
    latest = latest === undefined ? entry.timestamp : maxTimestamp(latest, entry.timestamp);
  }
  if (latest !== undefined) clock.receive(latest);
}

/** The join of two maps, as a new map. */
export function joinLwwMaps(a: LwwMap, b: LwwMap): LwwMap {
  const joined = cloneLwwMap(a);
  mergeLwwMap(joined, b);
  return joined;
}

function assertKey(key: string): void {
  if (typeof key !== 'string' || !isWellFormed(key)) {
    throw new TypeError(`Invalid map key ${JSON.stringify(key)}: expected a well-formed string`);
  }
}

const DELETED = 0xff;

/** Binary form: see README, "LWW-Map". Deterministic: equal states encode to equal bytes. */
export function encodeLwwMap(map: LwwMap): Uint8Array {
  const keys = [...map.entries.keys()].sort();
  const entries = keys.map((key) => map.entries.get(key) as LwwMapEntry);
  const table = createReplicaTable(entries.map((entry) => entry.timestamp.replica));
  const baseWall = entries.reduce((min, entry) => Math.min(min, entry.timestamp.wall), Number.MAX_SAFE_INTEGER);
  return encodeTagged(TypeTag.lwwMap, (encoder) => {
    writeReplicaTable(encoder, table);
    encoding.writeVarUint(encoder, keys.length);
    if (keys.length === 0) return;
    encoding.writeVarUint(encoder, baseWall);
    keys.forEach((key, i) => {
      const entry = entries[i] as LwwMapEntry;
      encoding.writeVarString(encoder, key);
      writeTimestamp(encoder, entry.timestamp, table, baseWall);
      if ('deleted' in entry) encoding.writeUint8(encoder, DELETED);
      else writeValue(encoder, entry);
    });
  });
}

/** Decode an LWW-Map; throws `CrdtDecodeError` on malformed bytes. */
export function decodeLwwMap(bytes: Uint8Array): LwwMap {
  return decodeTagged(bytes, TypeTag.lwwMap, 'LWW-Map', (decoder) => {
    const ids = readReplicaTable(decoder);
    const count = readCount(decoder);
    const map = createLwwMap();
    if (count === 0) return map;
    const baseWall = readUint(decoder);
    let previous: string | undefined;
    for (let i = 0; i < count; i++) {
      const key = readString(decoder);
      if (previous !== undefined && previous >= key) fail('LWW-Map keys are not strictly ascending');
      previous = key;
      const timestamp = readTimestamp(decoder, ids, baseWall);
      if (decoder.arr[decoder.pos] === DELETED) {
        readByte(decoder);
        map.entries.set(key, { deleted: true, key: '', timestamp });
      } else {
        map.entries.set(key, { ...readValue(decoder), timestamp });
      }
    }
    return map;
  });
}
