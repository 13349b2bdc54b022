import type * as Y from 'yjs';
import type { Json } from './json-value.js';
import {
  admitLwwMap,
  createLwwMap,
  decodeLwwMap,
  encodeLwwMap,
  type LwwMap,
  type LwwMapChange,
  lwwMapDelete,
  lwwMapEntries,
  lwwMapGet,
  lwwMapHas,
  lwwMapSet,
  lwwMapSize,
  mergeLwwMap,
} from './lww-map.js';
import { type LwwBindingOptions, type LwwCodec, YLwwBinding } from './y-lww-binding.js';

const codec: LwwCodec<LwwMap, LwwMapChange> = {
  create: createLwwMap,
  encode: encodeLwwMap,
  decode: decodeLwwMap,
  merge: (target, source) => mergeLwwMap(target, source),
  admit: admitLwwMap,
  weight: (map) => map.entries.size,
};

/** A last-writer-wins map stored in a Y.Map (see README, "Yjs mapping"). */
export class YLwwMap extends YLwwBinding<LwwMap, LwwMapChange> {
  constructor(root: Y.Map<unknown>, options: LwwBindingOptions = {}) {
    super(root, codec, options);
  }

  /** The current state; read-only. */
  get current(): LwwMap {
    return this.state;
  }

  /** Number of present keys. */
  get size(): number {
    return lwwMapSize(this.state);
  }

  /** The value at `key`, or `undefined`. */
  get(key: string): Json | undefined {
    return lwwMapGet(this.state, key);
  }

  /** Whether `key` holds a value. */
  has(key: string): boolean {
    return lwwMapHas(this.state, key);
  }

  /** Present keys and values, ordered by key. */
  entries(): Array<[string, Json]> {
    return lwwMapEntries(this.state);
  }

  /** Set `key` to `value`. */
  set(key: string, value: Json): void {
    this.commit(() => lwwMapSet(this.state, key, value, this.clock));
  }

  /** Remove `key`. */
  delete(key: string): void {
    this.commit(() => lwwMapDelete(this.state, key, this.clock));
  }
}
