import {
  committed,
  copyKey,
  isCopyRecord,
  kindRange,
  type LocalDatabase,
  logRange,
  pendingCount,
  pendingRange,
  requestResult,
  snapshotKey,
  transact,
} from './local-database.js';

/** A document this browser holds a copy of, so it opens with no network. */
export interface LocalCopy {
  readonly docId: string;
  /** Milliseconds since the epoch of the last write to the copy. */
  readonly updatedAt: number;
  /** Changes in the copy that no relay has confirmed storing yet. */
  readonly unsaved: number;
}

/** Every document with a local copy, most recently written first. Rejects with a `LocalStoreError`. */
export const listLocalCopies = async (db: LocalDatabase): Promise<LocalCopy[]> => {
  const [copies, pendingKeys, pendingValues] = await transact(db, 'readonly', 'list the local copies', (store) =>
    Promise.all([
      requestResult(store.getAll(kindRange('copy'))),
      requestResult(store.getAllKeys(kindRange('pending'))),
      requestResult(store.getAll(kindRange('pending'))),
    ]),
  );
  const unsaved = new Map<string, number>();
  pendingKeys.forEach((key, i) => {
    const docId = Array.isArray(key) ? key[1] : undefined;
    if (typeof docId === 'string') unsaved.set(docId, (unsaved.get(docId) ?? 0) + pendingCount(pendingValues[i]));
  });
  return copies
    .filter(isCopyRecord)
    .map((copy) => ({ docId: copy.docId, updatedAt: copy.updatedAt, unsaved: unsaved.get(copy.docId) ?? 0 }))
    .sort((a, b) => b.updatedAt - a.updatedAt);
};

/**
 * Deletes the local copy of a document, with its unsaved-change counts, in one transaction. A tab that still has the
 * document open writes a whole new copy with its next change. Rejects with a `LocalStoreError`.
 */
export const removeLocalCopy = (db: LocalDatabase, docId: string): Promise<void> =>
  transact(db, 'readwrite', 'remove the local copy', (store) => {
    const done = committed(store.transaction);
    store.delete(copyKey(docId));
    store.delete(snapshotKey(docId));
    store.delete(logRange(docId));
    store.delete(pendingRange(docId));
    return done;
  });
