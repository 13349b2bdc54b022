import { isDocId, type KeyValueStorage } from '@meshpad/client';

/** Storage key of the list of documents this browser opened. */
export const RECENT_DOCS_KEY = 'meshpad.recent-docs';

/** How many documents the list keeps. */
export const MAX_RECENT_DOCS = 30;

/** A document this browser opened: its id, its title when last seen (may be empty) and when it was last opened. */
export interface RecentDoc {
  readonly id: string;
  readonly title: string;
  /** Milliseconds since the epoch. */
  readonly openedAt: number;
}

const isRecentDoc = (value: unknown): value is RecentDoc => {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.id === 'string' &&
    isDocId(entry.id) &&
    typeof entry.title === 'string' &&
    typeof entry.openedAt === 'number' &&
    Number.isFinite(entry.openedAt)
  );
};

/** Most recently opened first, at most {@link MAX_RECENT_DOCS}, one entry per id. */
const tidy = (docs: readonly RecentDoc[]): RecentDoc[] => {
  const seen = new Set<string>();
  return [...docs]
    .sort((a, b) => b.openedAt - a.openedAt)
    .filter((doc) => !seen.has(doc.id) && seen.add(doc.id))
    .slice(0, MAX_RECENT_DOCS);
};

/** Parses a stored list, dropping anything malformed (the storage is shared with whatever else runs on the origin). */
export const parseRecentDocs = (raw: string | null): RecentDoc[] => {
  if (raw === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? tidy(parsed.filter(isRecentDoc)) : [];
};

/** The list after opening `id` at `now`: moved to the front, keeping the title it had. */
export const withOpened = (docs: readonly RecentDoc[], id: string, now: number): RecentDoc[] => {
  const title = docs.find((doc) => doc.id === id)?.title ?? '';
  return tidy([{ id, title, openedAt: now }, ...docs.filter((doc) => doc.id !== id)]);
};

/** The list with the title of `id` replaced; unchanged when `id` is not in it. */
export const withTitle = (docs: readonly RecentDoc[], id: string, title: string): RecentDoc[] =>
  docs.map((doc) => (doc.id === id ? { ...doc, title } : doc));

/** Reads the list from storage. */
export const readRecentDocs = (storage: KeyValueStorage): RecentDoc[] =>
  parseRecentDocs(storage.getItem(RECENT_DOCS_KEY));

/** Applies `change` to the stored list and stores the result. */
export const updateRecentDocs = (
  storage: KeyValueStorage,
  change: (docs: readonly RecentDoc[]) => RecentDoc[],
): RecentDoc[] => {
  const next = change(readRecentDocs(storage));
  storage.setItem(RECENT_DOCS_KEY, JSON.stringify(next));
  return next;
};
