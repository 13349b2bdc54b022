import { createMemoryStorage, newDocId } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import { RECENT_DOCS_KEY } from './recent-docs.js';
import {
  RECENT_WORKSPACES_KEY,
  readRecentWorkspaces,
  rememberWorkspace,
  rememberWorkspaceName,
} from './recent-workspaces.js';

describe('recent workspaces', () => {
  it('lists opened workspaces most recent first, with the names they had, apart from documents', () => {
    const storage = createMemoryStorage();
    const [a, b] = [newDocId(), newDocId()];
    rememberWorkspace(storage, a, 1);
    rememberWorkspace(storage, b, 2);
    rememberWorkspaceName(storage, a, 'Team');
    expect(readRecentWorkspaces(storage)).toEqual([
      { id: b, title: '', openedAt: 2 },
      { id: a, title: 'Team', openedAt: 1 },
    ]);
    rememberWorkspace(storage, a, 3);
    expect(readRecentWorkspaces(storage).map((workspace) => [workspace.id, workspace.title])).toEqual([
      [a, 'Team'],
      [b, ''],
    ]);
    expect(storage.getItem(RECENT_DOCS_KEY)).toBeNull();
  });

  it('does not add a workspace by naming it, and ignores a malformed stored list', () => {
    const storage = createMemoryStorage();
    rememberWorkspaceName(storage, newDocId(), 'Never opened');
    expect(readRecentWorkspaces(storage)).toEqual([]);
    storage.setItem(RECENT_WORKSPACES_KEY, '{not json');
    expect(readRecentWorkspaces(storage)).toEqual([]);
  });
});
