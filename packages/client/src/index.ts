/**
 * @packageDocumentation
 * `@meshpad/client` is what a Meshpad editor talks to: a {@link DocSession} per open document (its `Y.Doc`, its local
 * copy in IndexedDB, the connection to the relay, how many changes the relay has not confirmed storing, and awareness of
 * who else is there), the local copies this browser holds, the user's identity in this browser, document ids, and the
 * claims of access tokens ({@link parseAccessToken}, {@link accessDenialOf}).
 *
 * ```ts
 * const identity = loadIdentity(localStorage);
 * const session = new DocSession({ docId: newDocId(), relayUrl: location.origin, user: identity });
 * session.on('status', (status) => render(status));
 * await session.whenSynced();
 * session.text.insert(0, 'Hello');
 * session.destroy();
 * ```
 */

export type { AccessScope, AccessToken, SessionAccess } from './access-token.js';
export { parseAccessToken } from './access-token.js';
export type { ConnectionState, ProviderSignal } from './connection-state.js';
export { CONNECTION_STATES, nextConnectionState } from './connection-state.js';
export { isDocId, newDocId } from './doc-id.js';
export type { DocSessionEvents, DocSessionOptions, SessionStatus, UserInfo } from './doc-session.js';
export { CONTENT_TEXT_NAME, DocSession } from './doc-session.js';
export type { Identity } from './identity.js';
export {
  DISPLAY_NAME_KEY,
  defaultDisplayName,
  loadIdentity,
  MAX_DISPLAY_NAME_LENGTH,
  normaliseDisplayName,
  saveDisplayName,
  USER_ID_KEY,
} from './identity.js';
export type { KeyValueStorage } from './key-value-storage.js';
export { createMemoryStorage } from './key-value-storage.js';
export type { LocalCopy } from './local-copies.js';
export { listLocalCopies, removeLocalCopy } from './local-copies.js';
export type { LocalDatabase } from './local-database.js';
export { LOCAL_DATABASE_NAME, openLocalDatabase } from './local-database.js';
export type { LocalStoreErrorCode } from './local-store-error.js';
export { LocalStoreError } from './local-store-error.js';
export type { MeshOptions, MeshState } from './mesh-options.js';
export { DEFAULT_MAX_DIRECT_PEERS, meshState } from './mesh-options.js';
export { MESH_ROOM_PREFIX, meshRoomName } from './mesh-room.js';
export type { NetworkStatus } from './network-status.js';
export { clientsByRoute } from './network-status.js';
export type {
  LoadedCopy,
  LocalCopyState,
  LocalCopyStatus,
  OfflineStoreEvents,
  OfflineStoreOptions,
} from './offline-store.js';
export { OfflineStore } from './offline-store.js';
export type { PeerMessageLimits } from './peer-message-filter.js';
export { DEFAULT_PEER_MESSAGE_LIMITS } from './peer-message-filter.js';
export type { HeardVia, LinkField, LocalLinks, PeerRoute } from './peer-routes.js';
export { isOnRelay, LINK_FIELD, PEER_ROUTES, peerRoute, readLinkField } from './peer-routes.js';
export type { AwarenessUser, Presence } from './presence.js';
export { ANONYMOUS_NAME, derivePresence, VIEWER_ROLE } from './presence.js';
export type { RelayClose } from './relay-close.js';
export { accessDenialOf, relayClose } from './relay-close.js';
export type { RelayAudience } from './relay-forwarding.js';
export { awarenessForRelay, updateNeedsRelay } from './relay-forwarding.js';
export type { CapabilityGenerations } from './relay-link.js';
export { relaySocketUrl, signalingSocketUrl, YJS_PATH } from './relay-url.js';
export type { SaveTrackerEvents } from './save-tracker.js';
export { SaveTracker } from './save-tracker.js';
export { SessionDestroyedError } from './session-destroyed-error.js';
export { colourForUser, USER_COLOURS } from './user-colour.js';
export { hasWebRtc } from './webrtc-support.js';
export type { TagPair, WorkspaceDocument } from './workspace-documents.js';
export {
  MAX_DOC_TITLE_LENGTH,
  MAX_TAG_LENGTH,
  MAX_WORKSPACE_NAME_LENGTH,
  normaliseDocTitle,
  normaliseTag,
  normaliseWorkspaceName,
} from './workspace-labels.js';
export type {
  WorkspaceProblem,
  WorkspaceSessionEvents,
  WorkspaceSessionOptions,
  WorkspaceStatus,
} from './workspace-session.js';
export { WORKSPACE_MAPS, WORKSPACE_ROOM_PREFIX, WorkspaceSession, workspaceRoomName } from './workspace-session.js';
