import type { SessionStatus } from '@meshpad/client';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.js';
import { describeStatus } from './status-text.js';

/**
 * Shows how the document's connection to the relay is doing: a coloured dot, a label and a sentence saying what it
 * means. Announced politely to screen readers when it changes.
 */
@customElement('mp-connection-status')
export class MpConnectionStatus extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }

      .status {
        display: flex;
        align-items: baseline;
        gap: 0.5em;
        flex-wrap: wrap;
      }

      .dot {
        flex: none;
        width: 0.65em;
        height: 0.65em;
        border-radius: 50%;
        align-self: center;
      }

      .ok .dot {
        background: var(--mp-ok);
      }

      .busy .dot {
        background: var(--mp-busy);
        animation: pulse 1.2s ease-in-out infinite;
      }

      .bad .dot {
        background: var(--mp-bad);
      }

      .label {
        font-weight: 600;
      }

      .sentence {
        color: var(--mp-muted);
        font-size: 0.875em;
      }

      @keyframes pulse {
        50% {
          opacity: 0.35;
        }
      }

      @media (prefers-reduced-motion: reduce) {
        .busy .dot {
          animation: none;
        }
      }
    `,
  ];

  @property({ attribute: false })
  status: Pick<SessionStatus, 'connection' | 'synced' | 'loaded'> = {
    connection: 'connecting',
    synced: false,
    loaded: false,
  };

  override render() {
    const text = describeStatus(this.status);
    return html`<div class="status ${text.tone}" role="status" aria-live="polite" data-connection=${this.status.connection}>
      <span class="dot" aria-hidden="true"></span>
      <span class="label">${text.label}</span>
      <span class="sentence">${text.sentence}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-connection-status': MpConnectionStatus;
  }
}
