/**
 * What a client should do after a close: `permanent` closes (4400–4499) mean the same request will
 * fail again, and y-websocket 3 stops reconnecting on them and emits `closed`; `transient` ones (the
 * standard codes and 4500–4599) mean "try again later", and clients reconnect with backoff and resend
 * whatever the relay did not store.
 */
export type CloseClass = 'permanent' | 'transient';

/** A WebSocket close code with the short reason sent in the close frame. */
export interface CloseCodeInfo {
  readonly code: number;
  readonly reason: string;
  readonly class: CloseClass;
}

/**
 * Every close code the relay sends. Codes below 4000 are the standard ones (RFC 6455); 4000–4999 are
 * Meshpad's own, 44xx permanent and 45xx transient, numbered after the HTTP status they resemble. Each
 * is documented in ERRORS.md; a test fails when one is missing there or sits in the wrong range.
 */
export const CloseCode = {
  /** The relay is shutting down or restarting; reconnect later. */
  GoingAway: { code: 1001, reason: 'Going away', class: 'transient' },
  /** A frame exceeded the relay's maximum message size (sent by the WebSocket library itself). */
  MessageTooBig: { code: 1009, reason: 'Message too big', class: 'transient' },
  /** An unexpected relay fault while handling this connection. */
  InternalError: { code: 1011, reason: 'Internal error', class: 'transient' },
  /** A frame could not be decoded (truncated, trailing bytes, bad varint). */
  MalformedMessage: { code: 4400, reason: 'Malformed message', class: 'permanent' },
  /** Reserved for access control: no valid token was presented. */
  Unauthorized: { code: 4401, reason: 'Unauthorized', class: 'permanent' },
  /** A sync message carried a Yjs update or state vector that does not decode or can never integrate. */
  InvalidUpdate: { code: 4402, reason: 'Invalid Yjs update', class: 'permanent' },
  /**
   * A browser page of an origin the relay does not allow, or a request for a host name a loopback-bound
   * relay does not answer (DNS rebinding); later also access control: the token does not grant this.
   */
  Forbidden: { code: 4403, reason: 'Forbidden', class: 'permanent' },
  /** The room name in the URL is empty, too long, or not valid UTF-8 percent-encoding. */
  InvalidRoomName: { code: 4404, reason: 'Invalid room name', class: 'permanent' },
  /** A frame's message type is not one the relay knows. */
  UnknownMessageType: { code: 4405, reason: 'Unknown message type', class: 'permanent' },
  /** An awareness message did not decode or carried a state that is not JSON. */
  InvalidAwareness: { code: 4406, reason: 'Invalid awareness update', class: 'permanent' },
  /** A signaling connection subscribed to more topics than allowed. */
  TooManyTopics: { code: 4413, reason: 'Too many topics', class: 'permanent' },
  /** A text frame arrived on the binary sync protocol. */
  UnsupportedData: { code: 4415, reason: 'Binary frames only', class: 'permanent' },
  /** The document could not be read from or written to storage; reconnect later. */
  StorageUnavailable: { code: 4503, reason: 'Storage unavailable', class: 'transient' },
  /** The relay's disk is nearly full, so it stores nothing more until space is freed. */
  DiskFull: { code: 4507, reason: 'Relay disk full', class: 'transient' },
  /** The connection left more unread data on the relay than allowed. */
  SlowReader: { code: 4508, reason: 'Not reading fast enough', class: 'transient' },
  /** Updates waiting for what they depend on exceeded their bound. */
  TooManyHeldUpdates: { code: 4509, reason: 'Too many held updates', class: 'transient' },
  /** Storing the update would take the document over its size limit. */
  DocumentTooLarge: { code: 4513, reason: 'Document over its size limit', class: 'transient' },
  /** A connection sent messages, bytes or structs faster than allowed. */
  RateLimited: { code: 4529, reason: 'Too many messages', class: 'transient' },
  /** Too many connections from one address at once. */
  TooManyConnections: { code: 4530, reason: 'Too many connections', class: 'transient' },
} as const satisfies Record<string, CloseCodeInfo>;

export type CloseCodeName = keyof typeof CloseCode;

/** Looks up the name of a close code number, if it is one of Meshpad's. */
export function closeCodeName(code: number): CloseCodeName | undefined {
  for (const [name, info] of Object.entries(CloseCode)) {
    if (info.code === code) return name as CloseCodeName;
  }
  return undefined;
}

/** Whether a client closed with `code` should stop reconnecting (y-websocket 3's rule, 4400–4499). */
export const isPermanentClose = (code: number): boolean => code >= 4400 && code < 4500;
