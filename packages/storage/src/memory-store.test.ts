import { runDocStoreConformance } from './conformance.js';
import { MemoryDocStore } from './memory-store.js';

runDocStoreConformance('MemoryDocStore', async () => ({ store: new MemoryDocStore() }));
