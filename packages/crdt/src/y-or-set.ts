import type * as Y from 'yjs';
import type { Json } from './json-value.js';
import {
  createOrSet,
  decodeOrSet,
  encodeOrSet,
  mergeOrSet,
  type OrSet,
  type OrSetChange,
  orSetAdd,
  orSetClear,
  orSetHas,
  orSetRemove,
  orSetSize,
  orSetValues,
} from './or-set.js';
import { type BindingOptions, type CrdtCodec, YCrdtBinding } from './y-binding.js';

const codec: CrdtCodec<OrSet, OrSetChange> = {
  create: createOrSet,
  encode: encodeOrSet,
  decode: decodeOrSet,
  merge: mergeOrSet,
  weight: (set) => set.entries.size + set.context.vv.size,
};

/** An add-wins OR-Set stored in a Y.Map (see README, "Yjs mapping"). */
export class YOrSet extends YCrdtBinding<OrSet, OrSetChange> {
  constructor(root: Y.Map<unknown>, options: BindingOptions = {}) {
    super(root, codec, options);
  }

  /** The current state; read-only. */
  get current(): OrSet {
    return this.state;
  }

  /** Number of elements. */
  get size(): number {
    return orSetSize(this.state);
  }

  /** Add `value`. */
  add(value: Json): void {
    this.commit(() => orSetAdd(this.state, this.replica, value));
  }

  /** Remove `value` as observed here; a concurrent add elsewhere wins. */
  remove(value: Json): void {
    this.commit(() => (orSetHas(this.state, value) ? orSetRemove(this.state, value) : null));
  }

  /** Remove every element observed here. */
  clear(): void {
    this.commit(() => (orSetSize(this.state) > 0 ? orSetClear(this.state) : null));
  }

  /** Whether `value` is an element. */
  has(value: Json): boolean {
    return orSetHas(this.state, value);
  }

  /** The elements, ordered by canonical JSON text. */
  values(): Json[] {
    return orSetValues(this.state);
  }
}
