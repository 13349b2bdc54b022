import { type KeyValueStorage, type LocalCopy, newDocId, workspaceRoomName } from '@meshpad/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { markCreatedHere } from './doc-registration.js';
import { displayTitle } from './doc-title.js';
import { LocalCopiesController } from './local-copies-controller.js';
import { navigate } from './location-controller.js';
import type { RecentDoc } from './recent-docs.js';
import { RecentDocsController } from './recent-docs-controller.js';
import { recentLink, recentListStyles } from './recent-list.js';
import { docPath, workspacePath } from './route.js';
import { unsavedLabel } from './save-status-text.js';
import { controlStyles } from './shared-styles.js';
import './mp-brand.js';
import './mp-recent-workspaces.js';

/** The home page: start a new document, or reopen one this browser opened before. */
@customElement('mp-home')
export class MpHome extends LitElement {
  static override styles = [
    controlStyles,
    recentListStyles,
    css`
      :host {
        display: block;
        padding: clamp(1rem, 4vw, 2.5rem);
      }

      .page {
        max-width: 44rem;
        margin: 0 auto;
      }

      .hero {
        margin: clamp(1.5rem, 8vh, 5rem) 0 2.5rem;
      }

      h1 {
        font-size: clamp(1.75rem, 5vw, 2.5rem);
        line-height: 1.15;
        letter-spacing: -0.02em;
        margin: 0 0 0.75rem;
      }

      .lead {
        color: var(--mp-muted);
        font-size: 1.1rem;
        margin: 0 0 1.5rem;
        max-width: 36rem;
      }

      .new {
        font-size: 1.05rem;
        padding: 0.6em 1.2em;
        margin: 0 0.5rem 0.5rem 0;
      }

      mp-recent-workspaces {
        margin-top: 2rem;
      }

      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
      }

      li a {
        flex: 1 1 16rem;
        min-width: 0;
      }

      .local {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        padding: 0 1rem 0.75rem;
        font-size: 0.875rem;
      }

      li a + .local {
        padding-top: 0.75rem;
      }

      .offline {
        color: var(--mp-ok);
        font-weight: 600;
      }

      .unsaved {
        color: var(--mp-busy);
      }

      .local button {
        font-size: 0.8rem;
        padding: 0.25em 0.6em;
      }

      .problem {
        margin: 0 0 0.75rem;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--mp-bad);
        border-radius: var(--mp-radius);
        font-size: 0.875rem;
      }

      .empty {
        color: var(--mp-muted);
        padding: 1rem;
        border: 1px dashed var(--mp-border);
        border-radius: var(--mp-radius);
        margin: 0;
      }
    `,
  ];

  /** Where the recent-documents list is remembered. */
  @property({ attribute: false })
  storage!: KeyValueStorage;

  private readonly recent = new RecentDocsController(this, () => this.storage);
  private readonly localCopies = new LocalCopiesController(this);

  override render() {
    const now = Date.now();
    return html`<div class="page">
      <mp-brand></mp-brand>
      <main>
        <section class="hero">
          <h1>Write together, in real time.</h1>
          <p class="lead">
            Meshpad documents are markdown you edit with others at the same moment. Start one and share its link:
            anyone with the link can read and edit it. A workspace shares a whole list of documents, with titles and
            tags, the same way.
          </p>
          <button type="button" class="primary new" @click=${this.createDocument}>New document</button>
          <button type="button" class="new" @click=${this.createWorkspace}>New workspace</button>
        </section>
        <section aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent documents</h2>
          ${
            this.localCopies.error === undefined
              ? nothing
              : html`<p class="problem" role="alert">
                  Offline copies are not available in this browser: ${this.localCopies.error.message}.
                </p>`
          }
          ${
            this.recent.docs.length === 0
              ? html`<p class="empty">Documents you open in this browser will be listed here.</p>`
              : html`<ul>
                ${this.recent.docs.map(
                  (doc) => html`<li>
                    ${recentLink(docPath(doc.id), doc, displayTitle(doc.title), now)}
                    ${this.renderLocalCopy(doc, this.localCopies.copies.get(doc.id))}
                  </li>`,
                )}
              </ul>`
          }
        </section>
        <mp-recent-workspaces .storage=${this.storage}></mp-recent-workspaces>
      </main>
    </div>`;
  }

  private renderLocalCopy(doc: RecentDoc, copy: LocalCopy | undefined) {
    if (copy === undefined) return nothing;
    return html`<div class="local">
      <span class="offline">Available offline</span>
      ${copy.unsaved > 0 ? html`<span class="unsaved">${unsavedLabel(copy.unsaved)}</span>` : nothing}
      <button
        type="button"
        aria-label=${`Remove the local copy of ${displayTitle(doc.title)}`}
        @click=${() => this.removeLocalCopy(doc, copy)}
      >
        Remove local copy
      </button>
    </div>`;
  }

  private removeLocalCopy(doc: RecentDoc, copy: LocalCopy): void {
    if (
      copy.unsaved > 0 &&
      !window.confirm(
        `“${displayTitle(doc.title)}” has ${unsavedLabel(copy.unsaved)}: the relay does not have them. Removing ` +
          'the copy in this browser loses them, unless a tab with the document is still open. Remove it anyway?',
      )
    ) {
      return;
    }
    void this.localCopies.remove(doc.id);
  }

  /** The relay registers it as soon as it can be reached (doc-registration.ts), which makes this browser its owner. */
  private createDocument(): void {
    const docId = newDocId();
    markCreatedHere(this.storage, docId);
    navigate(docPath(docId));
  }

  /** Registered like a document (its room, `workspace/<id>`), which gives this browser its links. */
  private createWorkspace(): void {
    const workspaceId = newDocId();
    markCreatedHere(this.storage, workspaceRoomName(workspaceId));
    navigate(workspacePath(workspaceId));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-home': MpHome;
  }
}
