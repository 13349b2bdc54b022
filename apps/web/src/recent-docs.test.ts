import { createMemoryStorage, newDocId } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import {
  MAX_RECENT_DOCS,
  parseRecentDocs,
  RECENT_DOCS_KEY,
  readRecentDocs,
  updateRecentDocs,
  withOpened,
  withTitle,
} from './recent-docs.js';

describe('withOpened', () => {
  it('puts a newly opened document first', () => {
    const [a, b] = [newDocId(), newDocId()];
    const list = withOpened(withOpened([], a, 1), b, 2);
    expect(list.map((doc) => doc.id)).toEqual([b, a]);
  });

  it('moves a reopened document to the front, once, keeping its title', () => {
    const [a, b] = [newDocId(), newDocId()];
    let list = withOpened(withOpened([], a, 1), b, 2);
    list = withTitle(list, a, 'Plans');
    list = withOpened(list, a, 3);
    expect(list).toEqual([
      { id: a, title: 'Plans', openedAt: 3 },
      { id: b, title: '', openedAt: 2 },
    ]);
  });

  it(`keeps only the ${MAX_RECENT_DOCS} most recent`, () => {
    let list = withOpened([], newDocId(), 0);
    const first = list[0]!.id;
    for (let i = 1; i <= MAX_RECENT_DOCS; i++) list = withOpened(list, newDocId(), i);
    expect(list).toHaveLength(MAX_RECENT_DOCS);
    expect(list.some((doc) => doc.id === first)).toBe(false);
  });
});

describe('withTitle', () => {
  it('leaves the list alone for an unknown id', () => {
    const list = withOpened([], newDocId(), 1);
    expect(withTitle(list, newDocId(), 'x')).toEqual(list);
  });
});

describe('parseRecentDocs', () => {
  it('reads what was stored', () => {
    const id = newDocId();
    expect(parseRecentDocs(JSON.stringify([{ id, title: 'T', openedAt: 5 }]))).toEqual([
      { id, title: 'T', openedAt: 5 },
    ]);
  });

  it.each([
    ['nothing', null],
    ['not JSON', '{oops'],
    ['not a list', '{"id":"x"}'],
  ])('returns an empty list for %s', (_label, raw) => {
    expect(parseRecentDocs(raw)).toEqual([]);
  });

  it('drops malformed entries and keeps the good ones, newest first, without duplicates', () => {
    const [a, b] = [newDocId(), newDocId()];
    const raw = JSON.stringify([
      { id: a, title: 'old', openedAt: 1 },
      { id: 'not-an-id', title: '', openedAt: 9 },
      { id: b, title: 3, openedAt: 9 },
      { id: b, title: '', openedAt: Number.NaN },
      null,
      { id: b, title: 'B', openedAt: 4 },
      { id: a, title: 'new', openedAt: 6 },
    ]);
    expect(parseRecentDocs(raw)).toEqual([
      { id: a, title: 'new', openedAt: 6 },
      { id: b, title: 'B', openedAt: 4 },
    ]);
  });
});

describe('updateRecentDocs', () => {
  it('stores the changed list', () => {
    const storage = createMemoryStorage();
    const id = newDocId();
    updateRecentDocs(storage, (docs) => withOpened(docs, id, 10));
    updateRecentDocs(storage, (docs) => withTitle(docs, id, 'Minutes'));
    expect(readRecentDocs(storage)).toEqual([{ id, title: 'Minutes', openedAt: 10 }]);
    expect(JSON.parse(storage.getItem(RECENT_DOCS_KEY)!)).toHaveLength(1);
  });
});
