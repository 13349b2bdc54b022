import type { SessionStatus } from '@meshpad/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { describeLocalCopyProblem, describeSaveStatus } from './save-status-text.js';
import { controlStyles } from './shared-styles.js';

/**
 * Whether the relay has stored the user's work ("All changes saved" or "N changes not saved yet"), and, when this
 * browser cannot keep a local copy, what went wrong and what to do about it.
 */
@customElement('mp-save-status')
export class MpSaveStatus extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }

      .save {
        display: flex;
        align-items: baseline;
        gap: 0.5em;
        flex-wrap: wrap;
      }

      .label {
        font-weight: 600;
      }

      .ok .label {
        color: var(--mp-ok);
      }

      .busy .label {
        color: var(--mp-busy);
      }

      .bad .label {
        color: var(--mp-bad);
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
        font-size: 0.875em;
        max-width: 40rem;
      }

      .problem strong {
        display: block;
      }
    `,
  ];

  @property({ attribute: false })
  status: SessionStatus | undefined;

  override render() {
    if (this.status === undefined) return nothing;
    const text = describeSaveStatus(this.status);
    const problem = describeLocalCopyProblem(this.status.localCopy);
    return html`<div
        class="save ${text?.tone ?? ''}"
        role="status"
        aria-live="polite"
        data-unsaved=${this.status.unsaved}
      >
        ${text === undefined ? nothing : html`<span class="label">${text.label}</span><span class="sentence">${text.sentence}</span>`}
      </div>
      ${
        problem === undefined
          ? nothing
          : html`<div class="problem" role="alert" data-code=${this.status.localCopy.state === 'failed' ? this.status.localCopy.error.code : ''}>
            <strong>${problem.title}</strong>${problem.advice}
          </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-save-status': MpSaveStatus;
  }
}
