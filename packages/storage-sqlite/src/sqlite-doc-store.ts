import { resolve } from 'node:path';
import {
  type AccessStore,
  type AppendEntry,
  assertAppendEntries,
  assertCapabilityScope,
  assertCompactArguments,
  assertDocName,
  type CapabilityScope,
  clockAheadError,
  type DocStore,
  type Generations,
  type LogStats,
  StorageError,
  StoreClosedError,
  type StoredDoc,
  type StoreOperation,
} from '@meshpad/storage';
import type Database from 'better-sqlite3';
import { ClockLease } from './clock-lease.js';
import { openDatabase, type SynchronousMode } from './open-database.js';
import { type DocumentRow, prepareStatements, type Statements } from './statements.js';
import { WalSyncer } from './wal-syncer.js';

/** Where and how to open the database. */
export interface SqliteDocStoreOptions {
  /** The database file; missing parent directories are created. */
  readonly path: string;
  /**
   * `FULL` (the default) syncs the write-ahead log on every commit, so a resolved `append` survives
   * power loss. `NORMAL` commits without waiting for the disk: a resolved `append` survives a crash
   * of the process, and `sync()` (or the next background checkpoint) makes it survive power loss.
   */
  readonly synchronous?: SynchronousMode;
  /** How long a write waits for another connection's lock before failing; 5000 ms by default. */
  readonly busyTimeoutMs?: number;
  /**
   * How soon after an append a background checkpoint syncs it to disk and copies the log into the
   * database file, off the main thread; 1000 ms by default. With `NORMAL`, the most a power loss
   * can take from appends nobody called `sync()` for.
   */
  readonly checkpointAfterMs?: number;
  /**
   * Told when a background checkpoint fails, once until one succeeds again: until then, appends
   * survive a crash of the process but not yet a power loss. `sync()` reports the same failure.
   */
  readonly onBackgroundError?: (error: StorageError) => void;
}

/**
 * Appends after which a checkpoint starts without waiting for `checkpointAfterMs`: a burst of
 * appends would otherwise reach SQLite's own automatic checkpoint, which runs on the main thread.
 */
const CHECKPOINT_AFTER_APPENDS = 1000;

/** Document ids kept by name; a relay that has seen more documents since it started looks them up again. */
const MAX_CACHED_IDS = 10_000;

type CompactOutcome = { readonly applied: boolean } | { readonly aheadOf: number };

const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['FULL', 'NORMAL'];

/**
 * Meshpad's default `DocStore` and `AccessStore`: one SQLite database in WAL mode, an append-only
 * table of updates, one snapshot per document, and each document's capability generations.
 * better-sqlite3 is synchronous, so every call does its work before returning its promise: calls
 * take effect in the order they are made.
 */
export class SqliteDocStore implements DocStore, AccessStore {
  /** The absolute path of the database file. */
  readonly path: string;
  #db: Database.Database | undefined;
  readonly #statements: Statements;
  readonly #synchronous: SynchronousMode;
  readonly #syncer: WalSyncer;
  readonly #checkpointAfterMs: number;
  #checkpointTimer: NodeJS.Timeout | undefined;
  #appendsSinceCheckpoint = 0;
  readonly #onBackgroundError: ((error: StorageError) => void) | undefined;
  #backgroundFailing = false;
  readonly #appendBatch: (entries: readonly AppendEntry[]) => void;
  readonly #compact: (docName: string, snapshot: Uint8Array, clock: number) => CompactOutcome;
  readonly #load: (docName: string) => StoredDoc;
  readonly #delete: (docName: string) => void;

  /** Opens or creates the database and migrates its schema; rejects with a `StorageError` naming the file. */
  static async open(options: SqliteDocStoreOptions): Promise<SqliteDocStore> {
    const { synchronous = 'FULL', busyTimeoutMs = 5000, checkpointAfterMs = 1000, onBackgroundError } = options;
    if (typeof options.path !== 'string' || options.path === '') {
      throw new TypeError('SqliteDocStore needs the path of its database file');
    }
    if (!SYNCHRONOUS_MODES.includes(synchronous)) {
      throw new RangeError(`synchronous must be one of ${SYNCHRONOUS_MODES.join(', ')}, got ${String(synchronous)}`);
    }
    if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
      throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
    }
    if (!Number.isSafeInteger(checkpointAfterMs) || checkpointAfterMs < 1) {
      throw new RangeError(`checkpointAfterMs must be a positive integer, got ${checkpointAfterMs}`);
    }
    const path = resolve(options.path);
    let db: Database.Database | undefined;
    const syncer = new WalSyncer(path, busyTimeoutMs);
    try {
      db = openDatabase({ path, synchronous, busyTimeoutMs });
      // The checkpoint thread starts now, not at the first append: a thread that cannot run fails
      // the open instead of the first edit, and a log left by a crash is copied in at once.
      await syncer.sync();
      return new SqliteDocStore(path, db, synchronous, syncer, { checkpointAfterMs, onBackgroundError });
    } catch (error) {
      await syncer.close();
      db?.close();
      throw new StorageError('open', [], error, `SQLite database ${path}`);
    }
  }

  private constructor(
    path: string,
    db: Database.Database,
    synchronous: SynchronousMode,
    syncer: WalSyncer,
    background: Pick<SqliteDocStoreOptions, 'onBackgroundError'> & { readonly checkpointAfterMs: number },
  ) {
    this.path = path;
    this.#db = db;
    this.#synchronous = synchronous;
    this.#syncer = syncer;
    this.#checkpointAfterMs = background.checkpointAfterMs;
    this.#onBackgroundError = background.onBackgroundError;
    const statements = prepareStatements(db);
    this.#statements = statements;
    const clocks = new ClockLease(statements);
    // Document ids by name, valid until another connection commits (it may delete and recreate).
    const ids = new Map<string, number>();

    const documentClock = (doc: DocumentRow) => Math.max(doc.base, statements.newestSeq.get(doc.id) ?? 0);

    this.#load = db.transaction((docName: string): StoredDoc => {
      const doc = statements.findDocument.get(docName);
      if (doc === undefined) return { updates: [], clock: 0, bytes: 0 };
      const snapshot = statements.selectSnapshot.get(doc.id);
      const rows = statements.selectUpdates.all(doc.id);
      const updates = (snapshot === undefined ? rows : [snapshot, ...rows]).map(ownBytes);
      const bytes = updates.reduce((total, update) => total + update.byteLength, 0);
      return { updates, clock: documentClock(doc), bytes };
    });

    const appendBatch = db.transaction((entries: readonly AppendEntry[]) => {
      if (clocks.begin()) ids.clear();
      for (const { docName, update } of entries) {
        let id = ids.get(docName);
        if (id === undefined) {
          id = statements.findDocument.get(docName)?.id ?? statements.createDocument.get(docName, clocks.ceiling())!;
          if (ids.size >= MAX_CACHED_IDS) ids.clear();
          ids.set(docName, id);
        }
        statements.insertUpdate.run(id, clocks.next(), update);
      }
    }).immediate;
    this.#appendBatch = (entries) => {
      try {
        appendBatch(entries);
      } catch (error) {
        clocks.abandon();
        ids.clear();
        throw error;
      }
    };

    this.#compact = db.transaction((docName: string, snapshot: Uint8Array, clock: number): CompactOutcome => {
      const doc = statements.findDocument.get(docName);
      if (doc === undefined || clock <= doc.base) return { applied: false };
      const current = documentClock(doc);
      if (clock > current) return { aheadOf: current };
      statements.upsertSnapshot.run(doc.id, snapshot);
      statements.deleteUpdatesThrough.run(doc.id, clock);
      statements.recordCompaction.run(clock, doc.id);
      return { applied: true };
    }).immediate;

    this.#delete = db.transaction((docName: string) => {
      ids.delete(docName);
      const doc = statements.findDocument.get(docName);
      if (doc === undefined) return;
      statements.deleteUpdates.run(doc.id);
      statements.deleteSnapshot.run(doc.id);
      statements.deleteDocument.run(doc.id);
    }).immediate;
  }

  async load(docName: string): Promise<StoredDoc> {
    this.#assertOpen('load');
    assertDocName(docName);
    return this.#attempt('load', [docName], () => this.#load(docName));
  }

  async append(entries: readonly AppendEntry[]): Promise<void> {
    this.#assertOpen('append');
    assertAppendEntries(entries);
    if (entries.length === 0) return;
    this.#attempt(
      'append',
      () => [...new Set(entries.map((entry) => entry.docName))],
      () => this.#appendBatch(entries),
    );
    this.#scheduleCheckpoint();
  }

  /** Checkpoints `checkpointAfterMs` after the first append since the last one, or at once when the log grew long. */
  #scheduleCheckpoint(): void {
    this.#appendsSinceCheckpoint += 1;
    if (this.#appendsSinceCheckpoint >= CHECKPOINT_AFTER_APPENDS) {
      clearTimeout(this.#checkpointTimer);
      this.#checkpoint();
    } else {
      this.#checkpointTimer ??= setTimeout(this.#checkpoint, this.#checkpointAfterMs).unref();
    }
  }

  readonly #checkpoint = (): void => {
    this.#checkpointTimer = undefined;
    this.#appendsSinceCheckpoint = 0;
    this.#syncer.sync().then(
      () => {
        this.#backgroundFailing = false;
      },
      (error: unknown) => {
        if (this.#backgroundFailing) return;
        this.#backgroundFailing = true;
        this.#onBackgroundError?.(new StorageError('sync', [], error, `SQLite database ${this.path}`));
      },
    );
  };

  async compact(docName: string, snapshot: Uint8Array, clock: number): Promise<void> {
    this.#assertOpen('compact');
    assertCompactArguments(docName, snapshot, clock);
    const outcome = this.#attempt('compact', [docName], () => this.#compact(docName, snapshot, clock));
    if ('aheadOf' in outcome) throw clockAheadError(docName, clock, outcome.aheadOf);
  }

  async logStats(docName: string): Promise<LogStats> {
    this.#assertOpen('logStats');
    assertDocName(docName);
    return this.#attempt('logStats', [docName], () => {
      const doc = this.#statements.findDocument.get(docName);
      return doc === undefined ? { entries: 0, bytes: 0 } : this.#statements.logStats.get(doc.id)!;
    });
  }

  async list(): Promise<string[]> {
    this.#assertOpen('list');
    return this.#attempt('list', [], () => this.#statements.listNames.all());
  }

  async delete(docName: string): Promise<void> {
    this.#assertOpen('delete');
    assertDocName(docName);
    this.#attempt('delete', [docName], () => this.#delete(docName));
  }

  async generations(docName: string): Promise<Generations | undefined> {
    this.#assertOpen('generations');
    assertDocName(docName);
    return this.#attempt('generations', [docName], () => this.#statements.selectGenerations.get(docName));
  }

  async register(docName: string, parent?: string): Promise<Generations | undefined> {
    this.#assertOpen('register');
    assertDocName(docName);
    if (parent !== undefined) assertDocName(parent);
    return this.#attempt('register', [docName], () =>
      this.#statements.registerAccess.get({ name: docName, parent: parent ?? null }),
    );
  }

  async parent(docName: string): Promise<string | undefined> {
    this.#assertOpen('parent');
    assertDocName(docName);
    return this.#attempt('parent', [docName], () => this.#statements.selectParent.get(docName) ?? undefined);
  }

  async rotate(docName: string, scope: CapabilityScope): Promise<Generations> {
    this.#assertOpen('rotate');
    assertDocName(docName);
    assertCapabilityScope(scope);
    return this.#attempt('rotate', [docName], () => this.#statements.rotate[scope].get(docName)!);
  }

  /** With `FULL`, every commit was synced already; with `NORMAL`, runs a checkpoint off the main thread. */
  async sync(): Promise<void> {
    this.#assertOpen('sync');
    if (this.#synchronous === 'FULL') return;
    try {
      await this.#syncer.sync();
    } catch (error) {
      throw new StorageError('sync', [], error, `SQLite database ${this.path}`);
    }
  }

  /** Reads the schema and takes the write lock for an instant, which fails when the file went away or read-only. */
  async check(): Promise<void> {
    const db = this.#assertOpen('check');
    this.#attempt('check', [], () => {
      this.#statements.countDocuments.get();
      db.transaction(() => {}).immediate();
    });
  }

  /** Checkpoints the write-ahead log into the database file, then closes the connection. */
  async close(): Promise<void> {
    const db = this.#db;
    if (db === undefined) return;
    this.#db = undefined;
    clearTimeout(this.#checkpointTimer);
    await this.#syncer.close();
    this.#attempt('close', [], () => {
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    });
  }

  #assertOpen(operation: StoreOperation): Database.Database {
    if (this.#db === undefined) throw new StoreClosedError(operation);
    return this.#db;
  }

  /** Runs `work`, wrapping whatever SQLite throws in a `StorageError` that names the documents and the file. */
  #attempt<T>(operation: StoreOperation, docNames: readonly string[] | (() => readonly string[]), work: () => T): T {
    try {
      return work();
    } catch (error) {
      const names = typeof docNames === 'function' ? docNames() : docNames;
      throw new StorageError(operation, names, error, `SQLite database ${this.path}`);
    }
  }
}

/** Views a `Buffer` from better-sqlite3 as a plain `Uint8Array`; each one owns its memory, so no copy is needed. */
function ownBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
