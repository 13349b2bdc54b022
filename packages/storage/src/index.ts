/**
 * @packageDocumentation
 * Server-side persistence of Yjs documents: the `DocStore` contract (an append-only log of updates
 * per document plus a compacted snapshot), the `AccessStore` contract (each document's capability
 * generations, which revoke access tokens when rotated), an in-memory store of both, and the helpers
 * a relay needs to compact logs. Backends live in their own packages and run the suites exported
 * from `@meshpad/storage/conformance`.
 *
 * ```ts
 * const store = new MemoryDocStore(); // a DocStore and an AccessStore
 * await store.register('notes'); // { view: 0, edit: 0, owner: 0 }, or undefined when the name is taken
 * await store.append([{ docName: 'notes', update }]);
 * const { updates, clock } = await store.load('notes');
 * await store.compact('notes', compactUpdates(updates), clock);
 * await store.rotate('notes', 'edit'); // revokes every edit token minted so far
 * ```
 */
export {
  type AccessStore,
  assertCapabilityScope,
  CAPABILITY_SCOPES,
  type CapabilityScope,
  type Generations,
} from './access-store.js';
export { compactUpdates } from './compact-updates.js';
export type { AppendEntry, DocStore, LogStats, StoredDoc } from './doc-store.js';
export { clockAheadError, StorageError, StoreClosedError, type StoreOperation } from './errors.js';
export { MemoryDocStore } from './memory-store.js';
export { assertAppendEntries, assertCompactArguments, assertDocName } from './store-arguments.js';
