import { ObservableV2 } from 'lib0/observable';
import type { Awareness } from 'y-protocols/awareness';
import type { PeerMesh } from './peer-mesh.js';
import {
  type HeardVia,
  isOnRelay,
  LINK_FIELD,
  type LinkField,
  type LocalLinks,
  type PeerRoute,
  peerRoute,
} from './peer-routes.js';
import type { RelayAudience } from './relay-forwarding.js';

export type ConnectionPathsEvents = {
  /** The route to at least one client changed. */
  change: (routes: ReadonlyMap<number, PeerRoute>) => void;
};

/** What the paths read from the mesh ({@link PeerMesh} is one). */
export type MeshView = Pick<PeerMesh, 'peerId' | 'isMeshOrigin' | 'directPeerIds' | 'tabPeerIds' | 'on' | 'off'>;

interface AwarenessChange {
  readonly added: number[];
  readonly updated: number[];
  readonly removed: number[];
}

const sameRoutes = (a: ReadonlyMap<number, PeerRoute>, b: ReadonlyMap<number, PeerRoute>): boolean =>
  a.size === b.size && [...a].every(([client, route]) => b.get(client) === route);

/**
 * Knows how each other client reaches this session, and announces what others need to know about it (its peer id,
 * whether it is on the relay) in its awareness {@link LinkField}. It is also the {@link RelayAudience} that decides
 * which changes from the mesh still have to be sent to the relay.
 */
export class ConnectionPaths extends ObservableV2<ConnectionPathsEvents> implements RelayAudience {
  private readonly heardVia = new Map<number, HeardVia>();
  private readonly offRelay = new Set<number>();
  /** Clients removed by the last awareness change: {@link isOffRelay} still answers for them until the next one. */
  private departed: number[] = [];
  private currentRoutes: ReadonlyMap<number, PeerRoute> = new Map();
  private announced: LinkField | undefined;

  /**
   * Listen to `awareness` before anything that asks {@link isOffRelay} about the same change does: this has to see it
   * first.
   */
  constructor(
    private readonly awareness: Awareness,
    private readonly relayOrigin: unknown,
    private mesh: MeshView | undefined,
    private readonly relayConnected: () => boolean,
  ) {
    super();
    awareness.on('update', this.onAwarenessUpdate);
    mesh?.on('change', this.refresh);
  }

  /** How each other client present in awareness reaches this session. */
  get routes(): ReadonlyMap<number, PeerRoute> {
    return this.currentRoutes;
  }

  isMeshOrigin(origin: unknown): boolean {
    return this.mesh?.isMeshOrigin(origin) ?? false;
  }

  isOffRelay(clientId: number): boolean {
    return this.offRelay.has(clientId);
  }

  clientsOffRelay(): ReadonlySet<number> {
    return this.offRelay;
  }

  /** Announces the local links and recomputes every route; call it when the relay connection opens or closes. */
  readonly refresh = (): void => {
    this.announce();
    this.recompute();
  };

  /** Follows `mesh` instead of the mesh this session left (or none), and recomputes every route. */
  setMesh(mesh: MeshView | undefined): void {
    this.mesh?.off('change', this.refresh);
    this.mesh = mesh;
    mesh?.on('change', this.refresh);
    this.refresh();
  }

  override destroy(): void {
    this.awareness.off('update', this.onAwarenessUpdate);
    this.mesh?.off('change', this.refresh);
    super.destroy();
  }

  private recompute(): void {
    const local: LocalLinks = {
      relayConnected: this.relayConnected(),
      meshOn: this.mesh !== undefined,
      directPeerIds: this.mesh?.directPeerIds() ?? new Set(),
      tabPeerIds: this.mesh?.tabPeerIds() ?? new Set(),
    };
    const routes = new Map<number, PeerRoute>();
    for (const [client, state] of this.awareness.getStates()) {
      if (client !== this.awareness.clientID) routes.set(client, peerRoute(state, this.heardVia.get(client), local));
    }
    if (sameRoutes(routes, this.currentRoutes)) return;
    this.currentRoutes = routes;
    this.emit('change', [routes]);
  }

  private announce(): void {
    if (this.awareness.getLocalState() === null) return;
    const link: LinkField = { peerId: this.mesh?.peerId ?? '', relay: this.relayConnected() };
    if (this.announced?.peerId === link.peerId && this.announced.relay === link.relay) return;
    this.announced = link;
    this.awareness.setLocalStateField(LINK_FIELD, link);
  }

  private readonly onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    for (const client of this.departed) {
      this.offRelay.delete(client);
      this.heardVia.delete(client);
    }
    this.departed = removed.filter((client) => client !== this.awareness.clientID);
    const via: HeardVia | undefined =
      origin === this.relayOrigin ? 'relay' : this.isMeshOrigin(origin) ? 'mesh' : undefined;
    for (const client of [...added, ...updated]) {
      if (client === this.awareness.clientID) continue;
      if (via !== undefined) this.heardVia.set(client, via);
      const state = this.awareness.getStates().get(client);
      if (isOnRelay(state, this.heardVia.get(client))) this.offRelay.delete(client);
      else this.offRelay.add(client);
    }
    // Only recompute: announcing here would emit a nested awareness update before the others saw this one.
    this.recompute();
  };
}
