/** Default largest WebSocket message the relay accepts, in bytes (16 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Longest room name, in UTF-16 code units after percent-decoding. */
export const MAX_ROOM_NAME_LENGTH = 512;

/** Path prefix of the y-websocket compatible endpoint: clients use `ws://host:port/yjs` as serverUrl. */
export const SYNC_PATH = '/yjs';
