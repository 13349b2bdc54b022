/** One update to append to a document's log. */
export interface AppendEntry {
  readonly docName: string;
  readonly update: Uint8Array;
}

/** What a store holds for one document, in the order it must be applied. */
export interface StoredDoc {
  /** The compacted snapshot (if any) followed by every logged update, oldest first. */
  readonly updates: Uint8Array[];
  /** Position of the newest entry included; pass it to `compact` to replace exactly these entries. */
  readonly clock: number;
  /** Total bytes of `updates`. */
  readonly bytes: number;
}

/** Size of a document's log since its last compaction. */
export interface LogStats {
  readonly entries: number;
  readonly bytes: number;
}

/**
 * Server-side persistence of Yjs documents as an append-only log of binary updates plus a
 * compacted snapshot. Implementations must be durable once a returned promise resolves, and must
 * never reorder or drop entries of one document.
 *
 * Clocks are positions in the store's log: every appended entry gets a clock greater than any
 * the store handed out before, so a document's clock only grows, across compaction, deletion
 * and reopening. Bytes passed in are copied, and bytes handed out belong to the caller.
 */
export interface DocStore {
  /** Reads everything stored for `docName`; an unknown document yields no updates and clock 0. */
  load(docName: string): Promise<StoredDoc>;
  /** Appends all entries atomically (one transaction), in the given order. */
  append(entries: readonly AppendEntry[]): Promise<void>;
  /**
   * Atomically replaces the snapshot and every log entry up to and including `clock` by `snapshot`.
   * Entries appended after `clock` stay. Does nothing when `clock` is not newer than the current
   * snapshot (a stale compaction) or when the document was deleted since `clock`; rejects with a
   * `RangeError` when `clock` is ahead of the document's newest entry.
   */
  compact(docName: string, snapshot: Uint8Array, clock: number): Promise<void>;
  /** Log entries and bytes stored for `docName` since its last compaction. */
  logStats(docName: string): Promise<LogStats>;
  /** Names of every stored document. */
  list(): Promise<string[]>;
  /** Removes a document and everything stored for it. */
  delete(docName: string): Promise<void>;
  /**
   * Resolves once everything appended before the call would survive a crash of the operating system
   * or a power loss, not only a crash of the process (which a resolved `append` always survives).
   */
  sync(): Promise<void>;
  /** Resolves when the store can read and write; rejects with the cause otherwise. */
  check(): Promise<void>;
  /** Flushes and releases every handle; later calls reject with `StoreClosedError`, a second `close` resolves. */
  close(): Promise<void>;
}
