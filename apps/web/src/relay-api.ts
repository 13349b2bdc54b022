import { ACCESS_SCOPES, type AccessScope, isAccessToken } from './link-fragment.js';

/**
 * A typed client for the relay's HTTP API (PROTOCOL.md, "HTTP API"). Every call answers a result rather than
 * throwing: the relay may be unreachable (offline), refuse (its `{ error }` text is kept), or answer something
 * this app does not understand (an older relay, a proxy's page).
 */

/** Why a call failed. */
export type RelayApiError =
  | { readonly code: 'unreachable'; readonly message: string }
  | { readonly code: 'refused'; readonly status: number; readonly message: string }
  | { readonly code: 'malformed'; readonly status: number; readonly message: string };

export type RelayApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: RelayApiError };

/** `GET /api/info`. */
export interface RelayInfo {
  /** `open`: a connection without a token may edit any document, so view links do not stop editing. */
  readonly auth: 'required' | 'open';
  readonly createNeedsToken: boolean;
}

/** `POST /api/docs`: the new document's tokens and the relay's links for them. */
export interface CreatedDoc {
  readonly id: string;
  readonly tokens: Readonly<Record<AccessScope, string>>;
}

/** `POST /api/docs/<id>/rotate` and `/tokens`: one token of a capability's current generation. */
export interface ScopedToken {
  readonly scope: AccessScope;
  readonly token: string;
  /** When it expires (ISO 8601), for tokens minted with an expiry. */
  readonly expiresAt?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

const isScope = (value: unknown): value is AccessScope => ACCESS_SCOPES.includes(value as AccessScope);

const docUrl = (origin: string, docId: string, action = '') =>
  `${origin}/api/docs${docId === '' ? '' : `/${encodeURIComponent(docId)}`}${action}`;

/** Sends one request and reads its JSON answer with `read`; refusals keep the relay's `error` text. */
const request = async <T>(
  url: string,
  init: { method: 'GET' | 'POST'; body?: Json; bearer?: string | undefined },
  expected: number,
  read: (body: Json) => T | undefined,
): Promise<RelayApiResult<T>> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.bearer !== undefined) headers.authorization = `Bearer ${init.bearer}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      cache: 'no-store',
    });
  } catch (cause) {
    return {
      ok: false,
      error: { code: 'unreachable', message: cause instanceof Error ? cause.message : String(cause) },
    };
  }
  const { status } = response;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (status !== expected) {
    const message = isObject(body) && typeof body.error === 'string' ? body.error : `HTTP ${status}`;
    return { ok: false, error: { code: 'refused', status, message } };
  }
  const value = isObject(body) ? read(body) : undefined;
  if (value === undefined) {
    return {
      ok: false,
      error: { code: 'malformed', status, message: `unexpected answer from ${new URL(url).pathname}` },
    };
  }
  return { ok: true, value };
};

const readScopedToken = (body: Json): ScopedToken | undefined => {
  if (!isScope(body.scope) || !isAccessToken(body.token)) return undefined;
  const token = { scope: body.scope, token: body.token };
  return typeof body.expiresAt === 'string' ? { ...token, expiresAt: body.expiresAt } : token;
};

/** The relay's access mode. */
export const fetchRelayInfo = (origin: string): Promise<RelayApiResult<RelayInfo>> =>
  request(`${origin}/api/info`, { method: 'GET' }, 200, (body) =>
    (body.auth === 'required' || body.auth === 'open') && typeof body.createNeedsToken === 'boolean'
      ? { auth: body.auth, createNeedsToken: body.createNeedsToken }
      : undefined,
  );

/** Registers document `docId`, answering its owner, edit and view tokens; refused with 409 when it exists. */
export const createDoc = (
  origin: string,
  docId: string,
  parent?: { readonly room: string; readonly token: string },
): Promise<RelayApiResult<CreatedDoc>> =>
  request(
    docUrl(origin, ''),
    parent === undefined
      ? { method: 'POST', body: { id: docId } }
      : { method: 'POST', body: { id: docId, parent: parent.room }, bearer: parent.token },
    201,
    (body) => {
      const tokens = body.tokens;
      if (body.id !== docId || !isObject(tokens)) return undefined;
      const { owner, edit, view } = tokens;
      return isAccessToken(owner) && isAccessToken(edit) && isAccessToken(view)
        ? { id: docId, tokens: { owner, edit, view } }
        : undefined;
    },
  );

/** Revokes every token of `scope` and answers the new one; needs the owner token. */
export const rotateCapability = (
  origin: string,
  docId: string,
  scope: AccessScope,
  ownerToken: string,
): Promise<RelayApiResult<ScopedToken>> =>
  request(docUrl(origin, docId, '/rotate'), { method: 'POST', body: { scope }, bearer: ownerToken }, 200, (body) => {
    const token = readScopedToken(body);
    return token?.scope === scope ? token : undefined;
  });

/** A token of `scope`'s current generation, expiring after `expiresIn` seconds if given; needs the owner token. */
export const mintToken = (
  origin: string,
  docId: string,
  scope: AccessScope,
  ownerToken: string,
  expiresIn?: number,
): Promise<RelayApiResult<ScopedToken>> =>
  request(
    docUrl(origin, docId, '/tokens'),
    { method: 'POST', body: expiresIn === undefined ? { scope } : { scope, expiresIn }, bearer: ownerToken },
    200,
    (body) => {
      const token = readScopedToken(body);
      return token?.scope === scope ? token : undefined;
    },
  );
