import { type KeyValueStorage, MAX_DOC_TITLE_LENGTH, workspaceRoomName } from '@meshpad/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type DocAccess, editGenerationOf, readDocAccess, sessionToken, strongestScope } from './doc-access.js';
import { DocAccessController } from './doc-access-controller.js';
import { DocSessionController } from './doc-session-controller.js';
import { displayTitle } from './doc-title.js';
import { type AccessScope, parseLinkFragment, updateLinkFragment } from './link-fragment.js';
import type { RoomKeyChangeDetail } from './mp-room-key.js';
import type { TitleCommitDetail } from './mp-title-field.js';
import { RecentDocsController } from './recent-docs-controller.js';
import { workspacePath } from './route.js';
import { controlStyles, pageHeaderStyles } from './shared-styles.js';
import { UnsavedChangesGuard } from './unsaved-changes-guard.js';
import { displayWorkspaceName } from './workspace-name.js';
import { WorkspaceSessionController } from './workspace-session-controller.js';
import './mp-brand.js';
import './mp-connection-status.js';
import './mp-editor.js';
import './mp-name-field.js';
import './mp-presence-list.js';
import './mp-room-key.js';
import './mp-save-status.js';
import './mp-share-dialog.js';
import './mp-shortcuts.js';
import './mp-title-field.js';

/** The page of one document: header, editor, and a side panel with the people in it. */
@customElement('mp-doc-page')
export class MpDocPage extends LitElement {
  static override styles = [
    controlStyles,
    pageHeaderStyles,
    css`
      @media (min-height: 32rem) and (min-width: 40rem) {
        header {
          position: sticky;
          top: 0;
          z-index: 10;
        }
      }

      .title {
        flex: 1 1 10rem;
        min-width: 0;
      }

      h1 {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }

      .workspace-link {
        font-size: 0.8rem;
        overflow-wrap: anywhere;
      }

      .doc-id {
        font-family: var(--mp-mono);
        font-size: 0.75rem;
        color: var(--mp-muted);
        overflow-wrap: anywhere;
      }

      mp-connection-status,
      mp-save-status {
        flex: 0 1 auto;
      }

      .body {
        flex: 1;
        display: flex;
        flex-wrap: wrap;
        align-items: flex-start;
        gap: 1.25rem;
        padding: clamp(0.75rem, 3vw, 1.5rem);
        width: 100%;
        max-width: 80rem;
        margin: 0 auto;
      }

      main {
        flex: 999 1 30rem;
        min-width: 0;
        background: var(--mp-surface);
        border: 1px solid var(--mp-border);
        border-radius: var(--mp-radius);
        overflow: hidden;
      }

      mp-editor {
        min-height: 70vh;
      }

      .view-only {
        margin: 0;
        padding: 0.5rem 1rem;
        border-bottom: 1px solid var(--mp-border);
        color: var(--mp-muted);
      }

      aside {
        flex: 1 1 15rem;
        display: grid;
        gap: 1.25rem;
        padding: 1rem;
        background: var(--mp-surface);
        border: 1px solid var(--mp-border);
        border-radius: var(--mp-radius);
      }
    `,
  ];

  /** Id of the document to open. Fixed for the element's life: the app makes a new element per document. */
  @property({ attribute: 'doc-id' })
  docId = '';

  /** Where names and the recent-documents list are remembered. */
  @property({ attribute: false })
  storage!: KeyValueStorage;

  /** The workspace the document was opened from, or '' for none; its title for the document then heads the page. */
  @property({ attribute: 'workspace-id' })
  workspaceId = '';

  @state()
  private docTitle = '';

  /** The editor has reported the text's title at least once. */
  private titleReported = false;

  /** The title last put in the tab and the recent-documents list. */
  private appliedTitle: string | undefined;

  private readonly workspace = new WorkspaceSessionController(this, () =>
    this.workspaceId === ''
      ? undefined
      : { workspaceId: this.workspaceId, relayUrl: location.origin, token: sessionToken(this.workspaceAccess()) },
  );

  /** The room key of the link (`#key=…`): the password of the document's peer-to-peer mesh. */
  @state()
  private roomKey = parseLinkFragment(location.hash).key;

  /** Before the session's controller, so that the tokens of the link are kept before the session starts. */
  private readonly access = new DocAccessController(this, () => ({
    docId: this.docId,
    storage: this.storage,
    origin: location.origin,
    onSessionTokenChange: () => this.doc.restart(),
  }));

  private readonly doc = new DocSessionController(this, () => ({
    docId: this.docId,
    relayUrl: location.origin,
    storage: this.storage,
    roomKey: this.roomKey,
    token: sessionToken(this.sessionAccess()),
    editGeneration: editGenerationOf(this.sessionAccess()),
    ready: this.access.registration,
  }));

  /** The workspace's access this browser holds, when the document is opened from one. */
  private workspaceAccess(): DocAccess {
    return this.workspaceId === '' ? {} : readDocAccess(this.storage, workspaceRoomName(this.workspaceId));
  }

  /**
   * The access the session uses: the document's own links, or else the workspace's it was opened from (which open
   * the documents made in it, with their scope).
   */
  private sessionAccess(): DocAccess {
    const own = this.access.access;
    return strongestScope(own) !== undefined ? own : this.workspaceAccess();
  }

  /** Registers itself with this element: warns before the page is left while a change is only in memory. */
  protected readonly unsavedChanges = new UnsavedChangesGuard(this, () => this.doc.session);

  private readonly recent = new RecentDocsController(
    this,
    () => this.storage,
    () => this.docId,
  );

  override render() {
    const { session, status, presence, identity, network } = this.doc;
    const viewOnly = strongestScope(this.sessionAccess()) === 'view';
    return html`<header>
        <mp-brand></mp-brand>
        <div class="title">
          ${this.renderHeading()}
          <div class="doc-id"><span class="visually-hidden">Document id </span>${this.docId}</div>
        </div>
        <mp-connection-status .status=${this.shownStatus}></mp-connection-status>
        <mp-save-status .status=${status}></mp-save-status>
        <mp-share-dialog
          .docId=${this.docId}
          .origin=${location.origin}
          .roomKey=${this.roomKey}
          .access=${this.access.access}
          .info=${this.access.info}
          .plainLink=${location.href}
          .rotate=${this.rotate}
          .mint=${this.mint}
        ></mp-share-dialog>
      </header>
      <div class="body">
        <main>
          ${
            viewOnly
              ? html`<p class="view-only" role="status" data-view-only>
                  View only: your link lets you read and copy this document, not change it. Ask its owner for an edit
                  link.
                </p>`
              : nothing
          }
          <mp-editor
            .session=${session}
            ?loaded=${status.loaded}
            ?readonly=${viewOnly}
            @title-change=${this.onTitleChange}
          ></mp-editor>
        </main>
        <aside aria-label="People and settings">
          <mp-presence-list .people=${presence} .routes=${network.routes}></mp-presence-list>
          <mp-room-key .roomKey=${this.roomKey} @room-key-change=${this.onRoomKeyChange}></mp-room-key>
          <mp-name-field .name=${identity?.name ?? ''} @name-change=${this.onNameChange}></mp-name-field>
          <mp-shortcuts></mp-shortcuts>
        </aside>
      </div>`;
  }

  protected override updated(): void {
    const title = this.currentTitle;
    if (title === undefined || title === this.appliedTitle) return;
    this.appliedTitle = title;
    document.title = `${displayTitle(title)} · Meshpad`;
    this.recent.setTitle(this.docId, title);
  }

  /**
   * The status the connection badge explains. A document created here and not yet registered is refused by a relay
   * that requires tokens until registration gives this browser its own, and the session then restarts with it: that
   * refusal is not the user's to act on.
   */
  private get shownStatus() {
    const { status } = this.doc;
    return this.access.access.unregistered === true ? { ...status, relayClose: undefined } : status;
  }

  /**
   * The document's title: the one given in the workspace it was opened from, else its first line; `undefined` until
   * either is known, so that the remembered title is not replaced before the text has loaded.
   */
  private get currentTitle(): string | undefined {
    return this.workspace.session?.titleOf(this.docId) ?? (this.titleReported ? this.docTitle : undefined);
  }

  /** The title; from a workspace, a field that renames the document there, under a link back to the workspace. */
  private renderHeading() {
    if (this.workspaceId === '') return html`<h1>${displayTitle(this.docTitle)}</h1>`;
    return html`<a class="workspace-link" href=${workspacePath(this.workspaceId)}
        >${displayWorkspaceName(this.workspace.name)}</a
      >
      <h1>
        <mp-title-field
          label="Document title"
          placeholder="Untitled document"
          maxlength=${MAX_DOC_TITLE_LENGTH}
          .value=${this.currentTitle ?? ''}
          @title-commit=${this.onTitleCommit}
        ></mp-title-field>
      </h1>`;
  }

  private onTitleChange(event: CustomEvent<{ title: string }>): void {
    this.docTitle = event.detail.title;
    this.titleReported = true;
  }

  /** A blank title removes the workspace's title, so the first line heads the document again. */
  private onTitleCommit(event: CustomEvent<TitleCommitDetail>): void {
    this.workspace.session?.setTitle(this.docId, event.detail.value);
  }

  /** A new key goes into the address bar (so the copied link carries it) and the mesh restarts with it. */
  private onRoomKeyChange(event: CustomEvent<RoomKeyChangeDetail>): void {
    const { key } = event.detail;
    const hash = updateLinkFragment(location.hash, { key });
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
    this.roomKey = key;
    this.doc.restart();
  }

  private readonly rotate = (scope: AccessScope) => this.access.rotate(scope);
  private readonly mint = (scope: AccessScope) => this.access.mint(scope);

  private onNameChange(event: CustomEvent<{ name: string }>): void {
    this.doc.rename(event.detail.name);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-doc-page': MpDocPage;
  }
}
