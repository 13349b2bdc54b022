import * as sync from 'y-protocols/sync';

/** Top-level message types of the y-websocket protocol (first varUint of every frame). */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of a `Sync` message, as defined by y-protocols/sync. */
export const SyncMessageType = {
  Step1: sync.messageYjsSyncStep1,
  Step2: sync.messageYjsSyncStep2,
  Update: sync.messageYjsUpdate,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];
