import * as Y from 'yjs';
import type { DecodedUpdate } from './admit-update.js';
import { countUpdateStructs, type StructCount } from './count-structs.js';
import { DEFAULT_UPDATE_LIMITS, type UpdateLimits } from './limits.js';
import { err, ok, type Result } from './result.js';

/**
 * Counts a Yjs (v1) update's client runs, structs and deleted ranges without decoding it (see
 * `countUpdateStructs`), and says why it is refused when it passes `limits` or is malformed, or when
 * its structs and deleted ranges together pass `maxWork` (`overQuota`: the sender may send it later).
 */
export function countWithinLimits(
  update: Uint8Array,
  limits: UpdateLimits = DEFAULT_UPDATE_LIMITS,
  maxWork = Number.POSITIVE_INFINITY,
): Result<Extract<StructCount, { kind: 'counted' }>, { readonly overQuota: boolean; readonly message: string }> {
  const count = countUpdateStructs(update, {
    clients: limits.maxClientsPerUpdate,
    structs: limits.maxStructsPerUpdate,
    work: maxWork,
  });
  const size = `Yjs update (${update.length} bytes)`;
  if (count.kind === 'over') {
    if (count.what === 'work') {
      return err({
        overQuota: true,
        message: `${size} has more structs and deleted ranges than the ${count.limit} allowed now`,
      });
    }
    return err({
      overQuota: false,
      message: `${size} has more than ${count.limit} ${count.what === 'clients' ? 'client runs' : 'structs'}`,
    });
  }
  if (count.kind === 'malformed')
    return err({ overQuota: false, message: `${size} does not decode: ${count.message}` });
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
  if (!count.ok) return err(count.error.message);
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
