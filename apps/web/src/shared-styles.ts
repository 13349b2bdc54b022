import { css } from 'lit';

/** Buttons, inputs and focus rings, shared by every element's shadow root. */
export const controlStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  :host {
    font-family: var(--mp-font);
    color: var(--mp-text);
  }

  button,
  input {
    font: inherit;
    color: inherit;
  }

  button {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: 0.4em 0.85em;
    border: 1px solid var(--mp-border);
    border-radius: var(--mp-radius);
    background: var(--mp-surface);
    cursor: pointer;
    white-space: nowrap;
  }

  button:hover {
    border-color: var(--mp-muted);
  }

  button.primary {
    background: var(--mp-accent);
    border-color: var(--mp-accent);
    color: var(--mp-on-accent);
    font-weight: 600;
  }

  button.primary:hover {
    background: var(--mp-accent-hover);
    border-color: var(--mp-accent-hover);
  }

  input {
    padding: 0.4em 0.6em;
    border: 1px solid var(--mp-border);
    border-radius: var(--mp-radius);
    background: var(--mp-surface);
    min-width: 0;
  }

  :focus-visible {
    outline: 2px solid var(--mp-focus);
    outline-offset: 2px;
  }

  a {
    color: var(--mp-accent);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** A full-height page in a column, under a header bar that holds the brand, the page's title and its status. */
export const pageHeaderStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 100vh;
  }

  header {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: 0.5rem 1.25rem;
    padding: 0.6rem clamp(0.75rem, 3vw, 1.5rem);
    background: var(--mp-surface);
    border-bottom: 1px solid var(--mp-border);
  }

  h1 {
    margin: 0;
    font-size: 1.05rem;
    font-weight: 600;
  }
`;

/** A list in one bordered box, its items separated by lines. */
export const boxedListStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    border: 1px solid var(--mp-border);
    border-radius: var(--mp-radius);
    background: var(--mp-surface);
  }

  li + li {
    border-top: 1px solid var(--mp-border);
  }
`;
