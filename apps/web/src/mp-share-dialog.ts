import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { DocAccess } from './doc-access.js';
import type { AccessScope } from './link-fragment.js';
import type { RelayApiResult, RelayInfo } from './relay-api.js';
import { OPEN_MODE_NOTE, SCOPE_TEXT, shareLinks } from './share-links.js';
import { controlStyles } from './shared-styles.js';
import './mp-copy-link.js';

/** Asks the relay for a token of a scope (rotating it, or minting one of the current generation). */
export type TokenRequest = (scope: AccessScope) => Promise<RelayApiResult<string>>;

const HEADING: Readonly<Record<AccessScope, string>> = { owner: 'Owner link', edit: 'Edit link', view: 'View link' };

/**
 * The Share button of a document's header and the dialog it opens: the links with access this browser holds, each
 * with Copy; for the owner, "Revoke and replace" for the edit and view links, and the owner link behind a
 * disclosure. A native modal `<dialog>`: the page behind is inert while it is open, Esc closes it, and the focus
 * returns to the Share button.
 */
@customElement('mp-share-dialog')
export class MpShareDialog extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: inline-block;
      }

      dialog {
        width: min(40rem, calc(100vw - 2rem));
        max-height: calc(100dvh - 2rem);
        overflow: auto;
        padding: 1.25rem;
        border: 1px solid var(--mp-border);
        border-radius: var(--mp-radius);
        background: var(--mp-surface);
        color: var(--mp-text);
      }

      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }

      .head {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: 1rem;
        margin-bottom: 0.75rem;
      }

      h2 {
        font-size: 1.2rem;
        margin: 0;
      }

      section,
      details {
        margin: 0 0 1rem;
      }

      h3,
      summary {
        font-size: 0.95rem;
        font-weight: 600;
        margin: 0 0 0.25rem;
      }

      summary {
        cursor: pointer;
      }

      p {
        margin: 0 0 0.5rem;
        font-size: 0.875rem;
        color: var(--mp-muted);
      }

      .note {
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--mp-busy);
        border-radius: var(--mp-radius);
        color: var(--mp-text);
      }

      input {
        display: block;
        width: 100%;
        margin: 0 0 0.5rem;
        font-family: var(--mp-mono);
        font-size: 0.8rem;
      }

      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }

      button[aria-disabled='true'] {
        opacity: 0.6;
        cursor: progress;
      }

      .done {
        color: var(--mp-ok);
      }

      .failed {
        color: var(--mp-bad);
      }
    `,
  ];

  /** The document's id. */
  @property({ attribute: false })
  docId = '';

  /** Where links point: the app's origin. */
  @property({ attribute: false })
  origin = '';

  /** The room key the links carry, or undefined for none. */
  @property({ attribute: false })
  roomKey: string | undefined;

  /** The tokens this browser holds for the document. */
  @property({ attribute: false })
  access: DocAccess = {};

  /** The relay's access mode, once known. */
  @property({ attribute: false })
  info: RelayInfo | undefined;

  /** The page's own address, shared as it is when this browser holds no token (an open relay, an older one). */
  @property({ attribute: false })
  plainLink = '';

  /** Revokes a scope's links and answers the new token. */
  @property({ attribute: false })
  rotate: TokenRequest | undefined;

  /** Answers a token of a scope's current generation, for an owner who holds none of it. */
  @property({ attribute: false })
  mint: TokenRequest | undefined;

  /** The outcome of the last request for a scope, read out in its section. */
  @state()
  private outcomes: Partial<Record<AccessScope, { readonly ok: boolean; readonly text: string }>> = {};

  @state()
  private busy: AccessScope | undefined;

  @query('dialog')
  private dialog!: HTMLDialogElement;

  @query('.opener')
  private opener!: HTMLButtonElement;

  override render() {
    return html`<button type="button" class="opener" aria-haspopup="dialog" @click=${this.open}>Share</button>
      <dialog aria-labelledby="share-heading" @close=${this.onClose}>
        <div class="head">
          <h2 id="share-heading">Share this document</h2>
          <button type="button" @click=${this.close}>Close</button>
        </div>
        ${this.info?.auth === 'open' ? html`<p class="note" data-open-mode>${OPEN_MODE_NOTE}</p>` : nothing}
        ${this.renderLinks()}
      </dialog>`;
  }

  /** Opens the dialog, with the focus on its first control. */
  open(): void {
    this.outcomes = {};
    this.dialog.showModal();
  }

  close(): void {
    this.dialog.close();
  }

  private onClose(): void {
    this.opener.focus();
  }

  private renderLinks() {
    const links = shareLinks(this.origin, this.docId, this.roomKey, this.access);
    const owner = links.owner !== undefined;
    if (!owner && links.edit === undefined && links.view === undefined) return this.renderPlain();
    return html`${(['edit', 'view'] as const).map((scope) => this.renderScope(scope, links[scope], owner))}
    ${
      owner
        ? html`<details>
          <summary>Owner link (keep private)</summary>
          <p>${SCOPE_TEXT.owner}</p>
          ${this.renderLink('owner', links.owner ?? '')}
          <div class="actions">
            <button
              type="button"
              aria-label="Revoke and replace the owner link"
              aria-disabled=${this.busy === undefined ? 'false' : 'true'}
              @click=${() => this.revoke('owner')}
            >
              Revoke and replace
            </button>
          </div>
          <p role="status" class=${this.outcomes.owner === undefined ? '' : this.outcomes.owner.ok ? 'done' : 'failed'}>
            ${this.outcomes.owner?.text ?? ''}
          </p>
        </details>`
        : nothing
    }`;
  }

  /** A scope's section: its link when held; for the owner, Revoke and replace, or a way to get one. */
  private renderScope(scope: 'edit' | 'view', link: string | undefined, owner: boolean) {
    if (link === undefined && !owner) return nothing;
    const outcome = this.outcomes[scope];
    return html`<section aria-labelledby=${`${scope}-heading`} data-scope=${scope}>
      <h3 id=${`${scope}-heading`}>${HEADING[scope]}</h3>
      <p>${SCOPE_TEXT[scope]}</p>
      ${link === undefined ? nothing : this.renderLink(scope, link)}
      <div class="actions">
        ${link === undefined ? nothing : html`<mp-copy-link .url=${link} label=${`Copy ${scope} link`}></mp-copy-link>`}
        ${
          owner
            ? html`<button
                type="button"
                aria-label=${link === undefined ? nothing : `Revoke and replace the ${scope} link`}
                aria-disabled=${this.busy === undefined ? 'false' : 'true'}
                @click=${() => (link === undefined ? this.make(scope) : this.revoke(scope))}
              >
                ${link === undefined ? `Make ${scope === 'edit' ? 'an' : 'a'} ${scope} link` : 'Revoke and replace'}
              </button>`
            : nothing
        }
      </div>
      <p role="status" class=${outcome === undefined ? '' : outcome.ok ? 'done' : 'failed'}>${outcome?.text ?? ''}</p>
    </section>`;
  }

  private renderLink(scope: AccessScope | 'plain', link: string) {
    const id = `${scope}-link`;
    const label = scope === 'plain' ? 'Document link' : HEADING[scope];
    return html`<label class="visually-hidden" for=${id}>${label}</label>
      <input id=${id} type="text" readonly .value=${link} @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()} />
      ${scope === 'owner' ? html`<mp-copy-link .url=${link} label="Copy owner link"></mp-copy-link>` : nothing}`;
  }

  /** No token here: the page's address is the link, as before access control. */
  private renderPlain() {
    const pending = this.access.unregistered === true;
    return html`<section data-scope="plain">
      <p>
        ${
          pending
            ? 'Links with edit and view access appear here once this browser has reached the relay. Until then, this is the document’s address:'
            : 'This browser holds no link with access to this document. This is its address:'
        }
      </p>
      ${this.renderLink('plain', this.plainLink)}
      <div class="actions"><mp-copy-link .url=${this.plainLink}></mp-copy-link></div>
    </section>`;
  }

  private revoke(scope: AccessScope): void {
    if (this.busy !== undefined) return;
    const confirmed = window.confirm(
      scope === 'owner'
        ? 'The current owner link stops working, in every browser that holds it; this browser keeps the new one. Revoke it?'
        : `Everyone who opened the document with the current ${scope} link loses access at once, and the link stops ` +
            'working. You then share the new one. Revoke it?',
    );
    if (confirmed)
      void this.request(scope, this.rotate, `Done: this is the new ${scope} link. The old one no longer works.`);
  }

  private make(scope: 'edit' | 'view'): void {
    void this.request(scope, this.mint, `Done: this is ${scope === 'edit' ? 'an' : 'a'} ${scope} link to share.`);
  }

  private async request(scope: AccessScope, call: TokenRequest | undefined, done: string): Promise<void> {
    // aria-disabled rather than disabled, so the focus stays on the button while the relay answers.
    if (call === undefined || this.busy !== undefined) return;
    this.busy = scope;
    const result = await call(scope);
    this.busy = undefined;
    this.outcomes = {
      ...this.outcomes,
      [scope]: result.ok ? { ok: true, text: done } : { ok: false, text: failureText(result.error) },
    };
  }
}

const failureText = (error: Extract<RelayApiResult<string>, { ok: false }>['error']): string =>
  error.code === 'unreachable'
    ? 'The relay cannot be reached: check the connection and try again.'
    : `The relay refused: ${error.message}.`;

declare global {
  interface HTMLElementTagNameMap {
    'mp-share-dialog': MpShareDialog;
  }
}
