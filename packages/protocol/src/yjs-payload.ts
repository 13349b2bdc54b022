import * as Y from 'yjs';
import type { DecodedUpdate } from './admit-update.js';
import { countUpdateStructs, type StructCount } from './count-structs.js';
import { DEFAULT_UPDATE_LIMITS, type UpdateLimits } from './limits.js';
import { err, ok, type Result } from './result.js';

/**
 * Counts a Yjs (v1) update's client runs, structs and deleted ranges without decoding it (see
 * `countUpdateStructs`), and says why it is refused when it passes `limits` or is malformed.
 */
export function countWithinLimits(
  update: Uint8Array,
  limits: UpdateLimits = DEFAULT_UPDATE_LIMITS,
): Result<Extract<StructCount, { kind: 'counted' }>, string> {
  const count = countUpdateStructs(update, {
    clients: limits.maxClientsPerUpdate,
    structs: limits.maxStructsPerUpdate,
  });
  if (count.kind === 'over') {
    return err(
      `Yjs update (${update.length} bytes) has more than ${count.limit} ${count.what === 'clients' ? 'client runs' : 'structs'}`,
    );
  }
  if (count.kind === 'malformed') return err(`Yjs update (${update.length} bytes) does not decode: ${count.message}`);
  return ok(count);
}

/**
 * Decodes a Yjs (v1) update completely, every struct and the delete set, after counting its client
 * runs and structs against `limits` without decoding them. An update that decodes can be merged,
 * diffed and applied without throwing, though it may not integrate (see `admitUpdate`).
 */
export function decodeYjsUpdate(
  update: Uint8Array,
  limits: UpdateLimits = DEFAULT_UPDATE_LIMITS,
): Result<DecodedUpdate, string> {
  const count = countWithinLimits(update, limits);
  if (!count.ok) return count;
  try {
    return ok(Y.decodeUpdate(update));
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
