import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactUpdates } from './compact-updates.js';

function recordUpdates(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return updates;
}

function textAfter(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('text').toString();
}

describe('compactUpdates', () => {
  it('produces one update with the same content', () => {
    const doc = new Y.Doc();
    const updates = recordUpdates(doc);
    const text = doc.getText('text');
    text.insert(0, 'hello');
    text.insert(5, ' world');
    text.delete(0, 1);
    doc.getMap('meta').set('title', 'greeting');

    const compacted = compactUpdates(updates);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, compacted);
    expect(copy.getText('text').toString()).toBe('ello world');
    expect(copy.getMap('meta').get('title')).toBe('greeting');
    expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(doc));
  });

  it('drops deleted content that Y.mergeUpdates keeps', () => {
    const doc = new Y.Doc();
    const updates = recordUpdates(doc);
    const text = doc.getText('text');
    const typed = 'x'.repeat(50_000);
    text.insert(0, typed);
    text.delete(0, typed.length);
    text.insert(0, 'kept');

    const merged = Y.mergeUpdates(updates);
    const compacted = compactUpdates(updates);
    expect(merged.byteLength).toBeGreaterThan(typed.length);
    expect(compacted.byteLength).toBeLessThan(200);
    expect(textAfter([compacted])).toBe('kept');
  });

  it('merges concurrent edits of several clients', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const updates = [...recordUpdates(a)];
    const fromA = recordUpdates(a);
    const fromB = recordUpdates(b);
    a.getText('text').insert(0, 'left');
    b.getText('text').insert(0, 'right');
    updates.push(...fromA, ...fromB);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));

    expect(textAfter([compactUpdates(updates)])).toBe(a.getText('text').toString());
  });

  it('keeps updates whose dependencies are missing until they arrive', () => {
    const doc = new Y.Doc();
    const updates = recordUpdates(doc);
    const text = doc.getText('text');
    text.insert(0, 'base');
    text.insert(4, ' then more');
    const [first, ...rest] = updates;

    const compacted = compactUpdates(rest);
    expect(textAfter([compacted])).toBe('');
    expect(textAfter([compacted, first!])).toBe('base then more');
  });

  it('returns an empty document for no updates', () => {
    expect(textAfter([compactUpdates([])])).toBe('');
  });

  it('is idempotent', () => {
    const doc = new Y.Doc();
    const updates = recordUpdates(doc);
    doc.getText('text').insert(0, 'same');
    const once = compactUpdates(updates);
    expect(compactUpdates([once])).toEqual(once);
  });
});
