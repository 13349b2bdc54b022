import { AccessDenial, CloseCode, type CloseCodeName, closeCodeName, isPermanentClose } from '@meshpad/protocol';

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

const DENIALS: ReadonlySet<string> = new Set(Object.values(AccessDenial));

/**
 * Why the relay refused this session's token, when `close` is such a refusal (4401 or 4403 with a reason of
 * `AccessDenial`): an app tells an invalid link from a revoked or an expired one by it.
 */
export const accessDenialOf = (close: RelayClose | undefined): AccessDenial | undefined => {
  if (close === undefined) return undefined;
  if (close.code !== CloseCode.Unauthorized.code && close.code !== CloseCode.Forbidden.code) return undefined;
  return DENIALS.has(close.reason) ? (close.reason as AccessDenial) : undefined;
};
