import { createStore, type UseStore } from 'idb-keyval';
import { LocalStoreError, toLocalStoreError } from './local-store-error.js';

/** Name of the IndexedDB database that holds the local copies of documents. */
export const LOCAL_DATABASE_NAME = 'meshpad';

const OBJECT_STORE_NAME = 'docs';

/**
 * The key-value object store that holds every local copy (an idb-keyval store). Keys are arrays, so that the rows of
 * one document form ranges:
 * - `['copy', docId]`: `{ docId, updatedAt }`, present while the browser holds a copy of the document;
 * - `['snapshot', docId]`: the compacted Yjs update;
 * - `['log', docId, sessionId, n]`: updates appended since the last compaction, one row per write;
 * - `['pending', docId, sessionId]`: how many changes that session made that no relay has confirmed storing.
 */
export type LocalDatabase = UseStore;

/** The record that marks a document as available in this browser. */
export interface CopyRecord {
  readonly docId: string;
  /** Milliseconds since the epoch of the last write. */
  readonly updatedAt: number;
}

/**
 * Opens the database lazily, on its first transaction. A browser without IndexedDB makes every transaction reject
 * with a `LocalStoreError` coded `unavailable`.
 */
export const openLocalDatabase = (name = LOCAL_DATABASE_NAME): LocalDatabase => {
  let store: UseStore | undefined;
  return (mode, callback) => {
    if (typeof indexedDB === 'undefined') {
      return Promise.reject(new LocalStoreError('unavailable', 'This browser offers no IndexedDB to this page'));
    }
    store ??= createStore(name, OBJECT_STORE_NAME);
    return store(mode, callback);
  };
};

/** Runs `callback` in one transaction; any failure becomes a `LocalStoreError` that names `action`. */
export const transact = async <T>(
  db: LocalDatabase,
  mode: IDBTransactionMode,
  action: string,
  callback: (store: IDBObjectStore) => T | PromiseLike<T>,
): Promise<T> => {
  try {
    return await db(mode, callback);
  } catch (cause) {
    throw toLocalStoreError(cause, action);
  }
};

/** Resolves with a request's result, or rejects with its error. */
export const requestResult = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** Resolves once a transaction has committed; rejects with its error when it aborts (a full disk aborts it). */
export const committed = (transaction: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = transaction.onerror = () => reject(transaction.error);
  });

export const copyKey = (docId: string): IDBValidKey => ['copy', docId];
export const snapshotKey = (docId: string): IDBValidKey => ['snapshot', docId];
export const logKey = (docId: string, sessionId: string, n: number): IDBValidKey => ['log', docId, sessionId, n];
export const pendingKey = (docId: string, sessionId: string): IDBValidKey => ['pending', docId, sessionId];

// An array sorts after every string and number, so `[kind, docId, []]` bounds every longer key of that document.
/** Every `log` row of a document. */
export const logRange = (docId: string): IDBKeyRange => IDBKeyRange.bound(['log', docId], ['log', docId, []]);
/** Every `pending` row of a document. */
export const pendingRange = (docId: string): IDBKeyRange =>
  IDBKeyRange.bound(['pending', docId], ['pending', docId, []]);
/** The rows of `kind` (`copy`, `pending`) of every document. */
export const kindRange = (kind: string): IDBKeyRange => IDBKeyRange.bound([kind], [kind, []]);

/** Whether a stored value is a copy record (stored rows are checked: the origin's storage is shared). */
export const isCopyRecord = (value: unknown): value is CopyRecord =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as CopyRecord).docId === 'string' &&
  typeof (value as CopyRecord).updatedAt === 'number';

/** A stored count of unconfirmed changes, or 0 for anything malformed. */
export const pendingCount = (value: unknown): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
