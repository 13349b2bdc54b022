import { join } from 'node:path';
import { runAccessStoreConformance, runDocStoreConformance } from '@meshpad/storage/conformance';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/temp-dir.js';
import { SqliteDocStore } from './sqlite-doc-store.js';

async function openTemporary() {
  const temp = await makeTempDir();
  const path = join(temp.dir, 'nested', 'meshpad.db');
  return {
    store: await SqliteDocStore.open({ path }),
    reopen: () => SqliteDocStore.open({ path }),
    cleanup: temp.remove,
  };
}

runDocStoreConformance({ describe, it, expect }, 'SqliteDocStore', openTemporary);
runAccessStoreConformance({ describe, it, expect }, 'SqliteDocStore', openTemporary);
