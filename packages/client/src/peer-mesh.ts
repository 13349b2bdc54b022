import { ObservableV2 } from 'lib0/observable';
import type { Awareness } from 'y-protocols/awareness';
import { type SignalingConn, WebrtcConn, WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { type PeerMessageLimits, type PeerUpdateCheck, peerMessageFilter } from './peer-message-filter.js';
import { readLinkField } from './peer-routes.js';

/** How a session joins its document's WebRTC mesh. */
export interface PeerMeshOptions {
  /** `ws(s)` URL of a y-webrtc signaling server. */
  readonly signalingUrl: string;
  /** The y-webrtc room, also the signaling topic: see `meshRoomName`. */
  readonly roomName: string;
  /** Encrypts signaling and same-browser messages with a key derived from it; only peers that know it can connect. */
  readonly password?: string | undefined;
  /** At most this many WebRTC connections are started by this peer (y-webrtc's `maxConns`). */
  readonly maxConnections: number;
  /** At most this many connections started by other peers are open at once (the patched y-webrtc's `maxIncomingConns`). */
  readonly maxIncomingConnections: number;
  /** Bounds on each message a peer sends; a message over them is dropped and that peer disconnected. */
  readonly peerMessageLimits: PeerMessageLimits;
  /** A state-aware check of each update a peer sends, after the stateless ones (none yet). */
  readonly checkUpdate?: PeerUpdateCheck | undefined;
  readonly iceServers: readonly RTCIceServer[];
  /** A WebRTC implementation for runtimes without a global one (Node: `@roamhq/wrtc`). */
  readonly wrtc?: unknown;
}

export type PeerMeshEvents = {
  /** A data channel opened or closed, another tab came or went, or the local peer id became known. */
  change: () => void;
  /** Every connected peer has sent its whole document. */
  synced: () => void;
};

/** The part of a simple-peer instance this module uses. */
interface PeerEvents {
  on(event: 'connect' | 'close', listener: () => void): void;
  destroy(): void;
}

const NO_PEERS: ReadonlySet<string> = new Set();

/** A peer with fewer connections than this (or than its bound, if lower) connects to peers it knows from awareness. */
export const MIN_DIRECT_PEERS = 2;

/**
 * A connection with no open data channel after this long is given up, whoever started it: y-webrtc never gives up on
 * one, and an offer from a made-up peer id would otherwise hold a slot of `maxIncomingConnections` for good.
 */
export const CONNECT_TIMEOUT_MS = 15_000;

/**
 * How long a peer waits before it connects to others itself (plus up to as much again at random). Peers below their
 * bound answer an announcement within milliseconds; starting a connection at the same moment as they do would collide
 * with theirs (both sides offering), which y-webrtc does not resolve.
 */
export const FILL_DELAY_MS = 2_000;

/**
 * A y-webrtc provider on a session's `Y.Doc` and awareness, plus what the session needs to know about it: which
 * peers have an open data channel, which are tabs of this browser, and whether an update came from the mesh.
 * y-webrtc floods every document and awareness update to all of its connections whatever their origin, so an update
 * crosses the partial mesh hop by hop; Yjs drops what a peer already has, which ends the flood.
 *
 * y-webrtc answers a newcomer's announcement only from peers below their bound. Once the first peers are full, a
 * newcomer gets connections only from later ones, so the room splits into a full clique of early peers and the rest,
 * joined by the relay alone. This peer therefore also connects to peers it knows from their awareness link field
 * (y-webrtc accepts an offer beyond its bound, up to `maxIncomingConnections` offers): up to {@link MIN_DIRECT_PEERS},
 * and always one more, its random link, to a peer picked at random among those it is not connected to. Random links
 * join the clusters into one mesh.
 *
 * Every message a peer sends passes {@link peerMessageFilter} before y-webrtc reads it; one that fails is dropped and
 * that peer disconnected.
 */
export class PeerMesh extends ObservableV2<PeerMeshEvents> {
  readonly provider: WebrtcProvider;
  private readonly watched = new WeakSet<object>();
  private readonly minConnections: number;
  private readonly connectTimers = new Set<ReturnType<typeof setTimeout>>();
  private fillTimer: ReturnType<typeof setTimeout> | undefined;
  /** The peer id of this peer's random link, while it has one. */
  private randomLink: string | undefined;

  constructor(
    doc: Y.Doc,
    private readonly awareness: Awareness,
    options: PeerMeshOptions,
  ) {
    super();
    this.minConnections = Math.min(MIN_DIRECT_PEERS, options.maxConnections);
    this.provider = new WebrtcProvider(options.roomName, doc, {
      signaling: [options.signalingUrl],
      ...(options.password ? { password: options.password } : {}),
      awareness,
      maxConns: options.maxConnections,
      maxIncomingConns: options.maxIncomingConnections,
      filterPeerMessage: peerMessageFilter(doc, options.peerMessageLimits, options.checkUpdate),
      // Tabs of one browser talk over BroadcastChannel and open no WebRTC connection to each other.
      filterBcConns: true,
      peerOpts: {
        config: { iceServers: [...options.iceServers] },
        ...(options.wrtc === undefined ? {} : { wrtc: options.wrtc }),
      },
    });
    this.provider.on('peers', this.onPeers);
    this.provider.on('status', this.onStatus);
    this.provider.on('synced', this.onSynced);
    awareness.on('change', this.scheduleFill);
  }

  /** This peer's id in the room's signaling, once the room is open (after the password's key is derived). */
  get peerId(): string | undefined {
    return this.provider.room?.peerId;
  }

  /** Whether a document or awareness update with this `origin` arrived from a WebRTC peer or another tab. */
  isMeshOrigin(origin: unknown): boolean {
    return origin != null && origin === this.provider.room;
  }

  /** Peer ids with an open data channel. */
  directPeerIds(): Set<string> {
    const ids = new Set<string>();
    for (const [id, conn] of this.provider.room?.webrtcConns ?? []) if (conn.connected) ids.add(id);
    return ids;
  }

  /** Peer ids of other tabs of this browser in the same room. */
  tabPeerIds(): ReadonlySet<string> {
    return this.provider.room?.bcConns ?? NO_PEERS;
  }

  /** Leaves the room: tells peers this user left, closes every connection and the signaling socket. */
  override destroy(): void {
    this.provider.off('peers', this.onPeers);
    this.provider.off('status', this.onStatus);
    this.provider.off('synced', this.onSynced);
    this.awareness.off('change', this.scheduleFill);
    clearTimeout(this.fillTimer);
    for (const timer of this.connectTimers) clearTimeout(timer);
    this.connectTimers.clear();
    // y-webrtc's destroy leaves the provider on its signaling connections, which then reconnect for good (also to a
    // relay that refuses a revoked token); disconnecting first closes those only this provider used.
    this.provider.disconnect();
    this.provider.destroy();
    super.destroy();
  }

  /**
   * Resolves once y-webrtc has closed the room, after {@link PeerMesh.destroy}. Closing it removes the local
   * awareness state (y-webrtc says goodbye that way), so a session that stays open sets it again then.
   */
  whenDestroyed(): Promise<void> {
    return Promise.resolve(this.provider.key).then(() => undefined);
  }

  /** While this peer lacks connections it could start, checks again after {@link FILL_DELAY_MS}. */
  private readonly scheduleFill = (): void => {
    if (this.fillTimer !== undefined || this.missingConnections() === 0 || this.candidates().length === 0) return;
    this.fillTimer = setTimeout(
      () => {
        this.fillTimer = undefined;
        this.fillConnections();
      },
      FILL_DELAY_MS * (1 + Math.random()),
    );
  };

  /** How many connections this peer should start: to reach `minConnections`, and its random link if it has none. */
  private missingConnections(): number {
    const conns = this.provider.room?.webrtcConns;
    if (conns === undefined) return 0;
    const linked = this.randomLink !== undefined && conns.has(this.randomLink);
    return Math.max(this.minConnections - conns.size, linked ? 0 : 1);
  }

  /** Peer ids from awareness link fields that this peer has no connection with. */
  private candidates(): string[] {
    const room = this.provider.room;
    if (room === null) return [];
    const candidates: string[] = [];
    for (const [client, state] of this.awareness.getStates()) {
      const peerId = client === this.awareness.clientID ? undefined : readLinkField(state)?.peerId;
      if (peerId && peerId !== room.peerId && !room.webrtcConns.has(peerId) && !room.bcConns.has(peerId)) {
        candidates.push(peerId);
      }
    }
    return candidates;
  }

  /** Starts the connections {@link missingConnections} asks for, to peers picked at random. */
  private fillConnections(): void {
    const room = this.provider.room;
    const signaling = (this.provider.signalingConns as SignalingConn[]).find((conn) => conn.connected);
    if (room === null || signaling === undefined) return;
    const candidates = this.candidates();
    const added: string[] = [];
    for (let missing = this.missingConnections(); missing > 0 && candidates.length > 0; missing--) {
      const [peerId] = candidates.splice(Math.floor(Math.random() * candidates.length), 1) as [string];
      if (this.randomLink === undefined || !room.webrtcConns.has(this.randomLink)) this.randomLink = peerId;
      // What y-webrtc itself does on an announcement: an initiating connection, registered in the room.
      const conn = new WebrtcConn(signaling, true, peerId, room);
      room.webrtcConns.set(peerId, conn);
      added.push(peerId);
    }
    if (added.length === 0) return;
    this.provider.emit('peers', [
      { added, removed: [], webrtcPeers: [...room.webrtcConns.keys()], bcPeers: [...room.bcConns] },
    ]);
  }

  // y-webrtc reports a connection when it is created, not when its data channel opens: listen to each peer for that.
  private readonly onPeers = (): void => {
    for (const conn of this.provider.room?.webrtcConns.values() ?? []) {
      const peer = conn.peer as PeerEvents;
      if (this.watched.has(peer)) continue;
      this.watched.add(peer);
      peer.on('connect', this.onChange);
      peer.on('close', this.onChange);
      const timer = setTimeout(() => {
        this.connectTimers.delete(timer);
        if (!conn.connected) peer.destroy();
      }, CONNECT_TIMEOUT_MS);
      this.connectTimers.add(timer);
    }
    this.onChange();
    this.scheduleFill();
  };

  private readonly onStatus = (): void => {
    this.onChange();
    this.scheduleFill();
  };

  private readonly onSynced = ({ synced }: { synced: boolean }): void => {
    if (synced) this.emit('synced', []);
  };

  private readonly onChange = (): void => {
    this.emit('change', []);
  };
}
