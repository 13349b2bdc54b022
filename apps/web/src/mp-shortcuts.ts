import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.js';
import { isApplePlatform, keyNames, SHORTCUTS } from './shortcuts.js';

/** A "Keyboard shortcuts" button that shows and hides the list of the editor's shortcuts. */
@customElement('mp-shortcuts')
export class MpShortcuts extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }

      button {
        width: 100%;
        justify-content: space-between;
      }

      .chevron {
        transition: transform 0.15s;
      }

      button[aria-expanded='true'] .chevron {
        transform: rotate(180deg);
      }

      dl {
        margin: 0.75rem 0 0;
        display: grid;
        gap: 0.5rem;
        font-size: 0.875rem;
      }

      .row {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: baseline;
        gap: 0.15rem 0.75rem;
      }

      dt {
        color: var(--mp-muted);
      }

      dd {
        margin: 0 0 0 auto;
        white-space: nowrap;
      }

      kbd {
        font-family: var(--mp-mono);
        font-size: 0.8em;
        padding: 0.1em 0.4em;
        border: 1px solid var(--mp-border);
        border-bottom-width: 2px;
        border-radius: 0.3em;
        background: var(--mp-surface-raised);
      }

      .or {
        color: var(--mp-muted);
        font-size: 0.8em;
        padding: 0 0.2em;
      }
    `,
  ];

  @state()
  private open = false;

  private readonly apple = isApplePlatform(navigator.platform);

  override render() {
    return html`<button type="button" aria-expanded=${this.open} aria-controls="list" @click=${this.toggle}>
        <span>Keyboard shortcuts</span><span class="chevron" aria-hidden="true">▾</span>
      </button>
      ${
        this.open
          ? html`<dl id="list" aria-label="Keyboard shortcuts">
            ${SHORTCUTS.map(
              (shortcut) => html`<div class="row">
                <dt>${shortcut.action}</dt>
                <dd>
                  ${shortcut.keys.map(
                    (binding, i) =>
                      html`${i > 0 ? html`<span class="or">or</span>` : null}${keyNames(binding, this.apple).map(
                        (key, j) => html`${j > 0 ? '+' : null}<kbd>${key}</kbd>`,
                      )}`,
                  )}
                </dd>
              </div>`,
            )}
          </dl>`
          : null
      }`;
  }

  private toggle(): void {
    this.open = !this.open;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-shortcuts': MpShortcuts;
  }
}
