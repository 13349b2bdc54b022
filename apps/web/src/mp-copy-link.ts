import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.js';

/** How long the "copied" confirmation stays, in ms. */
const FEEDBACK_MS = 2500;

/** A button that copies the document's link to the clipboard and says whether that worked. */
@customElement('mp-copy-link')
export class MpCopyLink extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: inline-block;
      }

      button[data-state='copied'] {
        border-color: var(--mp-ok);
        color: var(--mp-ok);
      }

      button[data-state='failed'] {
        border-color: var(--mp-bad);
      }
    `,
  ];

  /** The link to copy. */
  @property()
  url = '';

  /** The button's text, naming which link it copies when there are several. */
  @property()
  label = 'Copy link';

  @state()
  private copyState: 'idle' | 'copied' | 'failed' = 'idle';

  private resetTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.resetTimer);
  }

  override render() {
    const label = { idle: this.label, copied: 'Link copied ✓', failed: 'Copy the address bar instead' }[this.copyState];
    return html`<button type="button" data-state=${this.copyState} @click=${this.copy} title=${this.url}>
        <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
          <path
            fill="none"
            stroke="currentColor"
            stroke-width="1.6"
            stroke-linecap="round"
            d="M6.5 9.5l3-3M7 4.5l1.3-1.3a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.3 1.3a2.5 2.5 0 01-3.5-3.5L5.5 8"
          />
        </svg>
        <span>${label}</span>
      </button>
      <span class="visually-hidden" role="status">${this.copyState === 'copied' ? 'Link copied to the clipboard' : ''}</span>`;
  }

  private async copy(): Promise<void> {
    clearTimeout(this.resetTimer);
    try {
      await navigator.clipboard.writeText(this.url);
      this.copyState = 'copied';
    } catch {
      // No clipboard access (an insecure origin, or permission refused): tell the user how to share instead.
      this.copyState = 'failed';
    }
    this.resetTimer = setTimeout(() => {
      this.copyState = 'idle';
    }, FEEDBACK_MS);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-copy-link': MpCopyLink;
  }
}
