import { TOKEN_QUERY_PARAMETER } from '@meshpad/protocol';
import { meshRoomName } from './mesh-room.js';
import type { PeerMeshOptions } from './peer-mesh.js';
import { DEFAULT_PEER_MESSAGE_LIMITS, type PeerMessageLimits } from './peer-message-filter.js';
import { signalingSocketUrl } from './relay-url.js';
import { hasWebRtc } from './webrtc-support.js';

/** How a session takes part in its document's WebRTC mesh. */
export interface MeshOptions {
  /**
   * The room password, shared with the document's link (never sent to the relay). It encrypts signaling and
   * same-browser messages, so only peers that know it connect directly. The relay path is not encrypted.
   */
  readonly password?: string | undefined;
  /** STUN and TURN servers; none by default, so peers connect only where host candidates reach (the same network). */
  readonly iceServers?: readonly RTCIceServer[];
  /** How many WebRTC connections this peer starts at most (default {@link DEFAULT_MAX_DIRECT_PEERS}). */
  readonly maxConnections?: number;
  /**
   * How many connections other peers may have started with this one at once (default twice `maxConnections`); offers
   * beyond it are ignored. Twice leaves room for the offers of later peers, which keep a large room one mesh.
   */
  readonly maxIncomingConnections?: number;
  /** Bounds on each message a peer sends (default {@link DEFAULT_PEER_MESSAGE_LIMITS}). */
  readonly peerMessageLimits?: Partial<PeerMessageLimits>;
  /** A WebRTC implementation for runtimes without a global one (Node: `@roamhq/wrtc`). */
  readonly wrtc?: unknown;
  /** A y-webrtc signaling server (default: the relay's `/signal`). */
  readonly signalingUrl?: string;
}

/**
 * Whether a session is in the mesh: `on`, `off` (the options said so) or `unsupported` (no WebRTC in this runtime,
 * so the relay carries everything).
 */
export type MeshState = 'on' | 'off' | 'unsupported';

/**
 * Default bound on the connections a peer starts. Others may still connect to it (up to `maxIncomingConnections`), so
 * a peer can end up with more; the benchmark in `bench/mesh-fanout.mjs` measures what a 30-peer room really gets.
 */
export const DEFAULT_MAX_DIRECT_PEERS = 6;

/** Whether a session with these options joins the mesh. */
export const meshState = (options: MeshOptions | false | undefined, scope: object = globalThis): MeshState => {
  if (options === false) return 'off';
  return options?.wrtc !== undefined || hasWebRtc(scope) ? 'on' : 'unsupported';
};

/** What a session's token lets it do in the mesh: signal with that token, in the room of its edit generation. */
export interface MeshAccess {
  /** Sent to the signaling server in its URL (`?token=`), the only place y-webrtc can put it. */
  readonly token?: string | undefined;
  /** The room's edit generation, which names the mesh room (see `meshRoomName`). */
  readonly editGeneration?: number | undefined;
}

/** `url` with `token` in its query string. */
const withToken = (url: string, token: string | undefined): string => {
  if (token === undefined) return url;
  const withQuery = new URL(url);
  withQuery.searchParams.set(TOKEN_QUERY_PARAMETER, token);
  return withQuery.toString();
};

/** The {@link PeerMeshOptions} of a document's mesh. */
export const peerMeshOptions = (
  docId: string,
  relayUrl: string,
  options: MeshOptions = {},
  access: MeshAccess = {},
): PeerMeshOptions => {
  const maxConnections = positiveInteger('maxConnections', options.maxConnections ?? DEFAULT_MAX_DIRECT_PEERS);
  const limits = { ...DEFAULT_PEER_MESSAGE_LIMITS, ...options.peerMessageLimits };
  return {
    signalingUrl: withToken(options.signalingUrl ?? signalingSocketUrl(relayUrl), access.token),
    roomName: meshRoomName(docId, options.password, access.editGeneration),
    password: options.password,
    maxConnections,
    maxIncomingConnections: positiveInteger(
      'maxIncomingConnections',
      options.maxIncomingConnections ?? 2 * maxConnections,
    ),
    peerMessageLimits: {
      maxMessageBytes: positiveInteger('peerMessageLimits.maxMessageBytes', limits.maxMessageBytes),
      maxAwarenessEntries: positiveInteger('peerMessageLimits.maxAwarenessEntries', limits.maxAwarenessEntries),
      maxAwarenessStateBytes: positiveInteger(
        'peerMessageLimits.maxAwarenessStateBytes',
        limits.maxAwarenessStateBytes,
      ),
    },
    iceServers: options.iceServers ?? [],
    wrtc: options.wrtc,
  };
};

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid mesh ${name} ${value}: expected a positive integer`);
  }
  return value;
};
