import { digest } from 'lib0/hash/sha256';

/**
 * Prefix of every Meshpad y-webrtc room. The room name is also the signaling topic and the BroadcastChannel name, so
 * the prefix keeps a document's mesh apart from other apps on the same signaling server and from y-websocket's
 * channels in the same browser.
 */
export const MESH_ROOM_PREFIX = 'meshpad:';

const FINGERPRINT_BYTES = 8;

/**
 * 64 bits of SHA-256 over the password, in hex. Peers with different passwords then meet in different rooms: in one
 * room, y-webrtc would fail to decrypt the others' signaling and reject a promise nobody handles. The fingerprint
 * lets whoever sees the topic test password guesses quickly, so passwords must be random keys (the web app makes
 * 128-bit ones), not words.
 */
const passwordFingerprint = (password: string): string =>
  Array.from(
    digest(new TextEncoder().encode(`meshpad room password:${password}`)).subarray(0, FINGERPRINT_BYTES),
    (b) => b.toString(16).padStart(2, '0'),
  ).join('');

/**
 * The y-webrtc room of a document: `meshpad:<docId>`, or `meshpad:<docId>:<fingerprint>` with a password. From edit
 * generation `g` > 0 on (after the edit capability was rotated), `-g<g>` ends the last segment (`meshpad:<docId>:g<g>`
 * without a password), so peers holding a revoked edit link never meet current ones: the relay serves a token only
 * `meshpad:<room>` and `meshpad:<room>:<one segment>`.
 */
export const meshRoomName = (docId: string, password?: string, editGeneration?: number): string => {
  if (editGeneration !== undefined && !(Number.isSafeInteger(editGeneration) && editGeneration >= 0)) {
    throw new RangeError(`Invalid edit generation ${editGeneration}: expected a non-negative integer`);
  }
  const generation = editGeneration ? `g${editGeneration}` : '';
  if (!password) return `${MESH_ROOM_PREFIX}${docId}${generation && `:${generation}`}`;
  return `${MESH_ROOM_PREFIX}${docId}:${passwordFingerprint(password)}${generation && `-${generation}`}`;
};
