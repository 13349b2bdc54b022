import { MAX_DISPLAY_NAME_LENGTH } from '@meshpad/client';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.js';

/** Detail of the `name-change` event. */
export interface NameChangeDetail {
  readonly name: string;
}

/**
 * The display-name field.
 * @fires name-change - The user committed a new name (on Enter or leaving the field); `detail.name` is what they typed.
 */
@customElement('mp-name-field')
export class MpNameField extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }

      label {
        display: block;
        font-size: 0.8rem;
        font-weight: 600;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--mp-muted);
        margin-bottom: 0.35rem;
      }

      input {
        width: 100%;
      }
    `,
  ];

  /** The name the user has now. */
  @property()
  name = '';

  override render() {
    return html`<label for="name">Your name</label>
      <input
        id="name"
        type="text"
        autocomplete="nickname"
        spellcheck="false"
        maxlength=${MAX_DISPLAY_NAME_LENGTH}
        .value=${this.name}
        @change=${this.onChange}
        @keydown=${this.onKeyDown}
      />`;
  }

  private onChange(event: Event): void {
    const name = (event.target as HTMLInputElement).value;
    this.dispatchEvent(new CustomEvent<NameChangeDetail>('name-change', { detail: { name } }));
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter') (event.target as HTMLInputElement).blur();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-name-field': MpNameField;
  }
  interface HTMLElementEventMap {
    'name-change': CustomEvent<NameChangeDetail>;
  }
}
