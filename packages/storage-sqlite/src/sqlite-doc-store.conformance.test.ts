import { join } from 'node:path';
import { runDocStoreConformance } from '@meshpad/storage/conformance';
import { makeTempDir } from '../test/temp-dir.js';
import { SqliteDocStore } from './sqlite-doc-store.js';

runDocStoreConformance('SqliteDocStore', async () => {
  const temp = await makeTempDir();
  const path = join(temp.dir, 'nested', 'meshpad.db');
  return {
    store: await SqliteDocStore.open({ path }),
    reopen: () => SqliteDocStore.open({ path }),
    cleanup: temp.remove,
  };
});
