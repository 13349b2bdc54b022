import type * as Y from 'yjs';
import {
  type CounterChange,
  createGCounter,
  decodeGCounter,
  encodeGCounter,
  type GCounter,
  gCounterIncrement,
  gCounterValue,
  mergeGCounter,
} from './g-counter.js';
import {
  createPnCounter,
  decodePnCounter,
  encodePnCounter,
  mergePnCounter,
  type PnCounter,
  pnCounterAdd,
  pnCounterValue,
} from './pn-counter.js';
import { type BindingOptions, type CrdtCodec, YCrdtBinding } from './y-binding.js';

const gCodec: CrdtCodec<GCounter, CounterChange> = {
  create: createGCounter,
  encode: encodeGCounter,
  decode: decodeGCounter,
  merge: mergeGCounter,
  weight: (counter) => counter.counts.size,
};

const pnCodec: CrdtCodec<PnCounter, CounterChange> = {
  create: createPnCounter,
  encode: encodePnCounter,
  decode: decodePnCounter,
  merge: mergePnCounter,
  weight: (counter) => counter.increments.size + counter.decrements.size,
};

/** A grow-only counter stored in a Y.Map (see README, "Yjs mapping"). */
export class YGCounter extends YCrdtBinding<GCounter, CounterChange> {
  constructor(root: Y.Map<unknown>, options: BindingOptions = {}) {
    super(root, gCodec, options);
  }

  /** The current state; read-only. */
  get current(): GCounter {
    return this.state;
  }

  /** The sum of all increments. */
  get value(): number {
    return gCounterValue(this.state);
  }

  /** Add `amount` (a positive safe integer). */
  increment(amount = 1): void {
    this.commit(() => gCounterIncrement(this.state, this.replica, amount));
  }
}

/** A counter that can also decrease, stored in a Y.Map (see README, "Yjs mapping"). */
export class YPnCounter extends YCrdtBinding<PnCounter, CounterChange> {
  constructor(root: Y.Map<unknown>, options: BindingOptions = {}) {
    super(root, pnCodec, options);
  }

  /** The current state; read-only. */
  get current(): PnCounter {
    return this.state;
  }

  /** Increments minus decrements. */
  get value(): number {
    return pnCounterValue(this.state);
  }

  /** Add `amount` (a non-zero safe integer, negative to decrease). */
  add(amount: number): void {
    this.commit(() => pnCounterAdd(this.state, this.replica, amount));
  }
}
