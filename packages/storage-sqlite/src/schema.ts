import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` counts how many a database has had.
 * Append new steps, never edit a released one.
 *
 * `updates.seq` is the store-wide clock. AUTOINCREMENT keeps it from reusing the numbers of
 * deleted rows, so a snapshot made before a compaction or a delete can always be told apart.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- seq of the newest update appended to this document
    clock INTEGER NOT NULL,
    -- updates with seq <= base are folded into the snapshot (or predate this document)
    base INTEGER NOT NULL,
    log_entries INTEGER NOT NULL DEFAULT 0,
    log_bytes INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  -- Kept apart from documents: every append updates that row, and SQLite rewrites a row whole.
  CREATE TABLE snapshots (
    doc INTEGER PRIMARY KEY REFERENCES documents (id),
    data BLOB NOT NULL
  ) STRICT;

  CREATE TABLE updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc INTEGER NOT NULL REFERENCES documents (id),
    data BLOB NOT NULL
  ) STRICT;

  CREATE INDEX updates_by_doc ON updates (doc, seq);
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema up to `SCHEMA_VERSION`, one transaction per step, safe to run on every open. */
export function migrate(db: Database.Database): void {
  const step = db.transaction((): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`its schema version ${version} is newer than this build understands (${SCHEMA_VERSION})`);
    }
    const migration = MIGRATIONS[version];
    if (migration === undefined) return false;
    db.exec(migration);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  // IMMEDIATE takes the write lock before reading the version, so two processes never both migrate.
  while (step.immediate()) {}
}
