import { admitUpdate, commitAdmission, type DecodedUpdate, DocIndex } from '@meshpad/protocol';
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';

/** Bytes of a quarantined update written to the log, so an operator can recover it. */
const MAX_LOGGED_QUARANTINE_BYTES = 64 * 1024;

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
 * Checks a document's stored updates the way the relay checks incoming ones, so that rows stored
 * before validation existed (or written by another program) cannot poison the document: admits them
 * in order, again and again while that makes progress (a row may depend on a later one), and leaves
 * out those that can never integrate. Rows still waiting at the end stay: Yjs keeps them pending,
 * harmlessly, and they integrate if what they wait for ever arrives.
 */
export function screenStoredUpdates(updates: readonly Uint8Array[]): ScreenedUpdates {
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

/** Logs stored updates left out of a document, one line each, with their bytes for recovery. */
export function logQuarantined(log: FastifyBaseLogger, room: string, quarantined: readonly QuarantinedUpdate[]): void {
  for (const q of quarantined) {
    log.warn(
      {
        room,
        position: q.position,
        bytes: q.update.length,
        reason: q.reason,
        base64: Buffer.from(q.update.subarray(0, MAX_LOGGED_QUARANTINE_BYTES)).toString('base64'),
      },
      'stored update quarantined: it cannot integrate into the document, so the document opens without it and the next compaction removes it',
    );
  }
}
