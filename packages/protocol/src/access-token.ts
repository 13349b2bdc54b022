import * as encoding from 'lib0/encoding';
import { MessageType } from './message-type.js';

/** The WebSocket subprotocol the relay selects when a client offers it (PROTOCOL.md, "Access control"). */
export const SUBPROTOCOL = 'meshpad';

/** Prefix of the subprotocol that carries a token in `Sec-WebSocket-Protocol`: `meshpad-token.<jwt>`. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'meshpad-token.';

/** The query-string parameter that carries a token on `/yjs` and `/signal` for clients that cannot set headers. */
export const TOKEN_QUERY_PARAMETER = 'token';

/**
 * The subprotocols a client offers to present `token` without putting it in the URL. The relay answers
 * with `meshpad`, so the token is never echoed back.
 */
export const tokenSubprotocols = (token: string): string[] => [SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];

/** The token among offered subprotocols, if one carries it. */
export function tokenFromSubprotocols(offered: Iterable<string>): string | undefined {
  for (const protocol of offered) {
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return undefined;
}

/** Sub-type of an `Auth` message that y-protocols defines: the permission was denied, with a reason. */
const PERMISSION_DENIED = 0;

/** y-protocols' permission-denied message (`[2, 0, reason]`); y-websocket logs the reason. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  encoding.writeVarUint(encoder, PERMISSION_DENIED);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}
