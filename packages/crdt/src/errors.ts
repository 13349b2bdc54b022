import type { HlcTimestamp } from './hlc.js';

/** Codes of the errors this package throws on purpose; `instanceof CrdtError` catches them all. */
export type CrdtErrorCode = 'decode' | 'clock-drift';

/** Base class of the typed errors thrown by `@meshpad/crdt`. */
export abstract class CrdtError extends Error {
  abstract readonly code: CrdtErrorCode;
}

/** Bytes that are not a valid encoding of the expected type; nothing was changed. */
export class CrdtDecodeError extends CrdtError {
  readonly code = 'decode' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrdtDecodeError';
  }
}

/**
 * A remote timestamp lies further in the future than the clock's drift bound (or carries an absurd
 * logical counter); nothing was changed.
 */
export class ClockDriftError extends CrdtError {
  readonly code = 'clock-drift' as const;

  constructor(
    readonly timestamp: HlcTimestamp,
    readonly physicalTime: number,
    readonly maxDrift: number,
  ) {
    super(
      `Timestamp ${timestamp.wall}.${timestamp.logical}@${timestamp.replica} is ${timestamp.wall - physicalTime} ms ahead of the local clock (bound ${maxDrift} ms)`,
    );
    this.name = 'ClockDriftError';
  }
}
