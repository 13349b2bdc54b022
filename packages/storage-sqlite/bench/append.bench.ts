// Append throughput of SqliteDocStore under both durability settings. Run with `pnpm bench`.
import { join } from 'node:path';
import type { AppendEntry } from '@meshpad/storage';
import { afterAll, bench, describe } from 'vitest';
import { SqliteDocStore } from '../src/sqlite-doc-store.js';
import { makeTempDir } from '../test/temp-dir.js';

const temp = await makeTempDir();
afterAll(() => temp.remove());

/** A typical keystroke update is 20 to 40 bytes. */
function smallUpdates(count: number, docs: number): AppendEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    docName: `doc-${i % docs}`,
    update: Uint8Array.from({ length: 20 + (i % 20) }, (_, j) => (i * 31 + j) & 255),
  }));
}

for (const synchronous of ['FULL', 'NORMAL'] as const) {
  const store = await SqliteDocStore.open({ path: join(temp.dir, `${synchronous}.db`), synchronous });
  afterAll(() => store.close());
  const oneDoc = smallUpdates(1000, 1);
  const manyDocs = smallUpdates(1000, 100);
  const single = smallUpdates(100, 1);

  describe(`synchronous ${synchronous}`, () => {
    bench('append 1,000 small updates to one document in one batch', () => store.append(oneDoc));
    bench('append 1,000 small updates to 100 documents in one batch', () => store.append(manyDocs));
    bench(
      '100 appends of one small update each',
      async () => {
        for (const entry of single) await store.append([entry]);
      },
      { iterations: 5, time: 0 },
    );
  });
}
