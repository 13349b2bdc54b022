import type { KeyValueStorage } from '@meshpad/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { recentLink, recentListStyles } from './recent-list.js';
import { RECENT_WORKSPACES_KEY, type RecentWorkspace, readRecentWorkspaces } from './recent-workspaces.js';
import { workspacePath } from './route.js';
import { controlStyles } from './shared-styles.js';
import { displayWorkspaceName } from './workspace-name.js';

/**
 * The workspaces this browser opened, most recent first, each a link to it; also follows changes made in other tabs.
 * Renders nothing while there are none.
 */
@customElement('mp-recent-workspaces')
export class MpRecentWorkspaces extends LitElement {
  static override styles = [
    controlStyles,
    recentListStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  /** Where the list is remembered. */
  @property({ attribute: false })
  storage!: KeyValueStorage;

  @state()
  private workspaces: readonly RecentWorkspace[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    this.workspaces = readRecentWorkspaces(this.storage);
    window.addEventListener('storage', this.onStorage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('storage', this.onStorage);
  }

  override render() {
    if (this.workspaces.length === 0) return nothing;
    const now = Date.now();
    return html`<section aria-labelledby="workspaces-heading">
      <h2 id="workspaces-heading">Recent workspaces</h2>
      <ul>
        ${this.workspaces.map(
          (workspace) => html`<li>
            ${recentLink(workspacePath(workspace.id), workspace, displayWorkspaceName(workspace.title), now)}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private readonly onStorage = (event: StorageEvent): void => {
    if (event.key !== RECENT_WORKSPACES_KEY && event.key !== null) return;
    this.workspaces = readRecentWorkspaces(this.storage);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-recent-workspaces': MpRecentWorkspaces;
  }
}
