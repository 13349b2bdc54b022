import * as Y from 'yjs';

/**
 * Folds updates into one by applying them to a fresh garbage-collecting `Y.Doc`. Unlike
 * `Y.mergeUpdates`, this drops the content of deleted items, so a compacted log of a document
 * that was typed and erased is small. Updates whose dependencies are missing are kept as pending
 * structs in the result, so nothing is lost when the rest arrives later.
 */
export function compactUpdates(updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  try {
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
