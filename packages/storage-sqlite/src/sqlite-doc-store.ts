import { resolve } from 'node:path';
import {
  type AppendEntry,
  assertAppendEntries,
  assertCompactArguments,
  assertDocName,
  clockAheadError,
  type DocStore,
  type LogStats,
  StorageError,
  StoreClosedError,
  type StoredDoc,
  type StoreOperation,
} from '@meshpad/storage';
import type Database from 'better-sqlite3';
import { openDatabase, type SynchronousMode } from './open-database.js';
import { prepareStatements, type Statements } from './statements.js';

/** Where and how to open the database. */
export interface SqliteDocStoreOptions {
  /** The database file; missing parent directories are created. */
  readonly path: string;
  /**
   * `FULL` (the default) syncs the write-ahead log on every commit, so a resolved `append` survives
   * power loss. `NORMAL` survives a crash of the process but may lose the last commits on power
   * loss, and is faster.
   */
  readonly synchronous?: SynchronousMode;
  /** How long a write waits for another connection's lock before failing; 5000 ms by default. */
  readonly busyTimeoutMs?: number;
}

type CompactOutcome = { readonly applied: boolean } | { readonly aheadOf: number };

const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['FULL', 'NORMAL'];

/**
 * Meshpad's default `DocStore`: one SQLite database in WAL mode, an append-only table of updates
 * and one snapshot per document. better-sqlite3 is synchronous, so every call does its work
 * before returning its promise: calls take effect in the order they are made.
 */
export class SqliteDocStore implements DocStore {
  /** The absolute path of the database file. */
  readonly path: string;
  #db: Database.Database | undefined;
  readonly #statements: Statements;
  readonly #appendBatch: (entries: readonly AppendEntry[]) => void;
  readonly #compact: (docName: string, snapshot: Uint8Array, clock: number) => CompactOutcome;
  readonly #load: (docName: string) => StoredDoc;
  readonly #delete: (docName: string) => void;

  /** Opens or creates the database and migrates its schema; rejects with a `StorageError` naming the file. */
  static async open(options: SqliteDocStoreOptions): Promise<SqliteDocStore> {
    const { synchronous = 'FULL', busyTimeoutMs = 5000 } = options;
    if (typeof options.path !== 'string' || options.path === '') {
      throw new TypeError('SqliteDocStore needs the path of its database file');
    }
    if (!SYNCHRONOUS_MODES.includes(synchronous)) {
      throw new RangeError(`synchronous must be one of ${SYNCHRONOUS_MODES.join(', ')}, got ${String(synchronous)}`);
    }
    if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
      throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
    }
    const path = resolve(options.path);
    let db: Database.Database | undefined;
    try {
      db = openDatabase({ path, synchronous, busyTimeoutMs });
      return new SqliteDocStore(path, db);
    } catch (error) {
      db?.close();
      throw new StorageError('open', [], error, `SQLite database ${path}`);
    }
  }

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
    const statements = prepareStatements(db);
    this.#statements = statements;

    this.#load = db.transaction((docName: string): StoredDoc => {
      const doc = statements.findDocument.get(docName);
      if (doc === undefined) return { updates: [], clock: 0, bytes: 0 };
      const snapshot = statements.selectSnapshot.get(doc.id);
      const rows = statements.selectUpdates.all(doc.id);
      const updates = (snapshot === undefined ? rows : [snapshot, ...rows]).map(ownBytes);
      const bytes = updates.reduce((total, update) => total + update.byteLength, 0);
      return { updates, clock: doc.clock, bytes };
    });

    this.#appendBatch = db.transaction((entries: readonly AppendEntry[]) => {
      const touched = new Map<string, { id: number; clock: number; entries: number; bytes: number }>();
      for (const { docName, update } of entries) {
        let doc = touched.get(docName);
        if (doc === undefined) {
          const id = statements.findDocument.get(docName)?.id ?? statements.createDocument.get(docName)!;
          doc = { id, clock: 0, entries: 0, bytes: 0 };
          touched.set(docName, doc);
        }
        doc.clock = Number(statements.insertUpdate.run(doc.id, update).lastInsertRowid);
        doc.entries += 1;
        doc.bytes += update.byteLength;
      }
      for (const doc of touched.values()) statements.recordAppend.run(doc.clock, doc.entries, doc.bytes, doc.id);
    }).immediate;

    this.#compact = db.transaction((docName: string, snapshot: Uint8Array, clock: number): CompactOutcome => {
      const doc = statements.findDocument.get(docName);
      if (doc === undefined || clock <= doc.base) return { applied: false };
      if (clock > doc.clock) return { aheadOf: doc.clock };
      statements.upsertSnapshot.run(doc.id, snapshot);
      statements.deleteUpdatesThrough.run(doc.id, clock);
      statements.recordCompaction.run({ base: clock, id: doc.id });
      return { applied: true };
    }).immediate;

    this.#delete = db.transaction((docName: string) => {
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
  }

  async compact(docName: string, snapshot: Uint8Array, clock: number): Promise<void> {
    this.#assertOpen('compact');
    assertCompactArguments(docName, snapshot, clock);
    const outcome = this.#attempt('compact', [docName], () => this.#compact(docName, snapshot, clock));
    if ('aheadOf' in outcome) throw clockAheadError(docName, clock, outcome.aheadOf);
  }

  async logStats(docName: string): Promise<LogStats> {
    this.#assertOpen('logStats');
    assertDocName(docName);
    const doc = this.#attempt('logStats', [docName], () => this.#statements.findDocument.get(docName));
    return { entries: doc?.entries ?? 0, bytes: doc?.bytes ?? 0 };
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
