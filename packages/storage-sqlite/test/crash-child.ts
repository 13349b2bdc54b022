// Appends to a store, compacts part of it, and then kills its own process without closing the
// store: what the database holds afterwards is what a crashed relay leaves behind.
import { SqliteDocStore } from '../src/sqlite-doc-store.js';

const [path, synchronous] = process.argv.slice(2);
if (path === undefined || (synchronous !== 'FULL' && synchronous !== 'NORMAL')) {
  throw new Error('usage: crash-child <database path> <FULL|NORMAL>');
}

const store = await SqliteDocStore.open({ path, synchronous });
for (let batch = 0; batch < 20; batch++) {
  const entries = Array.from({ length: 50 }, (_, i) => ({
    docName: `doc-${i % 3}`,
    update: Uint8Array.of(batch, i),
  }));
  await store.append(entries);
  if (batch === 9) {
    const loaded = await store.load('doc-0');
    await store.compact('doc-0', Uint8Array.of(255, loaded.updates.length), loaded.clock);
  }
}
process.kill(process.pid, 'SIGKILL');
