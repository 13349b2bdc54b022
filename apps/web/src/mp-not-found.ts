import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.js';
import './mp-brand.js';

/** Shown for addresses that are not a page of the app, such as a mistyped document link. */
@customElement('mp-not-found')
export class MpNotFound extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        padding: clamp(1rem, 4vw, 2.5rem);
      }

      main {
        max-width: 40rem;
        margin: 3rem auto 0;
      }

      code {
        font-family: var(--mp-mono);
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The path that matched nothing. */
  @property()
  path = '';

  override render() {
    return html`<mp-brand></mp-brand>
      <main>
        <h1>There is no document here</h1>
        <p>The address <code>${this.path}</code> is not a Meshpad document link. Check that it was copied whole.</p>
        <p><a href="/">Go to the home page</a></p>
      </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-not-found': MpNotFound;
  }
}
