import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';

const TRACE = '/work/shared/traces/automerge-paper.json.gz';
let trace;

/** The automerge-paper editing trace (Martin Kleppmann, CC BY 4.0; see /work/shared/traces/README.md). */
export function loadTrace() {
  trace ??= JSON.parse(gunzipSync(readFileSync(process.env.MESHPAD_BENCH_TRACE ?? TRACE)));
  return trace;
}

/**
 * Replays the first `txns` transactions into a Y.Text with the given clientID: one Yjs update per
 * transaction, as an editor bound to the text would emit them. Returns the updates and the text.
 */
export function traceUpdates(txns, clientID) {
  const { txns: all } = loadTrace();
  if (txns > all.length) throw new RangeError(`the trace has ${all.length} transactions, asked for ${txns}`);
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const text = doc.getText('t');
  const updates = [];
  doc.on('update', (update) => updates.push(update));
  for (let i = 0; i < txns; i++) {
    doc.transact(() => {
      for (const [pos, deleteCount, insert] of all[i].patches) {
        if (deleteCount > 0) text.delete(pos, deleteCount);
        if (insert) text.insert(pos, insert);
      }
    });
  }
  return { updates, text: text.toString(), state: Y.encodeStateAsUpdate(doc).length };
}
