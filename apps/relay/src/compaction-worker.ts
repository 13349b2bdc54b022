/**
 * The compaction thread's entry point (run from `dist/`): screens a document's stored updates and
 * folds what is kept into one garbage-collected snapshot. Applying updates to a `Y.Doc` costs more
 * than linear time for some documents (100,000 concurrent one-character inserts: over 2 s), so it
 * runs here, bounded by the worker's memory limits and the caller's timeout, not on the event loop.
 */
import { screenUpdates } from '@meshpad/protocol';
import { compactUpdates } from '@meshpad/storage';
import type { CompactionResult } from './compaction-thread.js';
import { serveRequests } from './worker-thread.js';

serveRequests((updates: readonly Uint8Array[]): CompactionResult => {
  const screened = screenUpdates(updates);
  return { snapshot: compactUpdates(screened.kept), quarantined: screened.quarantined };
});
