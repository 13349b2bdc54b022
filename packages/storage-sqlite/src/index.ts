/**
 * @packageDocumentation
 * Meshpad's default `DocStore`: an embedded SQLite database (better-sqlite3, WAL mode) holding an
 * append-only log of Yjs updates and one compacted snapshot per document. This package is the only
 * place Meshpad's SQL lives; the README describes the schema and the durability settings.
 *
 * ```ts
 * const store = await SqliteDocStore.open({ path: './data/meshpad.db' });
 * await store.append([{ docName: 'notes', update }]);
 * await store.close();
 * ```
 */
export type { SynchronousMode } from './open-database.js';
export { SCHEMA_VERSION } from './schema.js';
export { SqliteDocStore, type SqliteDocStoreOptions } from './sqlite-doc-store.js';
