import type { SessionStatus } from '@meshpad/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { describeRelayProblem, type RelayCloseStatus } from './relay-close-text.js';
import { controlStyles } from './shared-styles.js';
import { describeStatus } from './status-text.js';

/**
 * Shows how the connection to the relay is doing: a coloured dot, a label and a sentence saying what it means,
 * announced politely to screen readers when it changes. When the relay closed the connection in a way the user has
 * to act on (it stopped syncing the document, or refuses this browser's newest edits), an alert below says what
 * happened, where the edits are, and what to do.
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

      .problem {
        margin-top: 0.4rem;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--mp-bad);
        border-radius: var(--mp-radius);
        background: var(--mp-surface);
        font-size: 0.875em;
        max-width: 40rem;
      }

      .problem strong {
        display: block;
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

  /** A document's status, or a workspace's (which has no local copy). */
  @property({ attribute: false })
  status: Pick<SessionStatus, 'synced' | 'loaded'> & RelayCloseStatus = {
    connection: 'connecting',
    synced: false,
    loaded: false,
    relayClose: undefined,
  };

  override render() {
    const text = describeStatus(this.status);
    const problem = describeRelayProblem(this.status);
    return html`<div class="status ${text.tone}" role="status" aria-live="polite" data-connection=${this.status.connection}>
        <span class="dot" aria-hidden="true"></span>
        <span class="label">${text.label}</span>
        <span class="sentence">${text.sentence}</span>
      </div>
      ${
        problem === undefined
          ? nothing
          : html`<div class="problem" role="alert" data-close-code=${this.status.relayClose?.code ?? ''}>
            <strong>${problem.title}</strong>${problem.advice}
          </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-connection-status': MpConnectionStatus;
  }
}
