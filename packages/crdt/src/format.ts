import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CrdtDecodeError } from './errors.js';

/** The first byte of every encoding; bumped when a layout changes incompatibly. */
export const FORMAT_VERSION = 1;

/** The second byte of every encoding: which type follows. */
export const TypeTag = {
  versionVector: 1,
  orSet: 2,
  lwwRegister: 3,
  lwwMap: 4,
  gCounter: 5,
  pnCounter: 6,
} as const;

/** One of the values of {@link TypeTag}. */
export type TypeTag = (typeof TypeTag)[keyof typeof TypeTag];

/** Encode a value of the tagged type: format version, type tag, then whatever `write` emits. */
export function encodeTagged(tag: TypeTag, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, FORMAT_VERSION);
  encoding.writeUint8(encoder, tag);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/**
 * Decode bytes written by {@link encodeTagged}. Every failure, including lib0's own end-of-input and
 * range errors, surfaces as a `CrdtDecodeError`; `read` builds a fresh value, so nothing else changes.
 */
export function decodeTagged<T>(bytes: Uint8Array, tag: TypeTag, name: string, read: (decoder: Decoder) => T): T {
  if (!(bytes instanceof Uint8Array)) throw new CrdtDecodeError(`Cannot decode ${name}: expected a Uint8Array`);
  try {
    const decoder = decoding.createDecoder(bytes);
    const version = readByte(decoder);
    if (version !== FORMAT_VERSION) throw new CrdtDecodeError(`Unsupported ${name} format version ${version}`);
    const actual = readByte(decoder);
    if (actual !== tag) throw new CrdtDecodeError(`Expected a ${name} (type ${tag}), found type ${actual}`);
    const value = read(decoder);
    if (decoding.hasContent(decoder)) {
      throw new CrdtDecodeError(`${bytes.length - decoder.pos} trailing bytes after ${name}`);
    }
    return value;
  } catch (error) {
    if (error instanceof CrdtDecodeError) throw error;
    throw new CrdtDecodeError(`Malformed ${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** A lib0 decoder. */
export type Decoder = decoding.Decoder;

/** Throw a `CrdtDecodeError`; decoders call this for every invariant the bytes break. */
export function fail(message: string): never {
  throw new CrdtDecodeError(message);
}

const remaining = (decoder: Decoder): number => decoder.arr.length - decoder.pos;

/** One byte; lib0's `readUint8` returns `undefined` past the end instead of throwing. */
export function readByte(decoder: Decoder): number {
  if (remaining(decoder) < 1) fail('Unexpected end of input');
  return decoding.readUint8(decoder);
}

/** An unsigned varint that is a safe integer. */
export function readUint(decoder: Decoder): number {
  const value = decoding.readVarUint(decoder);
  if (!Number.isSafeInteger(value)) fail(`Integer out of range: ${value}`);
  return value;
}

/** A signed varint; lib0's `readVarInt` reads 0 past the end instead of throwing. */
export function readInt(decoder: Decoder): number {
  if (remaining(decoder) < 1) fail('Unexpected end of input');
  const value = decoding.readVarInt(decoder);
  if (!Number.isSafeInteger(value)) fail(`Integer out of range: ${value}`);
  return value === 0 ? 0 : value;
}

/** An element count; each element takes at least one byte, so a count past the input is rejected early. */
export function readCount(decoder: Decoder): number {
  const count = readUint(decoder);
  if (count > remaining(decoder)) fail(`Count ${count} exceeds the ${remaining(decoder)} bytes left`);
  return count;
}

/** A strictly positive counter (dots, version vector entries, counter totals). */
export function readPositive(decoder: Decoder): number {
  const value = readUint(decoder);
  if (value < 1) fail('Expected a positive integer, found 0');
  return value;
}

/** A length-prefixed UTF-8 string. */
export function readString(decoder: Decoder): string {
  return decoding.readVarString(decoder);
}

/** A big-endian float64. */
export function readFloat(decoder: Decoder): number {
  if (remaining(decoder) < 8) fail('Unexpected end of input');
  return decoding.readFloat64(decoder);
}
