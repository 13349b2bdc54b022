/** Longest document title kept in a workspace, in characters (code points). */
export const MAX_DOC_TITLE_LENGTH = 120;

/** Longest workspace name, in characters (code points). */
export const MAX_WORKSPACE_NAME_LENGTH = 80;

/** Longest tag, in characters (code points). */
export const MAX_TAG_LENGTH = 32;

/** Drops control and format characters, collapses whitespace, trims and cuts to `max` code points. */
const normalise = (raw: string, max: number): string => {
  const cleaned = raw
    .replace(/\p{Cc}|\p{Cf}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return Array.from(cleaned).slice(0, max).join('').trim();
};

/** Cleans a document title typed by a person or read from the workspace; `''` means "no title". */
export const normaliseDocTitle = (raw: string): string => normalise(raw, MAX_DOC_TITLE_LENGTH);

/** Cleans a workspace name; `''` means "no name". */
export const normaliseWorkspaceName = (raw: string): string => normalise(raw, MAX_WORKSPACE_NAME_LENGTH);

/** Cleans a tag; `''` is not a tag. */
export const normaliseTag = (raw: string): string => normalise(raw, MAX_TAG_LENGTH);
