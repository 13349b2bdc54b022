import { defaultKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import type { Extension, Text } from '@codemirror/state';
import {
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightSpecialChars,
  keymap,
  placeholder,
} from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { documentTitle, TITLE_SEARCH_LINES } from './doc-title.js';
import { meshpadEditorTheme } from './editor-theme.js';

export interface EditorSetupOptions {
  readonly text: Y.Text;
  readonly awareness: Awareness;
  /** Tracks only this editor's changes, so undo never reverts what others typed. */
  readonly undoManager: Y.UndoManager;
  /** Called with the document's title whenever the text near its start changes. */
  readonly onTitle: (title: string) => void;
}

/** The title of a CodeMirror document, reading only its first lines. */
export const titleOf = (doc: Text): string =>
  documentTitle(doc.iterLines(1, Math.min(doc.lines, TITLE_SEARCH_LINES) + 1));

/**
 * Everything the editor needs: markdown, find, the keymap (Yjs undo/redo, search, the standard bindings; Tab is left
 * to move focus out of the editor), and the binding to the shared text with everyone's cursors.
 */
export const editorSetup = ({ text, awareness, undoManager, onTitle }: EditorSetupOptions): Extension => [
  highlightSpecialChars(),
  drawSelection(),
  dropCursor(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  EditorView.lineWrapping,
  markdown(),
  search({ top: true }),
  keymap.of([...yUndoManagerKeymap, ...searchKeymap, ...defaultKeymap]),
  placeholder('Start writing. Markdown works: # Heading, **bold**, _italic_, - list, `code`'),
  EditorView.contentAttributes.of({ 'aria-label': 'Document text', 'aria-multiline': 'true' }),
  yCollab(text, awareness, { undoManager }),
  EditorView.updateListener.of((update) => {
    if (update.docChanged) onTitle(titleOf(update.state.doc));
  }),
  meshpadEditorTheme,
];
