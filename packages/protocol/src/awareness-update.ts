import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { err, ok, type Result } from './result.js';

/** One client's entry in an awareness update. `state` is the raw JSON text; `null` means removed. */
export interface AwarenessEntry {
  readonly clientID: number;
  readonly clock: number;
  readonly state: string;
}

/** True when the entry removes the client's state. */
export const isRemoval = (entry: AwarenessEntry): boolean => entry.state === 'null';

/**
 * Decodes the payload of an awareness message (the format of y-protocols' `encodeAwarenessUpdate`).
 * Every state must be valid JSON: stock clients `JSON.parse` it and would throw on anything else.
 * Entries after the first `maxEntries` are only checked to be well framed and left out, so a frame of
 * thousands of entries costs a walk over its bytes, not thousands of JSON parses.
 */
export function decodeAwarenessUpdate(
  update: Uint8Array,
  maxEntries = Number.POSITIVE_INFINITY,
): Result<AwarenessEntry[], string> {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      if (i >= maxEntries) {
        // Stepped over in place: a view of each would be 20,000 allocations for one flood frame.
        const length = decoding.readVarUint(decoder);
        decoder.pos += length;
        if (decoder.pos > update.length) throw new Error('an entry runs past the end of the message');
        continue;
      }
      const state = decoding.readVarString(decoder);
      JSON.parse(state);
      entries.push({ clientID, clock, state });
    }
    if (decoding.hasContent(decoder)) return err('trailing bytes after the awareness entries');
    return ok(entries);
  } catch (cause) {
    return err(`awareness update does not decode: ${(cause as Error).message}`);
  }
}

/** Encodes entries in y-protocols' awareness update format. */
export function encodeAwarenessUpdate(entries: Iterable<AwarenessEntry>): Uint8Array {
  const list = [...entries];
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, list.length);
  for (const entry of list) {
    encoding.writeVarUint(encoder, entry.clientID);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}
