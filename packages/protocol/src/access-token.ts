import * as decoding from 'lib0/decoding';
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

/**
 * Why the relay refused a token: the reason of its 4401 or 4403 close frame (and of `/signal`'s HTTP
 * refusal), so an app can tell an invalid link from a revoked or an expired one (PROTOCOL.md, "Access control").
 */
export const AccessDenial = {
  TokenRequired: 'token required',
  InvalidToken: 'invalid token',
  OtherDocument: 'token for another document',
  NotAllowed: 'link does not allow this',
  Revoked: 'link revoked',
  Expired: 'link expired',
} as const;
export type AccessDenial = (typeof AccessDenial)[keyof typeof AccessDenial];

/**
 * Relay → client (type 102, sent only to clients that sent a save request): a capability of the room was rotated;
 * the body is the room's generations of view, edit and owner. A session still connected holds a current token, and
 * moves its peer-to-peer mesh to the new edit generation's topic, leaving revoked peers behind.
 */
export function encodeCapabilitiesRotated(generations: { view: number; edit: number; owner: number }): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.CapabilitiesRotated);
  encoding.writeVarUint(encoder, generations.view);
  encoding.writeVarUint(encoder, generations.edit);
  encoding.writeVarUint(encoder, generations.owner);
  return encoding.toUint8Array(encoder);
}

/** The generations of a `CapabilitiesRotated` frame, or undefined when the frame is not one. */
export function decodeCapabilitiesRotated(
  frame: Uint8Array,
): { view: number; edit: number; owner: number } | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.CapabilitiesRotated) return undefined;
    const view = decoding.readVarUint(decoder);
    const edit = decoding.readVarUint(decoder);
    const owner = decoding.readVarUint(decoder);
    return decoding.hasContent(decoder) ? undefined : { view, edit, owner };
  } catch {
    return undefined;
  }
}
