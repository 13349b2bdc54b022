import type { Json } from '@meshpad/crdt';
import { describe, expect, it } from 'vitest';
import { newDocId } from './doc-id.js';
import { isTagPair, readTitle, workspaceDocuments } from './workspace-documents.js';

describe('workspaceDocuments', () => {
  const [a, b, c] = [newDocId(), newDocId(), newDocId()].sort() as [string, string, string];

  it('lists the ids of the set in order, each with its title and sorted tags', () => {
    const titles: Record<string, Json> = { [a]: 'Alpha', [c]: 'Removed but titled' };
    const documents = workspaceDocuments([b, a], (id) => titles[id], [
      [a, 'urgent'],
      [b, 'draft'],
      [a, 'draft'],
      [c, 'kept for later'],
    ]);
    expect(documents).toEqual([
      { id: a, title: 'Alpha', tags: ['draft', 'urgent'] },
      { id: b, title: undefined, tags: ['draft'] },
    ]);
  });

  it('skips whatever another client may have stored that is not a document id, title or tag pair', () => {
    const documents = workspaceDocuments([a, 'not-an-id', 42, null, { id: b }], () => ({ title: 'object' }), [
      [a],
      [a, ''],
      [a, 3],
      ['short', 'tag'],
      [a, ' padded '],
      'loose',
      [a, 'ok'],
    ]);
    expect(documents).toEqual([{ id: a, title: undefined, tags: ['ok'] }]);
  });

  it('reads titles as cleaned strings, blank ones as no title', () => {
    expect(readTitle('  Plan\n')).toBe('Plan');
    expect(readTitle('   ')).toBeUndefined();
    expect(readTitle(undefined)).toBeUndefined();
    expect(readTitle(7)).toBeUndefined();
  });

  it('accepts only clean [documentId, tag] pairs as tags', () => {
    expect(isTagPair([a, 'draft'])).toBe(true);
    expect(isTagPair([a, 'draft', 'extra'])).toBe(false);
    expect(isTagPair([a, 'x'.repeat(100)])).toBe(false);
  });
});
