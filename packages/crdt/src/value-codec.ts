import * as encoding from 'lib0/encoding';
import { type Decoder, fail, readByte, readFloat, readInt, readString } from './format.js';
import { type CanonicalJson, canonicalize, isWellFormed } from './json-value.js';

// Value tags. Small scalars get their own tag so that a set of strings or a map of numbers
// costs one byte of framing per value; everything else is canonical JSON text.
const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const INTEGER = 3;
const FLOAT = 4;
const STRING = 5;
const JSON_TEXT = 6;

/** Write a canonical JSON value as a tag byte plus payload. */
export function writeValue(encoder: encoding.Encoder, canonical: CanonicalJson): void {
  const { value } = canonical;
  if (value === null) encoding.writeUint8(encoder, NULL);
  else if (value === false) encoding.writeUint8(encoder, FALSE);
  else if (value === true) encoding.writeUint8(encoder, TRUE);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) {
      encoding.writeUint8(encoder, INTEGER);
      encoding.writeVarInt(encoder, value);
    } else {
      encoding.writeUint8(encoder, FLOAT);
      encoding.writeFloat64(encoder, value);
    }
  } else if (typeof value === 'string' && isWellFormed(value)) {
    encoding.writeUint8(encoder, STRING);
    encoding.writeVarString(encoder, value);
  } else {
    // Objects, arrays and strings with lone surrogates (which UTF-8 cannot carry; JSON escapes them).
    encoding.writeUint8(encoder, JSON_TEXT);
    encoding.writeVarString(encoder, canonical.key);
  }
}

/** Read a value written by {@link writeValue}, rejecting any non-canonical form. */
export function readValue(decoder: Decoder): CanonicalJson {
  const tag = readByte(decoder);
  switch (tag) {
    case NULL:
      return { key: 'null', value: null };
    case FALSE:
      return { key: 'false', value: false };
    case TRUE:
      return { key: 'true', value: true };
    case INTEGER: {
      const value = readInt(decoder);
      return { key: String(value), value };
    }
    case FLOAT: {
      const value = readFloat(decoder);
      if (!Number.isFinite(value) || Number.isSafeInteger(value)) fail(`Non-canonical float ${value}`);
      return { key: JSON.stringify(value), value };
    }
    case STRING: {
      const value = readString(decoder);
      return { key: JSON.stringify(value), value };
    }
    case JSON_TEXT: {
      const text = readString(decoder);
      const canonical = canonicalize(JSON.parse(text));
      const { value } = canonical;
      if (canonical.key !== text) fail('JSON value is not in canonical form');
      if (typeof value !== 'object' && !(typeof value === 'string' && !isWellFormed(value))) {
        fail('Scalar stored as JSON text');
      }
      return canonical;
    }
    default:
      return fail(`Unknown value tag ${tag}`);
  }
}
