/**
 * Default largest WebSocket message the relay accepts, in bytes (4 MiB): a pasted book is well under it,
 * and it bounds the work one message can ask of the relay.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Longest room name, in UTF-16 code units after percent-decoding. */
export const MAX_ROOM_NAME_LENGTH = 512;

/** Path prefix of the y-websocket compatible endpoint: clients use `ws://host:port/yjs` as serverUrl. */
export const SYNC_PATH = '/yjs';

/** Path of the y-webrtc compatible signaling endpoint: clients use `ws://host:port/signal`. */
export const SIGNALING_PATH = '/signal';

/** Largest signaling message, in bytes (SDP offers with many candidates stay far below). */
export const MAX_SIGNALING_MESSAGE_BYTES = 64 * 1024;

/** Longest signaling topic (a y-webrtc room name). */
export const MAX_SIGNALING_TOPIC_LENGTH = 512;

/**
 * Deepest nesting of arrays and objects in a signaling message. y-webrtc's messages nest four or five
 * levels; the relay re-encodes what it forwards, and `JSON.stringify` runs out of stack a few thousand
 * levels down, while a 64 KiB message can nest 32,000.
 */
export const MAX_SIGNALING_DEPTH = 32;

/** Topics one signaling connection may subscribe to at once. */
export const MAX_SIGNALING_TOPICS = 100;

/** Sustained signaling messages per second per connection, and the burst allowed above it. */
export const SIGNALING_RATE = { perSecond: 50, burst: 200 } as const;

/** Interval of WebSocket pings on signaling connections; a peer that misses one is dropped. */
export const SIGNALING_PING_INTERVAL_MS = 30_000;

/** Bounds on one Yjs update, checked by walking its bytes before it is decoded. */
export interface UpdateLimits {
  /** Client runs in one update: a struct bomb names one client per struct to defeat merging. */
  readonly maxClientsPerUpdate: number;
  readonly maxStructsPerUpdate: number;
}

/**
 * Far above what honest clients send while editing (a typed run is one struct, a paste one, an afternoon
 * offline a few thousand), high enough for a years-old document's whole state sent at once (every page
 * load is a new client id), and low enough that decoding one update takes well under 100 ms.
 */
export const DEFAULT_UPDATE_LIMITS: UpdateLimits = { maxClientsPerUpdate: 10_000, maxStructsPerUpdate: 100_000 };

/**
 * Default bounds on awareness (presence) entries, per relay connection. A connection owns the client ids it announced
 * first; see PROTOCOL.md "Awareness ownership".
 */
export const DEFAULT_AWARENESS_LIMITS = {
  /** Client ids one connection may own: its own, plus the mesh peers a Meshpad session forwards for. */
  clientsPerConnection: 8,
  /** Longest state, in UTF-8 bytes of JSON text; a Meshpad state (name, colours, cursor, links) stays under 500. */
  stateBytes: 4096,
  /** Entries of one awareness message the relay looks at; the rest are ignored. */
  entriesPerMessage: 64,
  /** Silence after which an owner loses a client id: y-protocols renews every 15 s and drops a state after 30 s. */
  ownerTimeoutMs: 30_000,
} as const;
