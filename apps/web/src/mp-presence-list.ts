import type { PeerRoute, Presence } from '@meshpad/client';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { describeRoute } from './route-text.js';
import { controlStyles } from './shared-styles.js';

/**
 * Lists who is in the document: a colour dot and name per person, the local user marked "you", and how each other
 * person is connected (peer-to-peer, through the relay, …).
 */
@customElement('mp-presence-list')
export class MpPresenceList extends LitElement {
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

      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.35rem;
      }

      /* The name gets the whole width of its line; how someone is here goes on a second line, so a
         narrow sidebar (or 200 % zoom) never squeezes the name away. */
      li {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        column-gap: 0.5em;
        align-items: center;
      }

      .dot {
        width: 0.75em;
        height: 0.75em;
        border-radius: 50%;
      }

      .who {
        display: flex;
        gap: 0.35em;
        align-items: baseline;
        min-width: 0;
      }

      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }

      .you,
      .details {
        color: var(--mp-muted);
        font-size: 0.85em;
      }

      .you {
        flex: none;
      }

      .viewer {
        flex: none;
        font-size: 0.8em;
        padding: 0 0.4em;
        border: 1px solid currentColor;
        border-radius: 0.6em;
        opacity: 0.8;
      }

      .details {
        grid-column: 2;
      }
    `,
  ];

  @property({ attribute: false })
  people: readonly Presence[] = [];

  /** How each other person (by client id) is connected; see the session's `network.routes`. */
  @property({ attribute: false })
  routes: ReadonlyMap<number, PeerRoute> = new Map();

  override render() {
    return html`<h2 id="heading">In this document · ${this.people.length}</h2>
      <ul aria-labelledby="heading">
        ${this.people.map((person) => {
          const route = person.isSelf ? undefined : this.routes.get(person.clientId);
          const routeText = route === undefined ? undefined : describeRoute(route);
          const editing = person.hasCursor && !person.isSelf;
          return html`<li data-client-id=${person.clientId} ?data-self=${person.isSelf} data-route=${route ?? ''}>
            <span class="dot" style=${styleMap({ background: person.colour })} aria-hidden="true"></span>
            <span class="who">
              <span class="name" title=${person.name}>${person.name}</span>
              ${person.isSelf ? html`<span class="you">(you)</span>` : null}
              ${person.viewer ? html`<span class="viewer" title="Holds a view-only link">viewer</span>` : null}
            </span>
            ${
              editing || routeText
                ? html`<span class="details">
                    ${editing ? html`<span class="editing">in the text</span>` : null}
                    ${editing && routeText ? ' · ' : null}
                    ${routeText ? html`<span class="route" title=${routeText.sentence}>${routeText.label}</span>` : null}
                  </span>`
                : null
            }
          </li>`;
        })}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mp-presence-list': MpPresenceList;
  }
}
