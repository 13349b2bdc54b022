import { type CloseCodeName, closeCodeName, isPermanentClose } from '@meshpad/protocol';

/** How the relay closed a session's connection, as its close frame said. */
export interface RelayClose {
  /** The WebSocket close code: one of `CloseCode` in `@meshpad/protocol`, or 1006 when the connection dropped. */
  readonly code: number;
  /** The reason the relay gave ('' for none). */
  readonly reason: string;
  /** The code's name in `CloseCode`; undefined for codes the relay does not send (1006). */
  readonly name: CloseCodeName | undefined;
  /**
   * The relay refused for good (4400–4499): the session stopped reconnecting, so edits from now on stay in this
   * browser until the page is reloaded. Otherwise the session reconnects with backoff and resends what is missing.
   */
  readonly permanent: boolean;
}

/** The {@link RelayClose} for a close frame's code and reason. */
export const relayClose = (code: number, reason: string): RelayClose => ({
  code,
  reason,
  name: closeCodeName(code),
  permanent: isPermanentClose(code),
});
