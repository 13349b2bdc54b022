import type * as Y from 'yjs';
import type { HlcTimestamp } from './hlc.js';
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
import { type LwwBindingOptions, type LwwCodec, YLwwBinding } from './y-lww-binding.js';

const codec: LwwCodec<LwwRegister, LwwRegisterChange> = {
  create: createLwwRegister,
  encode: encodeLwwRegister,
  decode: decodeLwwRegister,
  merge: (target, source) => mergeLwwRegister(target, source),
  admit: admitLwwRegister,
  weight: () => 1,
};

/** A last-writer-wins register stored in a Y.Map (see README, "Yjs mapping"). */
export class YLwwRegister extends YLwwBinding<LwwRegister, LwwRegisterChange> {
  constructor(root: Y.Map<unknown>, options: LwwBindingOptions = {}) {
    super(root, codec, options);
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
