import { WORKSPACE_ROOM_PREFIX } from '@meshpad/client';
/**
 * The `#` fragment of a document link: `/d/<id>#key=…&edit=…`. Browsers never send a fragment to a server, so
 * neither the room key nor the access tokens in it reach the relay's logs or a proxy through the address.
 */

/** A capability a token grants on a document; each allows what the one before it does (PROTOCOL.md). */
export type AccessScope = 'view' | 'edit' | 'owner';

/** The scopes, strongest first. */
export const ACCESS_SCOPES: readonly AccessScope[] = ['owner', 'edit', 'view'];

/** What a link's fragment carries; any subset. */
export interface LinkFragment {
  /** The room key: the password of the document's peer-to-peer mesh. */
  readonly key?: string;
  readonly owner?: string;
  readonly edit?: string;
  readonly view?: string;
}

/** Name of the fragment parameter that carries the room key. */
export const ROOM_KEY_PARAM = 'key';

const KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** A compact JWS: three base64url parts. The relay refuses tokens longer than 4,096 characters unread. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 4096;

/** Whether `value` has the shape of an access token (its signature is the relay's business). */
export const isAccessToken = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_TOKEN_LENGTH && TOKEN_PATTERN.test(value);

const paramsOf = (hash: string) => new URLSearchParams(hash.replace(/^#/, ''));

/** The room key and tokens of a fragment (`#key=…&edit=…` or without `#`); malformed values are left out. */
export const parseLinkFragment = (hash: string): LinkFragment => {
  const params = paramsOf(hash);
  const fragment: { -readonly [K in keyof LinkFragment]: string } = {};
  const key = params.get(ROOM_KEY_PARAM);
  if (key !== null && KEY_PATTERN.test(key)) fragment.key = key;
  for (const scope of ACCESS_SCOPES) {
    const token = params.get(scope);
    if (isAccessToken(token)) fragment[scope] = token;
  }
  return fragment;
};

/** The fragment for `fragment`, key first, then tokens strongest first; '' when it carries nothing. */
export const formatLinkFragment = (fragment: LinkFragment): string => {
  const parts = [ROOM_KEY_PARAM, ...ACCESS_SCOPES].flatMap((name) => {
    const value = fragment[name as keyof LinkFragment];
    return value === undefined ? [] : [`${name}=${value}`];
  });
  return parts.length === 0 ? '' : `#${parts.join('&')}`;
};

/**
 * `hash` with each parameter of `changes` set, or removed where its value is undefined; parameters not named are
 * kept as they are.
 */
export const updateLinkFragment = (hash: string, changes: Partial<Record<keyof LinkFragment, string | undefined>>) => {
  const params = paramsOf(hash);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  const text = params.toString();
  return text === '' ? '' : `#${text}`;
};

/** `hash` without its tokens, for the address bar: the room key and anything else stay. */
export const withoutTokens = (hash: string): string =>
  updateLinkFragment(hash, { owner: undefined, edit: undefined, view: undefined });

/** The link that opens document `docId` at `origin` with the room key (when there is one) and one token. */
export const documentLink = (
  origin: string,
  docId: string,
  access: { readonly key?: string | undefined; readonly scope: AccessScope; readonly token: string },
): string =>
  `${origin}${docId.startsWith(WORKSPACE_ROOM_PREFIX) ? `/w/${encodeURIComponent(docId.slice(WORKSPACE_ROOM_PREFIX.length))}` : `/d/${encodeURIComponent(docId)}`}${formatLinkFragment(
    {
      ...(access.key === undefined ? {} : { key: access.key }),
      [access.scope]: access.token,
    },
  )}`;
