// Opens a store, appends, and closes it with nothing else keeping the process alive: prints
// "closed" only if close() resolved before the process ran out of work.
import { SqliteDocStore } from '../src/sqlite-doc-store.js';

const [path] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: close-child <database path>');

const store = await SqliteDocStore.open({ path, synchronous: 'NORMAL' });
await store.append([{ docName: 'doc', update: Uint8Array.of(1, 2, 3) }]);
await store.close();
process.stdout.write('closed');
