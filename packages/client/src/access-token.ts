/** What a token allows in its room, each scope including the one before it (PROTOCOL.md, "Access control"). */
export type AccessScope = 'view' | 'edit' | 'owner';

/** What a session may do: its token's scope, or `none` without a token (the relay is open, or will refuse). */
export type SessionAccess = AccessScope | 'none';

/** The claims of an access token that a UI needs. */
export interface AccessToken {
  /** The room (document or workspace id) it is for: the `sub` claim. */
  readonly room: string;
  readonly scope: AccessScope;
  /** The capability's generation when the relay minted it; a host's tokens have none. */
  readonly gen?: number;
  /** Expiry, seconds since the epoch. */
  readonly exp?: number;
}

const SCOPES: readonly string[] = ['view', 'edit', 'owner'] satisfies readonly AccessScope[];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const decodeBase64Url = (text: string): string | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
};

/**
 * The claims of a JWT access token, or `undefined` when it is not one with a room and a scope. The signature is not
 * checked: the relay checks it; this is for showing what a link allows.
 */
export const parseAccessToken = (token: string): AccessToken | undefined => {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const json = decodeBase64Url(parts[1] as string);
  if (json === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(claims) || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  if (typeof claims.scope !== 'string' || !SCOPES.includes(claims.scope)) return undefined;
  if (claims.gen !== undefined && !isCount(claims.gen)) return undefined;
  if (claims.exp !== undefined && typeof claims.exp !== 'number') return undefined;
  return {
    room: claims.sub,
    scope: claims.scope as AccessScope,
    ...(claims.gen === undefined ? {} : { gen: claims.gen }),
    ...(claims.exp === undefined ? {} : { exp: claims.exp }),
  };
};

/** The access a session holding `token` has. */
export const sessionAccess = (token: string | undefined): SessionAccess =>
  token === undefined ? 'none' : (parseAccessToken(token)?.scope ?? 'none');
