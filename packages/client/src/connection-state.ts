/** How the session's link to the relay is doing. */
export type ConnectionState = 'connecting' | 'connected' | 'offline';

/** Every {@link ConnectionState}, in the order a session normally goes through them. */
export const CONNECTION_STATES: readonly ConnectionState[] = ['connecting', 'connected', 'offline'];

/** What the relay provider reported: its `status` values plus a socket that closed or failed. */
export type ProviderSignal = 'connecting' | 'connected' | 'disconnected' | 'connection-closed' | 'connection-error';

/**
 * The connection state after the provider reports `signal`. Once a connection has failed the session stays
 * `offline` while the provider retries in the background, so the status does not flicker between
 * `connecting` and `offline` on every attempt; it only leaves `offline` when a connection opens.
 */
export const nextConnectionState = (current: ConnectionState, signal: ProviderSignal): ConnectionState => {
  switch (signal) {
    case 'connected':
      return 'connected';
    case 'connecting':
      return current === 'offline' ? 'offline' : 'connecting';
    case 'disconnected':
    case 'connection-closed':
    case 'connection-error':
      return 'offline';
  }
};
