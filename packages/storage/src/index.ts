/**
 * @packageDocumentation
 * Server-side persistence of Yjs documents: the `DocStore` contract (an append-only log of updates
 * per document plus a compacted snapshot), an in-memory store, and the helpers a relay needs to
 * compact logs. Backends live in their own packages and run the suite exported from
 * `@meshpad/storage/conformance`.
 *
 * ```ts
 * const store: DocStore = new MemoryDocStore();
 * await store.append([{ docName: 'notes', update }]);
 * const { updates, clock } = await store.load('notes');
 * await store.compact('notes', compactUpdates(updates), clock);
 * ```
 */
export { compactUpdates } from './compact-updates.js';
export type { AppendEntry, DocStore, LogStats, StoredDoc } from './doc-store.js';
export { clockAheadError, StorageError, StoreClosedError, type StoreOperation } from './errors.js';
export { MemoryDocStore } from './memory-store.js';
export { assertAppendEntries, assertCompactArguments, assertDocName } from './store-arguments.js';
