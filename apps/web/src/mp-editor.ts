import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { DocSession } from '@meshpad/client';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { yTextToEditorText } from 'y-codemirror.next';
import * as Y from 'yjs';
import { editorSetup, titleOf } from './editor-setup.js';

/** Detail of the `title-change` event. */
export interface TitleChangeDetail {
  readonly title: string;
}

/**
 * The markdown editor, bound to the session's shared text. Until the document has loaded it shows a loading state
 * instead of an empty editor that would later jump.
 * @fires title-change - The document's title (its first line) changed; also fired once when the editor opens.
 */
@customElement('mp-editor')
export class MpEditor extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
    }

    .editor {
      min-height: inherit;
    }

    .editor > .cm-editor {
      min-height: inherit;
    }

    .loading {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 0.75em;
      min-height: inherit;
      padding: 3rem 1rem;
      color: var(--mp-muted);
      font-family: var(--mp-font);
    }

    .spinner {
      width: 1.1em;
      height: 1.1em;
      border: 2px solid var(--mp-border);
      border-top-color: var(--mp-accent);
      border-radius: 50%;
      animation: spin 0.8s linear infinite;
    }

    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }

    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation-duration: 3s;
      }
    }
  `;

  /** The open document. */
  @property({ attribute: false })
  session: DocSession | undefined;

  /** Whether the document has loaded (`session.status.loaded`). */
  @property({ type: Boolean })
  loaded = false;

  /** Shows the text without letting it be changed: this browser holds only a view link, whose edits the relay drops. */
  @property({ type: Boolean })
  readonly = false;

  /** Holds the read-only state, so that it changes without rebuilding the editor. */
  private readonly editable = new Compartment();

  @query('.editor')
  private container!: HTMLDivElement;

  private view: EditorView | undefined;
  private undoManager: Y.UndoManager | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-create the view if the element was moved (disconnected, then connected again).
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.destroyView();
  }

  /** Puts the keyboard focus in the text. */
  override focus(): void {
    this.view?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session') && changed.get('session') !== undefined) this.destroyView();
  }

  protected override render() {
    const ready = this.loaded && this.session !== undefined;
    return html`${
      ready
        ? null
        : html`<div class="loading" role="status" aria-live="polite">
          <span class="spinner" aria-hidden="true"></span><span>Loading document…</span>
        </div>`
    }
      <div class="editor" ?hidden=${!ready}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.view === undefined && this.loaded && this.session !== undefined && this.isConnected) {
      this.createView(this.session);
    } else if (changed.has('readonly')) {
      this.view?.dispatch({ effects: this.editable.reconfigure(this.editableState()) });
    }
  }

  /** Read-only, yet still focusable: the keyboard moves through the text and selects it to copy. */
  private editableState() {
    return EditorState.readOnly.of(this.readonly);
  }

  private createView(session: DocSession): void {
    const undoManager = new Y.UndoManager(session.text);
    // The state starts from the text as it is now, so the editor never shows an empty document that then fills up;
    // with a placeholder for each embed or nested type a peer put in it, so positions match the Y.Text's.
    const state = EditorState.create({
      doc: yTextToEditorText(session.text),
      extensions: [
        editorSetup({
          text: session.text,
          awareness: session.awareness,
          undoManager,
          onTitle: (title) => this.emitTitle(title),
        }),
        this.editable.of(this.editableState()),
      ],
    });
    this.undoManager = undoManager;
    this.view = new EditorView({ state, parent: this.container, root: this.renderRoot as ShadowRoot });
    this.emitTitle(titleOf(state.doc));
    this.view.focus();
  }

  private destroyView(): void {
    this.view?.destroy();
    this.undoManager?.destroy();
    this.view = undefined;
    this.undoManager = undefined;
  }

  private emitTitle(title: string): void {
    this.dispatchEvent(new CustomEvent<TitleChangeDetail>('title-change', { detail: { title } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-editor': MpEditor;
  }
  interface HTMLElementEventMap {
    'title-change': CustomEvent<TitleChangeDetail>;
  }
}
