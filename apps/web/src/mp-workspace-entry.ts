import { MAX_DOC_TITLE_LENGTH, type WorkspaceDocument } from '@meshpad/client';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { displayTitle } from './doc-title.js';
import type { TagDetail } from './mp-tag-list.js';
import { workspaceDocPath } from './route.js';
import { controlStyles } from './shared-styles.js';
import './mp-tag-list.js';

/** Detail of `document-remove`, and the base of the other events of a workspace entry. */
export interface DocumentDetail {
  readonly docId: string;
}

/** Detail of `document-rename`: the title as typed (the workspace cleans it; blank removes it). */
export interface DocumentRenameDetail extends DocumentDetail {
  readonly title: string;
}

/** Detail of `document-tag` and `document-untag`. */
export interface DocumentTagDetail extends DocumentDetail {
  readonly tag: string;
}

/**
 * One document in a workspace's list: its title (a link to open it), rename and remove buttons, and its tags.
 * Rename turns the title into a field: Enter or leaving it commits, Escape cancels.
 * @fires document-rename - `detail: { docId, title }`: the user committed a new title.
 * @fires document-remove - `detail: { docId }`: the user asked to remove the document from the workspace.
 * @fires document-tag - `detail: { docId, tag }`: the user added a tag.
 * @fires document-untag - `detail: { docId, tag }`: the user removed a tag.
 */
@customElement('mp-workspace-entry')
export class MpWorkspaceEntry extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        gap: 0.4rem;
        padding: 0.7rem 1rem;
      }

      .line {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem 0.75rem;
      }

      a,
      .rename {
        flex: 1 1 14rem;
        min-width: 0;
      }

      a {
        font-weight: 600;
        color: var(--mp-text);
        text-decoration: none;
        overflow-wrap: anywhere;
      }

      a:hover {
        text-decoration: underline;
      }

      a.untitled {
        color: var(--mp-muted);
        font-weight: 500;
      }

      .actions {
        display: flex;
        gap: 0.4rem;
      }

      .actions button {
        font-size: 0.8rem;
        padding: 0.2em 0.6em;
      }
    `,
  ];

  /** The workspace the document is listed in. */
  @property({ attribute: 'workspace-id' })
  workspaceId = '';

  @property({ attribute: false })
  document!: WorkspaceDocument;

  /** The title to show when the document has none in the workspace (e.g. its first line, as this browser saw it). */
  @property({ attribute: 'fallback-title' })
  fallbackTitle = '';

  @state()
  private renaming = false;

  @query('.rename')
  private renameInput!: HTMLInputElement | null;

  @query('.rename-button')
  private renameButton!: HTMLButtonElement | null;

  override render() {
    const { id, title, tags } = this.document;
    const shown = displayTitle(title ?? this.fallbackTitle);
    return html`<div class="line">
        ${
          this.renaming
            ? html`<input
              class="rename"
              type="text"
              aria-label=${`New title for ${shown}`}
              placeholder="Untitled document"
              maxlength=${MAX_DOC_TITLE_LENGTH}
              autocomplete="off"
              .value=${title ?? this.fallbackTitle}
              @keydown=${this.onRenameKey}
              @blur=${this.commitRename}
            />`
            : html`<a
              href=${workspaceDocPath(this.workspaceId, id)}
              class=${title === undefined && this.fallbackTitle === '' ? 'untitled' : ''}
              >${shown}</a
            >`
        }
        <div class="actions">
          <button type="button" class="rename-button" aria-label=${`Rename ${shown}`} @click=${this.startRename}>
            Rename
          </button>
          <button type="button" aria-label=${`Remove ${shown} from the workspace`} @click=${this.requestRemove}>Remove</button>
        </div>
      </div>
      <mp-tag-list .tags=${tags} label=${shown} @tag-add=${this.onTagAdd} @tag-remove=${this.onTagRemove}></mp-tag-list>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('renaming') && this.renaming) {
      this.renameInput?.focus();
      this.renameInput?.select();
    }
  }

  private startRename(): void {
    this.renaming = true;
  }

  private onRenameKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.commitRename();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      void this.endRename(true);
    }
  }

  private commitRename(event?: FocusEvent): void {
    if (!this.renaming || this.renameInput === null) return;
    const title = this.renameInput.value;
    // Leaving the field by clicking elsewhere keeps the focus where the user put it.
    void this.endRename(event === undefined);
    if (title !== (this.document.title ?? this.fallbackTitle)) {
      this.emit('document-rename', { docId: this.document.id, title });
    }
  }

  private async endRename(refocus: boolean): Promise<void> {
    this.renaming = false;
    if (!refocus) return;
    await this.updateComplete;
    this.renameButton?.focus();
  }

  private requestRemove(): void {
    this.emit('document-remove', { docId: this.document.id });
  }

  private onTagAdd(event: CustomEvent<TagDetail>): void {
    this.emit('document-tag', { docId: this.document.id, tag: event.detail.tag });
  }

  private onTagRemove(event: CustomEvent<TagDetail>): void {
    this.emit('document-untag', { docId: this.document.id, tag: event.detail.tag });
  }

  private emit<K extends keyof EntryEvents>(type: K, detail: EntryEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

interface EntryEvents {
  'document-rename': DocumentRenameDetail;
  'document-remove': DocumentDetail;
  'document-tag': DocumentTagDetail;
  'document-untag': DocumentTagDetail;
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-workspace-entry': MpWorkspaceEntry;
  }
  interface HTMLElementEventMap {
    'document-rename': CustomEvent<DocumentRenameDetail>;
    'document-remove': CustomEvent<DocumentDetail>;
    'document-tag': CustomEvent<DocumentTagDetail>;
    'document-untag': CustomEvent<DocumentTagDetail>;
  }
}
