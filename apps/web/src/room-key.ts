/** Name of the link-fragment parameter that carries a document's room key: `/d/<id>#key=<key>`. */
export const ROOM_KEY_PARAM = 'key';

const KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const KEY_BYTES = 16;

/**
 * The room key in a URL fragment (`#key=…`), or undefined when there is none or it is malformed. The fragment is
 * never sent to the server, so the relay does not learn the key from the link.
 */
export const parseRoomKey = (hash: string): string | undefined => {
  const key = new URLSearchParams(hash.replace(/^#/, '')).get(ROOM_KEY_PARAM);
  return key !== null && KEY_PATTERN.test(key) ? key : undefined;
};

/** `hash` with the room key set to `key`, or removed when `key` is undefined; other parameters are kept. */
export const withRoomKey = (hash: string, key: string | undefined): string => {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (key === undefined) params.delete(ROOM_KEY_PARAM);
  else params.set(ROOM_KEY_PARAM, key);
  const text = params.toString();
  return text === '' ? '' : `#${text}`;
};

/** A new random room key: 128 bits as base64url. */
export const newRoomKey = (random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string => {
  const bytes = random(new Uint8Array(KEY_BYTES));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
};
