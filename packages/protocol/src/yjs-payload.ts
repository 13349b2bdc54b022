import * as Y from 'yjs';
import { err, ok, type Result } from './result.js';

/**
 * Checks that bytes are a complete Yjs (v1) update by decoding every struct and the delete set.
 * An update that passes can be merged, diffed and applied without throwing.
 */
export function checkUpdate(update: Uint8Array): Result<Uint8Array, string> {
  try {
    Y.decodeUpdate(update);
    return ok(update);
  } catch (cause) {
    return err(`Yjs update (${update.length} bytes) does not decode: ${(cause as Error).message}`);
  }
}

/** Checks that bytes are an encoded Yjs state vector. */
export function checkStateVector(stateVector: Uint8Array): Result<Uint8Array, string> {
  try {
    Y.decodeStateVector(stateVector);
    return ok(stateVector);
  } catch (cause) {
    return err(`state vector (${stateVector.length} bytes) does not decode: ${(cause as Error).message}`);
  }
}
