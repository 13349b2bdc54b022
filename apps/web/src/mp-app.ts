import { css, html, LitElement } from 'lit';
import { customElement } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { browserStorage } from './browser-storage.js';
import { registerUnregisteredDocs } from './doc-registration.js';
import { LocationController } from './location-controller.js';
import { parseRoute } from './route.js';
import './mp-home.js';
import './mp-not-found.js';

/** The application shell: shows the page for the current address. */
@customElement('mp-app')
export class MpApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }

    .loading {
      margin: 3rem auto;
      text-align: center;
      color: var(--mp-muted);
      font-family: var(--mp-font);
    }
  `;

  private readonly location = new LocationController(this);
  private readonly storage = browserStorage();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.registerDocs);
    this.registerDocs();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.registerDocs);
  }

  /** Documents created here while offline are registered with the relay once it can be reached. */
  private readonly registerDocs = (): void => {
    void registerUnregisteredDocs(this.storage, location.origin);
  };

  override render() {
    const route = parseRoute(this.location.pathname);
    switch (route.page) {
      case 'home':
        document.title = 'Meshpad';
        return html`<mp-home .storage=${this.storage}></mp-home>`;
      case 'doc':
        if (customElements.get('mp-doc-page') === undefined) {
          // The editor (CodeMirror, Yjs) is most of the code: load it only when a document is opened, and render the
          // page once it is defined, so its controllers see the properties set here from their first connect.
          void import('./mp-doc-page.js').then(() => this.requestUpdate());
          return html`<p class="loading" role="status">Loading the editor…</p>`;
        }
        // A new element per document, so each gets its own session from connect to disconnect.
        return keyed(
          `${route.workspaceId ?? ''}/${route.docId}`,
          html`<mp-doc-page
            doc-id=${route.docId}
            workspace-id=${route.workspaceId ?? ''}
            .storage=${this.storage}
          ></mp-doc-page>`,
        );
      case 'workspace':
        if (customElements.get('mp-workspace-page') === undefined) {
          // Yjs and the CRDTs load with the first workspace or document, not with the home page.
          void import('./mp-workspace-page.js').then(() => this.requestUpdate());
          return html`<p class="loading" role="status">Loading the workspace…</p>`;
        }
        return keyed(
          route.workspaceId,
          html`<mp-workspace-page workspace-id=${route.workspaceId} .storage=${this.storage}></mp-workspace-page>`,
        );
      case 'not-found':
        document.title = 'Not found · Meshpad';
        return html`<mp-not-found .path=${route.path}></mp-not-found>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-app': MpApp;
  }
}
