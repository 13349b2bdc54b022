const KEY_BYTES = 16;

/** A new random room key: 128 bits as base64url. It travels in the link's fragment (see link-fragment.ts). */
export const newRoomKey = (random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string => {
  const bytes = random(new Uint8Array(KEY_BYTES));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
};
