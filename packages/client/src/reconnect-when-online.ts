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
    if (!provider.shouldConnect || provider.wsconnected) return;
    // An attempt started while offline can hang until the system gives up on it, so it is replaced. The provider's
    // backoff timer then finds a socket already there and does nothing.
    if (provider.ws !== null) provider.disconnect();
    provider.connect();
  };
  events.addEventListener('online', onOnline);
  return () => events.removeEventListener('online', onOnline);
};
