/**
 * The compaction thread's entry point (run from `dist/`): screens a document's stored updates and
 * folds what is kept into one garbage-collected snapshot. Applying updates to a `Y.Doc` costs more
 * than linear time for some documents (100,000 concurrent one-character inserts: over 2 s), so it
 * runs here, bounded by the worker's memory limits and the caller's timeout, not on the event loop.
 */
import { parentPort } from 'node:worker_threads';
import { screenUpdates } from '@meshpad/protocol';
import { compactUpdates } from '@meshpad/storage';
import type { CompactionReply, CompactionRequest } from './compaction-thread.js';

parentPort?.on('message', ({ id, updates }: CompactionRequest) => {
  let reply: CompactionReply;
  try {
    const screened = screenUpdates(updates);
    const snapshot = compactUpdates(screened.kept);
    reply = { id, ok: true, snapshot, quarantined: screened.quarantined, kept: screened.kept.length };
  } catch (cause) {
    reply = { id, ok: false, message: (cause as Error).message };
  }
  parentPort?.postMessage(reply);
});
