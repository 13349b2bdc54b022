import type { Json } from '@meshpad/crdt';
import { isDocId } from './doc-id.js';
import { normaliseDocTitle, normaliseTag } from './workspace-labels.js';

/** One document of a workspace, as its list shows it. */
export interface WorkspaceDocument {
  readonly id: string;
  /** The title someone gave it, or `undefined`: then the document's own first line is its title. */
  readonly title: string | undefined;
  /** Its tags, in code-unit order. */
  readonly tags: readonly string[];
}

/** An element of a workspace's tag set: a document id and one of its tags. */
export type TagPair = readonly [docId: string, tag: string];

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a stored value is a tag pair this client would have written (workspaces are shared with any client). */
export const isTagPair = (value: Json): value is TagPair =>
  Array.isArray(value) &&
  value.length === 2 &&
  typeof value[0] === 'string' &&
  isDocId(value[0]) &&
  typeof value[1] === 'string' &&
  value[1] !== '' &&
  normaliseTag(value[1]) === value[1];

/** A stored title as shown: cleaned, or `undefined` when absent, empty or not a string. */
export const readTitle = (value: Json | undefined): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const title = normaliseDocTitle(value);
  return title === '' ? undefined : title;
};

/**
 * The documents of a workspace from its three sets: the ids in the document set (ordered, anything that is not a
 * document id skipped), each with its title and the tags paired with it. Titles and tags of documents that are not
 * in the set are kept in the workspace but not listed, so that re-adding a document brings them back.
 */
export const workspaceDocuments = (
  ids: readonly Json[],
  titleOf: (id: string) => Json | undefined,
  tagPairs: readonly Json[],
): WorkspaceDocument[] => {
  const tags = new Map<string, string[]>();
  for (const pair of tagPairs) {
    if (!isTagPair(pair)) continue;
    const list = tags.get(pair[0]);
    if (list === undefined) tags.set(pair[0], [pair[1]]);
    else list.push(pair[1]);
  }
  return ids
    .filter((id): id is string => typeof id === 'string' && isDocId(id))
    .sort(byCodeUnits)
    .map((id) => ({ id, title: readTitle(titleOf(id)), tags: (tags.get(id) ?? []).sort(byCodeUnits) }));
};
