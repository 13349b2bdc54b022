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

/** Options of {@link compactUpdatesInSlices}. */
export interface SliceOptions {
  /** Updates applied between two yields to the event loop. */
  readonly sliceSize?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Like {@link compactUpdates}, but yields to the event loop every `sliceSize` updates, so a server
 * compacting a long log in the background keeps answering its clients meanwhile.
 */
export async function compactUpdatesInSlices(
  updates: readonly Uint8Array[],
  { sliceSize = 256 }: SliceOptions = {},
): Promise<Uint8Array> {
  if (!Number.isInteger(sliceSize) || sliceSize < 1) {
    throw new RangeError(`sliceSize must be a positive integer, got ${sliceSize}`);
  }
  const doc = new Y.Doc({ gc: true });
  try {
    for (let start = 0; start < updates.length; start += sliceSize) {
      if (start > 0) await yieldToEventLoop();
      doc.transact(() => {
        for (const update of updates.slice(start, start + sliceSize)) Y.applyUpdate(doc, update);
      });
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
