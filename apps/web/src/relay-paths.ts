/** Paths the relay answers itself (its API, sync, signaling, health, metrics), never the app. */
const RELAY_PATHS = ['/api/', '/yjs/', '/signal', '/healthz', '/readyz', '/metrics'];

/**
 * Whether `pathname` belongs to the relay: the service worker leaves such requests to the network and the app lets
 * the browser load such links, so that `/api/…` is never answered with the app's not-found page.
 */
export const isRelayPath = (pathname: string): boolean => RELAY_PATHS.some((path) => pathname.startsWith(path));
