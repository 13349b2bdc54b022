import type * as Y from 'yjs';
import { type HlcOptions, HybridLogicalClock } from './hlc.js';
import { type BindingOptions, bindingReplica, type CrdtCodec, YCrdtBinding } from './y-binding.js';

/** Options of the last-writer-wins bindings: a clock to share, or options for a new one. */
export interface LwwBindingOptions extends BindingOptions, HlcOptions {
  /** A clock shared with other bindings of the same replica; its options then apply. */
  readonly clock?: HybridLogicalClock;
}

/** A {@link CrdtCodec} whose `admit` vets a remote state against the binding's clock. */
export interface LwwCodec<S, C> extends Omit<CrdtCodec<S, C>, 'admit'> {
  admit(source: S, clock: HybridLogicalClock): void;
}

/** A binding of a last-writer-wins type: one clock stamps this replica's writes and vets remote timestamps. */
export abstract class YLwwBinding<S, C> extends YCrdtBinding<S, C> {
  /** The clock stamping this replica's writes. */
  readonly clock: HybridLogicalClock;

  protected constructor(root: Y.Map<unknown>, codec: LwwCodec<S, C>, options: LwwBindingOptions) {
    const clock = options.clock ?? new HybridLogicalClock(bindingReplica(root, options), options);
    // The codec gets the clock as a local: the base constructor already admits the states found in `root`.
    const admit = (source: S) => codec.admit(source, clock);
    super(root, { ...codec, admit }, { ...options, replica: options.replica ?? clock.replica });
    this.clock = clock;
  }
}
