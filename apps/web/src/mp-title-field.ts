import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { controlStyles } from './shared-styles.js';

/** Detail of the `title-commit` event. */
export interface TitleCommitDetail {
  /** What the user typed, as typed (the workspace cleans it). */
  readonly value: string;
}

/**
 * A title edited in place: it reads as heading text and becomes a text field on hover and focus. Enter or leaving the
 * field commits, Escape puts back the current title. While the user is typing, titles arriving from others do not
 * overwrite what they typed.
 * @fires title-commit - The user committed a title that differs from `value`.
 */
@customElement('mp-title-field')
export class MpTitleField extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }

      input {
        width: 100%;
        padding: 0.15em 0.35em;
        margin-left: -0.35em;
        font-weight: inherit;
        font-size: inherit;
        border-color: transparent;
        background: transparent;
        text-overflow: ellipsis;
      }

      input:hover {
        border-color: var(--mp-border);
      }

      input:focus {
        border-color: var(--mp-muted);
        background: var(--mp-surface);
      }

      input::placeholder {
        color: var(--mp-muted);
        opacity: 1;
      }
    `,
  ];

  /** The title as it is now. */
  @property()
  value = '';

  /** The field's accessible name, e.g. "Document title". */
  @property()
  label = '';

  /** Shown when the title is empty. */
  @property()
  placeholder = '';

  @property({ type: Number })
  maxlength = 120;

  /** What the user has typed and not committed yet. */
  @state()
  private draft: string | undefined;

  override render() {
    return html`<input
      type="text"
      aria-label=${this.label}
      title=${this.label}
      placeholder=${this.placeholder}
      maxlength=${this.maxlength}
      autocomplete="off"
      .value=${live(this.draft ?? this.value)}
      @input=${this.onInput}
      @keydown=${this.onKeyDown}
      @blur=${this.commit}
    />`;
  }

  private onInput(event: Event): void {
    this.draft = (event.target as HTMLInputElement).value;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.commit();
    } else if (event.key === 'Escape' && this.draft !== undefined) {
      event.preventDefault();
      this.draft = undefined;
    }
  }

  private commit(): void {
    const draft = this.draft;
    this.draft = undefined;
    if (draft === undefined || draft === this.value) return;
    this.dispatchEvent(new CustomEvent<TitleCommitDetail>('title-commit', { detail: { value: draft } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-title-field': MpTitleField;
  }
  interface HTMLElementEventMap {
    'title-commit': CustomEvent<TitleCommitDetail>;
  }
}
