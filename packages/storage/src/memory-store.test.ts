import { describe, expect, it } from 'vitest';
import { runAccessStoreConformance, runDocStoreConformance } from './conformance.js';
import { MemoryDocStore } from './memory-store.js';

runDocStoreConformance({ describe, it, expect }, 'MemoryDocStore', async () => ({ store: new MemoryDocStore() }));
runAccessStoreConformance({ describe, it, expect }, 'MemoryDocStore', async () => ({ store: new MemoryDocStore() }));
