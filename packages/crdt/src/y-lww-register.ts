import type * as Y from 'yjs';
import { type HlcOptions, type HlcTimestamp, HybridLogicalClock } from './hlc.js';
import type { Json } from './json-value.js';
import {
  admitLwwRegister,
  createLwwRegister,
  decodeLwwRegister,
  encodeLwwRegister,
  type LwwRegister,
  type LwwRegisterChange,
  lwwRegisterGet,
  lwwRegisterSet,
  mergeLwwRegister,
} from './lww-register.js';
import { type BindingOptions, bindingReplica, type CrdtCodec, YCrdtBinding } from './y-binding.js';

/** Options of the last-writer-wins bindings: a clock to share, or options for a new one. */
export interface LwwBindingOptions extends BindingOptions, HlcOptions {
  /** A clock shared with other bindings of the same replica; its options then apply. */
  readonly clock?: HybridLogicalClock;
}

/** The clock a last-writer-wins binding uses. */
export const bindingClock = (root: Y.Map<unknown>, options: LwwBindingOptions): HybridLogicalClock =>
  options.clock ?? new HybridLogicalClock(bindingReplica(root, options), options);

/** A last-writer-wins register stored in a Y.Map (see README, "Yjs mapping"). */
export class YLwwRegister extends YCrdtBinding<LwwRegister, LwwRegisterChange> {
  /** The clock stamping this replica's writes. */
  readonly clock: HybridLogicalClock;

  constructor(root: Y.Map<unknown>, options: LwwBindingOptions = {}) {
    const clock = bindingClock(root, options);
    const codec: CrdtCodec<LwwRegister, LwwRegisterChange> = {
      create: createLwwRegister,
      encode: encodeLwwRegister,
      decode: decodeLwwRegister,
      merge: (target, source) => mergeLwwRegister(target, source),
      admit: (source) => admitLwwRegister(source, clock),
      weight: () => 1,
    };
    super(root, codec, { ...options, replica: options.replica ?? clock.replica });
    this.clock = clock;
  }

  /** The current state; read-only. */
  get current(): LwwRegister {
    return this.state;
  }

  /** The value, or `undefined` before the first write. */
  get value(): Json | undefined {
    return lwwRegisterGet(this.state);
  }

  /** The timestamp of the winning write. */
  get timestamp(): HlcTimestamp | undefined {
    return this.state.current?.timestamp;
  }

  /** Write `value`. */
  set(value: Json): void {
    this.commit(() => lwwRegisterSet(this.state, value, this.clock));
  }
}
