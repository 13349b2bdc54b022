import { normaliseDisplayName } from './identity.js';
import { colourForUser, isHexColour } from './user-colour.js';

/** Name shown for a peer that announced no usable name. */
export const ANONYMOUS_NAME = 'Anonymous';

/** One person (one open editor) in a document, as shown in the presence list. */
export interface Presence {
  /** The Yjs client id of that editor. */
  readonly clientId: number;
  readonly name: string;
  /** A `#rrggbb` colour. */
  readonly colour: string;
  /** Whether this entry is the local session. */
  readonly isSelf: boolean;
  /** Whether that editor has a cursor in the text (its editor has focus). */
  readonly hasCursor: boolean;
  /** Whether that session only views the document (it announced the role {@link VIEWER_ROLE}). */
  readonly viewer: boolean;
}

/** The `role` a session holding a view token announces in its awareness `user` field. */
export const VIEWER_ROLE = 'viewer';

/** The awareness field Meshpad (and y-codemirror.next) use for the user's name and colour. */
export interface AwarenessUser {
  readonly name: string;
  readonly color: string;
  readonly colorLight: string;
  /** {@link VIEWER_ROLE} for a session that can only view; absent for editors. */
  readonly role?: typeof VIEWER_ROLE;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const toPresence = (clientId: number, state: unknown, selfClientId: number): Presence => {
  const user = isRecord(state) && isRecord(state.user) ? state.user : {};
  const name = typeof user.name === 'string' ? normaliseDisplayName(user.name) : '';
  return {
    clientId,
    name: name || ANONYMOUS_NAME,
    colour: isHexColour(user.color) ? user.color : colourForUser(String(clientId)),
    isSelf: clientId === selfClientId,
    hasCursor: isRecord(state) && isRecord(state.cursor),
    viewer: user.role === VIEWER_ROLE,
  };
};

/**
 * Turns awareness states into the presence list: the local session first, then everyone else by name.
 * Remote states come from untrusted peers, so names are normalised, only `#rrggbb` colours are kept, and only the
 * exact role {@link VIEWER_ROLE} marks a viewer.
 */
export const derivePresence = (states: ReadonlyMap<number, unknown>, selfClientId: number): Presence[] =>
  Array.from(states, ([clientId, state]) => toPresence(clientId, state, selfClientId)).sort(
    (a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name) || a.clientId - b.clientId,
  );
