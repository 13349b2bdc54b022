import * as sync from 'y-protocols/sync';

/**
 * Top-level message types (first varUint of every frame): y-websocket's 0–3, and Meshpad's own from
 * 100 on, which the relay sends only to clients that asked for them, so stock clients never see one.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Client → relay: "tell me when everything I sent before this is stored", with a sequence number. */
  SaveRequest: 100,
  /** Relay → client: everything the client sent before its save request `seq` is durably stored. */
  Saved: 101,
  /** Relay → client: a capability of the room was rotated, with the room's new generations. */
  CapabilitiesRotated: 102,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of a `Sync` message, as defined by y-protocols/sync. */
export const SyncMessageType = {
  Step1: sync.messageYjsSyncStep1,
  Step2: sync.messageYjsSyncStep2,
  Update: sync.messageYjsUpdate,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];
