import type { MeshState } from './mesh-options.js';
import type { PeerRoute } from './peer-routes.js';

/** How a session reaches the others. A new object is emitted whenever any field changes. */
export interface NetworkStatus {
  /** Whether this session is in the WebRTC mesh. */
  readonly mesh: MeshState;
  /** Whether the relay connection is open. */
  readonly relay: boolean;
  /** Open WebRTC data channels, counting peers that announce no Meshpad link field (stock y-webrtc clients). */
  readonly directConnections: number;
  /** How each other client in the document (by Yjs client id) reaches this session. */
  readonly routes: ReadonlyMap<number, PeerRoute>;
}

/** Whether two statuses say the same. */
export const sameNetworkStatus = (a: NetworkStatus, b: NetworkStatus): boolean =>
  a.mesh === b.mesh &&
  a.relay === b.relay &&
  a.directConnections === b.directConnections &&
  a.routes.size === b.routes.size &&
  [...a.routes].every(([client, route]) => b.routes.get(client) === route);

/** The clients that `status` reaches by `route`, e.g. every peer connected directly. */
export const clientsByRoute = (status: NetworkStatus, route: PeerRoute): number[] =>
  [...status.routes].filter(([, r]) => r === route).map(([client]) => client);
