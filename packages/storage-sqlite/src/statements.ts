import type { CapabilityScope, Generations } from '@meshpad/storage';
import type Database from 'better-sqlite3';

/** A `documents` row without its name. */
export interface DocumentRow {
  readonly id: number;
  readonly base: number;
}

type Statement<Parameters extends unknown[] | object, Result = unknown> = Database.Statement<
  Parameters extends unknown[] ? Parameters : [Parameters],
  Result
>;

/** Every statement the store runs, prepared once per connection. */
export interface Statements {
  readonly dataVersion: Statement<[], number>;
  readonly reserveClocks: Statement<[count: number], number>;
  readonly reservedClock: Statement<[], number>;
  readonly findDocument: Statement<[name: string], DocumentRow>;
  readonly createDocument: Statement<[name: string, base: number], number>;
  readonly insertUpdate: Statement<[doc: number, seq: number, data: Uint8Array]>;
  readonly newestSeq: Statement<[doc: number], number | null>;
  readonly logStats: Statement<[doc: number], { entries: number; bytes: number }>;
  readonly selectSnapshot: Statement<[doc: number], Buffer>;
  readonly selectUpdates: Statement<[doc: number], Buffer>;
  readonly upsertSnapshot: Statement<[doc: number, data: Uint8Array]>;
  readonly deleteUpdatesThrough: Statement<[doc: number, clock: number]>;
  readonly recordCompaction: Statement<[base: number, id: number]>;
  readonly listNames: Statement<[], string>;
  readonly deleteUpdates: Statement<[doc: number]>;
  readonly deleteSnapshot: Statement<[doc: number]>;
  readonly deleteDocument: Statement<[id: number]>;
  readonly countDocuments: Statement<[], number>;
  readonly selectGenerations: Statement<[name: string], Generations>;
  readonly registerAccess: Statement<{ name: string; parent: string | null }, Generations>;
  readonly selectParent: Statement<[name: string], string | null>;
  readonly rotate: Readonly<Record<CapabilityScope, Statement<[name: string], Generations>>>;
}

/** Prepares every statement the store runs, once per connection. */
export function prepareStatements(db: Database.Database): Statements {
  return {
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    reserveClocks: db
      .prepare<[count: number], number>('UPDATE clock SET reserved = reserved + ? WHERE id = 1 RETURNING reserved')
      .pluck(),
    reservedClock: db.prepare<[], number>('SELECT reserved FROM clock WHERE id = 1').pluck(),
    findDocument: db.prepare<[name: string], DocumentRow>('SELECT id, base FROM documents WHERE name = ?'),
    createDocument: db
      .prepare<[name: string, base: number], number>('INSERT INTO documents (name, base) VALUES (?, ?) RETURNING id')
      .pluck(),
    insertUpdate: db.prepare<[doc: number, seq: number, data: Uint8Array]>(
      'INSERT INTO updates (doc, seq, data) VALUES (?, ?, ?)',
    ),
    newestSeq: db.prepare<[doc: number], number | null>('SELECT max(seq) FROM updates WHERE doc = ?').pluck(),
    logStats: db.prepare<[doc: number], { entries: number; bytes: number }>(
      'SELECT count(*) AS entries, coalesce(sum(length(data)), 0) AS bytes FROM updates WHERE doc = ?',
    ),
    selectSnapshot: db.prepare<[doc: number], Buffer>('SELECT data FROM snapshots WHERE doc = ?').pluck(),
    selectUpdates: db.prepare<[doc: number], Buffer>('SELECT data FROM updates WHERE doc = ? ORDER BY seq').pluck(),
    upsertSnapshot: db.prepare<[doc: number, data: Uint8Array]>(
      'INSERT INTO snapshots (doc, data) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data',
    ),
    deleteUpdatesThrough: db.prepare<[doc: number, clock: number]>('DELETE FROM updates WHERE doc = ? AND seq <= ?'),
    recordCompaction: db.prepare<[base: number, id: number]>('UPDATE documents SET base = ? WHERE id = ?'),
    listNames: db.prepare<[], string>('SELECT name FROM documents ORDER BY name').pluck(),
    deleteUpdates: db.prepare<[doc: number]>('DELETE FROM updates WHERE doc = ?'),
    deleteSnapshot: db.prepare<[doc: number]>('DELETE FROM snapshots WHERE doc = ?'),
    deleteDocument: db.prepare<[id: number]>('DELETE FROM documents WHERE id = ?'),
    countDocuments: db.prepare<[], number>('SELECT count(*) FROM documents').pluck(),
    selectGenerations: db.prepare<[name: string], Generations>('SELECT view, edit, owner FROM access WHERE name = ?'),
    // One statement, so no other connection can take the name between the check and the insert.
    registerAccess: db.prepare<{ name: string; parent: string | null }, Generations>(
      `INSERT INTO access (name, parent) SELECT @name, @parent
       WHERE NOT EXISTS (SELECT 1 FROM documents WHERE name = @name)
       ON CONFLICT (name) DO NOTHING RETURNING view, edit, owner`,
    ),
    selectParent: db.prepare<[name: string], string | null>('SELECT parent FROM access WHERE name = ?').pluck(),
    rotate: { view: prepareRotate(db, 'view'), edit: prepareRotate(db, 'edit'), owner: prepareRotate(db, 'owner') },
  };
}

/** Increments one generation in a single statement, creating the record when there is none. */
function prepareRotate(db: Database.Database, scope: CapabilityScope): Statement<[name: string], Generations> {
  // A scope is a literal of the CapabilityScope union, each the name of a column, never caller input.
  return db.prepare<[name: string], Generations>(
    `INSERT INTO access (name, ${scope}) VALUES (?, 1)
     ON CONFLICT (name) DO UPDATE SET ${scope} = ${scope} + 1 RETURNING view, edit, owner`,
  );
}
