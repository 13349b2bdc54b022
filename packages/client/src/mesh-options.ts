import { meshRoomName } from './mesh-room.js';
import type { PeerMeshOptions } from './peer-mesh.js';
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
 * Default bound on the connections a peer starts. Others may still connect to it, so a peer can end up with more;
 * the benchmark in `bench/mesh-fanout.mjs` measures what a 30-peer room really gets.
 */
export const DEFAULT_MAX_DIRECT_PEERS = 6;

/** Whether a session with these options joins the mesh. */
export const meshState = (options: MeshOptions | false | undefined, scope: object = globalThis): MeshState => {
  if (options === false) return 'off';
  return options?.wrtc !== undefined || hasWebRtc(scope) ? 'on' : 'unsupported';
};

/** The {@link PeerMeshOptions} of a document's mesh. */
export const peerMeshOptions = (docId: string, relayUrl: string, options: MeshOptions = {}): PeerMeshOptions => {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_DIRECT_PEERS;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new RangeError(`Invalid mesh maxConnections ${maxConnections}: expected a positive integer`);
  }
  return {
    signalingUrl: options.signalingUrl ?? signalingSocketUrl(relayUrl),
    roomName: meshRoomName(docId, options.password),
    password: options.password,
    maxConnections,
    iceServers: options.iceServers ?? [],
    wrtc: options.wrtc,
  };
};
