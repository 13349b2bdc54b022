import {
  type ClientMessage,
  DEFAULT_MAX_MESSAGE_BYTES,
  decodeClientMessage,
  err,
  neverIntegrates,
  ok,
  type Result,
} from '@meshpad/protocol';
import * as Y from 'yjs';

/** Bounds on one message from a WebRTC peer. */
export interface PeerMessageLimits {
  /** Largest message, in bytes. A sync step 2 carries the peer's whole document. */
  readonly maxMessageBytes: number;
  /** Most awareness entries in one message. A peer sends every state it knows when a connection opens. */
  readonly maxAwarenessEntries: number;
  /** Largest awareness state, in bytes of JSON. */
  readonly maxAwarenessStateBytes: number;
}

/** The relay's default frame limit for messages; room for a thousand people's states; 8 KiB per state. */
export const DEFAULT_PEER_MESSAGE_LIMITS: PeerMessageLimits = {
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  maxAwarenessEntries: 1000,
  maxAwarenessStateBytes: 8 * 1024,
};

/**
 * A message y-webrtc reads from a data channel. Its frames are y-websocket's sync, awareness and query-awareness
 * messages; y-webrtc's own type 4 (a tab's peer id) travels over BroadcastChannel only, and auth and save requests
 * are for the relay.
 */
export type PeerMessage = Extract<
  ClientMessage,
  { readonly kind: 'sync-step1' | 'sync-step2' | 'update' | 'awareness' | 'query-awareness' }
>;

/**
 * A check that needs the document, run on each update a peer sends (sync step 2 or update) once it passed the
 * checks of {@link checkPeerMessage}. `stateVector` returns the document's current state vector (computed on the
 * first call). A state-aware update validator plugs in here, through `PeerMeshOptions.checkUpdate`.
 */
export type PeerUpdateCheck = (update: Uint8Array, stateVector: () => Map<number, number>) => Result<unknown, string>;

const utf8 = new TextEncoder();

/**
 * Checks one message from a WebRTC peer before y-webrtc reads it, with no document state: its size, that it decodes
 * completely (every Yjs payload included, as the relay checks a client's frames) and is a kind peers exchange, that
 * no update in it can never integrate (`neverIntegrates`), and the number and size of the awareness states it
 * carries. Never throws.
 */
export function checkPeerMessage(message: Uint8Array, limits: PeerMessageLimits): Result<PeerMessage, string> {
  if (message.length > limits.maxMessageBytes) {
    return err(`message of ${message.length} bytes is over the limit of ${limits.maxMessageBytes}`);
  }
  const decoded = decodeClientMessage(message);
  if (!decoded.ok) return err(decoded.error.message);
  const value = decoded.value;
  if (value.kind === 'auth' || value.kind === 'save-request') return err(`a peer sent a ${value.kind} message`);
  if (value.kind === 'sync-step2' || value.kind === 'update') {
    // An update that can never integrate would throw in this document's every transaction from now on.
    const never = neverIntegrates(value.decoded);
    if (never !== undefined) return err(never);
  }
  if (value.kind === 'awareness') {
    if (value.entries.length > limits.maxAwarenessEntries) {
      return err(`${value.entries.length} awareness entries, over the limit of ${limits.maxAwarenessEntries}`);
    }
    for (const entry of value.entries) {
      const bytes = utf8.encode(entry.state).length;
      if (bytes > limits.maxAwarenessStateBytes) {
        return err(
          `awareness state of client ${entry.clientID} has ${bytes} bytes, over ${limits.maxAwarenessStateBytes}`,
        );
      }
    }
  }
  return ok(value);
}

/**
 * y-webrtc's `filterPeerMessage` for a document (see `patches/y-webrtc@10.3.0.patch`): true lets the message through;
 * false makes y-webrtc drop it and close that peer's connection.
 */
export const peerMessageFilter =
  (doc: Y.Doc, limits: PeerMessageLimits, checkUpdate?: PeerUpdateCheck) =>
  (_peerId: string, message: Uint8Array): boolean => {
    const checked = checkPeerMessage(message, limits);
    if (!checked.ok) return false;
    const value = checked.value;
    if (checkUpdate === undefined || (value.kind !== 'sync-step2' && value.kind !== 'update')) return true;
    let stateVector: Map<number, number> | undefined;
    const currentStateVector = (): Map<number, number> => {
      stateVector ??= Y.decodeStateVector(Y.encodeStateVector(doc));
      return stateVector;
    };
    return checkUpdate(value.update, currentStateVector).ok;
  };
