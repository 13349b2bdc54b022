import { isDocId, type KeyValueStorage, parseAccessToken, WORKSPACE_ROOM_PREFIX } from '@meshpad/client';
import { ACCESS_SCOPES, type AccessScope, isAccessToken, parseLinkFragment, withoutTokens } from './link-fragment.js';

/**
 * Whether `id` names something links give access to: a document id, or a workspace's room (`workspace/<id>`), whose
 * tokens also open the documents made in it.
 */
export const isAccessId = (id: string): boolean =>
  isDocId(id) || (id.startsWith(WORKSPACE_ROOM_PREFIX) && isDocId(id.slice(WORKSPACE_ROOM_PREFIX.length)));

/** Storage key of the access this browser holds, per document id (or workspace room). */
export const DOC_ACCESS_KEY = 'meshpad.doc-access';

/** The tokens this browser holds for one document, and whether the relay has yet to hear that it created it. */
export interface DocAccess {
  readonly owner?: string;
  readonly edit?: string;
  readonly view?: string;
  /** Created in this browser and not yet registered with the relay (`POST /api/docs`), e.g. while offline. */
  readonly unregistered?: true;
  /** The workspace room it was created in (`workspace/<id>`), whose tokens open it too once registered there. */
  readonly parent?: string;
}

type DocAccessMap = Readonly<Record<string, DocAccess>>;

/** The entry with only well-formed tokens; the storage is shared with whatever else runs on the origin. */
const tidyAccess = (value: unknown): DocAccess => {
  if (typeof value !== 'object' || value === null) return {};
  const entry = value as Record<string, unknown>;
  const access: { -readonly [K in keyof DocAccess]: DocAccess[K] } = {};
  for (const scope of ACCESS_SCOPES) {
    const token = entry[scope];
    if (isAccessToken(token)) access[scope] = token;
  }
  if (entry.unregistered === true) access.unregistered = true;
  if (typeof entry.parent === 'string' && isAccessId(entry.parent)) access.parent = entry.parent;
  return access;
};

const readAll = (storage: KeyValueStorage): DocAccessMap => {
  const raw = storage.getItem(DOC_ACCESS_KEY);
  if (raw === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  // Only document ids as keys, so none is `__proto__`.
  return Object.fromEntries(
    Object.entries(parsed)
      .filter(([id]) => isAccessId(id))
      .map(([id, value]) => [id, tidyAccess(value)]),
  );
};

/** What this browser holds for `docId`: `{}` when nothing. */
export const readDocAccess = (storage: KeyValueStorage, docId: string): DocAccess =>
  (isAccessId(docId) ? readAll(storage)[docId] : undefined) ?? {};

/**
 * Applies `change` to what is held for `docId`, stores the result and returns it; an empty entry is dropped. Throws
 * a `RangeError` for an id that is not a document id.
 */
export const updateDocAccess = (
  storage: KeyValueStorage,
  docId: string,
  change: (access: DocAccess) => DocAccess,
): DocAccess => {
  if (!isAccessId(docId)) throw new RangeError(`Not a document id or workspace room: ${JSON.stringify(docId)}`);
  const all = { ...readAll(storage) };
  const next = tidyAccess(change(all[docId] ?? {}));
  if (Object.keys(next).length === 0) delete all[docId];
  else all[docId] = next;
  storage.setItem(DOC_ACCESS_KEY, JSON.stringify(all));
  return next;
};

/** Keeps `tokens` (e.g. from a link just opened) beside what is held already; a new token replaces its scope's. */
export const withTokens =
  (tokens: Partial<Record<AccessScope, string>>) =>
  (access: DocAccess): DocAccess => ({ ...access, ...tokens });

/**
 * Keeps the tokens of a link's fragment (`location.hash`) for `docId`, beside those held already. Answers the
 * fragment to put in the address bar instead, without them (the room key stays), or undefined when it had none.
 */
export const adoptLinkTokens = (storage: KeyValueStorage, docId: string, hash: string): string | undefined => {
  const { key: _, ...tokens } = parseLinkFragment(hash);
  if (Object.keys(tokens).length === 0) return undefined;
  updateDocAccess(storage, docId, withTokens(tokens));
  return withoutTokens(hash);
};

/** The documents created here that the relay has not registered yet. */
export const unregisteredDocs = (storage: KeyValueStorage): string[] =>
  Object.entries(readAll(storage))
    .filter(([, access]) => access.unregistered === true)
    .map(([id]) => id);

/** The strongest scope held, or undefined for none. */
export const strongestScope = (access: DocAccess): AccessScope | undefined =>
  ACCESS_SCOPES.find((scope) => access[scope] !== undefined);

/**
 * The token a session presents to the relay: the strongest held. The owner token comes first because rotating the
 * edit link (perhaps by another of the owner's browsers) leaves an older edit token here revoked.
 */
export const sessionToken = (access: DocAccess): string | undefined => {
  const scope = strongestScope(access);
  return scope === undefined ? undefined : access[scope];
};

/**
 * The generation of the edit link this browser holds, for an owner's session: it joins that link's mesh, where the
 * editors holding it are. Undefined without an edit token or a readable `gen`.
 */
export const editGenerationOf = (access: DocAccess): number | undefined =>
  access.edit === undefined ? undefined : parseAccessToken(access.edit)?.gen;
