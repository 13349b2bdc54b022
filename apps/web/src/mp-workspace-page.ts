import {
  type KeyValueStorage,
  MAX_DOC_TITLE_LENGTH,
  MAX_WORKSPACE_NAME_LENGTH,
  type WorkspaceDocument,
  type WorkspaceProblem,
  workspaceRoomName,
} from '@meshpad/client';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { sessionToken } from './doc-access.js';
import { DocAccessController } from './doc-access-controller.js';
import { markCreatedHere } from './doc-registration.js';
import { displayTitle } from './doc-title.js';
import type { AccessScope } from './link-fragment.js';
import { navigate } from './location-controller.js';
import type { TitleCommitDetail } from './mp-title-field.js';
import type { DocumentDetail, DocumentRenameDetail, DocumentTagDetail } from './mp-workspace-entry.js';
import { RecentDocsController } from './recent-docs-controller.js';
import { rememberWorkspace, rememberWorkspaceName } from './recent-workspaces.js';
import { workspaceDocPath } from './route.js';
import { boxedListStyles, controlStyles, pageHeaderStyles } from './shared-styles.js';
import { displayWorkspaceName, UNTITLED_WORKSPACE } from './workspace-name.js';
import { WorkspaceSessionController } from './workspace-session-controller.js';
import './mp-brand.js';
import './mp-connection-status.js';
import './mp-share-dialog.js';
import './mp-title-field.js';
import './mp-workspace-entry.js';

/** Sentence for data of the workspace that could not be used. */
const describeProblem = (problem: WorkspaceProblem): string =>
  problem.error.code === 'clock-drift'
    ? 'Some changes from another device are set aside until this device’s clock catches up: that device’s clock is ahead.'
    : 'Some data in this workspace could not be read (it may come from a newer Meshpad) and is left as it is.';

/**
 * A workspace: its name, the documents everyone with the link shares (titles, tags), and ways to create, rename, tag
 * and remove them. A removal can be undone from the message it leaves.
 */
@customElement('mp-workspace-page')
export class MpWorkspacePage extends LitElement {
  static override styles = [
    controlStyles,
    pageHeaderStyles,
    boxedListStyles,
    css`
      .title {
        flex: 1 1 12rem;
        min-width: 0;
      }

      .kind {
        font-size: 0.75rem;
        font-weight: 600;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--mp-muted);
      }

      main {
        width: 100%;
        max-width: 48rem;
        margin: 0 auto;
        padding: clamp(1rem, 4vw, 2rem) clamp(0.75rem, 3vw, 1.5rem);
      }

      .lead {
        margin: 0 0 1.25rem;
        color: var(--mp-muted);
      }

      form {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin-bottom: 1.5rem;
      }

      form label {
        flex-basis: 100%;
        font-weight: 600;
      }

      form input {
        flex: 1 1 14rem;
      }

      h2 {
        font-size: 1rem;
        margin: 0 0 0.75rem;
      }

      .count {
        color: var(--mp-muted);
        font-weight: 500;
      }

      .notice {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
        margin: 0 0 1rem;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--mp-border);
        border-radius: var(--mp-radius);
        background: var(--mp-surface-raised);
        font-size: 0.9rem;
      }

      .notice.problem {
        border-color: var(--mp-bad);
      }

      .notice button {
        font-size: 0.85rem;
        padding: 0.2em 0.7em;
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

  /** Id of the workspace to open. Fixed for the element's life: the app makes a new element per workspace. */
  @property({ attribute: 'workspace-id' })
  workspaceId = '';

  /** Where the recent lists are remembered. */
  @property({ attribute: false })
  storage!: KeyValueStorage;

  /** The document removed last, until it is restored or the message is dismissed. */
  @state()
  private removed: { readonly docId: string; readonly title: string } | undefined;

  @query('.undo')
  private undoButton!: HTMLButtonElement | null;

  @query('#documents-heading')
  private documentsHeading!: HTMLHeadingElement | null;

  /** The name last written to the recent-workspaces list. */
  private rememberedName: string | undefined;

  /** Before the session's controller: the link's tokens are kept, and a workspace created here registered, first. */
  private readonly access = new DocAccessController(this, () => ({
    docId: workspaceRoomName(this.workspaceId),
    storage: this.storage,
    origin: location.origin,
    onSessionTokenChange: () => this.workspace.restart(),
  }));

  private readonly workspace = new WorkspaceSessionController(this, () => ({
    workspaceId: this.workspaceId,
    relayUrl: location.origin,
    token: sessionToken(this.access.access),
    ready: this.access.registration,
  }));

  /** Titles this browser saw for documents that have none in the workspace (their first line). */
  private readonly recentDocs = new RecentDocsController(this, () => this.storage);

  override connectedCallback(): void {
    super.connectedCallback();
    rememberWorkspace(this.storage, this.workspaceId, Date.now());
  }

  override render() {
    const { status, name, problem } = this.workspace;
    const documents = this.sortedDocuments();
    return html`<header>
        <mp-brand></mp-brand>
        <div class="title">
          <div class="kind" aria-hidden="true">Workspace</div>
          <h1>
            <mp-title-field
              label="Workspace name"
              placeholder=${UNTITLED_WORKSPACE}
              maxlength=${MAX_WORKSPACE_NAME_LENGTH}
              .value=${name ?? ''}
              @title-commit=${this.onNameCommit}
            ></mp-title-field>
          </h1>
        </div>
        <mp-connection-status .status=${status}></mp-connection-status>
        <mp-share-dialog
          .docId=${workspaceRoomName(this.workspaceId)}
          .origin=${location.origin}
          .access=${this.access.access}
          .info=${this.access.info}
          .plainLink=${location.href}
          .rotate=${this.rotate}
          .mint=${this.mint}
        ></mp-share-dialog>
      </header>
      <main>
        <p class="lead">
          Everyone with this workspace’s link sees this list and can add, rename, tag and remove documents in it.
        </p>
        ${
          problem === undefined ? nothing : html`<p class="notice problem" role="alert">${describeProblem(problem)}</p>`
        }
        <form @submit=${this.onCreate}>
          <label for="new-title">New document</label>
          <input
            id="new-title"
            type="text"
            placeholder="Title (optional)"
            maxlength=${MAX_DOC_TITLE_LENGTH}
            autocomplete="off"
          />
          <button type="submit" class="primary">Create document</button>
        </form>
        <div role="status">
          ${
            this.removed === undefined
              ? nothing
              : html`<div class="notice">
                  <span>“${this.removed.title}” was removed from the workspace.</span>
                  <button type="button" class="undo" @click=${this.undoRemove}>Undo</button>
                  <button type="button" aria-label="Dismiss" @click=${this.dismissRemoved}>
                    <span aria-hidden="true">×</span>
                  </button>
                </div>`
          }
        </div>
        <section aria-labelledby="documents-heading">
          <h2 id="documents-heading" tabindex="-1">Documents <span class="count">(${documents.length})</span></h2>
          ${this.renderDocuments(documents)}
        </section>
      </main>`;
  }

  protected override updated(changed: PropertyValues): void {
    const name = this.workspace.name ?? '';
    document.title = `${displayWorkspaceName(name)} · Meshpad`;
    if (name !== this.rememberedName) {
      rememberWorkspaceName(this.storage, this.workspaceId, name);
      this.rememberedName = name;
    }
    // After a removal the focus would fall to the page: offer the undo instead.
    if (changed.has('removed') && this.removed !== undefined) this.undoButton?.focus();
  }

  private renderDocuments(documents: readonly WorkspaceDocument[]) {
    if (documents.length === 0) {
      return html`<p class="empty">
        ${this.workspace.status.loaded ? 'No documents yet. Create one above.' : 'Loading the workspace…'}
      </p>`;
    }
    return html`<ul>
      ${repeat(
        documents,
        (doc) => doc.id,
        (doc) => html`<li>
          <mp-workspace-entry
            workspace-id=${this.workspaceId}
            fallback-title=${this.fallbackTitle(doc.id)}
            .document=${doc}
            @document-rename=${this.onRename}
            @document-remove=${this.onRemove}
            @document-tag=${this.onTag}
            @document-untag=${this.onUntag}
          ></mp-workspace-entry>
        </li>`,
      )}
    </ul>`;
  }

  /** Ordered by the title shown, so that every person sees the same order. */
  private sortedDocuments(): WorkspaceDocument[] {
    const shown = (doc: WorkspaceDocument) => displayTitle(doc.title ?? this.fallbackTitle(doc.id));
    return [...this.workspace.documents].sort(
      (a, b) => shown(a).localeCompare(shown(b), undefined, { sensitivity: 'base' }) || (a.id < b.id ? -1 : 1),
    );
  }

  private fallbackTitle(docId: string): string {
    return this.recentDocs.docs.find((doc) => doc.id === docId)?.title ?? '';
  }

  private readonly rotate = (scope: AccessScope) => this.access.rotate(scope);
  private readonly mint = (scope: AccessScope) => this.access.mint(scope);

  private onNameCommit(event: CustomEvent<TitleCommitDetail>): void {
    this.workspace.session?.setName(event.detail.value);
  }

  private onCreate(event: SubmitEvent): void {
    event.preventDefault();
    const session = this.workspace.session;
    if (session === undefined) return;
    const input = (event.target as HTMLFormElement).querySelector('input') as HTMLInputElement;
    const docId = session.createDocument(input.value);
    // Registered in the workspace, so that the workspace's links open it too.
    markCreatedHere(this.storage, docId, workspaceRoomName(this.workspaceId));
    navigate(workspaceDocPath(this.workspaceId, docId));
  }

  private onRename(event: CustomEvent<DocumentRenameDetail>): void {
    this.workspace.session?.setTitle(event.detail.docId, event.detail.title);
  }

  private onRemove(event: CustomEvent<DocumentDetail>): void {
    const { docId } = event.detail;
    const session = this.workspace.session;
    if (session === undefined) return;
    const title = displayTitle(session.titleOf(docId) ?? this.fallbackTitle(docId));
    session.removeDocument(docId);
    this.removed = { docId, title };
  }

  private undoRemove(): void {
    if (this.removed === undefined) return;
    this.workspace.session?.addDocument(this.removed.docId);
    this.dismissRemoved();
  }

  /** Hides the removal message; the focus, which was on its buttons, goes to the list. */
  private dismissRemoved(): void {
    this.removed = undefined;
    this.documentsHeading?.focus();
  }

  private onTag(event: CustomEvent<DocumentTagDetail>): void {
    this.workspace.session?.addTag(event.detail.docId, event.detail.tag);
  }

  private onUntag(event: CustomEvent<DocumentTagDetail>): void {
    this.workspace.session?.removeTag(event.detail.docId, event.detail.tag);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-workspace-page': MpWorkspacePage;
  }
}
