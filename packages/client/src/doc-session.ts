import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { parseAccessToken, type SessionAccess } from './access-token.js';
import { ConnectionPaths } from './connection-paths.js';
import type { ConnectionState } from './connection-state.js';
import { isDocId } from './doc-id.js';
import { type LocalDatabase, openLocalDatabase } from './local-database.js';
import { type MeshAccess, type MeshOptions, type MeshState, meshState, peerMeshOptions } from './mesh-options.js';
import { type NetworkStatus, sameNetworkStatus } from './network-status.js';
import { type LocalCopyState, type LocalCopyStatus, OfflineStore } from './offline-store.js';
import { PeerMesh } from './peer-mesh.js';
import { type AwarenessUser, derivePresence, type Presence, VIEWER_ROLE } from './presence.js';
import { accessDenialOf, type RelayClose } from './relay-close.js';
import { filterRelayTraffic } from './relay-forwarding.js';
import { type CapabilityGenerations, RelayLink } from './relay-link.js';
import { SaveTracker } from './save-tracker.js';
import { connectedAndSynced } from './status-tracker.js';
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
  /**
   * What the session's token allows (`view`, `edit`, `owner`), or `none` without a token: the relay is then open to
   * anyone, or refuses (see `accessDenialOf(status.relayClose)`).
   */
  readonly access: SessionAccess;
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
  /**
   * The access token of the document's link (PROTOCOL.md, "Access control"). It goes to the relay in
   * `Sec-WebSocket-Protocol`, never in the URL; to the signaling server (which can take it nowhere else) in the query
   * string. A view token keeps the session out of the mesh and marks it a viewer in presence.
   */
  readonly token?: string;
  /**
   * The room's edit generation, for an owner session (an owner token does not carry it; the app knows it from the
   * edit token it keeps): it names the mesh room. Edit tokens carry their own; a rotation updates both.
   */
  readonly editGeneration?: number;
}

export type DocSessionEvents = {
  status: (status: SessionStatus) => void;
  presence: (presence: readonly Presence[]) => void;
  network: (network: NetworkStatus) => void;
  /** A capability of the document was rotated and this session's token is still current: it moved to the new mesh. */
  rotated: (generations: CapabilityGenerations) => void;
  /** The relay dropped an edit this session sent: its token only lets it view. */
  'permission-denied': (reason: string) => void;
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
  private readonly link: RelayLink<SessionStatus>;
  private readonly relayUrl: string;
  private readonly meshOptions: MeshOptions;
  /** Whether the options and the runtime let the session join the mesh; its token may still keep it out. */
  private readonly meshSetting: MeshState;
  private mesh: PeerMesh | undefined;
  /** The edit generation last heard of: from the options, or from the relay after a rotation. */
  private knownEditGeneration: number | undefined;
  /** The relay refused the token: the session stays out of the mesh until it gets another one. */
  private refused = false;
  private readonly paths: ConnectionPaths;
  private readonly unfilterRelay: () => void;
  private currentNetwork: NetworkStatus;
  private readonly store: OfflineStore | undefined;
  private readonly saves: SaveTracker;
  private currentPresence: readonly Presence[] = [];
  /** How the user asked to appear; the colour shown may differ (see {@link DocSession.setUser}). */
  private user: UserInfo;
  private isDestroyed = false;

  constructor(options: DocSessionOptions) {
    super();
    if (!isDocId(options.docId)) {
      throw new RangeError(`Invalid document id "${options.docId}": expected 22 base64url characters`);
    }
    const mesh = meshState(options.mesh);
    if (mesh === 'on' && options.crossTab === false) {
      throw new RangeError('crossTab: false needs mesh: false: y-webrtc always syncs tabs over BroadcastChannel');
    }
    this.meshSetting = mesh;
    this.meshOptions = options.mesh || {};
    this.relayUrl = options.relayUrl;
    this.knownEditGeneration = options.editGeneration;
    // Checks the mesh options before anything is opened.
    if (mesh === 'on') peerMeshOptions(options.docId, options.relayUrl, this.meshOptions);
    this.docId = options.docId;
    this.doc = new Y.Doc();
    this.text = this.doc.getText(CONTENT_TEXT_NAME);
    this.awareness = new Awareness(this.doc);
    this.user = options.user;
    this.awareness.on('change', this.onAwarenessChange);
    const database = options.localCopy ?? openLocalDatabase();
    this.store = database === false ? undefined : new OfflineStore(this.doc, options.docId, { db: database });
    this.link = new RelayLink<SessionStatus>({
      relayUrl: options.relayUrl,
      room: options.docId,
      doc: this.doc,
      awareness: this.awareness,
      token: options.token,
      WebSocket: options.WebSocket,
      // Connects once the local copy is loaded, so sync step 1 asks the relay only for what this browser lacks.
      connect: this.store === undefined,
      // With the mesh on, y-webrtc syncs this browser's tabs (and knows which peers they are): one channel, not two.
      disableBc: options.crossTab === false || mesh === 'on',
      initial: {
        connection: 'connecting',
        synced: false,
        loaded: false,
        unsaved: 0,
        localCopy: this.store?.state ?? { state: 'off' },
        relayClose: undefined,
      },
      onStatus: this.onStatus,
      inStep: (status) => connectedAndSynced(status) && status.unsaved === 0,
      // The copy is kept before anyone hears that the document loaded.
      onSynced: () => this.store?.keepCopy(),
    });
    this.announceUser(this.presentNow());
    this.link.on('rotated', this.onRotated);
    this.link.on('permission-denied', this.onPermissionDenied);
    this.provider.on('status', this.onProviderStatus);
    this.mesh = this.joinMesh();
    this.paths = new ConnectionPaths(this.awareness, this.provider, this.mesh, () => this.provider.wsconnected);
    this.unfilterRelay = filterRelayTraffic(this.provider, this.doc, this.awareness, this.paths);
    this.currentNetwork = { mesh: this.meshNow(), relay: false, directConnections: 0, routes: this.paths.routes };
    this.paths.on('change', this.onNetworkChange);
    this.paths.refresh();
    this.saves = new SaveTracker(
      this.provider,
      (origin) => origin !== this.provider && origin !== this.store && !this.paths.isMeshOrigin(origin),
    );
    this.saves.on('unsaved', this.onUnsaved);
    if (this.store !== undefined) {
      this.store.on('state', this.onLocalCopyState);
      this.store.load().then(this.onLocalCopyLoaded, () => this.connectProvider());
    }
  }

  /** The current status; see {@link SessionStatus}. */
  get status(): SessionStatus {
    return this.link.status;
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

  /** The y-webrtc room this session is in (see `meshRoomName`), or `undefined` while it is out of the mesh. */
  get meshRoom(): string | undefined {
    return this.mesh?.provider.roomName;
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
    return this.link.whenLoaded();
  }

  /**
   * Presents `token` from now on (a renewed link, or another scope): reconnects to the relay with it, and joins or
   * leaves the mesh as it allows. Also after the relay refused the previous one.
   */
  setToken(token: string | undefined): void {
    if (this.isDestroyed) return;
    this.refused = false;
    this.link.setToken(token);
    this.announceUser(this.presentNow());
    this.replaceMesh();
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
    const role = this.link.status.access === 'view' ? VIEWER_ROLE : undefined;
    const current = (this.awareness.getLocalState() as { user?: AwarenessUser } | null)?.user;
    if (current?.name === this.user.name && current.color === colour && current.role === role) return false;
    const field: AwarenessUser = {
      name: this.user.name,
      color: colour,
      colorLight: selectionColour(colour),
      ...(role === undefined ? {} : { role }),
    };
    this.awareness.setLocalStateField('user', field);
    return true;
  }

  /** Closes the connection (telling peers that this user left), and releases the document and every timer. */
  override destroy(): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    this.provider.off('status', this.onProviderStatus);
    this.link.off('rotated', this.onRotated);
    this.link.off('permission-denied', this.onPermissionDenied);
    this.awareness.off('change', this.onAwarenessChange);
    this.saves.off('unsaved', this.onUnsaved);
    this.saves.destroy();
    this.store?.off('state', this.onLocalCopyState);
    // Starts the last write of the local copy, which reads the document before it is destroyed below.
    void this.store?.destroy();
    this.paths.off('change', this.onNetworkChange);
    this.paths.destroy();
    void this.leaveMesh();
    this.unfilterRelay();
    // The provider announces our departure over the still-open socket before closing it.
    this.link.destroy();
    this.awareness.destroy();
    this.doc.destroy();
    super.destroy();
  }

  private get provider(): RelayLink<SessionStatus>['provider'] {
    return this.link.provider;
  }

  /** Whether the session is in the mesh: the options and runtime allow it, and the token is not refused or view-only. */
  private meshNow(): MeshState {
    if (this.meshSetting !== 'on') return this.meshSetting;
    return this.mesh === undefined ? 'off' : 'on';
  }

  /** What the token allows in the mesh, or `undefined` when the session stays out of it. */
  private meshAccess(): MeshAccess | undefined {
    if (this.meshSetting !== 'on' || this.refused || this.isDestroyed) return undefined;
    const token = this.link.token;
    const claims = token === undefined ? undefined : parseAccessToken(token);
    // The relay never lets a view token signal: view sessions get everything through the relay.
    if (claims?.scope === 'view') return undefined;
    const editGeneration =
      claims?.scope === 'edit' ? (claims.gen ?? this.knownEditGeneration) : this.knownEditGeneration;
    return { token, editGeneration };
  }

  private joinMesh(): PeerMesh | undefined {
    const access = this.meshAccess();
    if (access === undefined) return undefined;
    const mesh = new PeerMesh(
      this.doc,
      this.awareness,
      peerMeshOptions(this.docId, this.relayUrl, this.meshOptions, access),
    );
    mesh.on('change', this.onNetworkChange);
    mesh.on('synced', this.onMeshSynced);
    return mesh;
  }

  /** Leaves the mesh; resolves once y-webrtc has closed its room. */
  private leaveMesh(): Promise<void> {
    const mesh = this.mesh;
    if (mesh === undefined) return Promise.resolve();
    this.mesh = undefined;
    mesh.off('change', this.onNetworkChange);
    mesh.off('synced', this.onMeshSynced);
    // Says goodbye to direct peers over the still-open data channels, then closes them.
    mesh.destroy();
    return mesh.whenDestroyed();
  }

  /** Leaves the mesh and joins the one the token allows now (none, the same room anew, or another generation's). */
  private replaceMesh(): void {
    const state = this.awareness.getLocalState();
    const left = this.leaveMesh();
    this.mesh = this.joinMesh();
    this.paths.setMesh(this.mesh);
    this.onNetworkChange();
    // Leaving removed this session's awareness state: it is still here, through the relay and the new mesh.
    void left.then(() => {
      if (this.isDestroyed || state === null || this.awareness.getLocalState() !== null) return;
      this.awareness.setLocalState(state);
      this.paths.refresh();
    });
  }

  private readonly onStatus = (status: SessionStatus): void => {
    if (!this.refused && accessDenialOf(status.relayClose) !== undefined) {
      // The token was refused (revoked, expired): direct peers must not keep getting this session's edits either.
      this.refused = true;
      if (this.mesh !== undefined) this.replaceMesh();
    }
    this.emit('status', [status]);
  };

  private readonly onRotated = (generations: CapabilityGenerations): void => {
    if (this.isDestroyed || !this.link.connected) return;
    this.knownEditGeneration = generations.edit;
    // A new mesh even when the room name stays: data channels to peers whose token was just revoked close.
    if (this.mesh !== undefined) this.replaceMesh();
    this.emit('rotated', [generations]);
  };

  private readonly onPermissionDenied = (reason: string): void => {
    this.emit('permission-denied', [reason]);
  };

  /** The relay link opened or closed, so the routes through it did too (the status tracker hears it first). */
  private readonly onProviderStatus = (): void => {
    this.paths.refresh();
    this.onNetworkChange();
  };

  private connectProvider(): void {
    if (!this.isDestroyed) this.link.connect();
  }

  private readonly onLocalCopyLoaded = ({ exists, unsaved }: { exists: boolean; unsaved: number }): void => {
    if (this.isDestroyed) return;
    this.saves.adopt(unsaved);
    if (exists) this.link.update({ loaded: true });
    this.connectProvider();
  };

  private readonly onLocalCopyState = (localCopy: LocalCopyState): void => {
    this.link.update({ localCopy });
  };

  private readonly onUnsaved = (unsaved: number): void => {
    this.store?.setUnsaved(unsaved);
    this.link.update({ unsaved });
  };

  private readonly onNetworkChange = (): void => {
    const next: NetworkStatus = {
      mesh: this.meshNow(),
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
    this.link.update({ loaded: true });
  };

  private readonly onAwarenessChange = (): void => {
    const present = this.presentNow();
    // A change of our own field runs this handler again, which emits the presence it leads to.
    if (this.announceUser(present)) return;
    this.currentPresence = present;
    this.emit('presence', [present]);
  };
}
