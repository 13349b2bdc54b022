import * as Y from 'yjs';
import { admitUpdate, commitAdmission, type DecodedUpdate } from './admit-update.js';
import { DocIndex } from './doc-index.js';

/** A stored update left out of a document because it cannot integrate, and why. */
export interface QuarantinedUpdate {
  /** Its position among the document's stored updates. */
  readonly position: number;
  readonly update: Uint8Array;
  readonly reason: string;
}

export interface ScreenedUpdates {
  readonly kept: Uint8Array[];
  readonly quarantined: QuarantinedUpdate[];
  /** The document's index with every kept update admitted. */
  readonly index: DocIndex;
}

function decode(update: Uint8Array): DecodedUpdate | string {
  try {
    return Y.decodeUpdate(update);
  } catch (cause) {
    return `does not decode: ${(cause as Error).message}`;
  }
}

/**
 * Checks a document's stored updates the way `admitUpdate` checks incoming ones, so that rows stored
 * before validation existed (or written by another program) cannot poison the document: admits them
 * in order, again and again while that makes progress (a row may depend on a later one), and leaves
 * out those that can never integrate. Rows still waiting at the end stay: Yjs keeps them pending,
 * harmlessly, and they integrate if what they wait for ever arrives.
 */
export function screenUpdates(updates: readonly Uint8Array[]): ScreenedUpdates {
  const index = new DocIndex();
  const quarantined: QuarantinedUpdate[] = [];
  let waiting = updates.map((update, position) => ({ position, rest: update }));
  for (let progress = true; progress && waiting.length > 0; ) {
    progress = false;
    const next: typeof waiting = [];
    for (const row of waiting) {
      const decoded = decode(row.rest);
      const admission =
        typeof decoded === 'string'
          ? { kind: 'refused' as const, reason: decoded }
          : admitUpdate(index, row.rest, decoded);
      if (admission.kind === 'refused') {
        quarantined.push({ position: row.position, update: updates[row.position]!, reason: admission.reason });
        continue;
      }
      commitAdmission(index, admission);
      if (admission.ready !== undefined) progress = true;
      if (admission.held !== undefined) next.push({ position: row.position, rest: admission.held });
    }
    waiting = next;
  }
  const left = new Set(quarantined.map((q) => q.position));
  return { kept: updates.filter((_, position) => !left.has(position)), quarantined, index };
}
