import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { eventually } from '../test/eventually.js';
import { newDocId } from './doc-id.js';
import { listLocalCopies, removeLocalCopy } from './local-copies.js';
import { kindRange, type LocalDatabase, logRange, openLocalDatabase, requestResult } from './local-database.js';
import { LocalStoreError } from './local-store-error.js';
import { OfflineStore } from './offline-store.js';

let databases = 0;
const freshDatabase = (): LocalDatabase => openLocalDatabase(`offline-store-test-${databases++}`);
const stores: OfflineStore[] = [];

/** A tab: a new Y.Doc with a store on `db`, not yet loaded. */
const tab = (db: LocalDatabase, docId: string, compactAfterEntries?: number): OfflineStore => {
  const store = new OfflineStore(new Y.Doc(), docId, { db, compactAfterEntries });
  stores.push(store);
  return store;
};

const textOf = (store: OfflineStore): string => store.doc.getText('content').toString();

const countRows = (db: LocalDatabase, range: IDBKeyRange): Promise<number> =>
  db('readonly', (store) => requestResult(store.count(range)));

afterEach(async () => {
  for (const store of stores.splice(0)) await store.destroy();
});

describe('OfflineStore', () => {
  it('writes each change within 100 ms, and a new tab loads insertions and deletions exactly', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    const first = tab(db, docId);
    expect(await first.load()).toEqual({ exists: false, unsaved: 0 });
    const text = first.doc.getText('content');
    text.insert(0, 'Hello brave new world');
    text.delete(6, 6);
    text.insert(text.length, '!');
    const editedAt = Date.now();
    expect(first.hasUnwrittenChanges).toBe(true);
    await eventually(() => !first.hasUnwrittenChanges, 'the changes are written', 1_000);
    expect(Date.now() - editedAt).toBeLessThan(100);

    const second = tab(db, docId);
    expect(await second.load()).toEqual({ exists: true, unsaved: 0 });
    expect(textOf(second)).toBe('Hello new world!');
  });

  it('reports what it loaded with itself as the origin, so that it does not write it back', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    const first = tab(db, docId);
    await first.load();
    first.doc.getText('content').insert(0, 'abc');
    await first.flush();
    const second = tab(db, docId);
    const origins: unknown[] = [];
    second.doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    await second.load();
    expect(origins).toEqual([second]);
    expect(second.hasUnwrittenChanges).toBe(false);
  });

  it('compacts the log into the snapshot once it grows, and loads the same text afterwards', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    const store = tab(db, docId, 5);
    await store.load();
    const text = store.doc.getText('content');
    await store.flush();
    for (let i = 0; i < 12; i++) {
      text.insert(text.length, `${i},`);
      if (i % 3 === 0) text.delete(0, 1);
      await store.flush();
    }
    // The first write is a snapshot; compaction happened at 5 and 10 rows, leaving one.
    expect(await countRows(db, logRange(docId))).toBe(1);
    const reopened = tab(db, docId);
    await reopened.load();
    expect(textOf(reopened)).toBe(text.toString());
  });

  it('keeps every write of two tabs editing at once, through compactions', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    const a = tab(db, docId, 4);
    const b = tab(db, docId, 4);
    await Promise.all([a.load(), b.load()]);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      a.doc.getText('content').insert(0, 'a');
      b.doc.getText('content').insert(0, 'b');
      writes.push(a.flush(), b.flush());
    }
    await Promise.all(writes);
    const merged = tab(db, docId);
    await merged.load();
    const text = textOf(merged);
    expect(text.replaceAll('b', '')).toBe('a'.repeat(20));
    expect(text.replaceAll('a', '')).toBe('b'.repeat(20));
  });

  it('remembers how many changes no relay confirmed, for the next visit to adopt and take over', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    const first = tab(db, docId);
    await first.load();
    first.doc.getText('content').insert(0, 'x');
    first.setUnsaved(3);
    await first.flush();
    expect(await listLocalCopies(db)).toMatchObject([{ docId, unsaved: 3 }]);

    const second = tab(db, docId);
    expect(await second.load()).toEqual({ exists: true, unsaved: 3 });
    second.setUnsaved(4);
    await second.flush();
    // The second session's row replaced the one it adopted, so the count is not doubled.
    expect(await listLocalCopies(db)).toMatchObject([{ docId, unsaved: 4 }]);
    second.setUnsaved(0);
    await second.flush();
    expect(await listLocalCopies(db)).toMatchObject([{ docId, unsaved: 0 }]);
    expect(await countRows(db, kindRange('pending'))).toBe(0);
  });

  it('keeps a copy of a document that no change touched, once asked to', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    const store = tab(db, docId);
    await store.load();
    store.keepCopy();
    await store.flush();
    expect(await tab(db, docId).load()).toEqual({ exists: true, unsaved: 0 });
  });

  it('writes the whole document again after another tab removed the copy', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    const open = tab(db, docId);
    await open.load();
    open.doc.getText('content').insert(0, 'kept in the open tab');
    await open.flush();
    await removeLocalCopy(db, docId);
    expect(await listLocalCopies(db)).toEqual([]);
    expect(await tab(db, docId).load()).toEqual({ exists: false, unsaved: 0 });

    open.doc.getText('content').insert(0, '> ');
    await open.flush();
    const reopened = tab(db, docId);
    expect(await reopened.load()).toEqual({ exists: true, unsaved: 0 });
    expect(textOf(reopened)).toBe('> kept in the open tab');
  });

  it('lists copies newest first and removes one with all its rows', async () => {
    const db = freshDatabase();
    const [older, newer] = [newDocId(), newDocId()];
    for (const docId of [older, newer]) {
      // Copies written in the same millisecond have no order.
      const before = Date.now();
      while (Date.now() === before) await new Promise((resolve) => setTimeout(resolve, 1));
      const store = tab(db, docId);
      await store.load();
      store.doc.getText('content').insert(0, docId);
      store.setUnsaved(1);
      await store.flush();
    }
    expect((await listLocalCopies(db)).map((copy) => copy.docId)).toEqual([newer, older]);
    await removeLocalCopy(db, newer);
    expect((await listLocalCopies(db)).map((copy) => copy.docId)).toEqual([older]);
    expect(await countRows(db, logRange(newer))).toBe(0);
    expect(await countRows(db, kindRange('pending'))).toBe(1);
  });
});

describe('OfflineStore errors', () => {
  // A stand-in database whose writes fail like a full disk: IndexedDB offers no way to fill a quota on purpose.
  const fullDisk = (db: LocalDatabase, full: { value: boolean }): LocalDatabase => {
    return (mode, callback) =>
      mode === 'readwrite' && full.value
        ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
        : db(mode, callback);
  };

  it('reports a full disk as quota-exceeded, keeps the changes, and writes them once there is room', async () => {
    const db = freshDatabase();
    const full = { value: true };
    const docId = newDocId();
    const store = tab(fullDisk(db, full), docId);
    await store.load();
    const states: string[] = [];
    store.on('state', (state) => states.push(state.state === 'failed' ? state.error.code : state.state));
    store.doc.getText('content').insert(0, 'must not be lost');
    await store.flush();
    expect(store.state).toMatchObject({ state: 'failed', error: { code: 'quota-exceeded' } });
    expect(store.hasUnwrittenChanges).toBe(true);

    full.value = false;
    store.doc.getText('content').insert(0, '!');
    await store.flush();
    expect(store.state).toEqual({ state: 'ready' });
    expect(store.hasUnwrittenChanges).toBe(false);
    expect(states).toEqual(['quota-exceeded', 'ready']);
    const reopened = tab(db, docId);
    await reopened.load();
    expect(textOf(reopened)).toBe('!must not be lost');
  });

  it('reports a browser without IndexedDB as unavailable, when loading and when writing', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error reason: simulates a browser that offers no IndexedDB (some private modes)
    delete globalThis.indexedDB;
    try {
      const store = tab(openLocalDatabase('never-opened'), newDocId());
      const loading = store.load();
      await expect(loading).rejects.toBeInstanceOf(LocalStoreError);
      await expect(loading).rejects.toMatchObject({ code: 'unavailable' });
      expect(store.state).toMatchObject({ state: 'failed', error: { code: 'unavailable' } });
      store.doc.getText('content').insert(0, 'only in memory');
      await store.flush();
      expect(store.hasUnwrittenChanges).toBe(true);
      expect(store.state).toMatchObject({ state: 'failed', error: { code: 'unavailable' } });
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('reports a damaged copy instead of loading part of it', async () => {
    const db = freshDatabase();
    const docId = newDocId();
    await db('readwrite', (store) => requestResult(store.put(Uint8Array.of(9, 9, 9), ['snapshot', docId])));
    await expect(tab(db, docId).load()).rejects.toMatchObject({ code: 'failed' });
  });
});
