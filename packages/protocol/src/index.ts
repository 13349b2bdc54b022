/**
 * @packageDocumentation
 * Meshpad's wire protocol: the y-websocket message framing (sync steps, updates, awareness,
 * query-awareness), result-returning decoders for untrusted frames, the close codes the relay sends,
 * and the limits it enforces. `PROTOCOL.md` describes the bytes; `ERRORS.md` every close code.
 */

export {
  AccessDenial,
  decodeCapabilitiesRotated,
  encodeCapabilitiesRotated,
  encodePermissionDenied,
  SUBPROTOCOL,
  TOKEN_QUERY_PARAMETER,
  TOKEN_SUBPROTOCOL_PREFIX,
  tokenFromSubprotocols,
  tokenSubprotocols,
} from './access-token.js';
export {
  type Admission,
  admitUpdate,
  type ClaimedBy,
  commitAdmission,
  consultedClients,
  type DecodedUpdate,
  neverIntegrates,
  writesOneClient,
} from './admit-update.js';
export { type AwarenessEntry, decodeAwarenessUpdate, encodeAwarenessUpdate, isRemoval } from './awareness-update.js';
export { type ClientMessage, decodeClientMessage, type MessageError, peekLargeUpdate } from './client-message.js';
export {
  type CloseClass,
  CloseCode,
  type CloseCodeInfo,
  type CloseCodeName,
  closeCodeName,
  isPermanentClose,
} from './close-codes.js';
export { countUpdateStructs, type StructCount } from './count-structs.js';
export { DocIndex, type DocIndexSnapshot } from './doc-index.js';
export {
  DEFAULT_AWARENESS_LIMITS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_UPDATE_LIMITS,
  MAX_ROOM_NAME_LENGTH,
  MAX_SIGNALING_DEPTH,
  MAX_SIGNALING_MESSAGE_BYTES,
  MAX_SIGNALING_TOPIC_LENGTH,
  MAX_SIGNALING_TOPICS,
  SIGNALING_PATH,
  SIGNALING_PING_INTERVAL_MS,
  SIGNALING_RATE,
  SYNC_PATH,
  type UpdateLimits,
} from './limits.js';
export { mergeUpdates } from './merge-updates.js';
export { MessageType, SyncMessageType } from './message-type.js';
export { err, ok, type Result } from './result.js';
export { parseRoomName } from './room-name.js';
export { type QuarantinedUpdate, type ScreenedUpdates, screenUpdates } from './screen-updates.js';
export {
  decodeSaved,
  encodeAwarenessMessage,
  encodeQueryAwareness,
  encodeSaved,
  encodeSaveRequest,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from './server-message.js';
export { decodeSignalingMessage, type SignalingMessage } from './signaling-message.js';
export { type DeletedRange, encodeUpdateParts, type StructRun } from './update-parts.js';
export { checkStateVector, countWithinLimits, decodeYjsUpdate } from './yjs-payload.js';
