import { join } from 'node:path';
import { runDocStoreConformance } from '@meshpad/storage/conformance';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/temp-dir.js';
import { SqliteDocStore } from './sqlite-doc-store.js';

runDocStoreConformance({ describe, it, expect }, 'SqliteDocStore', async () => {
  const temp = await makeTempDir();
  const path = join(temp.dir, 'nested', 'meshpad.db');
  return {
    store: await SqliteDocStore.open({ path }),
    reopen: () => SqliteDocStore.open({ path }),
    cleanup: temp.remove,
  };
});
