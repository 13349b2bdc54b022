import { css, html, LitElement } from 'lit';
import { customElement } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.js';

/** The Meshpad logo and name, linking to the home page. */
@customElement('mp-brand')
export class MpBrand extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: inline-block;
        flex: none;
      }

      a {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        color: var(--mp-text);
        text-decoration: none;
        font-weight: 700;
        letter-spacing: -0.01em;
      }

      svg {
        width: 1.6rem;
        height: 1.6rem;
      }
    `,
  ];

  override render() {
    return html`<a href="/" aria-label="Meshpad home">
      <svg viewBox="0 0 16 16" aria-hidden="true">
        <rect width="16" height="16" rx="4" fill="var(--mp-accent)" />
        <path d="M4 11V5l4 4 4-4v6" stroke="var(--mp-on-accent)" stroke-width="1.6" fill="none" stroke-linejoin="round" />
      </svg>
      <span>Meshpad</span>
    </a>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-brand': MpBrand;
  }
}
