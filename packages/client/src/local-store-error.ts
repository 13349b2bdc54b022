/**
 * Why the local copy in this browser could not be read or written:
 * - `unavailable`: the browser offers no IndexedDB here (some private modes, storage disabled by policy);
 * - `quota-exceeded`: the origin's storage is full;
 * - `failed`: any other error (a disk error, a copy this version cannot read).
 */
export type LocalStoreErrorCode = 'unavailable' | 'quota-exceeded' | 'failed';

/** An error reading or writing the local copy of a document, with a {@link LocalStoreErrorCode}. */
export class LocalStoreError extends Error {
  override readonly name = 'LocalStoreError';

  constructor(
    readonly code: LocalStoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** DOMException names that mean the browser will not give this page an IndexedDB at all. */
const UNAVAILABLE_NAMES = new Set(['SecurityError', 'InvalidStateError', 'NotAllowedError']);

const errorName = (cause: unknown): string | undefined =>
  typeof cause === 'object' && cause !== null && typeof (cause as { name?: unknown }).name === 'string'
    ? (cause as { name: string }).name
    : undefined;

/** Wraps whatever IndexedDB threw or rejected with while doing `action` in a {@link LocalStoreError}. */
export const toLocalStoreError = (cause: unknown, action: string): LocalStoreError => {
  if (cause instanceof LocalStoreError) return cause;
  const name = errorName(cause);
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (name === 'QuotaExceededError') {
    return new LocalStoreError('quota-exceeded', `Could not ${action}: the browser's storage is full`, { cause });
  }
  if (name !== undefined && UNAVAILABLE_NAMES.has(name)) {
    return new LocalStoreError('unavailable', `Could not ${action}: IndexedDB is not available (${detail})`, { cause });
  }
  return new LocalStoreError('failed', `Could not ${action}: ${detail}`, { cause });
};
