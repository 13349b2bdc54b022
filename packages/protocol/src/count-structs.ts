import * as decoding from 'lib0/decoding';

/** The Yjs v1 info bits: origin present, right origin present, parent sub-key present. */
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
const CONTENT_REF = 0x1f;
const SKIP_INFO = 10;
/** Type refs of `ContentType` that carry a key string (XmlElement, XmlHook); refs above 6 do not exist. */
const KEYED_TYPE_REFS = new Set([3, 5]);
const MAX_TYPE_REF = 6;

/** What {@link countUpdateStructs} found. */
export type StructCount =
  | {
      readonly kind: 'counted';
      readonly clients: number;
      readonly structs: number;
      /** Ranges in the delete set: each costs the relay about as much as a struct. */
      readonly deletes: number;
    }
  | { readonly kind: 'over'; readonly what: 'clients' | 'structs' | 'work'; readonly limit: number }
  | { readonly kind: 'malformed'; readonly message: string };

const skipString = (decoder: decoding.Decoder): void => {
  const length = decoding.readVarUint(decoder);
  if (decoder.pos + length > decoder.arr.length) throw new RangeError('string runs past the end');
  decoder.pos += length;
};

function skipContent(decoder: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // deleted: a length
      decoding.readVarUint(decoder);
      return;
    case 2: {
      // JSON: a count of strings
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) skipString(decoder);
      return;
    }
    case 3: // binary
    case 4: // string
    case 5: // embed (JSON text)
      skipString(decoder);
      return;
    case 6: // format: key and JSON value
      skipString(decoder);
      skipString(decoder);
      return;
    case 7: {
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef > MAX_TYPE_REF) throw new RangeError(`unknown type ref ${typeRef}`);
      if (KEYED_TYPE_REFS.has(typeRef)) skipString(decoder);
      return;
    }
    case 8: {
      // any: a count of lib0-encoded values
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) decoding.readAny(decoder);
      return;
    }
    case 9: // sub-document: guid and options
      skipString(decoder);
      decoding.readAny(decoder);
      return;
    default:
      throw new RangeError(`unknown content ref ${ref}`);
  }
}

/**
 * Counts an update's client runs, structs and deleted ranges by walking its bytes, without building a
 * struct, and stops as soon as a limit is passed (client runs, structs, or `work`: structs and deleted
 * ranges together): decoding a few MB of tiny
 * structs with `Y.decodeUpdate` takes most of a second, this walk a few milliseconds. It checks only the
 * layout (client runs in the order Yjs writes them included); a `counted` update may still fail to decode.
 */
export function countUpdateStructs(
  update: Uint8Array,
  limits: { clients: number; structs: number; work?: number },
): StructCount {
  const work = limits.work ?? Number.POSITIVE_INFINITY;
  const decoder = decoding.createDecoder(update);
  try {
    const clients = decoding.readVarUint(decoder);
    if (clients > limits.clients) return { kind: 'over', what: 'clients', limit: limits.clients };
    let structs = 0;
    let previousClient = Number.POSITIVE_INFINITY;
    for (let c = 0; c < clients; c++) {
      const count = decoding.readVarUint(decoder);
      structs += count;
      if (structs > limits.structs) return { kind: 'over', what: 'structs', limit: limits.structs };
      if (structs > work) return { kind: 'over', what: 'work', limit: work };
      const client = decoding.readVarUint(decoder);
      // Yjs writes each client once, highest first, and Y.mergeUpdates counts on it: given runs in another
      // order, it silently drops some of them, so what the relay merged would lose what it forwarded.
      if (client >= previousClient) {
        return {
          kind: 'malformed',
          message: `client runs out of order: client ${client} after client ${previousClient}`,
        };
      }
      previousClient = client;
      decoding.readVarUint(decoder); // first clock
      for (let i = 0; i < count; i++) {
        if (decoder.pos >= update.length) throw new RangeError(`struct ${i} of ${count} missing`);
        const info = decoding.readUint8(decoder);
        if (info === SKIP_INFO || (info & CONTENT_REF) === 0) {
          decoding.readVarUint(decoder); // length of a skip or a GC range
          continue;
        }
        if (info & HAS_ORIGIN) {
          decoding.readVarUint(decoder);
          decoding.readVarUint(decoder);
        }
        if (info & HAS_RIGHT_ORIGIN) {
          decoding.readVarUint(decoder);
          decoding.readVarUint(decoder);
        }
        if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
          if (decoding.readVarUint(decoder) === 1) skipString(decoder);
          else {
            decoding.readVarUint(decoder);
            decoding.readVarUint(decoder);
          }
          if (info & HAS_PARENT_SUB) skipString(decoder);
        }
        skipContent(decoder, info & CONTENT_REF);
      }
    }
    let deletes = 0;
    const deleteClients = decoding.readVarUint(decoder);
    for (let c = 0; c < deleteClients; c++) {
      decoding.readVarUint(decoder); // client
      const ranges = decoding.readVarUint(decoder);
      deletes += ranges;
      if (structs + deletes > work) return { kind: 'over', what: 'work', limit: work };
      for (let i = 0; i < ranges; i++) {
        if (decoder.pos >= update.length) throw new RangeError(`deleted range ${i} of ${ranges} missing`);
        decoding.readVarUint(decoder); // clock
        decoding.readVarUint(decoder); // length
      }
    }
    return { kind: 'counted', clients, structs, deletes };
  } catch (cause) {
    return { kind: 'malformed', message: (cause as Error).message };
  }
}
