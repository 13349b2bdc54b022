import { mergeUpdates } from '@meshpad/protocol';
import { ObservableV2 } from 'lib0/observable';
import { uuidv4 } from 'lib0/random';
import * as Y from 'yjs';
import {
  type CopyRecord,
  committed,
  copyKey,
  type LocalDatabase,
  logKey,
  logRange,
  pendingCount,
  pendingKey,
  pendingRange,
  requestResult,
  snapshotKey,
  transact,
} from './local-database.js';
import { LocalStoreError } from './local-store-error.js';

/** Where the local copy stands: being read, in step with the document, or failing (with why). */
export type LocalCopyState =
  | { readonly state: 'loading' }
  | { readonly state: 'ready' }
  | { readonly state: 'failed'; readonly error: LocalStoreError };

/** How a session's local copy is doing: {@link LocalCopyState}, or `off` when the session keeps none. */
export type LocalCopyStatus = LocalCopyState | { readonly state: 'off' };

/** What {@link OfflineStore.load} found. */
export interface LoadedCopy {
  /** The browser held a copy of the document (possibly of an empty document). */
  readonly exists: boolean;
  /** Changes in the copy that no relay has confirmed storing, as counted by the sessions that made them. */
  readonly unsaved: number;
}

export interface OfflineStoreOptions {
  readonly db: LocalDatabase;
  /** How long after a change its write starts, so that a burst of keystrokes becomes one write (default 40 ms). */
  readonly writeDelayMs?: number;
  /** Merge the log into the snapshot once it holds this many rows (default 100). */
  readonly compactAfterEntries?: number;
}

export type OfflineStoreEvents = {
  state: (state: LocalCopyState) => void;
};

const DEFAULT_WRITE_DELAY_MS = 40;
const DEFAULT_COMPACT_AFTER = 100;

/**
 * Keeps a document's state in IndexedDB: {@link OfflineStore.load} applies the stored copy to the `Y.Doc`, and every
 * later update of the doc is appended to the copy's log shortly after it happens. The log is merged into a snapshot
 * when it grows. Several stores (tabs) may write the same document: every write is one transaction, so none is lost.
 * A failed write keeps its updates in memory, reports a `failed` state, and is retried with the next change.
 */
export class OfflineStore extends ObservableV2<OfflineStoreEvents> {
  /** Identifies this store's rows among those of other tabs and earlier visits. */
  readonly sessionId = uuidv4();
  private readonly db: LocalDatabase;
  private readonly writeDelayMs: number;
  private readonly compactAfter: number;
  private currentState: LocalCopyState = { state: 'loading' };
  private loading = true;
  private queue: Uint8Array[] = [];
  private inFlight = 0;
  private nextLogNumber = 0;
  private logEntries = 0;
  private unsaved = 0;
  private countDirty = false;
  private adoptedKeys: IDBValidKey[] = [];
  private copyNeeded = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private isDestroyed = false;

  constructor(
    readonly doc: Y.Doc,
    readonly docId: string,
    options: OfflineStoreOptions,
  ) {
    super();
    this.db = options.db;
    this.writeDelayMs = options.writeDelayMs ?? DEFAULT_WRITE_DELAY_MS;
    this.compactAfter = options.compactAfterEntries ?? DEFAULT_COMPACT_AFTER;
    doc.on('update', this.onUpdate);
  }

  get state(): LocalCopyState {
    return this.currentState;
  }

  /** Some change of the document is not in IndexedDB yet (waiting for its write, being written, or failed). */
  get hasUnwrittenChanges(): boolean {
    return this.queue.length > 0 || this.inFlight > 0;
  }

  /**
   * Reads the stored copy and applies it to the doc in one transaction whose origin is this store. Rejects with a
   * {@link LocalStoreError} (and reports a `failed` state) when the copy cannot be read.
   */
  async load(): Promise<LoadedCopy> {
    const docId = this.docId;
    try {
      const [copy, snapshot, log, pendingKeys, pendingValues] = await transact(
        this.db,
        'readonly',
        'read the local copy',
        (store) =>
          Promise.all([
            requestResult(store.get(copyKey(docId))),
            requestResult(store.get(snapshotKey(docId))),
            requestResult(store.getAll(logRange(docId))),
            requestResult(store.getAllKeys(pendingRange(docId))),
            requestResult(store.getAll(pendingRange(docId))),
          ]),
      );
      const updates = [snapshot, ...log].filter((value): value is Uint8Array => value instanceof Uint8Array);
      if (this.isDestroyed) return { exists: false, unsaved: 0 };
      try {
        Y.transact(
          this.doc,
          () => {
            for (const update of updates) Y.applyUpdate(this.doc, update);
          },
          this,
        );
      } catch (cause) {
        throw new LocalStoreError('failed', 'The local copy is damaged: it is not a Yjs document', { cause });
      }
      this.logEntries = log.length;
      this.adoptedKeys = pendingKeys;
      const unsaved = pendingValues.reduce((sum: number, value) => sum + pendingCount(value), 0);
      this.countDirty = pendingKeys.length > 0;
      this.copyNeeded = copy === undefined && updates.length > 0;
      this.loading = false;
      this.setState({ state: 'ready' });
      this.schedule();
      return { exists: copy !== undefined, unsaved };
    } catch (cause) {
      const error = cause instanceof LocalStoreError ? cause : new LocalStoreError('failed', String(cause), { cause });
      this.loading = false;
      this.setState({ state: 'failed', error });
      throw error;
    }
  }

  /** Records how many of this session's changes no relay has confirmed, so a later visit knows. */
  setUnsaved(unsaved: number): void {
    if (unsaved === this.unsaved) return;
    this.unsaved = unsaved;
    this.countDirty = true;
    this.schedule();
  }

  /** Makes sure the browser keeps a copy of the document, even one that no change has touched yet. */
  keepCopy(): void {
    this.copyNeeded = true;
    this.schedule();
  }

  /** Writes everything changed so far now; resolves when it is stored (or the write failed: see `state`). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.writing !== undefined) await this.writing;
    if (this.loading || !this.needsWrite()) return;
    this.writing = this.write().finally(() => {
      this.writing = undefined;
    });
    await this.writing;
    if (this.currentState.state === 'ready') this.schedule();
  }

  /** Stops following the doc after writing what is still waiting; resolves once that write is done. */
  override destroy(): Promise<void> {
    if (this.isDestroyed) return this.writing ?? Promise.resolve();
    this.isDestroyed = true;
    this.doc.off('update', this.onUpdate);
    const done = this.flush();
    super.destroy();
    return done;
  }

  private needsWrite(): boolean {
    return this.queue.length > 0 || this.countDirty || this.copyNeeded;
  }

  private schedule(): void {
    if (this.loading || this.timer !== undefined || this.writing !== undefined || !this.needsWrite()) return;
    this.timer = setTimeout(this.onTimer, this.writeDelayMs);
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    void this.flush();
  };

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    this.queue.push(update);
    this.schedule();
  };

  private setState(state: LocalCopyState): void {
    const current = this.currentState;
    if (state.state !== 'failed' && current.state === state.state) return;
    this.currentState = state;
    this.emit('state', [state]);
  }

  private async write(): Promise<void> {
    const updates = this.queue;
    this.queue = [];
    this.inFlight = updates.length;
    const entry = updates.length === 0 ? undefined : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    const { docId, sessionId, doc } = this;
    const unsaved = this.unsaved;
    const adopted = this.adoptedKeys;
    const logNumber = this.nextLogNumber;
    try {
      const wroteSnapshot = await transact(this.db, 'readwrite', 'save the local copy', (store) => {
        const done = committed(store.transaction);
        return requestResult(store.get(copyKey(docId))).then((copy) => {
          // Without a copy record (a first write, or another tab removed the copy) the log alone could miss what
          // it builds on, so the whole document is written as the snapshot.
          const fresh = copy === undefined;
          if (fresh) store.put(Y.encodeStateAsUpdate(doc), snapshotKey(docId));
          else if (entry !== undefined) store.put(entry, logKey(docId, sessionId, logNumber));
          store.put({ docId, updatedAt: Date.now() } satisfies CopyRecord, copyKey(docId));
          // This session now answers for the changes counted by the rows it read at load.
          for (const key of adopted) store.delete(key);
          if (unsaved > 0) store.put(unsaved, pendingKey(docId, sessionId));
          else store.delete(pendingKey(docId, sessionId));
          return done.then(() => fresh);
        });
      });
      this.inFlight = 0;
      if (this.adoptedKeys === adopted) this.adoptedKeys = [];
      if (this.unsaved === unsaved) this.countDirty = false;
      this.copyNeeded = false;
      if (wroteSnapshot) this.logEntries = 0;
      else if (entry !== undefined) {
        this.nextLogNumber = logNumber + 1;
        this.logEntries++;
      }
      if (this.logEntries >= this.compactAfter) await this.compact();
      this.setState({ state: 'ready' });
    } catch (cause) {
      this.inFlight = 0;
      this.queue = [...updates, ...this.queue];
      this.setState({ state: 'failed', error: cause as LocalStoreError });
    }
  }

  /** Merges the snapshot and every log row (of every tab) into a new snapshot, in one transaction. */
  private async compact(): Promise<void> {
    const docId = this.docId;
    await transact(this.db, 'readwrite', 'compact the local copy', (store) => {
      const done = committed(store.transaction);
      const snapshot = requestResult(store.get(snapshotKey(docId)));
      return Promise.all([snapshot, requestResult(store.getAll(logRange(docId)))]).then(([base, log]) => {
        const parts = [base, ...log].filter((value): value is Uint8Array => value instanceof Uint8Array);
        store.put(mergeUpdates(parts), snapshotKey(docId));
        store.delete(logRange(docId));
        return done;
      });
    });
    this.logEntries = 0;
  }
}
