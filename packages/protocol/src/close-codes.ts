/** A WebSocket close code with the short reason sent in the close frame. */
export interface CloseCodeInfo {
  readonly code: number;
  readonly reason: string;
}

/**
 * Every close code the relay sends. Codes below 4000 are the standard ones (RFC 6455); 4000–4999 are
 * Meshpad's own. Each is documented in ERRORS.md; a test fails when one is missing there.
 */
export const CloseCode = {
  /** The relay is shutting down or restarting; reconnect later. */
  GoingAway: { code: 1001, reason: 'Going away' },
  /** A text frame arrived; the protocol is binary only. */
  UnsupportedData: { code: 1003, reason: 'Binary frames only' },
  /** A frame exceeded the relay's maximum message size. */
  MessageTooBig: { code: 1009, reason: 'Message too big' },
  /** An unexpected relay fault while handling this connection. */
  InternalError: { code: 1011, reason: 'Internal error' },
  /** A frame could not be decoded (truncated, trailing bytes, bad varint). */
  MalformedMessage: { code: 4400, reason: 'Malformed message' },
  /** A frame's message type is not one the relay knows. */
  UnknownMessageType: { code: 4401, reason: 'Unknown message type' },
  /** A sync message carried a Yjs update or state vector that does not decode. */
  InvalidUpdate: { code: 4402, reason: 'Invalid Yjs update' },
  /** An awareness message did not decode or carried a state that is not JSON. */
  InvalidAwareness: { code: 4403, reason: 'Invalid awareness update' },
  /** The room name in the URL is empty, too long, or not valid UTF-8 percent-encoding. */
  InvalidRoomName: { code: 4404, reason: 'Invalid room name' },
  /** A signaling connection subscribed to more topics than allowed. */
  TooManyTopics: { code: 4413, reason: 'Too many topics' },
  /** A connection sent messages faster than allowed for longer than the burst allowance. */
  RateLimited: { code: 4429, reason: 'Too many messages' },
  /** The document could not be read from or written to storage; reconnect later. */
  StorageUnavailable: { code: 4503, reason: 'Storage unavailable' },
} as const satisfies Record<string, CloseCodeInfo>;

export type CloseCodeName = keyof typeof CloseCode;

/** Looks up the name of a close code number, if it is one of Meshpad's. */
export function closeCodeName(code: number): CloseCodeName | undefined {
  for (const [name, info] of Object.entries(CloseCode)) {
    if (info.code === code) return name as CloseCodeName;
  }
  return undefined;
}
