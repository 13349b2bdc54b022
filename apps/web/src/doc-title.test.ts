import { describe, expect, it } from 'vitest';
import { displayTitle, documentTitle, MAX_TITLE_LENGTH, TITLE_SEARCH_LINES } from './doc-title.js';

describe('documentTitle', () => {
  it.each([
    [['# Meeting notes', 'body'], 'Meeting notes'],
    [['', '   ', '## Plans  for   May'], 'Plans for May'],
    [['> quoted first'], 'quoted first'],
    [['- [ ] buy milk'], 'buy milk'],
    [['1. first step'], 'first step'],
    [['#hashtag is not a heading'], '#hashtag is not a heading'],
    [['#', '###', 'Real title'], 'Real title'],
    [['plain text'], 'plain text'],
    // The editor's placeholders for embeds and nested types are not words.
    [['\ufffc', '# Notes \ufffc from\ufffcMay'], 'Notes from May'],
  ])('%j → %s', (lines, expected) => {
    expect(documentTitle(lines)).toBe(expected);
  });

  it('is empty for an empty document', () => {
    expect(documentTitle([''])).toBe('');
    expect(documentTitle([])).toBe('');
  });

  it(`looks at the first ${TITLE_SEARCH_LINES} lines only`, () => {
    const lines = [...Array(TITLE_SEARCH_LINES).fill(''), 'too far down'];
    expect(documentTitle(lines)).toBe('');
  });

  it('shortens long titles with an ellipsis', () => {
    const title = documentTitle(['x'.repeat(200)]);
    expect(Array.from(title)).toHaveLength(MAX_TITLE_LENGTH);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('displayTitle', () => {
  it('names untitled documents', () => {
    expect(displayTitle('')).toBe('Untitled document');
    expect(displayTitle('Notes')).toBe('Notes');
  });
});
