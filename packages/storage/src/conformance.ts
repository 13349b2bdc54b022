import type { describe as Describe, expect as Expect, it as It } from 'vitest';
import * as Y from 'yjs';
import type { AccessStore, Generations } from './access-store.js';
import { compactUpdates } from './compact-updates.js';
import type { DocStore, StoredDoc } from './doc-store.js';
import { StoreClosedError } from './errors.js';

/** A fresh, empty store for one test, and how to get at the same data again. */
export interface DocStoreHarness<Store extends DocStore = DocStore> {
  readonly store: Store;
  /** Opens a new store over the same data; the suite closes the previous one first. */
  readonly reopen?: () => Promise<Store>;
  /** Removes whatever the store left behind (files, databases); called after every store is closed. */
  readonly cleanup?: () => Promise<void>;
}

/** Creates the harness for one test. */
export type OpenDocStore<Store extends DocStore = DocStore> = () => Promise<DocStoreHarness<Store>>;

interface TestStores<Store extends DocStore> {
  /** The store currently open. */
  readonly store: Store;
  /** Closes the current store and opens a new one over the same data, or skips the test. */
  reopen(): Promise<Store>;
}

const LARGE_TIMEOUT_MS = 120_000;

/**
 * The test functions of the caller's vitest: passed in rather than imported, so that this package
 * needs vitest only where its suite runs, never in a production install.
 */
export interface Vitest {
  readonly describe: typeof Describe;
  readonly it: typeof It;
  readonly expect: typeof Expect;
}

/**
 * Registers the vitest suite every `DocStore` backend must pass. `open` is called once per test
 * and must return an empty store; pass `reopen` so the suite can check that data survives.
 */
export function runDocStoreConformance({ describe, it, expect }: Vitest, name: string, open: OpenDocStore): void {
  const test = (title: string, body: (stores: TestStores<DocStore>) => Promise<void>, timeout?: number) =>
    it(title, (context) => withStores(open, body, () => context.skip()), timeout);

  describe(`${name} conforms to DocStore`, () => {
    describe('load and append', () => {
      test('loads an unknown document as empty', async ({ store }) => {
        expect(await store.load('missing')).toEqual({ updates: [], clock: 0, bytes: 0 });
        expect(await store.logStats('missing')).toEqual({ entries: 0, bytes: 0 });
        expect(await store.list()).toEqual([]);
      });

      test('keeps the order of appended updates per document', async ({ store }) => {
        const updates = Array.from({ length: 10 }, (_, i) => bytesOf(i, i + 1));
        await store.append(updates.slice(0, 3).map((update) => ({ docName: 'doc', update })));
        await store.append([{ docName: 'doc', update: updates[3]! }]);
        await store.append(updates.slice(4).map((update) => ({ docName: 'doc', update })));
        const loaded = await store.load('doc');
        expect(loaded.updates).toEqual(updates);
        expect(loaded.bytes).toBe(totalBytes(updates));
        expect(loaded.clock).toBeGreaterThan(0);
        expect(await store.logStats('doc')).toEqual({ entries: 10, bytes: totalBytes(updates) });
      });

      test('gives every append a newer clock', async ({ store }) => {
        const clocks: number[] = [];
        for (let i = 0; i < 5; i++) {
          await store.append([{ docName: 'doc', update: bytesOf(i) }]);
          clocks.push((await store.load('doc')).clock);
        }
        expect(clocks).toEqual([...clocks].sort((a, b) => a - b));
        expect(new Set(clocks).size).toBe(clocks.length);
      });

      test('appends entries for many documents in one batch', async ({ store }) => {
        const names = Array.from({ length: 50 }, (_, i) => `doc-${i}`);
        const entries = [0, 1, 2, 3].flatMap((round) =>
          names.map((docName, i) => ({ docName, update: bytesOf(i, round) })),
        );
        await store.append(entries);
        for (const [i, docName] of names.entries()) {
          expect((await store.load(docName)).updates).toEqual([0, 1, 2, 3].map((round) => bytesOf(i, round)));
        }
        expect((await store.list()).sort()).toEqual([...names].sort());
      });

      test('treats an empty batch as a no-op', async ({ store }) => {
        await store.append([]);
        expect(await store.list()).toEqual([]);
      });

      test('keeps documents with similar names apart', async ({ store }) => {
        const names = ['a', 'A', 'a ', 'a%', 'a_', "a'b", 'a"b', 'a/b', 'ä', 'a\u0000b', 'aa'];
        await store.append(names.map((docName, i) => ({ docName, update: bytesOf(i) })));
        for (const [i, docName] of names.entries()) {
          expect((await store.load(docName)).updates).toEqual([bytesOf(i)]);
        }
        await store.delete('a');
        expect((await store.load('a')).updates).toEqual([]);
        expect((await store.load('aa')).updates).toEqual([bytesOf(names.indexOf('aa'))]);
        expect((await store.list()).sort()).toEqual(names.filter((docName) => docName !== 'a').sort());
      });

      test('rejects malformed arguments with a TypeError', async ({ store }) => {
        const notBytes = [1, 2, 3] as unknown as Uint8Array;
        await expect(store.append([{ docName: 'doc', update: notBytes }])).rejects.toThrow(TypeError);
        await expect(store.append([{ docName: 7 as unknown as string, update: bytesOf(1) }])).rejects.toThrow(
          TypeError,
        );
        await expect(store.load(undefined as unknown as string)).rejects.toThrow(TypeError);
        await expect(store.compact('doc', notBytes, 0)).rejects.toThrow(TypeError);
        expect(await store.list()).toEqual([]);
      });

      test('writes none of a batch that holds a malformed entry', async ({ store }) => {
        const batch = [
          { docName: 'doc', update: bytesOf(1) },
          { docName: 'doc', update: 'oops' as unknown as Uint8Array },
        ];
        await expect(store.append(batch)).rejects.toThrow(TypeError);
        expect(await store.load('doc')).toEqual({ updates: [], clock: 0, bytes: 0 });
      });
    });

    describe('durability', () => {
      test('keeps everything after a reopen', async (stores) => {
        const editor = new TextEditor();
        editor.insert(0, 'hello world');
        await stores.store.append(editor.take().map((update) => ({ docName: 'text', update })));
        const compacted = await stores.store.load('text');
        await stores.store.compact('text', compactUpdates(compacted.updates), compacted.clock);
        editor.insert(5, ', dear');
        await stores.store.append([
          ...editor.take().map((update) => ({ docName: 'text', update })),
          { docName: 'raw', update: bytesOf(1, 2, 3) },
          { docName: 'gone', update: bytesOf(4) },
        ]);
        await stores.store.delete('gone');
        const before = await snapshotOf(stores.store, ['text', 'raw', 'gone']);

        const reopened = await stores.reopen();
        expect(await snapshotOf(reopened, ['text', 'raw', 'gone'])).toEqual(before);
        expect(textOf(await reopened.load('text'))).toBe('hello, dear world');

        await reopened.append([{ docName: 'text', update: bytesOf(9) }]);
        expect((await reopened.load('text')).clock).toBeGreaterThan(before.loads.text!.clock);
      });
    });

    describe('large payloads', () => {
      test(
        'stores a 16 MiB update',
        async ({ store }) => {
          const big = noise(16 * 1024 * 1024, 1);
          await store.append([{ docName: 'big', update: big }]);
          const loaded = await store.load('big');
          expect(loaded.updates).toHaveLength(1);
          expect(loaded.bytes).toBe(big.byteLength);
          expect(sameBytes(loaded.updates[0]!, big)).toBe(true);
        },
        LARGE_TIMEOUT_MS,
      );

      test(
        'stores 5,000 small updates in one batch',
        async ({ store }) => {
          const updates = Array.from({ length: 5000 }, (_, i) => noise(8 + (i % 40), i));
          await store.append(updates.map((update) => ({ docName: 'many', update })));
          const loaded = await store.load('many');
          expect(loaded.updates).toHaveLength(updates.length);
          expect(loaded.updates.every((update, i) => sameBytes(update, updates[i]!))).toBe(true);
          expect(await store.logStats('many')).toEqual({ entries: 5000, bytes: totalBytes(updates) });
        },
        LARGE_TIMEOUT_MS,
      );
    });

    describe('concurrency', () => {
      test('lands appends started together in the order they were called', async ({ store }) => {
        const calls = Array.from({ length: 200 }, (_, i) =>
          store.append([
            { docName: 'x', update: bytesOf(i & 255, i >> 8) },
            { docName: 'y', update: bytesOf(i >> 8, i & 255) },
          ]),
        );
        await Promise.all(calls);
        const expected = Array.from({ length: 200 }, (_, i) => bytesOf(i & 255, i >> 8));
        expect((await store.load('x')).updates).toEqual(expected);
        expect((await store.load('y')).updates).toEqual(expected.map((update) => update.slice().reverse()));
      });

      test('keeps appends that run while a compaction is under way', async ({ store }) => {
        const editor = new TextEditor();
        editor.insert(0, 'abc');
        await store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        const loaded = await store.load('doc');
        const snapshot = compactUpdates(loaded.updates);
        editor.insert(3, 'def');
        const appending = store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        const compacting = store.compact('doc', snapshot, loaded.clock);
        editor.insert(6, 'ghi');
        const appendingMore = store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        await Promise.all([appending, compacting, appendingMore]);
        expect(textOf(await store.load('doc'))).toBe('abcdefghi');
      });
    });

    describe('compaction', () => {
      test('keeps the content of a compacted document', async ({ store }) => {
        const editor = new TextEditor();
        for (let i = 0; i < 30; i++) {
          editor.insert(editor.text.length, `line ${i}\n`);
          if (i % 3 === 0) editor.delete(0, 2);
          await store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        }
        const loaded = await store.load('doc');
        await store.compact('doc', compactUpdates(loaded.updates), loaded.clock);
        const compacted = await store.load('doc');
        expect(compacted.updates).toHaveLength(1);
        expect(compacted.clock).toBe(loaded.clock);
        expect(textOf(compacted)).toBe(editor.text.toString());
      });

      test('keeps entries appended after the clock', async ({ store }) => {
        const editor = new TextEditor();
        editor.insert(0, 'first');
        await store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        const loaded = await store.load('doc');
        editor.insert(5, ' second');
        await store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        editor.insert(0, 'zeroth ');
        const later = editor.take();
        await store.append(later.map((update) => ({ docName: 'doc', update })));

        await store.compact('doc', compactUpdates(loaded.updates), loaded.clock);
        const after = await store.load('doc');
        expect(after.updates.slice(-later.length)).toEqual(later);
        expect(textOf(after)).toBe('zeroth first second');
        expect(after.clock).toBeGreaterThan(loaded.clock);
      });

      test('ignores a compaction with a stale clock', async ({ store }) => {
        const editor = new TextEditor();
        editor.insert(0, 'one');
        await store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        const early = await store.load('doc');
        editor.insert(3, ' two');
        await store.append(editor.take().map((update) => ({ docName: 'doc', update })));
        const late = await store.load('doc');
        editor.insert(7, ' three');
        await store.append(editor.take().map((update) => ({ docName: 'doc', update })));

        await store.compact('doc', compactUpdates(late.updates), late.clock);
        await store.compact('doc', compactUpdates(early.updates), early.clock);
        expect(textOf(await store.load('doc'))).toBe('one two three');
        await store.compact('doc', compactUpdates(late.updates), late.clock);
        expect(textOf(await store.load('doc'))).toBe('one two three');
      });

      test('resets the log stats', async ({ store }) => {
        await store.append([1, 2, 3].map((i) => ({ docName: 'doc', update: bytesOf(i, i) })));
        expect(await store.logStats('doc')).toEqual({ entries: 3, bytes: 6 });
        const loaded = await store.load('doc');
        await store.append([{ docName: 'doc', update: bytesOf(4, 4, 4) }]);
        await store.compact('doc', bytesOf(7, 7, 7, 7, 7), loaded.clock);
        expect(await store.logStats('doc')).toEqual({ entries: 1, bytes: 3 });
        const after = await store.load('doc');
        expect(after.updates).toEqual([bytesOf(7, 7, 7, 7, 7), bytesOf(4, 4, 4)]);
        expect(after.bytes).toBe(8);
      });

      test('rejects a clock ahead of the document with a RangeError', async ({ store }) => {
        await store.append([{ docName: 'doc', update: bytesOf(1) }]);
        const { clock } = await store.load('doc');
        await expect(store.compact('doc', bytesOf(2), clock + 1)).rejects.toThrow(RangeError);
        await expect(store.compact('doc', bytesOf(2), -1)).rejects.toThrow(RangeError);
        expect((await store.load('doc')).updates).toEqual([bytesOf(1)]);
      });

      test('leaves a document deleted since its load deleted', async ({ store }) => {
        await store.append([{ docName: 'doc', update: bytesOf(1) }]);
        const loaded = await store.load('doc');
        await store.delete('doc');
        await store.compact('doc', bytesOf(1), loaded.clock);
        expect(await store.load('doc')).toEqual({ updates: [], clock: 0, bytes: 0 });
        expect(await store.list()).toEqual([]);
      });

      test('never applies a compaction from before a delete to the recreated document', async ({ store }) => {
        await store.append([1, 2, 3].map((i) => ({ docName: 'doc', update: bytesOf(i) })));
        const old = await store.load('doc');
        await store.delete('doc');
        await store.append([4, 5, 6, 7].map((i) => ({ docName: 'doc', update: bytesOf(i) })));
        await store.compact('doc', bytesOf(1, 2, 3), old.clock);
        expect((await store.load('doc')).updates).toEqual([4, 5, 6, 7].map((i) => bytesOf(i)));
      });
    });

    describe('list and delete', () => {
      test('lists stored documents and forgets deleted ones', async ({ store }) => {
        await store.append(['b', 'a', 'c'].map((docName) => ({ docName, update: bytesOf(1) })));
        expect((await store.list()).sort()).toEqual(['a', 'b', 'c']);
        await store.compact('b', bytesOf(2), (await store.load('b')).clock);
        await store.delete('b');
        await store.delete('never-stored');
        expect((await store.list()).sort()).toEqual(['a', 'c']);
        expect(await store.load('b')).toEqual({ updates: [], clock: 0, bytes: 0 });
        expect(await store.logStats('b')).toEqual({ entries: 0, bytes: 0 });
        await store.append([{ docName: 'b', update: bytesOf(3) }]);
        expect((await store.load('b')).updates).toEqual([bytesOf(3)]);
      });
    });

    describe('lifecycle', () => {
      test('check resolves while the store is open', async ({ store }) => {
        await expect(store.check()).resolves.toBeUndefined();
      });

      test('sync resolves after appends, and keeps what they wrote', async ({ store }) => {
        await expect(store.sync()).resolves.toBeUndefined();
        await store.append([{ docName: 'doc', update: bytesOf(1) }]);
        const synced = [store.sync(), store.sync()];
        await store.append([{ docName: 'doc', update: bytesOf(2) }]);
        await Promise.all([...synced, store.sync()]);
        expect((await store.load('doc')).updates).toEqual([bytesOf(1), bytesOf(2)]);
      });

      test('rejects every call after close with StoreClosedError', async ({ store }) => {
        await store.append([{ docName: 'doc', update: bytesOf(1) }]);
        await store.close();
        const calls: Array<() => Promise<unknown>> = [
          () => store.load('doc'),
          () => store.append([{ docName: 'doc', update: bytesOf(2) }]),
          () => store.compact('doc', bytesOf(3), 1),
          () => store.logStats('doc'),
          () => store.list(),
          () => store.delete('doc'),
          () => store.check(),
          () => store.sync(),
        ];
        for (const call of calls) await expect(call()).rejects.toBeInstanceOf(StoreClosedError);
        await expect(store.close()).resolves.toBeUndefined();
      });
    });

    describe('ownership of bytes', () => {
      test('stores exactly the bytes of a view into a larger buffer', async ({ store }) => {
        const message = bytesOf(9, 9, 1, 2, 3, 9, 4, 5, 9);
        await store.append([{ docName: 'doc', update: message.subarray(2, 5) }]);
        const { clock } = await store.load('doc');
        await store.append([{ docName: 'doc', update: message.subarray(6, 8) }]);
        expect((await store.load('doc')).updates).toEqual([bytesOf(1, 2, 3), bytesOf(4, 5)]);
        await store.compact('doc', message.subarray(3, 4), clock);
        expect((await store.load('doc')).updates).toEqual([bytesOf(2), bytesOf(4, 5)]);
      });

      test('does not alias the buffers it is given or hands out', async ({ store }) => {
        const update = bytesOf(1, 2, 3);
        const snapshot = bytesOf(4, 5, 6);
        await store.append([{ docName: 'doc', update }]);
        update.fill(0);
        const first = await store.load('doc');
        expect(first.updates).toEqual([bytesOf(1, 2, 3)]);
        first.updates[0]!.fill(9);
        expect((await store.load('doc')).updates).toEqual([bytesOf(1, 2, 3)]);

        await store.compact('doc', snapshot, first.clock);
        snapshot.fill(0);
        const compacted = await store.load('doc');
        expect(compacted.updates).toEqual([bytesOf(4, 5, 6)]);
        compacted.updates[0]!.fill(9);
        expect((await store.load('doc')).updates).toEqual([bytesOf(4, 5, 6)]);
      });
    });
  });
}

const ZERO: Generations = { view: 0, edit: 0, owner: 0 };

/**
 * Registers the vitest suite every `AccessStore` backend must pass. Its store keeps documents too
 * (`register` must see their updates, and records must outlive `delete`); `open` is called once per
 * test and must return an empty store, and `reopen` lets the suite check that records survive.
 */
export function runAccessStoreConformance(
  { describe, it, expect }: Vitest,
  name: string,
  open: OpenDocStore<DocStore & AccessStore>,
): void {
  const test = (title: string, body: (stores: TestStores<DocStore & AccessStore>) => Promise<void>) =>
    it(title, (context) => withStores(open, body, () => context.skip()));

  describe(`${name} conforms to AccessStore`, () => {
    test('has no record of an unknown document', async ({ store }) => {
      expect(await store.generations('missing')).toBeUndefined();
    });

    test('registers a new document with every generation at 0, once', async ({ store }) => {
      expect(await store.register('doc')).toEqual(ZERO);
      expect(await store.generations('doc')).toEqual(ZERO);
      await store.rotate('doc', 'view');
      expect(await store.register('doc')).toBeUndefined();
      expect(await store.generations('doc')).toEqual({ ...ZERO, view: 1 });
    });

    test('keeps the room a document was registered in', async ({ store }) => {
      expect(await store.register('doc', 'workspace/w')).toEqual(ZERO);
      expect(await store.register('alone')).toEqual(ZERO);
      expect(await store.parent('doc')).toBe('workspace/w');
      expect(await store.parent('alone')).toBeUndefined();
      expect(await store.parent('missing')).toBeUndefined();
      // A second registration changes nothing, the parent included.
      expect(await store.register('doc', 'workspace/other')).toBeUndefined();
      expect(await store.parent('doc')).toBe('workspace/w');
    });

    test('refuses to register a document that has stored updates', async ({ store }) => {
      await store.append([{ docName: 'doc', update: bytesOf(1) }]);
      expect(await store.register('doc')).toBeUndefined();
      expect(await store.generations('doc')).toBeUndefined();
      expect((await store.load('doc')).updates).toEqual([bytesOf(1)]);
    });

    test('rotates only the scope it is given and returns the new generations', async ({ store }) => {
      await store.register('doc');
      await store.register('other');
      expect(await store.rotate('doc', 'view')).toEqual({ view: 1, edit: 0, owner: 0 });
      expect(await store.rotate('doc', 'edit')).toEqual({ view: 1, edit: 1, owner: 0 });
      expect(await store.rotate('doc', 'edit')).toEqual({ view: 1, edit: 2, owner: 0 });
      expect(await store.rotate('doc', 'owner')).toEqual({ view: 1, edit: 2, owner: 1 });
      expect(await store.generations('doc')).toEqual({ view: 1, edit: 2, owner: 1 });
      expect(await store.generations('other')).toEqual(ZERO);
    });

    test('creates the record of a document rotated before it was registered', async ({ store }) => {
      expect(await store.rotate('doc', 'edit')).toEqual({ ...ZERO, edit: 1 });
      expect(await store.generations('doc')).toEqual({ ...ZERO, edit: 1 });
      expect(await store.register('doc')).toBeUndefined();
    });

    test('keeps records of documents with similar names apart', async ({ store }) => {
      const names = ['a', 'A', 'a ', 'a%', 'a_', "a'b", 'ä', 'a\u0000b', 'aa'];
      for (const [i, docName] of names.entries()) {
        for (let round = 0; round <= i; round++) await store.rotate(docName, 'owner');
      }
      for (const [i, docName] of names.entries()) {
        expect(await store.generations(docName)).toEqual({ ...ZERO, owner: i + 1 });
      }
    });

    test('keeps records after a reopen', async (stores) => {
      await stores.store.register('registered');
      await stores.store.register('child', 'workspace/w');
      await stores.store.rotate('rotated', 'owner');
      await stores.store.rotate('rotated', 'owner');
      await stores.store.rotate('rotated', 'view');

      const reopened = await stores.reopen();
      expect(await reopened.generations('registered')).toEqual(ZERO);
      expect(await reopened.parent('child')).toBe('workspace/w');
      expect(await reopened.generations('rotated')).toEqual({ view: 1, edit: 0, owner: 2 });
      expect(await reopened.register('registered')).toBeUndefined();
      expect(await reopened.rotate('rotated', 'owner')).toEqual({ view: 1, edit: 0, owner: 3 });
    });

    test('keeps records of a deleted document, so its name stays taken', async ({ store }) => {
      await store.register('doc');
      await store.rotate('doc', 'edit');
      await store.append([{ docName: 'doc', update: bytesOf(1) }]);
      await store.delete('doc');
      expect(await store.list()).toEqual([]);
      expect(await store.register('doc')).toBeUndefined();
      expect(await store.generations('doc')).toEqual({ ...ZERO, edit: 1 });
    });

    test('gives each of many rotations started together its own generation', async ({ store }) => {
      const rotated = await Promise.all(Array.from({ length: 20 }, () => store.rotate('doc', 'edit')));
      expect(new Set(rotated.map((generations) => generations.edit)).size).toBe(20);
      expect(await store.generations('doc')).toEqual({ ...ZERO, edit: 20 });
    });

    test('rejects malformed arguments and changes nothing', async ({ store }) => {
      const notAName = 7 as unknown as string;
      await expect(store.generations(notAName)).rejects.toThrow(TypeError);
      await expect(store.register(notAName)).rejects.toThrow(TypeError);
      await expect(store.rotate(notAName, 'view')).rejects.toThrow(TypeError);
      await expect(store.rotate('doc', 'admin' as 'view')).rejects.toThrow(RangeError);
      expect(await store.generations('doc')).toBeUndefined();
      expect(await store.register('doc')).toEqual(ZERO);
    });

    test('rejects every call after close with StoreClosedError', async ({ store }) => {
      await store.register('doc');
      await store.close();
      const calls: Array<() => Promise<unknown>> = [
        () => store.generations('doc'),
        () => store.register('new'),
        () => store.rotate('doc', 'view'),
      ];
      for (const call of calls) await expect(call()).rejects.toBeInstanceOf(StoreClosedError);
    });
  });
}

async function withStores<Store extends DocStore>(
  open: OpenDocStore<Store>,
  body: (stores: TestStores<Store>) => Promise<void>,
  skip: () => never,
) {
  const harness = await open();
  const opened = [harness.store];
  const current = () => opened[opened.length - 1]!;
  try {
    await body({
      get store() {
        return current();
      },
      async reopen() {
        if (harness.reopen === undefined) return skip();
        await current().close();
        opened.push(await harness.reopen());
        return current();
      },
    });
  } finally {
    for (const store of opened) await store.close();
    await harness.cleanup?.();
  }
}

/** Edits a `Y.Text` and hands out the updates it produced since the last `take`. */
class TextEditor {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText('text');
  #pending: Uint8Array[] = [];

  constructor() {
    this.doc.on('update', (update: Uint8Array) => this.#pending.push(update));
  }

  insert(index: number, content: string): void {
    this.text.insert(index, content);
  }

  delete(index: number, length: number): void {
    this.text.delete(index, length);
  }

  take(): Uint8Array[] {
    const taken = this.#pending;
    this.#pending = [];
    return taken;
  }
}

function textOf(stored: StoredDoc): string {
  const doc = new Y.Doc();
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc.getText('text').toString();
}

async function snapshotOf(store: DocStore, names: readonly string[]) {
  const loads: Record<string, StoredDoc> = {};
  const stats: Record<string, unknown> = {};
  for (const name of names) {
    loads[name] = await store.load(name);
    stats[name] = await store.logStats(name);
  }
  return { loads, stats, list: (await store.list()).sort() };
}

function bytesOf(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function totalBytes(updates: readonly Uint8Array[]): number {
  return updates.reduce((total, update) => total + update.byteLength, 0);
}

/** Deterministic incompressible bytes (xorshift32), so no backend can store them cheaply by accident. */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed * 2654435761 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 255;
  }
  return bytes;
}

/** Compares byte by byte: `toEqual` on megabytes is slow and prints unreadable diffs. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
