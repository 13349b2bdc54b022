import { describe, expect, it } from 'vitest';
import {
  MAX_DOC_TITLE_LENGTH,
  MAX_TAG_LENGTH,
  normaliseDocTitle,
  normaliseTag,
  normaliseWorkspaceName,
} from './workspace-labels.js';

describe('workspace labels', () => {
  it('collapse whitespace, drop control and format characters, and trim', () => {
    expect(normaliseDocTitle('  Meeting\tnotes \n 2024 ')).toBe('Meeting notes 2024');
    expect(normaliseTag('to\u0000do\u200b')).toBe('to do');
    expect(normaliseWorkspaceName(' \u0007 ')).toBe('');
  });

  it('cut to their length in code points, never splitting a surrogate pair', () => {
    expect(normaliseDocTitle('x'.repeat(500))).toHaveLength(MAX_DOC_TITLE_LENGTH);
    const emoji = '😀'.repeat(MAX_TAG_LENGTH + 5);
    expect(Array.from(normaliseTag(emoji))).toHaveLength(MAX_TAG_LENGTH);
    expect(normaliseTag(emoji)).toBe('😀'.repeat(MAX_TAG_LENGTH));
  });

  it('leave no trailing space after cutting', () => {
    const raw = `${'a'.repeat(MAX_TAG_LENGTH - 1)} b`;
    expect(normaliseTag(raw)).toBe('a'.repeat(MAX_TAG_LENGTH - 1));
  });
});
