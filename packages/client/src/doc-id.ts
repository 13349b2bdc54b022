/** Number of random bytes in a document id: 128 bits, so ids cannot be guessed or enumerated. */
const DOC_ID_BYTES = 16;

/** Characters of the base64url alphabet (RFC 4648 §5), in index order. */
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A document id as produced by {@link newDocId}: 22 base64url characters, no padding. */
const DOC_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** Encodes bytes as unpadded base64url. */
export const toBase64Url = (bytes: Uint8Array): string => {
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += BASE64URL[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) {
    out += BASE64URL[(buffer << (6 - bits)) & 63];
  }
  return out;
};

/** Returns a new random, unguessable document id (128 bits from `crypto.getRandomValues`, base64url). */
export const newDocId = (): string => toBase64Url(crypto.getRandomValues(new Uint8Array(DOC_ID_BYTES)));

/** Whether `value` has the shape of a document id made by {@link newDocId}. */
export const isDocId = (value: string): boolean => DOC_ID_PATTERN.test(value);
