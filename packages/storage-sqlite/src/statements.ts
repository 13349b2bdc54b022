import type Database from 'better-sqlite3';

/** A `documents` row without its name. */
export interface DocumentRow {
  readonly id: number;
  readonly clock: number;
  readonly base: number;
  readonly entries: number;
  readonly bytes: number;
}

type Statement<Parameters extends unknown[] | object, Result = unknown> = Database.Statement<
  Parameters extends unknown[] ? Parameters : [Parameters],
  Result
>;

/** Every statement the store runs, prepared once per connection. */
export interface Statements {
  readonly findDocument: Statement<[name: string], DocumentRow>;
  readonly createDocument: Statement<[name: string], number>;
  readonly insertUpdate: Statement<[doc: number, data: Uint8Array]>;
  readonly recordAppend: Statement<[clock: number, entries: number, bytes: number, id: number]>;
  readonly selectSnapshot: Statement<[doc: number], Buffer>;
  readonly selectUpdates: Statement<[doc: number], Buffer>;
  readonly upsertSnapshot: Statement<[doc: number, data: Uint8Array]>;
  readonly deleteUpdatesThrough: Statement<[doc: number, clock: number]>;
  readonly recordCompaction: Statement<{ base: number; id: number }>;
  readonly listNames: Statement<[], string>;
  readonly deleteUpdates: Statement<[doc: number]>;
  readonly deleteSnapshot: Statement<[doc: number]>;
  readonly deleteDocument: Statement<[id: number]>;
  readonly countDocuments: Statement<[], number>;
}

/** Prepares every statement the store runs, once per connection. */
export function prepareStatements(db: Database.Database): Statements {
  return {
    findDocument: db.prepare<[name: string], DocumentRow>(
      'SELECT id, clock, base, log_entries AS entries, log_bytes AS bytes FROM documents WHERE name = ?',
    ),
    // A new document's base is the newest clock handed out so far: no compaction made before it exists applies.
    createDocument: db
      .prepare<[name: string], number>(
        `INSERT INTO documents (name, clock, base)
         SELECT ?, seq, seq FROM (SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'updates'), 0) AS seq)
         RETURNING id`,
      )
      .pluck(),
    insertUpdate: db.prepare<[doc: number, data: Uint8Array]>('INSERT INTO updates (doc, data) VALUES (?, ?)'),
    recordAppend: db.prepare<[clock: number, entries: number, bytes: number, id: number]>(
      'UPDATE documents SET clock = ?, log_entries = log_entries + ?, log_bytes = log_bytes + ? WHERE id = ?',
    ),
    selectSnapshot: db.prepare<[doc: number], Buffer>('SELECT data FROM snapshots WHERE doc = ?').pluck(),
    selectUpdates: db.prepare<[doc: number], Buffer>('SELECT data FROM updates WHERE doc = ? ORDER BY seq').pluck(),
    upsertSnapshot: db.prepare<[doc: number, data: Uint8Array]>(
      'INSERT INTO snapshots (doc, data) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data',
    ),
    deleteUpdatesThrough: db.prepare<[doc: number, clock: number]>('DELETE FROM updates WHERE doc = ? AND seq <= ?'),
    recordCompaction: db.prepare<{ base: number; id: number }>(
      `UPDATE documents SET base = @base,
         log_entries = (SELECT count(*) FROM updates WHERE doc = @id),
         log_bytes = (SELECT coalesce(sum(length(data)), 0) FROM updates WHERE doc = @id)
       WHERE id = @id`,
    ),
    listNames: db.prepare<[], string>('SELECT name FROM documents ORDER BY name').pluck(),
    deleteUpdates: db.prepare<[doc: number]>('DELETE FROM updates WHERE doc = ?'),
    deleteSnapshot: db.prepare<[doc: number]>('DELETE FROM snapshots WHERE doc = ?'),
    deleteDocument: db.prepare<[id: number]>('DELETE FROM documents WHERE id = ?'),
    countDocuments: db.prepare<[], number>('SELECT count(*) FROM documents').pluck(),
  };
}
