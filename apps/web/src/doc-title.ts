/** Longest title derived from a document, in characters. */
export const MAX_TITLE_LENGTH = 80;

/** How many leading lines are searched for a title. */
export const TITLE_SEARCH_LINES = 20;

/** Markdown markers that start a line without being part of what it says: headings, quotes, list bullets. */
const LEADING_MARKUP = /^(?:#{1,6}\s+|>\s*|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)+/;

/**
 * A document's title: its first non-blank line among the first few, without leading markdown markers or the
 * editor's placeholders for content other than text, cut to
 * {@link MAX_TITLE_LENGTH} characters. Empty when the document has no text near its start.
 */
export const documentTitle = (lines: Iterable<string>): string => {
  let searched = 0;
  for (const line of lines) {
    // U+FFFC stands for an embed or nested type a peer put in the text (patches/y-codemirror.next): not words.
    const text = line
      .replace(LEADING_MARKUP, '')
      .replace(/[\s\ufffc]+/g, ' ')
      .trim();
    if (text !== '' && !/^#+$/.test(text)) {
      const chars = Array.from(text);
      return chars.length > MAX_TITLE_LENGTH ? `${chars.slice(0, MAX_TITLE_LENGTH - 1).join('')}…` : text;
    }
    if (++searched >= TITLE_SEARCH_LINES) break;
  }
  return '';
};

/** The title to show: the document's own, or a placeholder for an empty one. */
export const displayTitle = (title: string): string => title || 'Untitled document';
