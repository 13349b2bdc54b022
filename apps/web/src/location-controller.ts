import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { parseRoute } from './route.js';

/** Goes to `path` inside the app without reloading the page. */
export const navigate = (path: string): void => {
  history.pushState(null, '', path);
  // pushState fires no event; the same event as the back button lets every LocationController follow.
  window.dispatchEvent(new PopStateEvent('popstate'));
};

/** The link a click should follow inside the app, or undefined to let the browser handle it. */
const appLinkOf = (event: MouseEvent): URL | undefined => {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return undefined;
  }
  const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
  if (anchor === undefined || anchor.hasAttribute('download') || (anchor.target !== '' && anchor.target !== '_self')) {
    return undefined;
  }
  const url = new URL(anchor.href, location.href);
  // Only the app's own pages: the relay answers the rest (`/api/openapi.json`), and an unknown path loads as a page.
  return url.origin === location.origin && parseRoute(url.pathname).page !== 'not-found' ? url : undefined;
};

/**
 * Keeps its host in step with the address bar: follows back/forward and turns clicks on same-origin links (also
 * inside shadow roots) into in-app navigation.
 */
export class LocationController implements ReactiveController {
  pathname = location.pathname;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.onPopState);
    document.addEventListener('click', this.onClick);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onPopState);
    document.removeEventListener('click', this.onClick);
  }

  private readonly onPopState = (): void => {
    this.pathname = location.pathname;
    this.host.requestUpdate();
  };

  private readonly onClick = (event: MouseEvent): void => {
    const url = appLinkOf(event);
    if (url === undefined) return;
    event.preventDefault();
    navigate(`${url.pathname}${url.search}${url.hash}`);
  };
}
