import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './schema.js';

/** How hard SQLite works to keep a committed transaction: see the README's durability section. */
export type SynchronousMode = 'FULL' | 'NORMAL';

/** Settings of one database connection. */
export interface ConnectionSettings {
  readonly path: string;
  readonly synchronous: SynchronousMode;
  readonly busyTimeoutMs: number;
}

/** Opens (creating if needed) a migrated database in WAL mode; throws SQLite's or the file system's error. */
export function openDatabase({ path, synchronous, busyTimeoutMs }: ConnectionSettings): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal') throw new Error(`SQLite refused WAL mode (journal_mode is ${String(journalMode)})`);
    db.pragma(`synchronous = ${synchronous}`);
    // Checkpoints run on a worker thread (wal-syncer.ts); this only bounds the log if that thread fails.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
