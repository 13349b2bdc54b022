import { toBase64Url } from './doc-id.js';
import type { KeyValueStorage } from './key-value-storage.js';
import { colourForUser } from './user-colour.js';

/** Storage key of the persistent random user id. */
export const USER_ID_KEY = 'meshpad.user-id';

/** Storage key of the display name the user chose. */
export const DISPLAY_NAME_KEY = 'meshpad.display-name';

/** Longest display name kept, in characters (code points). */
export const MAX_DISPLAY_NAME_LENGTH = 40;

const USER_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

// 16 × 32 default names: with 16 names, two of five people shared one half of the time; with 512, about 2 %.
const ADJECTIVES = [
  'Amber',
  'Brave',
  'Calm',
  'Coral',
  'Eager',
  'Gentle',
  'Golden',
  'Jolly',
  'Lucky',
  'Misty',
  'Nimble',
  'Quiet',
  'Rapid',
  'Silver',
  'Sunny',
  'Witty',
];

const ANIMALS = [
  'Otter',
  'Heron',
  'Lynx',
  'Badger',
  'Falcon',
  'Marten',
  'Ibex',
  'Puffin',
  'Gecko',
  'Narwhal',
  'Tapir',
  'Wombat',
  'Kestrel',
  'Axolotl',
  'Quokka',
  'Pangolin',
  'Beaver',
  'Bison',
  'Crane',
  'Dingo',
  'Egret',
  'Ferret',
  'Gannet',
  'Hare',
  'Jackal',
  'Koala',
  'Lemur',
  'Magpie',
  'Newt',
  'Ocelot',
  'Plover',
  'Raven',
];

/** Who the user is in this browser: a persistent random id (never sent to peers), a name and a colour. */
export interface Identity {
  readonly userId: string;
  readonly name: string;
  readonly colour: string;
}

/**
 * Cleans a display name typed by a person or received from a peer: drops control characters, collapses
 * whitespace, trims, and cuts it to {@link MAX_DISPLAY_NAME_LENGTH} characters. Returns `''` when nothing is left.
 */
export const normaliseDisplayName = (raw: string): string => {
  const cleaned = raw
    .replace(/\p{Cc}|\p{Cf}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return Array.from(cleaned).slice(0, MAX_DISPLAY_NAME_LENGTH).join('').trim();
};

/** The name used until the user picks one, e.g. "Anonymous Calm Otter"; stable for one user id. */
export const defaultDisplayName = (userId: string): string => {
  let sum = 0;
  for (let i = 0; i < userId.length; i++) sum = (sum * 31 + userId.charCodeAt(i)) >>> 0;
  const adjective = ADJECTIVES[sum % ADJECTIVES.length];
  const animal = ANIMALS[Math.floor(sum / ADJECTIVES.length) % ANIMALS.length];
  return `Anonymous ${adjective} ${animal}`;
};

const readUserId = (storage: KeyValueStorage): string => {
  const stored = storage.getItem(USER_ID_KEY);
  if (stored !== null && USER_ID_PATTERN.test(stored)) return stored;
  const userId = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  storage.setItem(USER_ID_KEY, userId);
  return userId;
};

/** Reads the identity remembered in `storage`, creating and remembering a user id on first use. */
export const loadIdentity = (storage: KeyValueStorage): Identity => {
  const userId = readUserId(storage);
  const name = normaliseDisplayName(storage.getItem(DISPLAY_NAME_KEY) ?? '') || defaultDisplayName(userId);
  return { userId, name, colour: colourForUser(userId) };
};

/**
 * Remembers a display name and returns the resulting identity. An empty (or all-whitespace) name goes back to the
 * default name.
 */
export const saveDisplayName = (storage: KeyValueStorage, name: string): Identity => {
  storage.setItem(DISPLAY_NAME_KEY, normaliseDisplayName(name));
  return loadIdentity(storage);
};
