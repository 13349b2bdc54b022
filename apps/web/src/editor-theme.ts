import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/**
 * Editor colours come from the page's CSS custom properties (see theme.css), so one theme serves light and dark mode
 * and follows `prefers-color-scheme` without reconfiguring the editor.
 */
const editorTheme = EditorView.theme({
  '&': {
    color: 'var(--mp-text)',
    backgroundColor: 'var(--mp-surface)',
    fontSize: '1rem',
    minHeight: '100%',
  },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mp-mono)', lineHeight: '1.7' },
  '.cm-content': { padding: '1.25rem 0 4rem', caretColor: 'var(--mp-text)' },
  '.cm-line': { padding: '0 clamp(0.75rem, 4vw, 2.5rem)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--mp-text)', borderLeftWidth: '2px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
    { backgroundColor: 'var(--mp-selection)' },
  '.cm-activeLine': { backgroundColor: 'var(--mp-active-line)' },
  '.cm-placeholder': { color: 'var(--mp-muted)', fontStyle: 'italic' },
  '.cm-searchMatch': { backgroundColor: 'var(--mp-match)', outline: '1px solid var(--mp-busy)' },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: 'var(--mp-selection)' },
  '.cm-selectionMatch': { backgroundColor: 'var(--mp-active-line)' },
  '.cm-panels': {
    backgroundColor: 'var(--mp-surface-raised)',
    color: 'var(--mp-text)',
    fontFamily: 'var(--mp-font)',
  },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--mp-border)' },
  '.cm-panel.cm-search': { padding: '0.5rem 2.25rem 0.5rem 0.75rem', fontSize: '0.875rem' },
  '.cm-panel.cm-search label': { fontSize: '0.875rem', whiteSpace: 'nowrap' },
  '.cm-textfield': {
    font: 'inherit',
    color: 'var(--mp-text)',
    backgroundColor: 'var(--mp-surface)',
    border: '1px solid var(--mp-border)',
    borderRadius: '0.35rem',
    padding: '0.2rem 0.45rem',
  },
  '.cm-button': {
    font: 'inherit',
    color: 'var(--mp-text)',
    backgroundImage: 'none',
    backgroundColor: 'var(--mp-surface)',
    border: '1px solid var(--mp-border)',
    borderRadius: '0.35rem',
    padding: '0.2rem 0.6rem',
  },
  '.cm-panel.cm-search [name=close]': { color: 'var(--mp-muted)', fontSize: '1.25rem', right: '0.5rem' },
  // Remote cursors: keep each name visible (y-codemirror.next shows it only on hover).
  '.cm-ySelectionInfo': {
    opacity: '1',
    fontFamily: 'var(--mp-font)',
    fontSize: '0.7rem',
    fontWeight: '600',
    lineHeight: '1.4',
    top: '-1.4em',
    padding: '0 0.35em',
    borderRadius: '0.3em 0.3em 0.3em 0',
  },
  '.cm-ySelectionCaret': { borderLeftWidth: '2px', borderRightWidth: '0', marginRight: '0' },
});

const markdownHighlight = HighlightStyle.define([
  { tag: tags.heading1, color: 'var(--mp-syn-heading)', fontWeight: '700', fontSize: '1.35em' },
  { tag: tags.heading2, color: 'var(--mp-syn-heading)', fontWeight: '700', fontSize: '1.2em' },
  { tag: tags.heading3, color: 'var(--mp-syn-heading)', fontWeight: '700', fontSize: '1.08em' },
  { tag: [tags.heading4, tags.heading5, tags.heading6], color: 'var(--mp-syn-heading)', fontWeight: '700' },
  { tag: [tags.processingInstruction, tags.contentSeparator, tags.labelName], color: 'var(--mp-syn-mark)' },
  { tag: tags.emphasis, fontStyle: 'italic', color: 'var(--mp-syn-emphasis)' },
  { tag: tags.strong, fontWeight: '700' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: tags.link, color: 'var(--mp-syn-link)', textDecoration: 'underline' },
  { tag: tags.url, color: 'var(--mp-syn-url)' },
  { tag: tags.monospace, color: 'var(--mp-syn-code)', backgroundColor: 'var(--mp-syn-code-bg)', borderRadius: '3px' },
  { tag: tags.quote, color: 'var(--mp-syn-quote)', fontStyle: 'italic' },
  { tag: [tags.comment, tags.meta], color: 'var(--mp-muted)' },
  { tag: tags.escape, color: 'var(--mp-syn-mark)' },
]);

/** Meshpad's look for the editor: layout, colours and markdown highlighting. */
export const meshpadEditorTheme: Extension = [editorTheme, syntaxHighlighting(markdownHighlight)];
