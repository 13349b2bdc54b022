/**
 * Meshpad's CRDTs: an add-wins OR-Set, last-writer-wins register and map ordered by a hybrid logical
 * clock, and grow-only / positive-negative counters, plus the version vectors and clock they are
 * built from. Each type is plain state with functions: local operations change the state and return
 * a small delta, `merge*` joins any delta or state into another, and `encode*` / `decode*` give a
 * compact binary form (`decode*` throws `CrdtDecodeError` on bad bytes).
 *
 * The `Y*` classes keep one of these CRDTs inside a Y.Map, so it travels over any Yjs provider and
 * merges by the CRDT's rules rather than Y.Map's:
 *
 * ```ts
 * const tags = new YOrSet(doc.getMap('tags'));
 * tags.observe((event) => { if (event.type === 'change') render(event.change.added, event.change.removed); });
 * tags.add('draft');
 * ```
 *
 * @packageDocumentation
 */

export type { CausalContext } from './causal-context.js';
export { ClockDriftError, CrdtDecodeError, CrdtError, type CrdtErrorCode } from './errors.js';
export { FORMAT_VERSION, TypeTag } from './format.js';
export type { CounterChange, GCounter, GCounterDelta, GCounterUpdate } from './g-counter.js';
export {
  cloneGCounter,
  createGCounter,
  decodeGCounter,
  encodeGCounter,
  gCounterIncrement,
  gCounterValue,
  joinGCounters,
  mergeGCounter,
} from './g-counter.js';
export type { HlcOptions, HlcTimestamp } from './hlc.js';
export { compareTimestamps, DEFAULT_MAX_DRIFT, HybridLogicalClock, MAX_LOGICAL, maxTimestamp } from './hlc.js';
export type { CanonicalJson, Json } from './json-value.js';
export { canonicalize } from './json-value.js';
export type {
  LwwMap,
  LwwMapChange,
  LwwMapDelta,
  LwwMapEntry,
  LwwMapKeyChange,
  LwwMapUpdate,
  LwwTombstone,
} from './lww-map.js';
export {
  admitLwwMap,
  cloneLwwMap,
  createLwwMap,
  decodeLwwMap,
  encodeLwwMap,
  joinLwwMaps,
  lwwMapDelete,
  lwwMapEntries,
  lwwMapGet,
  lwwMapHas,
  lwwMapSet,
  lwwMapSize,
  mergeLwwMap,
} from './lww-map.js';
export type {
  LwwRegister,
  LwwRegisterChange,
  LwwRegisterDelta,
  LwwRegisterUpdate,
  LwwStamp,
  LwwStamped,
} from './lww-register.js';
export {
  admitLwwRegister,
  cloneLwwRegister,
  createLwwRegister,
  decodeLwwRegister,
  encodeLwwRegister,
  joinLwwRegisters,
  lwwRegisterGet,
  lwwRegisterSet,
  mergeLwwRegister,
} from './lww-register.js';
export type { Dot, OrSet, OrSetChange, OrSetDelta, OrSetEntry, OrSetUpdate } from './or-set.js';
export {
  cloneOrSet,
  createOrSet,
  decodeOrSet,
  encodeOrSet,
  joinOrSets,
  mergeOrSet,
  orSetAdd,
  orSetClear,
  orSetHas,
  orSetRemove,
  orSetSize,
  orSetValues,
} from './or-set.js';
export type { PnCounter, PnCounterDelta, PnCounterUpdate } from './pn-counter.js';
export {
  clonePnCounter,
  createPnCounter,
  decodePnCounter,
  encodePnCounter,
  joinPnCounters,
  mergePnCounter,
  pnCounterAdd,
  pnCounterValue,
} from './pn-counter.js';
export type { ReplicaId } from './replica-id.js';
export type { VersionVector, VersionVectorOrder } from './version-vector.js';
export {
  compareVersionVectors,
  createVersionVector,
  decodeVersionVector,
  encodeVersionVector,
  incrementVersionVector,
  joinVersionVectors,
  mergeVersionVector,
  versionVectorGet,
  versionVectorIncludes,
} from './version-vector.js';
export type { BindingEvent, BindingListener, BindingOptions, CompactionOptions, CrdtCodec } from './y-binding.js';
export { YCrdtBinding } from './y-binding.js';
export { YGCounter, YPnCounter } from './y-counters.js';
export type { LwwBindingOptions } from './y-lww-binding.js';
export { YLwwMap } from './y-lww-map.js';
export { YLwwRegister } from './y-lww-register.js';
export { YOrSet } from './y-or-set.js';
