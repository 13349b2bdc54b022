import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { newRoomKey } from './room-key.js';
import { controlStyles } from './shared-styles.js';

/** Detail of `room-key-change`: the new key, or undefined to share without one. */
export interface RoomKeyChangeDetail {
  readonly key: string | undefined;
}

/**
 * The room key of the share link: adds a random key to the link (in its `#` fragment, which browsers never send to
 * the server) or removes it, and says plainly what the key protects and what it does not.
 *
 * @fires room-key-change - {@link RoomKeyChangeDetail}: the user added or removed the key.
 */
@customElement('mp-room-key')
export class MpRoomKey extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }

      h2 {
        font-size: 0.8rem;
        font-weight: 600;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--mp-muted);
        margin: 0 0 0.5rem;
      }

      p {
        margin: 0 0 0.5rem;
        font-size: 0.875em;
        color: var(--mp-muted);
      }

      .state {
        color: var(--mp-text);
        font-weight: 600;
      }
    `,
  ];

  /** The key in the link, or undefined for none. */
  @property({ attribute: false })
  roomKey: string | undefined;

  override render() {
    const on = this.roomKey !== undefined;
    return html`<section aria-labelledby="room-key-heading">
      <h2 id="room-key-heading">Room key</h2>
      <p class="state" data-room-key=${on ? 'on' : 'off'}>
        ${on ? 'On: the link you share carries a key.' : 'Off: the link carries no key.'}
      </p>
      <p>
        ${
          on
            ? 'Only people whose link has this key connect to you directly, and the peer-to-peer signaling is encrypted with it.'
            : 'Add a key to the link so that only people with it connect to you directly, with encrypted signaling.'
        }
        The relay still receives and stores the whole document, unencrypted.
      </p>
      <button type="button" @click=${on ? this.removeKey : this.addKey}>${on ? 'Remove the key' : 'Add a room key'}</button>
    </section>`;
  }

  private addKey(): void {
    this.change(newRoomKey());
  }

  private removeKey(): void {
    this.change(undefined);
  }

  private change(key: string | undefined): void {
    this.dispatchEvent(new CustomEvent<RoomKeyChangeDetail>('room-key-change', { detail: { key } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-room-key': MpRoomKey;
  }
}
