import type { AppendEntry } from './doc-store.js';

/** Throws a `TypeError` unless `docName` is a string. */
export function assertDocName(docName: unknown): asserts docName is string {
  if (typeof docName !== 'string') throw new TypeError(`A document name must be a string, got ${typeof docName}`);
}

/** Throws a `TypeError` naming the first malformed entry of an `append` batch. */
export function assertAppendEntries(entries: unknown): asserts entries is readonly AppendEntry[] {
  if (!Array.isArray(entries)) throw new TypeError('append expects an array of { docName, update } entries');
  entries.forEach((entry: Partial<AppendEntry> | null, index) => {
    if (typeof entry?.docName !== 'string') {
      throw new TypeError(`Entry ${index} of the append batch has no string docName`);
    }
    if (!(entry.update instanceof Uint8Array)) {
      throw new TypeError(`Entry ${index} of the append batch (document "${entry.docName}") has no Uint8Array update`);
    }
  });
}

/** Throws unless `compact` got a name, bytes, and a non-negative integer clock. */
export function assertCompactArguments(docName: unknown, snapshot: unknown, clock: unknown): asserts clock is number {
  assertDocName(docName);
  if (!(snapshot instanceof Uint8Array)) throw new TypeError(`The snapshot of "${docName}" must be a Uint8Array`);
  if (typeof clock !== 'number' || !Number.isSafeInteger(clock) || clock < 0) {
    throw new RangeError(`Cannot compact "${docName}" at clock ${String(clock)}: a clock is a non-negative integer`);
  }
}
