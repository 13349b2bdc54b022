import type { KeyValueStorage } from '@meshpad/client';
import { parseRecentDocs, type RecentDoc, withOpened, withTitle } from './recent-docs.js';

/** Storage key of the list of workspaces this browser opened (kept apart from the documents). */
export const RECENT_WORKSPACES_KEY = 'meshpad.recent-workspaces';

/**
 * A workspace this browser opened: its id, its name when last seen (may be empty) and when it was last opened. Same
 * shape and rules as a recent document (workspace ids are made like document ids), so the same list functions apply.
 */
export type RecentWorkspace = RecentDoc;

/** Reads the list from storage, most recently opened first. */
export const readRecentWorkspaces = (storage: KeyValueStorage): RecentWorkspace[] =>
  parseRecentDocs(storage.getItem(RECENT_WORKSPACES_KEY));

/** Applies `change` to the stored list and stores the result. */
const updateRecentWorkspaces = (
  storage: KeyValueStorage,
  change: (workspaces: readonly RecentWorkspace[]) => RecentWorkspace[],
): RecentWorkspace[] => {
  const next = change(readRecentWorkspaces(storage));
  storage.setItem(RECENT_WORKSPACES_KEY, JSON.stringify(next));
  return next;
};

/** Records that workspace `id` was opened `now`. */
export const rememberWorkspace = (storage: KeyValueStorage, id: string, now: number): RecentWorkspace[] =>
  updateRecentWorkspaces(storage, (workspaces) => withOpened(workspaces, id, now));

/** Records the name workspace `id` has now, if it is in the list and the name changed. */
export const rememberWorkspaceName = (storage: KeyValueStorage, id: string, name: string): void => {
  const known = readRecentWorkspaces(storage).find((workspace) => workspace.id === id);
  if (known !== undefined && known.title !== name) {
    updateRecentWorkspaces(storage, (workspaces) => withTitle(workspaces, id, name));
  }
};
