import type { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** What the forwarding rules need to know about the other clients in the document. */
export interface RelayAudience {
  /** Whether an update or awareness change with this origin came from the mesh. */
  isMeshOrigin(origin: unknown): boolean;
  /** Whether `clientId` is, or was until this change removed it, a client that does not send to the relay itself. */
  isOffRelay(clientId: number): boolean;
  /** The present remote clients that do not send their own changes to the relay. */
  clientsOffRelay(): ReadonlySet<number>;
}

/**
 * Whether a document update must go to the relay. Local changes always do. A change from the mesh goes only when one
 * of its authors is present and off the relay (a stock y-webrtc peer, or a session whose relay connection is down):
 * every other author sent it there itself, and the relay would otherwise store and forward one copy per peer. An
 * update with only deletions names no author, so it goes whenever anyone present is off the relay.
 */
export const updateNeedsRelay = (update: Uint8Array, origin: unknown, audience: RelayAudience): boolean => {
  if (!audience.isMeshOrigin(origin)) return true;
  const offRelay = audience.clientsOffRelay();
  if (offRelay.size === 0) return false;
  const authors = Y.parseUpdateMeta(update).to;
  if (authors.size === 0) return true;
  for (const client of authors.keys()) if (offRelay.has(client)) return true;
  return false;
};

/**
 * The changed awareness clients to tell the relay about: the local client always, clients that came from the mesh
 * when they are off the relay, and never a change the relay sent (y-websocket echoes those back by default, so each
 * cursor move would return to the relay once from every client).
 */
export const awarenessForRelay = (
  changed: readonly number[],
  origin: unknown,
  selfClientId: number,
  audience: RelayAudience,
): number[] => {
  const fromMesh = audience.isMeshOrigin(origin);
  return changed.filter((client) => client === selfClientId || (fromMesh && audience.isOffRelay(client)));
};

interface AwarenessChange {
  readonly added: number[];
  readonly updated: number[];
  readonly removed: number[];
}

/**
 * Puts the rules above between a y-websocket provider and the document and awareness it shares with the mesh, by
 * replacing the provider's own listeners (y-websocket 3.1 exposes them as `_updateHandler` and
 * `_awarenessUpdateHandler`). Returns a function that removes the filtered listeners; call it before destroying the
 * provider.
 */
export const filterRelayTraffic = (
  provider: WebsocketProvider,
  doc: Y.Doc,
  awareness: Awareness,
  audience: RelayAudience,
): (() => void) => {
  const sendUpdate = provider._updateHandler;
  const sendAwareness = provider._awarenessUpdateHandler;
  doc.off('update', sendUpdate);
  awareness.off('update', sendAwareness);
  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (updateNeedsRelay(update, origin, audience)) sendUpdate(update, origin);
  };
  const onAwareness = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    const keep = (clients: number[]) => awarenessForRelay(clients, origin, doc.clientID, audience);
    const change = { added: keep(added), updated: keep(updated), removed: keep(removed) };
    if (change.added.length + change.updated.length + change.removed.length > 0) sendAwareness(change, origin);
  };
  doc.on('update', onUpdate);
  awareness.on('update', onAwareness);
  return () => {
    doc.off('update', onUpdate);
    awareness.off('update', onAwareness);
  };
};
