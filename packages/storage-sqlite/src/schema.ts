import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` counts how many a database has had.
 * Append new steps, never edit a released one.
 *
 * `updates.seq` is the store-wide clock. It never reuses the numbers of deleted rows, so a
 * snapshot made before a compaction or a delete can always be told apart.
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
  // An append writes one page: the log is clustered by document, and the clock is reserved in
  // blocks (`clock.reserved`) instead of per row through AUTOINCREMENT and the documents row.
  `
  CREATE TABLE clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- every seq any connection may use is <= reserved; connections take blocks above it
    reserved INTEGER NOT NULL
  ) STRICT;
  INSERT INTO clock (id, reserved) VALUES (1, max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'updates'), 0),
    coalesce((SELECT max(clock) FROM documents), 0),
    coalesce((SELECT max(base) FROM documents), 0)));

  CREATE TABLE log (
    doc INTEGER NOT NULL REFERENCES documents (id),
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (doc, seq)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO log (doc, seq, data) SELECT doc, seq, data FROM updates;
  DROP TABLE updates;
  ALTER TABLE log RENAME TO updates;

  ALTER TABLE documents DROP COLUMN clock;
  ALTER TABLE documents DROP COLUMN log_entries;
  ALTER TABLE documents DROP COLUMN log_bytes;
  `,
  // Capability generations (AccessStore), keyed by name rather than documents.id: a record
  // outlives the document's deletion, and exists before the document's first update.
  `
  CREATE TABLE access (
    name TEXT PRIMARY KEY,
    view INTEGER NOT NULL DEFAULT 0,
    edit INTEGER NOT NULL DEFAULT 0,
    owner INTEGER NOT NULL DEFAULT 0
  ) STRICT, WITHOUT ROWID;
  `,
  // The room a document was registered in (its workspace), whose tokens open it too.
  `
  ALTER TABLE access ADD COLUMN parent TEXT;
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
