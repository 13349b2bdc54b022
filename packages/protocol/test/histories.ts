import * as Y from 'yjs';

/** A seeded pseudo-random source (a linear congruential generator, enough for picking edits). */
export function seeded(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % below;
  };
}

/** Every update some replicas made while editing concurrently and syncing now and then, and the text they agree on. */
export interface History {
  readonly updates: Uint8Array[];
  readonly text: string;
}

/**
 * `replicas` documents edit the `content` text (inserts, runs, deletes) and sometimes sync pairwise, then all sync;
 * each local change is one update. Updates therefore depend on other replicas' earlier ones.
 */
export function concurrentHistory(seed: number, replicas: number, steps: number): History {
  const pick = seeded(seed);
  const docs = Array.from({ length: replicas }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 1000 + i * 7 + (seed % 5);
    return doc;
  });
  const updates: Uint8Array[] = [];
  for (const doc of docs)
    doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'sync' && updates.push(update));
  const sync = (a: Y.Doc, b: Y.Doc) => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'sync');
  };
  for (let step = 0; step < steps; step++) {
    const doc = docs[pick(replicas)]!;
    const text = doc.getText('content');
    const roll = pick(10);
    if (roll < 5) text.insert(pick(text.length + 1), String.fromCharCode(97 + pick(26)).repeat(1 + pick(3)));
    else if (roll < 8 && text.length > 0) {
      const at = pick(text.length);
      text.delete(at, 1 + pick(Math.min(3, text.length - at)));
    } else if (replicas > 1) sync(doc, docs[pick(replicas)]!);
  }
  for (const a of docs) for (const b of docs) if (a !== b) sync(a, b);
  return { updates, text: docs[0]!.getText('content').toString() };
}

/** The text of the `content` Y.Text of a document made of `updates`. */
export function textOf(...updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
}
