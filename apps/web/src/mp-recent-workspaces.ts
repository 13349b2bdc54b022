import type { KeyValueStorage } from '@meshpad/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { RECENT_WORKSPACES_KEY, type RecentWorkspace, readRecentWorkspaces } from './recent-workspaces.js';
import { formatTimeAgo } from './relative-time.js';
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
    css`
      :host {
        display: block;
      }

      h2 {
        font-size: 1rem;
        margin: 0 0 0.75rem;
      }

      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        border: 1px solid var(--mp-border);
        border-radius: var(--mp-radius);
        background: var(--mp-surface);
      }

      li + li {
        border-top: 1px solid var(--mp-border);
      }

      a {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.25rem 1rem;
        padding: 0.75rem 1rem;
        color: var(--mp-text);
        text-decoration: none;
      }

      a:hover .name {
        text-decoration: underline;
      }

      .name {
        font-weight: 600;
        min-width: 0;
        overflow-wrap: anywhere;
      }

      .name.untitled {
        color: var(--mp-muted);
        font-weight: 500;
      }

      time {
        color: var(--mp-muted);
        font-size: 0.875rem;
        white-space: nowrap;
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
            <a href=${workspacePath(workspace.id)}>
              <span class="name ${workspace.title === '' ? 'untitled' : ''}">${displayWorkspaceName(workspace.title)}</span>
              <time datetime=${new Date(workspace.openedAt).toISOString()}>
                Opened ${formatTimeAgo(workspace.openedAt, now)}
              </time>
            </a>
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
