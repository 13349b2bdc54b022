import { css, html, type TemplateResult } from 'lit';
import type { RecentDoc } from './recent-docs.js';
import { formatTimeAgo } from './relative-time.js';
import { boxedListStyles } from './shared-styles.js';

/** The home page's lists of what this browser opened: a heading over a boxed list of {@link recentLink}s. */
export const recentListStyles = css`
  h2 {
    font-size: 1rem;
    margin: 0 0 0.75rem;
  }

  ${boxedListStyles}

  li a {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25rem 1rem;
    padding: 0.75rem 1rem;
    color: var(--mp-text);
    text-decoration: none;
  }

  li a:hover .title {
    text-decoration: underline;
  }

  .title {
    font-weight: 600;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .title.untitled {
    color: var(--mp-muted);
    font-weight: 500;
  }

  time {
    color: var(--mp-muted);
    font-size: 0.875rem;
    white-space: nowrap;
  }
`;

/**
 * A link to a document or workspace this browser opened: `shownTitle` (dimmed when the entry has no title of its own,
 * so it is a placeholder) and how long ago it was opened, as of `now`.
 */
export const recentLink = (href: string, entry: RecentDoc, shownTitle: string, now: number): TemplateResult =>
  html`<a href=${href}>
    <span class="title ${entry.title === '' ? 'untitled' : ''}">${shownTitle}</span>
    <time datetime=${new Date(entry.openedAt).toISOString()}>Opened ${formatTimeAgo(entry.openedAt, now)}</time>
  </a>`;
