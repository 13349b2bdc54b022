import { derivePresence, MAX_DISPLAY_NAME_LENGTH } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import { safeRemoteUser, yTextToEditorText } from 'y-codemirror.next';
import * as Y from 'yjs';

// What patches/y-codemirror.next@0.3.6.patch adds to the editor binding: the pure parts. Chromium runs the rest
// (e2e/tests/hostile-peer.spec.ts).

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const codePoints = (value: string): number => Array.from(value).length;

/** The name the presence list shows for a peer announcing `name`. */
const presenceName = (name: string): string =>
  derivePresence(new Map([[2, { user: { name, color: '#1670c9' } }]]), 1)[0]!.name;

describe('safeRemoteUser', () => {
  it('keeps what a Meshpad session announces', () => {
    const name = 'Roberta Fernández-Oyelaran, 40 characters';
    const user = { name: presenceName(name), color: '#1670c9', colorLight: '#1670c933' };
    expect(codePoints(user.name)).toBe(MAX_DISPLAY_NAME_LENGTH);
    expect(safeRemoteUser(user)).toEqual(user);
  });

  it.each([
    ['a right-to-left override', '\u202egnp.exe', false],
    ['isolates and marks', '\u2067Mal\u2069lory\u200f\u061c', false],
    ['line breaks and tabs', 'Mal\nlory\t\r\u2028x', false],
    ['5,000 characters', `\u202e${'Mallory '.repeat(625)}`, true],
    ['astral characters past the limit', '🦊'.repeat(60), true],
  ])('shows the presence list’s name, cut with an ellipsis past the limit: %s', (_, raw, cut) => {
    const { name } = safeRemoteUser({ name: raw });
    const listed = presenceName(raw);
    expect(name).not.toMatch(BIDI_CONTROLS);
    expect(name).not.toMatch(/\p{Cc}|\p{Cf}/u);
    expect(codePoints(name)).toBeLessThanOrEqual(MAX_DISPLAY_NAME_LENGTH);
    if (cut) {
      expect(name).toMatch(/…$/u);
      expect(listed.startsWith(name.slice(0, -1))).toBe(true);
    } else {
      expect(name).toBe(listed);
    }
  });

  it('names a peer without a usable name Anonymous', () => {
    for (const name of [undefined, 42, { toString: 'x' }, '\u202e\u2066 \n']) {
      expect(safeRemoteUser({ name }).name).toBe('Anonymous');
    }
    expect(safeRemoteUser(null).name).toBe('Anonymous');
    expect(safeRemoteUser('Mallory').name).toBe('Anonymous');
  });

  it('accepts #rgb, #rrggbb and #rrggbbaa colours and nothing else', () => {
    expect(safeRemoteUser({ color: '#AbC' })).toMatchObject({ color: '#AbC', colorLight: '#AAbbCC33' });
    expect(safeRemoteUser({ color: '#12345678' })).toMatchObject({ color: '#12345678', colorLight: '#12345633' });
    for (const color of [
      'red;position:fixed;inset:0;background:url(//127.0.0.1:9/x)',
      'red',
      '#1670c9;',
      '#1670c9 ',
      ' #1670c9',
      '#12345',
      'rgb(1,2,3)',
      'var(--x)',
      42,
      ['#1670c9'],
    ]) {
      expect(safeRemoteUser({ color, colorLight: color })).toEqual({
        name: 'Anonymous',
        color: '#30bced',
        colorLight: '#30bced33',
      });
    }
  });

  it('derives a missing or invalid selection colour from the caret colour', () => {
    expect(safeRemoteUser({ color: '#1670c9' }).colorLight).toBe('#1670c933');
    expect(safeRemoteUser({ color: '#1670c9', colorLight: 'url(x)' }).colorLight).toBe('#1670c933');
  });
});

/** A text holding everything a peer can put in a Y.Text besides plain text. */
const mixedText = (): Y.Text => {
  const text = new Y.Doc().getText('content');
  text.insert(0, 'one\r\ntwo three');
  text.insertEmbed(3, { image: 'https://example.invalid/x.png' });
  text.format(5, 3, { bold: true });
  text.insert(9, 'bold', { italic: true });
  text.insertEmbed(text.length, new Y.Map());
  text.insertEmbed(0, new Y.Text('nested'));
  return text;
};

describe('yTextToEditorText', () => {
  it('shows a placeholder for each embed, nested type and carriage return, and nothing for formats', () => {
    expect(yTextToEditorText(mixedText())).toBe('\ufffcone\ufffc\ufffc\ntwobold three\ufffc');
  });

  it('gives every character the index it has in the Y.Text', () => {
    const length = mixedText().length;
    expect(yTextToEditorText(mixedText())).toHaveLength(length);
    for (let index = 0; index <= length; index++) {
      const text = mixedText();
      text.insert(index, '|');
      expect(yTextToEditorText(text).indexOf('|')).toBe(index);
    }
  });

  it('leaves out what was deleted', () => {
    const text = mixedText();
    text.delete(0, 2);
    expect(yTextToEditorText(text)).toBe('ne\ufffc\ufffc\ntwobold three\ufffc');
  });
});
