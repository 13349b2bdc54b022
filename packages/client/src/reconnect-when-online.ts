import type { WebsocketProvider } from 'y-websocket';

/**
 * Reconnects at once when the browser reports that the network is back (`online`), instead of waiting out
 * y-websocket's backoff (up to 2.5 s between attempts). Returns a function that stops listening. Without `events`
 * (Node has no `window`) it does nothing.
 */
export const reconnectWhenOnline = (
  provider: WebsocketProvider,
  events: EventTarget | undefined = typeof window === 'undefined' ? undefined : window,
): (() => void) => {
  if (events === undefined) return () => undefined;
  const onOnline = (): void => {
    // Only between attempts: the backoff timer finds a socket already there and does nothing.
    if (provider.shouldConnect && provider.ws === null) provider.connect();
  };
  events.addEventListener('online', onOnline);
  return () => events.removeEventListener('online', onOnline);
};
