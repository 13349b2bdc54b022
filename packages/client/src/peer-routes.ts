/**
 * How another editor in the document reaches this session:
 * - `direct`: an open WebRTC data channel between the two (peer-to-peer);
 * - `same-browser`: another tab of this browser, over BroadcastChannel;
 * - `relay`: through the relay;
 * - `mesh`: neither, so through other peers of the mesh.
 */
export type PeerRoute = 'direct' | 'same-browser' | 'relay' | 'mesh';

/** Every {@link PeerRoute}. */
export const PEER_ROUTES: readonly PeerRoute[] = ['direct', 'same-browser', 'relay', 'mesh'];

/** Name of the awareness field in which a Meshpad session announces its {@link LinkField}. */
export const LINK_FIELD = 'link';

/** What a session announces about its connections, so others can tell how they reach it. */
export interface LinkField {
  /** Its y-webrtc peer id; empty while it is not in the mesh. */
  readonly peerId: string;
  /** Whether its relay connection is open, so it sends its own changes to the relay. */
  readonly relay: boolean;
}

/** Through which provider a remote awareness state last arrived. */
export type HeardVia = 'relay' | 'mesh';

/** What the local session knows about its own connections. */
export interface LocalLinks {
  readonly relayConnected: boolean;
  /** Whether this session is in the mesh at all; without it, everything comes through the relay. */
  readonly meshOn: boolean;
  readonly directPeerIds: ReadonlySet<string>;
  readonly tabPeerIds: ReadonlySet<string>;
}

const MAX_PEER_ID_LENGTH = 64;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The {@link LinkField} of an awareness state, or undefined for a stock client or a malformed field. */
export const readLinkField = (state: unknown): LinkField | undefined => {
  const field = isRecord(state) ? state[LINK_FIELD] : undefined;
  if (!isRecord(field)) return undefined;
  const { peerId, relay } = field;
  if (typeof peerId !== 'string' || peerId.length > MAX_PEER_ID_LENGTH || typeof relay !== 'boolean') return undefined;
  return { peerId, relay };
};

/**
 * Whether a client sends its own changes to the relay: what its link field says, or for a stock client, which
 * announces nothing, whether its awareness came through the relay.
 */
export const isOnRelay = (state: unknown, heardVia: HeardVia | undefined): boolean =>
  readLinkField(state)?.relay ?? heardVia === 'relay';

/** How the client with awareness `state` reaches this session. */
export const peerRoute = (state: unknown, heardVia: HeardVia | undefined, local: LocalLinks): PeerRoute => {
  const link = readLinkField(state);
  if (link !== undefined && link.peerId !== '') {
    if (local.tabPeerIds.has(link.peerId)) return 'same-browser';
    if (local.directPeerIds.has(link.peerId)) return 'direct';
  }
  if (!local.meshOn) return 'relay';
  return local.relayConnected && isOnRelay(state, heardVia) ? 'relay' : 'mesh';
};
