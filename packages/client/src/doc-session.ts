import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ConnectionPaths } from './connection-paths.js';
import type { ConnectionState } from './connection-state.js';
import { isDocId } from './doc-id.js';
import { type LocalDatabase, openLocalDatabase } from './local-database.js';
import { type MeshOptions, meshState, peerMeshOptions } from './mesh-options.js';
import { type NetworkStatus, sameNetworkStatus } from './network-status.js';
import { type LocalCopyState, type LocalCopyStatus, OfflineStore } from './offline-store.js';
import { PeerMesh } from './peer-mesh.js';
import { type AwarenessUser, derivePresence, type Presence } from './presence.js';
import { reconnectWhenOnline } from './reconnect-when-online.js';
import type { RelayClose } from './relay-close.js';
import { filterRelayTraffic } from './relay-forwarding.js';
import { relaySocketUrl } from './relay-url.js';
import { SaveTracker } from './save-tracker.js';
import { connectedAndSynced, StatusTracker } from './status-tracker.js';
import { distinctColour, selectionColour } from './user-colour.js';

/** Name of the `Y.Text` that holds a document's text. */
export const CONTENT_TEXT_NAME = 'content';

/** How the user appears to others: a display name and a `#rrggbb` colour. */
export interface UserInfo {
  readonly name: string;
  readonly colour: string;
}

/** Where a session stands. A new object is emitted whenever any field changes. */
export interface SessionStatus {
  readonly connection: ConnectionState;
  /** The relay has sent its whole document over the current connection, and the two are in step. */
  readonly synced: boolean;
  /**
   * The document has been loaded at least once (from the local copy in this browser, or from the relay), so the text
   * is safe to show and edit. Never goes back to false.
   */
  readonly loaded: boolean;
  /** Local changes that the relay has not confirmed storing yet (0: "All changes saved"). */
  readonly unsaved: number;
  /** The copy of the document kept in this browser's IndexedDB. */
  readonly localCopy: LocalCopyStatus;
  /**
   * How the relay last closed the connection, kept until the session is connected, synced and every change is
   * confirmed saved: a refusal that repeats on every reconnect (`DocumentTooLarge`) stays while the connection comes
   * and goes. `permanent` closes stop the session reconnecting.
   */
  readonly relayClose: RelayClose | undefined;
}

export interface DocSessionOptions {
  /** A document id, as made by `newDocId`. */
  readonly docId: string;
  /** Base URL of the relay (`http(s)` or `ws(s)`); the session connects to `<relayUrl>/yjs/<docId>`. */
  readonly relayUrl: string;
  readonly user: UserInfo;
  /** A WebSocket implementation for runtimes without a global one (Node 20). */
  readonly WebSocket?: unknown;
  /** Also sync with other tabs of this browser over BroadcastChannel (default true). */
  readonly crossTab?: boolean;
  /**
   * The document's WebRTC mesh (y-webrtc, signaling at `<relayUrl>/signal`), or `false` to use only the relay. By
   * default the session joins it when the runtime has WebRTC (a global `RTCPeerConnection`, or `mesh.wrtc`).
   */
  readonly mesh?: MeshOptions | false;
  /**
   * Where the local copy lives: a database from `openLocalDatabase` (default: the `meshpad` IndexedDB database), or
   * `false` to keep none. The session loads the copy before it connects, and writes every change to it.
   */
  readonly localCopy?: LocalDatabase | false;
}

export type DocSessionEvents = {
  status: (status: SessionStatus) => void;
  presence: (presence: readonly Presence[]) => void;
  network: (network: NetworkStatus) => void;
};

/**
 * One open document: a `Y.Doc`, its connection to the relay, and awareness of who else is in it.
 * Emits `status` and `presence`; {@link DocSession.destroy} closes the connection and releases everything.
 */
export class DocSession extends ObservableV2<DocSessionEvents> {
  readonly docId: string;
  readonly doc: Y.Doc;
  /** The shared text that editors bind to. */
  readonly text: Y.Text;
  readonly awareness: Awareness;
  private readonly provider: WebsocketProvider;
  private readonly mesh: PeerMesh | undefined;
  private readonly paths: ConnectionPaths;
  private readonly unfilterRelay: () => void;
  private currentNetwork: NetworkStatus;
  private readonly store: OfflineStore | undefined;
  private readonly saves: SaveTracker;
  private readonly stopReconnectingWhenOnline: () => void;
  private readonly statusTracker: StatusTracker<SessionStatus>;
  private currentPresence: readonly Presence[] = [];
  /** How the user asked to appear; the colour shown may differ (see {@link DocSession.setUser}). */
  private user: UserInfo;
  private isDestroyed = false;

  constructor(options: DocSessionOptions) {
    super();
    if (!isDocId(options.docId)) {
      throw new RangeError(`Invalid document id "${options.docId}": expected 22 base64url characters`);
    }
    const serverUrl = relaySocketUrl(options.relayUrl);
    const mesh = meshState(options.mesh);
    if (mesh === 'on' && options.crossTab === false) {
      throw new RangeError('crossTab: false needs mesh: false: y-webrtc always syncs tabs over BroadcastChannel');
    }
    const meshOptions =
      mesh === 'on' ? peerMeshOptions(options.docId, options.relayUrl, options.mesh || {}) : undefined;
    this.docId = options.docId;
    this.doc = new Y.Doc();
    this.text = this.doc.getText(CONTENT_TEXT_NAME);
    this.awareness = new Awareness(this.doc);
    this.user = options.user;
    this.awareness.on('change', this.onAwarenessChange);
    this.announceUser(this.presentNow());
    const database = options.localCopy ?? openLocalDatabase();
    this.store = database === false ? undefined : new OfflineStore(this.doc, options.docId, { db: database });
    this.provider = new WebsocketProvider(serverUrl, options.docId, this.doc, {
      // Connects once the local copy is loaded, so sync step 1 asks the relay only for what this browser lacks.
      connect: this.store === undefined,
      awareness: this.awareness,
      // With the mesh on, y-webrtc syncs this browser's tabs (and knows which peers they are): one channel, not two.
      disableBc: options.crossTab === false || mesh === 'on',
      ...(options.WebSocket === undefined ? {} : { WebSocketPolyfill: options.WebSocket as typeof WebSocket }),
    });
    // Before the status tracker's listener, so the copy is kept before anyone hears that the document loaded.
    this.provider.on('sync', this.onSync);
    this.statusTracker = new StatusTracker<SessionStatus>(
      this.provider,
      options.docId,
      {
        connection: 'connecting',
        synced: false,
        loaded: false,
        unsaved: 0,
        localCopy: this.store?.state ?? { state: 'off' },
        relayClose: undefined,
      },
      (status) => this.emit('status', [status]),
      (status) => connectedAndSynced(status) && status.unsaved === 0,
    );
    this.provider.on('status', this.onProviderStatus);
    this.mesh = meshOptions && new PeerMesh(this.doc, this.awareness, meshOptions);
    this.paths = new ConnectionPaths(this.awareness, this.provider, this.mesh, () => this.provider.wsconnected);
    this.unfilterRelay = filterRelayTraffic(this.provider, this.doc, this.awareness, this.paths);
    this.currentNetwork = { mesh, relay: false, directConnections: 0, routes: this.paths.routes };
    this.paths.on('change', this.onNetworkChange);
    this.mesh?.on('change', this.onNetworkChange);
    this.mesh?.on('synced', this.onMeshSynced);
    this.paths.refresh();
    this.saves = new SaveTracker(
      this.provider,
      (origin) => origin !== this.provider && origin !== this.store && !this.paths.isMeshOrigin(origin),
    );
    this.saves.on('unsaved', this.onUnsaved);
    this.stopReconnectingWhenOnline = reconnectWhenOnline(this.provider);
    if (this.store !== undefined) {
      this.store.on('state', this.onLocalCopyState);
      this.store.load().then(this.onLocalCopyLoaded, () => this.connectProvider());
    }
  }

  /** The current status; see {@link SessionStatus}. */
  get status(): SessionStatus {
    return this.statusTracker.current;
  }

  /** Everyone in the document, the local session first. */
  get presence(): readonly Presence[] {
    return this.currentPresence;
  }

  /** How this session reaches the others: directly, through the relay, or through other peers. */
  get network(): NetworkStatus {
    return this.currentNetwork;
  }

  get destroyed(): boolean {
    return this.isDestroyed;
  }

  /**
   * Some change exists only in this tab's memory: neither written to the local copy yet nor confirmed by the relay.
   * Closing the tab now would lose it.
   */
  get hasChangesOnlyInMemory(): boolean {
    if (this.saves.unsaved === 0) return false;
    return this.store === undefined || this.store.state.state !== 'ready' || this.store.hasUnwrittenChanges;
  }

  /** Writes pending changes to the local copy now; resolves once they are written (or the write failed). */
  flushLocalCopy(): Promise<void> {
    return this.store?.flush() ?? Promise.resolve();
  }

  /**
   * Resolves once the document has loaded (see {@link SessionStatus.loaded}); rejects with a
   * {@link SessionDestroyedError} if the session is destroyed first.
   */
  whenSynced(): Promise<void> {
    return this.statusTracker.whenLoaded();
  }

  /**
   * Changes how the user appears to others (name and colour of the cursor and presence entry). While someone who
   * joined with a lower client id is here in the same or a neighbouring colour, this session shows itself in another.
   */
  setUser(user: UserInfo): void {
    this.user = user;
    this.announceUser(this.presentNow());
  }

  private presentNow(): Presence[] {
    return derivePresence(this.awareness.getStates(), this.doc.clientID);
  }

  /**
   * Sets the awareness field from `user`, in a colour apart from those of the people of lower client id in `present`;
   * returns whether the field changed. Each session defers only to lower ids, so all of them settle on the same
   * colours whatever order they see each other in.
   */
  private announceUser(present: readonly Presence[]): boolean {
    const taken = new Set(present.filter((p) => p.clientId < this.doc.clientID).map((p) => p.colour));
    const colour = distinctColour(this.user.colour, taken);
    const current = (this.awareness.getLocalState() as { user?: AwarenessUser } | null)?.user;
    if (current?.name === this.user.name && current.color === colour) return false;
    const field: AwarenessUser = { name: this.user.name, color: colour, colorLight: selectionColour(colour) };
    this.awareness.setLocalStateField('user', field);
    return true;
  }

  /** Closes the connection (telling peers that this user left), and releases the document and every timer. */
  override destroy(): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    this.statusTracker.destroy();
    this.provider.off('status', this.onProviderStatus);
    this.provider.off('sync', this.onSync);
    this.awareness.off('change', this.onAwarenessChange);
    this.saves.off('unsaved', this.onUnsaved);
    this.saves.destroy();
    this.stopReconnectingWhenOnline();
    this.store?.off('state', this.onLocalCopyState);
    // Starts the last write of the local copy, which reads the document before it is destroyed below.
    void this.store?.destroy();
    this.paths.off('change', this.onNetworkChange);
    this.paths.destroy();
    this.mesh?.off('change', this.onNetworkChange);
    this.mesh?.off('synced', this.onMeshSynced);
    // Says goodbye to direct peers over the still-open data channels, then closes them.
    this.mesh?.destroy();
    this.unfilterRelay();
    // The provider announces our departure over the still-open socket before closing it.
    this.provider.destroy();
    this.awareness.destroy();
    this.doc.destroy();
    super.destroy();
  }

  /** The relay link opened or closed, so the routes through it did too (the status tracker hears it first). */
  private readonly onProviderStatus = (): void => {
    this.paths.refresh();
    this.onNetworkChange();
  };

  private readonly onSync = (synced: boolean): void => {
    if (synced) this.store?.keepCopy();
  };

  private connectProvider(): void {
    if (!this.isDestroyed && !this.provider.shouldConnect) this.provider.connect();
  }

  private readonly onLocalCopyLoaded = ({ exists, unsaved }: { exists: boolean; unsaved: number }): void => {
    if (this.isDestroyed) return;
    this.saves.adopt(unsaved);
    if (exists) this.statusTracker.update({ loaded: true });
    this.connectProvider();
  };

  private readonly onLocalCopyState = (localCopy: LocalCopyState): void => {
    this.statusTracker.update({ localCopy });
  };

  private readonly onUnsaved = (unsaved: number): void => {
    this.store?.setUnsaved(unsaved);
    this.statusTracker.update({ unsaved });
  };

  private readonly onNetworkChange = (): void => {
    const next: NetworkStatus = {
      mesh: this.currentNetwork.mesh,
      relay: this.provider.wsconnected,
      directConnections: this.mesh?.directPeerIds().size ?? 0,
      routes: this.paths.routes,
    };
    if (sameNetworkStatus(next, this.currentNetwork)) return;
    this.currentNetwork = next;
    this.emit('network', [next]);
  };

  /** A peer sent its whole document: it can be shown even while the relay is out of reach. */
  private readonly onMeshSynced = (): void => {
    this.statusTracker.update({ loaded: true });
  };

  private readonly onAwarenessChange = (): void => {
    const present = this.presentNow();
    // A change of our own field runs this handler again, which emits the presence it leads to.
    if (this.announceUser(present)) return;
    this.currentPresence = present;
    this.emit('presence', [present]);
  };
}
