import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StorageError } from '@meshpad/storage';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/temp-dir.js';
import { migrate, SCHEMA_VERSION } from './schema.js';
import { SqliteDocStore } from './sqlite-doc-store.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let path: string;
const opened: SqliteDocStore[] = [];

async function open(options: { synchronous?: 'FULL' | 'NORMAL'; busyTimeoutMs?: number } = {}) {
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

/** Runs test/crash-child.ts in a plain node process and resolves with the signal that ended it. */
function runCrashChild(synchronous: 'FULL' | 'NORMAL'): Promise<NodeJS.Signals | null> {
  const hooks = new URL('../test/typescript-hooks.mjs', import.meta.url).href;
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(hooks)});`;
  const child = spawn(
    process.execPath,
    ['--import', register, fileURLToPath(new URL('../test/crash-child.ts', import.meta.url)), path, synchronous],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === null ? resolve(signal) : reject(new Error(`crash child exited with ${code}: ${stderr}`)),
    );
  });
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
        expect.arrayContaining(['documents', 'snapshots', 'updates', 'updates_by_doc']),
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
