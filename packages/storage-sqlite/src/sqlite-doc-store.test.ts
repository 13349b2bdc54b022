import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StorageError } from '@meshpad/storage';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/temp-dir.js';
import { migrate, SCHEMA_VERSION } from './schema.js';
import { SqliteDocStore, type SqliteDocStoreOptions } from './sqlite-doc-store.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let path: string;
const opened: SqliteDocStore[] = [];

async function open(options: Omit<SqliteDocStoreOptions, 'path'> = {}) {
  const store = await SqliteDocStore.open({ path, ...options });
  opened.push(store);
  return store;
}

beforeEach(async () => {
  temp = await makeTempDir();
  path = join(temp.dir, 'meshpad.db');
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await temp.remove();
});

/** Runs a script of test/ in a plain node process; resolves with how it ended and what it printed. */
function runChild(
  script: string,
  args: readonly string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const hooks = new URL('../test/typescript-hooks.mjs', import.meta.url).href;
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(hooks)});`;
  const child = spawn(
    process.execPath,
    ['--import', register, fileURLToPath(new URL(`../test/${script}`, import.meta.url)), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs test/crash-child.ts and resolves with the signal that ended it. */
async function runCrashChild(synchronous: 'FULL' | 'NORMAL'): Promise<NodeJS.Signals | null> {
  const { code, signal, stderr } = await runChild('crash-child.ts', [path, synchronous]);
  if (code !== null) throw new Error(`crash child exited with ${code}: ${stderr}`);
  return signal;
}

describe('SqliteDocStore durability', () => {
  it.each(['FULL', 'NORMAL'] as const)(
    'keeps every resolved append of a process killed without close (synchronous %s)',
    async (synchronous) => {
      expect(await runCrashChild(synchronous)).toBe('SIGKILL');
      // The child never checkpointed: its commits are only in the write-ahead log.
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);

      const store = await open();
      const expected = (doc: number) =>
        Array.from({ length: 20 }, (_, batch) => batch)
          .flatMap((batch) => Array.from({ length: 50 }, (_, i) => [batch, i] as const))
          .filter(([, i]) => i % 3 === doc);
      const doc0 = await store.load('doc-0');
      const compacted = expected(0).filter(([batch]) => batch <= 9);
      expect(doc0.updates[0]).toEqual(Uint8Array.of(255, compacted.length));
      expect(doc0.updates.slice(1)).toEqual(
        expected(0)
          .filter(([batch]) => batch > 9)
          .map((pair) => Uint8Array.from(pair)),
      );
      for (const doc of [1, 2]) {
        expect((await store.load(`doc-${doc}`)).updates).toEqual(expected(doc).map((pair) => Uint8Array.from(pair)));
      }
      expect(await store.list()).toEqual(['doc-0', 'doc-1', 'doc-2']);
      // Opening copied the log the crash left into the database file.
      expect(updatesInDatabaseFile()).toBe(doc0.updates.length - 1 + expected(1).length + expected(2).length);
    },
    60_000,
  );

  it('lets a second connection read what a still-open one committed', async () => {
    const first = await open();
    await first.append([{ docName: 'doc', update: Uint8Array.of(1, 2) }]);
    const second = await open();
    expect((await second.load('doc')).updates).toEqual([Uint8Array.of(1, 2)]);
    await second.append([{ docName: 'doc', update: Uint8Array.of(3) }]);
    expect((await first.load('doc')).updates).toEqual([Uint8Array.of(1, 2), Uint8Array.of(3)]);
  });

  it('shares access records and taken names between connections', async () => {
    const first = await open();
    const second = await open();
    await first.append([{ docName: 'stored', update: Uint8Array.of(1) }]);
    expect(await second.register('stored')).toBeUndefined();
    expect(await first.register('new')).toEqual({ view: 0, edit: 0, owner: 0 });
    expect(await second.register('new')).toBeUndefined();
    await first.rotate('new', 'owner');
    expect(await second.rotate('new', 'owner')).toEqual({ view: 0, edit: 0, owner: 2 });
    expect(await first.generations('new')).toEqual({ view: 0, edit: 0, owner: 2 });
  });

  it('keeps clocks in commit order when two connections take turns', async () => {
    const first = await open();
    const second = await open();
    const clocks: number[] = [];
    for (let i = 0; i < 6; i++) {
      await (i % 2 === 0 ? first : second).append([{ docName: 'doc', update: Uint8Array.of(i) }]);
      clocks.push((await first.load('doc')).clock);
    }
    expect(clocks).toEqual([...clocks].sort((a, b) => a - b));
    expect(new Set(clocks).size).toBe(6);
    expect((await second.load('doc')).updates).toEqual(Array.from({ length: 6 }, (_, i) => Uint8Array.of(i)));
  });

  /** Rows of `updates` in the database file alone, without its write-ahead log: what checkpoints copied there. */
  function updatesInDatabaseFile(): number {
    const copy = join(temp.dir, 'without-wal.db');
    copyFileSync(path, copy);
    const raw = new Database(copy);
    try {
      // Before the first checkpoint, not even the schema is in the file.
      const hasTable = raw.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'updates'").get() !== undefined;
      return hasTable ? (raw.prepare('SELECT count(*) AS n FROM updates').get() as { n: number }).n : 0;
    } finally {
      raw.close();
      rmSync(copy, { force: true });
      rmSync(`${copy}-wal`, { force: true });
      rmSync(`${copy}-shm`, { force: true });
    }
  }

  it('copies the log into the database file on sync(), off the main thread (synchronous NORMAL)', async () => {
    const store = await open({ synchronous: 'NORMAL', checkpointAfterMs: 60_000 });
    await store.append([{ docName: 'doc', update: new Uint8Array(10_000) }]);
    await store.append([{ docName: 'doc', update: Uint8Array.of(1) }]);
    expect(updatesInDatabaseFile()).toBe(0);
    await Promise.all([store.sync(), store.sync(), store.sync()]);
    expect(updatesInDatabaseFile()).toBe(2);
  });

  it('checkpoints in the background soon after an append', async () => {
    const store = await open({ synchronous: 'NORMAL', checkpointAfterMs: 20 });
    for (let i = 0; i < 50; i++) await store.append([{ docName: `doc-${i % 5}`, update: Uint8Array.of(i) }]);
    const deadline = Date.now() + 5000;
    while (updatesInDatabaseFile() < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(updatesInDatabaseFile()).toBe(50);
  });

  it('reports a failed background checkpoint once, naming the file, until one succeeds', async () => {
    const errors: StorageError[] = [];
    const store = await open({
      synchronous: 'NORMAL',
      checkpointAfterMs: 10,
      onBackgroundError: (e) => errors.push(e),
    });
    // Both connections keep working on the unlinked file; the checkpoint thread notices it is gone.
    rmSync(path);
    for (let i = 0; i < 3; i++) {
      await store.append([{ docName: 'doc', update: Uint8Array.of(i) }]);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StorageError);
    expect(errors[0]!.message).toContain(path);
    expect(errors[0]!.message).toContain('deleted or replaced while open');
    await expect(store.sync()).rejects.toThrow(StorageError);
  });

  it('finishes close() in a process that has nothing else to do', async () => {
    const { code, stdout, stderr } = await runChild('close-child.ts', [path]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'closed', stderr: '' });
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
  });

  it('checkpoints the write-ahead log on close', async () => {
    const store = await open();
    await store.append([{ docName: 'doc', update: new Uint8Array(64 * 1024) }]);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    await store.close();
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.prepare('SELECT count(*) AS n FROM updates').get()).toEqual({ n: 1 });
    } finally {
      raw.close();
    }
  });
});

describe('SqliteDocStore errors', () => {
  it('names the file when it is not a database', async () => {
    await writeFile(path, 'this is not an SQLite database, just text that is long enough to be read'.repeat(20));
    const failure = SqliteDocStore.open({ path });
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toThrow(`Storage open failed (SQLite database ${path}): SQLITE_NOTADB`);
    await expect(failure).rejects.toMatchObject({ operation: 'open', cause: { code: 'SQLITE_NOTADB' } });
  });

  it('names the path when its directory cannot be created', async () => {
    const blocker = join(temp.dir, 'a-file');
    await writeFile(blocker, '');
    const unusable = join(blocker, 'data', 'meshpad.db');
    const failure = SqliteDocStore.open({ path: unusable });
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toThrow(`(SQLite database ${unusable}): ENOTDIR`);
  });

  it('names the path when it is a directory', async () => {
    await mkdir(path);
    await expect(SqliteDocStore.open({ path })).rejects.toThrow(`Storage open failed (SQLite database ${path})`);
  });

  it('rejects invalid options', async () => {
    await expect(SqliteDocStore.open({ path: '' })).rejects.toThrow(TypeError);
    const synchronous = 'OFF' as 'FULL';
    await expect(SqliteDocStore.open({ path, synchronous })).rejects.toThrow('synchronous must be one of FULL, NORMAL');
    await expect(SqliteDocStore.open({ path, busyTimeoutMs: -1 })).rejects.toThrow(RangeError);
  });

  it('wraps a failed append in a StorageError naming the documents and writes none of it', async () => {
    const store = await open({ busyTimeoutMs: 20 });
    await store.append([{ docName: 'a', update: Uint8Array.of(1) }]);
    const locker = new Database(path);
    try {
      locker.exec('BEGIN IMMEDIATE');
      const failure = store.append([
        { docName: 'a', update: Uint8Array.of(2) },
        { docName: 'b', update: Uint8Array.of(3) },
      ]);
      await expect(failure).rejects.toThrow('Storage append failed for documents "a", "b"');
      await expect(failure).rejects.toMatchObject({
        operation: 'append',
        docNames: ['a', 'b'],
        cause: { code: 'SQLITE_BUSY' },
      });
      await expect(store.check()).rejects.toMatchObject({ operation: 'check', cause: { code: 'SQLITE_BUSY' } });
      locker.exec('ROLLBACK');
    } finally {
      locker.close();
    }
    expect((await store.load('a')).updates).toEqual([Uint8Array.of(1)]);
    expect(await store.list()).toEqual(['a']);
    await store.check();
  });
});

describe('SqliteDocStore schema', () => {
  function schemaOf(db: Database.Database) {
    return db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
  }

  it('migrates a new database once and leaves a current one alone', async () => {
    await (await open()).close();
    const db = new Database(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const schema = schemaOf(db);
      expect(schema.map((row) => (row as { name: string }).name)).toEqual(
        expect.arrayContaining(['access', 'clock', 'documents', 'snapshots', 'updates']),
      );
      migrate(db);
      migrate(db);
      expect(schemaOf(db)).toEqual(schema);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
    const store = await open();
    await store.append([{ docName: 'doc', update: Uint8Array.of(1) }]);
    await store.close();
    expect((await (await open()).load('doc')).updates).toEqual([Uint8Array.of(1)]);
  });

  it('migrates a version 1 database, keeping its documents and clocks', async () => {
    const db = new Database(path);
    db.exec(`
      CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, clock INTEGER NOT NULL,
        base INTEGER NOT NULL, log_entries INTEGER NOT NULL DEFAULT 0, log_bytes INTEGER NOT NULL DEFAULT 0) STRICT;
      CREATE TABLE snapshots (doc INTEGER PRIMARY KEY REFERENCES documents (id), data BLOB NOT NULL) STRICT;
      CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc INTEGER NOT NULL REFERENCES documents (id),
        data BLOB NOT NULL) STRICT;
      CREATE INDEX updates_by_doc ON updates (doc, seq);
      INSERT INTO documents VALUES (1, 'kept', 7, 5, 2, 2), (2, 'other', 6, 0, 1, 1);
      INSERT INTO snapshots VALUES (1, x'09');
      INSERT INTO updates (seq, doc, data) VALUES (6, 2, x'06'), (7, 1, x'07'), (8, 1, x'08');
      DELETE FROM updates WHERE seq = 8;
      PRAGMA user_version = 1;
    `);
    db.close();

    const store = await open();
    expect(await store.load('kept')).toEqual({ updates: [Uint8Array.of(9), Uint8Array.of(7)], clock: 7, bytes: 2 });
    expect(await store.load('other')).toEqual({ updates: [Uint8Array.of(6)], clock: 6, bytes: 1 });
    expect(await store.logStats('kept')).toEqual({ entries: 1, bytes: 1 });
    // Clock 8 was handed out and deleted before the migration: it is never used again.
    await store.append([{ docName: 'kept', update: Uint8Array.of(10) }]);
    const after = await store.load('kept');
    expect(after.clock).toBeGreaterThan(8);
    await store.compact('kept', Uint8Array.of(11), after.clock);
    expect((await store.load('kept')).updates).toEqual([Uint8Array.of(11)]);
  });

  it('adds the access table to a version 2 database, keeping its documents', async () => {
    const before = await open();
    await before.append([{ docName: 'kept', update: Uint8Array.of(1) }]);
    await before.close();
    // Version 3 only added the access table: without it, this is the database version 2 made.
    const db = new Database(path);
    db.exec('DROP TABLE access; PRAGMA user_version = 2;');
    db.close();

    const store = await open();
    expect(await store.load('kept')).toMatchObject({ updates: [Uint8Array.of(1)] });
    expect(await store.register('kept')).toBeUndefined();
    expect(await store.register('new')).toEqual({ view: 0, edit: 0, owner: 0 });
    expect(await store.rotate('kept', 'edit')).toEqual({ view: 0, edit: 1, owner: 0 });
    await store.close();
    const migrated = new Database(path);
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      migrated.close();
    }
  });

  it('adds the parent column to a version 3 database, keeping its access records', async () => {
    const before = await open();
    await before.register('kept');
    await before.rotate('kept', 'view');
    await before.close();
    // Version 4 only added access.parent: without it, this is the database version 3 made.
    const db = new Database(path);
    db.exec('ALTER TABLE access DROP COLUMN parent; PRAGMA user_version = 3;');
    db.close();

    const store = await open();
    expect(await store.generations('kept')).toEqual({ view: 1, edit: 0, owner: 0 });
    expect(await store.parent('kept')).toBeUndefined();
    expect(await store.register('child', 'workspace/w')).toEqual({ view: 0, edit: 0, owner: 0 });
    expect(await store.parent('child')).toBe('workspace/w');
    await store.close();
  });

  it('refuses a database from a newer schema version', async () => {
    await (await open()).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(SqliteDocStore.open({ path })).rejects.toThrow(
      `its schema version ${SCHEMA_VERSION + 1} is newer than this build understands (${SCHEMA_VERSION})`,
    );
  });
});
