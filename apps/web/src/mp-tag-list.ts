import { MAX_TAG_LENGTH, normaliseTag } from '@meshpad/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.js';

/** Detail of the `tag-add` and `tag-remove` events. */
export interface TagDetail {
  readonly tag: string;
}

/**
 * A document's tags, each with a button that removes it, and a field that adds one (Enter).
 * @fires tag-add - The user added `detail.tag` (already cleaned, never blank).
 * @fires tag-remove - The user removed `detail.tag`.
 */
@customElement('mp-tag-list')
export class MpTagList extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.35rem;
        font-size: 0.85rem;
      }

      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }

      li {
        display: inline-flex;
        align-items: center;
        gap: 0.15rem;
        padding: 0.05rem 0.15rem 0.05rem 0.55rem;
        border: 1px solid var(--mp-border);
        border-radius: 999px;
        background: var(--mp-surface-raised);
      }

      li button {
        padding: 0.3em 0.45em;
        border: none;
        border-radius: 999px;
        background: transparent;
        color: var(--mp-muted);
        line-height: 1.4;
      }

      li button:hover {
        color: var(--mp-text);
      }

      input {
        width: 8rem;
        padding: 0.1em 0.5em;
        border-style: dashed;
        border-radius: 999px;
      }

      input::placeholder {
        color: var(--mp-muted);
        opacity: 1;
      }
    `,
  ];

  /** The tags, in the order to show them. */
  @property({ attribute: false })
  tags: readonly string[] = [];

  /** What the tags belong to, for the accessible names of the controls (e.g. the document's title). */
  @property()
  label = '';

  @query('input')
  private input!: HTMLInputElement;

  override render() {
    return html`${
      this.tags.length === 0
        ? nothing
        : html`<ul aria-label=${`Tags of ${this.label}`}>
        ${this.tags.map(
          (tag) => html`<li>
            <span>${tag}</span>
            <button type="button" aria-label=${`Remove tag ${tag} from ${this.label}`} @click=${() => this.removeTag(tag)}>
              <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
                <path d="M2 2l6 6M8 2l-6 6" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
              </svg>
            </button>
          </li>`,
        )}
      </ul>`
    }
      <input
        type="text"
        aria-label=${`Add a tag to ${this.label}`}
        placeholder="+ tag"
        maxlength=${MAX_TAG_LENGTH}
        autocomplete="off"
        @keydown=${this.onKeyDown}
      />`;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const tag = normaliseTag(this.input.value);
    this.input.value = '';
    if (tag !== '') this.dispatchEvent(new CustomEvent<TagDetail>('tag-add', { detail: { tag } }));
  }

  private removeTag(tag: string): void {
    this.dispatchEvent(new CustomEvent<TagDetail>('tag-remove', { detail: { tag } }));
    // The button goes away with the tag: keep the keyboard focus in the list.
    this.input.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-tag-list': MpTagList;
  }
  interface HTMLElementEventMap {
    'tag-add': CustomEvent<TagDetail>;
    'tag-remove': CustomEvent<TagDetail>;
  }
}
