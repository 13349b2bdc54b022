import type { KeyValueStorage } from '@meshpad/client';
import { readDocAccess, sessionToken, unregisteredDocs, updateDocAccess, withTokens } from './doc-access.js';
import { createDoc } from './relay-api.js';

/**
 * What registering a document created here came to:
 * - `registered`: the relay made it; this browser keeps its owner, edit and view tokens;
 * - `taken`: someone registered the id first (409), so this browser carries on without owner rights;
 * - `refused`: the relay will not register it for this browser (it needs the operator's create token, or
 *   has no API); nothing will change by asking again;
 * - `later`: the relay could not be reached or was busy; the document stays marked and is registered later.
 */
export type RegistrationOutcome = 'registered' | 'taken' | 'refused' | 'later';

/**
 * Marks `docId` as created in this browser, to be registered with the relay (now, or once back online); in the
 * workspace room `parent` when given, whose tokens then open it too.
 */
export const markCreatedHere = (storage: KeyValueStorage, docId: string, parent?: string): void => {
  updateDocAccess(storage, docId, (access) => ({
    ...access,
    unregistered: true,
    ...(parent === undefined ? {} : { parent }),
  }));
};

const inFlight = new Map<string, Promise<RegistrationOutcome>>();

/**
 * Registers `docId` with the relay at `origin` if it was created here and is not registered yet (`POST /api/docs`
 * with its id, which a document created offline keeps). Concurrent calls for one id share one request.
 */
export const registerDoc = (storage: KeyValueStorage, origin: string, docId: string): Promise<RegistrationOutcome> => {
  const running = inFlight.get(docId);
  if (running !== undefined) return running;
  const done = register(storage, origin, docId).finally(() => inFlight.delete(docId));
  inFlight.set(docId, done);
  return done;
};

const register = async (storage: KeyValueStorage, origin: string, docId: string): Promise<RegistrationOutcome> => {
  const access = readDocAccess(storage, docId);
  if (access.unregistered !== true) return 'registered';
  // In a workspace, the workspace's edit (or owner) token is the permission to create it there.
  const parentToken = access.parent === undefined ? undefined : sessionToken(readDocAccess(storage, access.parent));
  const result = await createDoc(
    origin,
    docId,
    access.parent === undefined || parentToken === undefined ? undefined : { room: access.parent, token: parentToken },
  );
  const settle = (tokens = {}) =>
    updateDocAccess(storage, docId, (access) => {
      const { unregistered: _, ...rest } = withTokens(tokens)(access);
      return rest;
    });
  if (result.ok) {
    settle(result.value.tokens);
    return 'registered';
  }
  const { error } = result;
  if (error.code === 'unreachable') return 'later';
  const status = error.status;
  // Rate limited, or the relay (or a proxy in front of it) failing: the same request may succeed later.
  if (status === 429 || status >= 500) return 'later';
  settle();
  return status === 409 ? 'taken' : 'refused';
};

/** Registers every document created here that the relay has not registered yet, one after another. */
export const registerUnregisteredDocs = async (storage: KeyValueStorage, origin: string): Promise<void> => {
  for (const docId of unregisteredDocs(storage)) {
    if ((await registerDoc(storage, origin, docId)) === 'later') return;
  }
};
