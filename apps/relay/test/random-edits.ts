import * as Y from 'yjs';

/** `count` single-character inserts and deletes at seeded random places, one update each, and the final text. */
export function randomEdits(seed: number, count: number): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const text = doc.getText('content');
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  for (let i = 0; i < count; i++) {
    if (text.length > 0 && next() % 4 === 0) text.delete(next() % text.length, 1);
    else text.insert(next() % (text.length + 1), String.fromCharCode(97 + (next() % 26)));
  }
  return { updates, text: text.toString() };
}

/** The text of the `content` Y.Text that `update` holds. */
export function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
}
